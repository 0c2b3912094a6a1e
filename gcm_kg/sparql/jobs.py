"""What a query execution is asked to do and what it hands back (picklable for worker processes)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rdflib.term import Node

from gcm_kg.errors import NotAcceptable
from gcm_kg.formats import BY_NAME, Format

FORMS = ("SELECT", "ASK", "GRAPH")


@dataclass(frozen=True)
class Wanted:
    """The negotiated format for each query form, known before the query's form is.

    A query's form is known only once it is parsed, so negotiation picks a format for each form
    up front; ``None`` means nothing acceptable, answered with a 406 saying ``refusal``.
    """

    select: str | None
    ask: str | None
    graph: str | None
    refusal: Mapping[str, str] | None = None

    def for_form(self, form: str) -> Format:
        key = "GRAPH" if form in ("CONSTRUCT", "DESCRIBE", "GRAPH") else form
        name = {"SELECT": self.select, "ASK": self.ask, "GRAPH": self.graph}[key]
        if name is None:
            raise NotAcceptable((self.refusal or {}).get(key, f"no acceptable format for {form}"))
        return BY_NAME[name]

    @property
    def key(self) -> tuple[str | None, str | None, str | None]:
        return (self.select, self.ask, self.graph)


@dataclass(frozen=True)
class Job:
    query: str
    wanted: Wanted
    bindings: tuple[tuple[str, Node], ...] = ()
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    limit: int = 10_000
    timeout: float = 10.0


@dataclass(frozen=True)
class Outcome:
    body: bytes
    media_type: str
    form: str  # SELECT, ASK or GRAPH
    truncated: bool = False
    size: int = 0  # rows or triples
