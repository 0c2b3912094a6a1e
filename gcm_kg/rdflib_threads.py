"""rdflib's SPARQL parser is not thread-safe: one lock around it, for the whole process.

pyparsing learns the arity of each parse action on its first calls, and concurrent first calls
corrupt what it learned for the life of the process; its packrat cache is shared too. Measured
here: 8 threads parsing different queries at once from a cold start, then every later parse
failed with ``TypeError: Param.postParse2() missing 1 required positional argument`` (3 runs
of 3). On the public endpoint that is a denial of service: the guard parses every query that
names FROM, SERVICE or LOAD. rdflib's SPARQL parsing is reached by the query guard, the rdflib
store, curator updates and pyshacl's SPARQL constraints, all through the grammar's two entry
points patched here; each parse then holds the lock (5-20 ms).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import wraps
from typing import Any

_LOCK = threading.RLock()
_installed = False


def _locked(parse: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(parse)
    def parse_string(*args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            return parse(*args, **kwargs)

    return parse_string


def install() -> None:
    """Serialize rdflib's SPARQL parsing (idempotent; cheap after the first call)."""
    global _installed
    if _installed:
        return
    with _LOCK:
        if _installed:
            return
        from rdflib.plugins.sparql import parser

        for element in (parser.Query, parser.UpdateUnit):
            element.parse_string = _locked(element.parse_string)  # type: ignore[method-assign]
        _installed = True
