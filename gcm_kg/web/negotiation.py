"""Which format answers a SPARQL request: ``format=`` wins, else the Accept header (q-values).

A query's form (SELECT, ASK, CONSTRUCT/DESCRIBE) is known only once it is parsed, so a format is
chosen for each form up front (``Wanted``); the 406 for the actual form names what is offered.
Pure functions over ``gcm_kg.formats`` and ``gcm_kg.web.accept``.
"""

from __future__ import annotations

from functools import lru_cache

from gcm_kg.errors import NotAcceptable
from gcm_kg.formats import BY_MEDIA_TYPE, GRAPH, RESULTS, Format, for_graphs, for_results, resolve
from gcm_kg.sparql.jobs import Wanted
from gcm_kg.web.accept import negotiate

HTML = "text/html"
_BOOLEAN = ("json", "xml")  # CSV and TSV define no boolean result
_LABELS = {"SELECT": "SELECT results", "ASK": "ASK results", "GRAPH": "CONSTRUCT/DESCRIBE graphs"}


def _formats(form: str) -> list[Format]:
    if form == "GRAPH":
        return for_graphs()
    found = for_results()
    return [f for f in found if f.name in _BOOLEAN] if form == "ASK" else found


def offered_formats(form: str) -> list[Format]:
    """The formats a form can be written in, in the order the server prefers them."""
    return _formats(form)


def offers(form: str) -> list[str]:
    """Media types offered for a form: canonical ones first (ties go to them), then aliases."""
    formats = _formats(form)
    return [f.media_type for f in formats] + [a for f in formats for a in f.aliases]


def _by_accept(accept: str | None, form: str) -> tuple[str | None, str]:
    try:
        chosen = negotiate(accept, offers(form))
    except NotAcceptable:
        names = ", ".join(f.media_type for f in _formats(form))
        return None, (
            f"none of the requested media types (Accept: {accept}) can carry {_LABELS[form]}; "
            f"offered: {names}"
        )
    return BY_MEDIA_TYPE[chosen].name, ""


def _by_param(value: str, form: str) -> tuple[str | None, str]:
    found = resolve(value, GRAPH if form == "GRAPH" else RESULTS)
    if found is not None and found in _formats(form):
        return found.name, ""
    names = ", ".join(f.name for f in _formats(form))
    return None, f"format={value} cannot carry {_LABELS[form]}; use one of: {names}"


@lru_cache(maxsize=512)
def wanted(accept: str | None, format_param: str | None) -> Wanted:
    """The format per form; a ``format`` naming nothing known is a 406 straight away.

    Cached: clients repeat the same few Accept headers, and the answer is immutable.
    """
    if format_param is not None:
        picks = {form: _by_param(format_param, form) for form in ("SELECT", "ASK", "GRAPH")}
        if all(name is None for name, _ in picks.values()):
            known = ", ".join(sorted({f.name for f in for_results() + for_graphs()}))
            raise NotAcceptable(f"unknown format {format_param!r}; known formats: {known}")
    else:
        picks = {form: _by_accept(accept, form) for form in ("SELECT", "ASK", "GRAPH")}
    return Wanted(
        select=picks["SELECT"][0],
        ask=picks["ASK"][0],
        graph=picks["GRAPH"][0],
        refusal={form: why for form, (name, why) in picks.items() if name is None},
    )


def graph_format(accept: str | None, format_param: str | None) -> Format:
    """The RDF format for a graph document such as the service description."""
    w = wanted(accept, format_param)
    return w.for_form("GRAPH")


def wants_html(accept: str | None, format_param: str | None = None) -> bool:
    """A browser: text/html ranks above every machine format (``*/*`` alone picks JSON)."""
    if format_param is not None or not accept or HTML not in accept.lower():
        return False
    try:
        return negotiate(accept, [*offers("SELECT"), *offers("GRAPH"), HTML]) == HTML
    except NotAcceptable:
        return False
