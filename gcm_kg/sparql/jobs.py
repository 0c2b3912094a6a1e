"""What a query execution is asked to do: the query, its bindings and dataset, the formats."""

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
        key = _key(form)
        name = {"SELECT": self.select, "ASK": self.ask, "GRAPH": self.graph}[key]
        if name is None:
            raise NotAcceptable(self.refusals()[key])
        return BY_NAME[name]

    def media_types(self) -> dict[str, str | None]:
        """For the query workers: results (SELECT), boolean (ASK) and graph media types."""
        pick = {"results": self.select, "boolean": self.ask, "graph": self.graph}
        return {k: BY_NAME[v].media_type if v else None for k, v in pick.items()}

    def refusals(self) -> dict[str, str]:
        """406 messages by worker form name (SELECT, ASK, CONSTRUCT)."""
        given = dict(self.refusal or {})
        out = {f: given.get(f, f"no acceptable format for {f} results") for f in FORMS}
        out["CONSTRUCT"] = out["DESCRIBE"] = out["GRAPH"]
        return out

    @property
    def key(self) -> tuple[str | None, str | None, str | None]:
        return (self.select, self.ask, self.graph)


def _key(form: str) -> str:
    return "GRAPH" if form in ("CONSTRUCT", "DESCRIBE", "GRAPH") else form


@dataclass(frozen=True)
class Job:
    query: str
    wanted: Wanted
    bindings: tuple[tuple[str, Node], ...] = ()
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    limit: int | None = 10_000  # rows or triples (None: no limit, e.g. a Graph Store GET)
    timeout: float = 10.0
    #: bytes the answer may hold (None: no limit); the rows that fit are sent
    max_bytes: int | None = None
    base: str | None = None  # the endpoint's URL: relative IRIs in the query resolve against it
