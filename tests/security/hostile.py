"""What every hostile request must get: its status, never a 500, nothing internal in the body.

Shared by the hostile suites (the Flask test client and the real waitress server).
"""

from __future__ import annotations

import re
import sys

from gcm_kg.config import PROJECT_ROOT
from gcm_kg.store import Store

#: text that would show an internal: a stack trace, a file path, a Python class, an address
LEAK_MARKERS = (
    "Traceback",
    'File "',
    "site-packages",
    "gcm_kg",
    "pyoxigraph",
    "rdflib",
    "werkzeug",
    "pyparsing",
    "<class ",
    str(PROJECT_ROOT),
    sys.prefix,
    "/tmp/",
)
_CLASS_NAME = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:Error|Exception|Warning)\b")
_ADDRESS = re.compile(r"\bat 0x[0-9a-f]{6,}\b")


def leaks(body: str, request_text: str = "") -> list[str]:
    """What in ``body`` shows an internal; text the request itself carried is not a leak."""
    found = [m for m in LEAK_MARKERS if m in body and m not in request_text]
    for pattern in (_CLASS_NAME, _ADDRESS):
        found += [m for m in pattern.findall(body) if m not in request_text]
    return found


def snapshot(store: Store) -> tuple[int, str]:
    """What must not move: the number of quads and the store's version."""
    return len(store), store.version()
