"""Imported by the validation fork server (``bounded.py``): parses the configured shapes once
there, so every validation child is forked with them already read (``_shapes`` is cached per
file version; a changed file is read again in the child)."""

from __future__ import annotations

import contextlib

from gcm_kg.config import Settings
from gcm_kg.errors import GcmKgError
from gcm_kg.validate import load_shapes

with contextlib.suppress(GcmKgError):
    load_shapes(Settings.from_env())
