"""Make rdflib's SPARQL parser safe to call from several threads.

pyparsing learns how many arguments each parse action takes on the action's first call, and
that learning is not thread-safe: two threads parsing for the first time at once can leave an
action permanently broken ("Param.postParse2() missing 1 required positional argument"). The
web server, concurrent curator writes and pyshacl's SPARQL constraints all parse with rdflib,
so every parse goes through one lock. Importing this module installs it, once.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from rdflib.plugins.sparql import parser

PARSE_LOCK = threading.RLock()


def _locked(parse: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(parse)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with PARSE_LOCK:
            return parse(*args, **kwargs)

    wrapper.__gcm_kg_locked__ = True  # type: ignore[attr-defined]
    return wrapper


def install() -> None:
    """Serialise the two entry points of rdflib's grammar (queries and updates)."""
    for element in (parser.Query, parser.UpdateUnit):
        current = element.parse_string
        if not getattr(current, "__gcm_kg_locked__", False):
            element.parse_string = _locked(current)  # type: ignore[method-assign]


install()
