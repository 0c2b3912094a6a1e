"""One lock around rdflib's SPARQL parser: it is not thread-safe on first use.

pyparsing learns the arity of each parse action on its first call (it calls, catches the
TypeError, and tries again with fewer arguments). Threads making that first call at the same
time can leave an action with the wrong arity for the life of the process, after which every
parse fails with ``Param.postParse2() missing 1 required positional argument``. A server takes
requests on several threads, so every use of the parser in the package holds this lock;
parsing is milliseconds, the lock costs nothing measurable.
"""

from __future__ import annotations

import threading

PARSER_LOCK = threading.RLock()
