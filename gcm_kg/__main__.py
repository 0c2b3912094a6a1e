import sys

from gcm_kg.cli import main

sys.exit(main())
