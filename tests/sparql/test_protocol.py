"""SPARQL 1.1 Protocol request parsing: a pure function, specified case by case."""

from __future__ import annotations

import pytest

from gcm_kg.errors import (
    BadRequest,
    GcmKgError,
    MethodNotAllowed,
    PayloadTooLarge,
    ReadOnly,
    UnsupportedMediaType,
)
from gcm_kg.sparql.protocol import ParsedRequest, media_type, parse_request

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
G1 = "http%3A%2F%2Fex.org%2Fg1"
G2 = "http%3A%2F%2Fex.org%2Fg2"


def parse(method: str, qs: str = "", ctype: str | None = None, body: bytes = b"", **kw: int):
    limits = {"max_body": 1000, "max_query_length": 200} | kw
    return parse_request(method, qs.encode(), ctype, body, **limits)


ACCEPTED = [
    ("GET query", ("GET", "query=ASK%20%7B%7D"), ParsedRequest("ASK {}")),
    ("HEAD query", ("HEAD", "query=ASK%20%7B%7D"), ParsedRequest("ASK {}")),
    ("GET without query", ("GET", ""), ParsedRequest(None)),
    ("POST form", ("POST", "", FORM, b"query=ASK+%7B%7D"), ParsedRequest("ASK {}")),
    (
        "POST form with charset",
        ("POST", "", FORM + "; charset=UTF-8", b"query=ASK+%7B%7D"),
        ParsedRequest("ASK {}"),
    ),
    ("POST direct", ("POST", "", DIRECT, b"ASK {}"), ParsedRequest("ASK {}")),
    (
        "POST direct, dataset in URL",
        ("POST", f"default-graph-uri={G1}&named-graph-uri={G2}", DIRECT, b"ASK {}"),
        ParsedRequest("ASK {}", ("http://ex.org/g1",), ("http://ex.org/g2",)),
    ),
    (
        "POST form, dataset in URL and body",
        (
            "POST",
            f"default-graph-uri={G1}",
            FORM,
            f"query=ASK+%7B%7D&named-graph-uri={G2}".encode(),
        ),
        ParsedRequest("ASK {}", ("http://ex.org/g1",), ("http://ex.org/g2",)),
    ),
    (
        "two default graphs",
        ("GET", f"query=ASK%7B%7D&default-graph-uri={G1}&default-graph-uri={G2}"),
        ParsedRequest("ASK{}", ("http://ex.org/g1", "http://ex.org/g2")),
    ),
    ("format", ("GET", "query=ASK%7B%7D&format=xml"), ParsedRequest("ASK{}", format="xml")),
    (
        "format repeated with the same meaning (SPARQLWrapper)",
        ("GET", "query=ASK%7B%7D&format=tsv&format=text%2Ftab-separated-values&output=tsv"),
        ParsedRequest("ASK{}", format="tsv"),
    ),
    (
        "output as format",
        ("GET", "query=ASK%7B%7D&output=csv"),
        ParsedRequest("ASK{}", format="csv"),
    ),
    ("timeout", ("GET", "query=ASK%7B%7D&timeout=2.5"), ParsedRequest("ASK{}", timeout=2.5)),
    ("unknown parameters ignored", ("GET", "query=ASK%7B%7D&_=123"), ParsedRequest("ASK{}")),
    (
        "UTF-8 in the query",
        ("GET", "query=ASK%7B%3Fs%20%3Fp%20%22Migra%C3%A7%C3%A3o%22%7D"),
        ParsedRequest('ASK{?s ?p "Migração"}'),
    ),
]


@pytest.mark.parametrize(
    ("args", "expected"), [c[1:] for c in ACCEPTED], ids=[c[0] for c in ACCEPTED]
)
def test_accepted(args: tuple, expected: ParsedRequest) -> None:  # type: ignore[type-arg]
    assert parse(*args) == expected


REFUSED = [
    ("PUT", ("PUT", "query=ASK%7B%7D"), MethodNotAllowed),
    ("DELETE", ("DELETE", ""), MethodNotAllowed),
    ("query twice", ("GET", "query=ASK%7B%7D&query=SELECT%20*%20%7B%7D"), BadRequest),
    ("query in URL and form", ("POST", "query=ASK%7B%7D", FORM, b"query=ASK+%7B%7D"), BadRequest),
    ("query in URL and direct body", ("POST", "query=ASK%7B%7D", DIRECT, b"ASK {}"), BadRequest),
    ("query twice in form", ("POST", "", FORM, b"query=ASK+%7B%7D&query=ASK+%7B%7D"), BadRequest),
    ("POST without content type", ("POST", "", None, b"query=ASK+%7B%7D"), UnsupportedMediaType),
    ("POST as text/plain", ("POST", "", "text/plain", b"ASK {}"), UnsupportedMediaType),
    ("POST as JSON", ("POST", "", "application/json", b"{}"), UnsupportedMediaType),
    (
        "direct POST in UTF-16",
        ("POST", "", DIRECT + "; charset=UTF-16", "ASK {}".encode("utf-16")),
        UnsupportedMediaType,
    ),
    ("direct POST not UTF-8", ("POST", "", DIRECT, b"ASK { \xff }"), BadRequest),
    ("form not UTF-8", ("POST", "", FORM, b"query=ASK%FF"), BadRequest),
    ("POST form without query", ("POST", "", FORM, b"format=json"), BadRequest),
    ("empty query", ("GET", "query=%20%20"), BadRequest),
    ("body over the limit", ("POST", "", DIRECT, b"ASK {}" + b" " * 1000), PayloadTooLarge),
    ("query over the length limit", ("GET", "query=" + "A" * 201), PayloadTooLarge),
    ("update in URL", ("GET", "update=CLEAR%20ALL"), ReadOnly),
    ("update in form", ("POST", "", FORM, b"update=CLEAR+ALL"), ReadOnly),
    ("sparql-update body", ("POST", "", "application/sparql-update", b"CLEAR ALL"), ReadOnly),
    ("using-graph-uri", ("POST", "using-graph-uri=" + G1, DIRECT, b"ASK {}"), ReadOnly),
    ("relative default graph", ("GET", "query=ASK%7B%7D&default-graph-uri=data0"), BadRequest),
    ("IRI with a space", ("GET", "query=ASK%7B%7D&named-graph-uri=http%3A%2F%2Fa%20b"), BadRequest),
    ("conflicting formats", ("GET", "query=ASK%7B%7D&format=json&output=xml"), BadRequest),
    ("timeout not a number", ("GET", "query=ASK%7B%7D&timeout=soon"), BadRequest),
    ("timeout negative", ("GET", "query=ASK%7B%7D&timeout=-1"), BadRequest),
    ("timeout twice", ("GET", "query=ASK%7B%7D&timeout=1&timeout=2"), BadRequest),
]


@pytest.mark.parametrize(("args", "error"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_refused(args: tuple, error: type[GcmKgError]) -> None:  # type: ignore[type-arg]
    with pytest.raises(error) as info:
        parse(*args)
    assert type(info.value) is error


def test_refusals_carry_their_status() -> None:
    statuses = {}
    for name, args, _ in REFUSED:
        try:
            parse(*args)
        except GcmKgError as exc:
            statuses[name] = exc.status
    assert statuses["PUT"] == 405
    assert statuses["POST as text/plain"] == 415
    assert statuses["body over the limit"] == 413
    assert statuses["update in URL"] == 403
    assert statuses["query twice"] == 400


def test_update_refusal_says_why() -> None:
    with pytest.raises(ReadOnly, match="answers queries only"):
        parse("GET", "update=CLEAR%20ALL")


def test_media_type_splits_parameters() -> None:
    assert media_type('Application/SPARQL-Query; Charset="utf-8"') == (
        "application/sparql-query",
        {"charset": "utf-8"},
    )
    assert media_type(None) == ("", {})


def test_dataset_flag() -> None:
    assert not ParsedRequest("ASK {}").has_dataset
    assert ParsedRequest("ASK {}", named_graphs=("http://ex.org/g",)).has_dataset
