"""Format choice for SPARQL answers: a table of Accept headers and format= values."""

from __future__ import annotations

import pytest

from gcm_kg.errors import NotAcceptable
from gcm_kg.web.negotiation import graph_format, wanted, wants_html

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

# Accept header → (SELECT, ASK, CONSTRUCT/DESCRIBE) format names; None means a 406
ACCEPT = [
    (None, ("json", "json", "turtle")),
    ("", ("json", "json", "turtle")),
    ("*/*", ("json", "json", "turtle")),
    ("application/sparql-results+json", ("json", "json", None)),
    ("application/sparql-results+xml", ("xml", "xml", None)),
    ("application/json", ("json", "json", None)),
    ("text/csv", ("csv", None, None)),
    ("text/tab-separated-values", ("tsv", None, None)),
    ("text/turtle", (None, None, "turtle")),
    ("application/ld+json", (None, None, "jsonld")),
    ("text/plain", (None, None, "ntriples")),
    ("text/*", ("csv", None, "turtle")),
    ("application/*", ("json", "json", "ntriples")),
    ("application/rdf+xml, application/sparql-results+json;q=0.5", ("json", "json", "rdfxml")),
    ("application/sparql-results+json;q=0, */*;q=0.1", ("xml", "xml", "turtle")),
    ("text/turtle;q=0.2, application/n-triples;q=0.9", (None, None, "ntriples")),
    ("*/*;q=0.1, application/ld+json", ("json", "json", "jsonld")),
    ("text/csv;q=0.9, text/tab-separated-values", ("tsv", None, None)),
    ("TEXT/CSV", ("csv", None, None)),
    ("application/sparql-results+json; charset=utf-8", ("json", "json", None)),
    ("image/png", (None, None, None)),
    ("no-slash-here", (None, None, None)),
    (BROWSER, ("xml", "xml", "turtle")),
]


@pytest.mark.parametrize(("accept", "expected"), ACCEPT)
def test_accept(accept: str | None, expected: tuple[str | None, ...]) -> None:
    assert wanted(accept, None).key == expected


FORMAT = [
    ("json", ("json", "json", "jsonld")),
    ("xml", ("xml", "xml", "rdfxml")),
    ("csv", ("csv", None, None)),
    ("tsv", ("tsv", None, None)),
    ("text/tab-separated-values", ("tsv", None, None)),
    ("application/sparql-results+json", ("json", "json", None)),
    ("turtle", (None, None, "turtle")),
    ("ttl", (None, None, "turtle")),
    ("nt", (None, None, "ntriples")),
    ("json-ld", (None, None, "jsonld")),
    ("rdf+xml", (None, None, "rdfxml")),
    ("application/rdf+xml", (None, None, "rdfxml")),
    ("trig", (None, None, "trig")),
    ("JSON", ("json", "json", "jsonld")),
    ("application/ld+json,application/x-json+ld", (None, None, "jsonld")),
]


@pytest.mark.parametrize(("value", "expected"), FORMAT)
def test_format_parameter_wins_over_accept(value: str, expected: tuple[str | None, ...]) -> None:
    assert wanted("text/csv", value).key == expected


def test_unknown_format_parameter_is_406_listing_the_known() -> None:
    with pytest.raises(NotAcceptable, match="known formats: csv, json"):
        wanted(None, "pdf")


def test_406_for_a_form_names_what_is_offered() -> None:
    w = wanted("text/csv", None)
    with pytest.raises(NotAcceptable, match="offered: application/sparql-results"):
        w.for_form("ASK")
    with pytest.raises(NotAcceptable, match="text/turtle"):
        w.for_form("CONSTRUCT")


def test_graph_format_for_documents() -> None:
    assert graph_format("application/ld+json", None).name == "jsonld"
    assert graph_format(None, "nt").name == "ntriples"


@pytest.mark.parametrize(
    ("accept", "fmt", "html"),
    [
        (BROWSER, None, True),
        ("text/html", None, True),
        (BROWSER, "json", False),
        ("*/*", None, False),
        (None, None, False),
        ("application/sparql-results+json, text/html", None, False),
        ("text/html;q=0.5, application/sparql-results+json", None, False),
        ("text/html;q=0", None, False),
    ],
)
def test_browsers_are_told_apart(accept: str | None, fmt: str | None, html: bool) -> None:
    assert wants_html(accept, fmt) is html
