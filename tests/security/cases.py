"""The tables of hostile inputs the security tests share: requests (``CASES``, sent by
test_hostile.py through the Flask client and by test_limits_server.py through a real server; their
``Case`` also shapes the write and trust tables) and RDF documents (``hostile_docs``, read by
test_hostile_documents.py and posted by test_hostile_writes.py). A table, not a test module: test
modules import it, never each other."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from werkzeug.test import TestResponse

BOTH = ("oxigraph", "memory")
OXIGRAPH = ("oxigraph",)
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
OBJ20 = "https://w3id.org/gcm-kg/id/objective/20"
LISTENER = "http://127.0.0.1:9"  # nothing listens there; test_outbound.py listens for real
#: a blocking ORDER BY over a cartesian product that holds no rows: bounded by time alone
RUNAWAY = (
    "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
    "FILTER(STRLEN(CONCAT(STR(?c), STR(?f), STR(?i))) < 0) } ORDER BY ?i ?f ?c"
)
#: the same, keeping every row to sort: bounded by memory first (about 300 MB a second)
MEMORY_HOG = "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?i ?f ?c"
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="http://ex.org/s"><rdf:value>&lol9;</rdf:value>'
    "</rdf:Description></rdf:RDF>"
).encode()


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    contains: str = ""  # the message must say this
    engines: tuple[str, ...] = BOTH
    check: Callable[[TestResponse], None] | None = None


def q(**params: str) -> str:
    return urlencode(params, quote_via=quote)


def sparql_get(id: str, query: str, status: int, contains: str = "", **kw: object) -> Case:
    return Case(id, "GET", "/sparql?" + q(query=query), status, contains=contains, **kw)  # type: ignore[arg-type]


def sparql_post(
    id: str, body: bytes | str, ctype: str, status: int, contains: str = "", **kw: object
) -> Case:
    data = body.encode() if isinstance(body, str) else body
    headers = {"Content-Type": ctype, "Accept": JSON} | kw.pop("headers", {})  # type: ignore[operator]
    return Case(id, "POST", "/sparql", status, headers, data, contains, **kw)  # type: ignore[arg-type]


def named(id: str, name: str, params: str, status: int, contains: str = "") -> Case:
    return Case(id, "GET", f"/queries/{name}?{params}", status, contains=contains)


def _no_cookie(resp: TestResponse) -> None:
    assert "Set-Cookie" not in resp.headers


def _escaped(resp: TestResponse) -> None:
    assert b"<script>alert" not in resp.data


def _truncated(resp: TestResponse) -> None:
    assert resp.headers["Results-Truncated"] == "true"
    assert resp.headers["Results-Limit"] == "10000"


def _fast(resp: TestResponse) -> None:
    assert resp.mimetype == "application/sparql-results+json"


CASES = [
    # -- injection through named-query parameters: values are checked, then bound as RDF terms
    named("string closes the literal", "cq08-paragraph-kinds", q(kind='" } ; DROP ALL ; #'), 200),
    # Oxigraph binds by writing the terms into the query, where \\u escapes would be expanded
    # before tokenizing: such values are refused; rdflib binds terms without any text
    Case(
        "string with an escape, Oxigraph",
        "GET",
        "/queries/cq08-paragraph-kinds?" + q(kind="\\u0022 } DROP ALL #"),
        400,
        contains="\\\\u",
        engines=OXIGRAPH,
    ),
    Case(
        "string with an escape, rdflib",
        "GET",
        "/queries/cq08-paragraph-kinds?" + q(kind="\\u0022 } DROP ALL #"),
        200,
        engines=("memory",),
    ),
    named(
        "string over 500 characters",
        "cq08-paragraph-kinds",
        q(kind="x" * 501),
        400,
        "longer than 500",
    ),
    named(
        "iri closes the IRI",
        "cq10-provenance",
        q(resource="http://x/> } } DROP ALL #"),
        400,
        "not an absolute",
    ),
    named(
        "iri with a newline",
        "cq10-provenance",
        q(resource="http://x/\n> ?p ?o"),
        400,
        "not an absolute",
    ),
    named(
        "iri file scheme",
        "cq10-provenance",
        q(resource="file:///etc/passwd"),
        400,
        "not an absolute",
    ),
    named(
        "iri javascript scheme",
        "cq10-provenance",
        q(resource="javascript:alert(1)"),
        400,
        "not an absolute",
    ),
    named(
        "iri over 2000 characters",
        "cq10-provenance",
        q(resource="http://x/" + "a" * 2000),
        400,
        "longer than 2000",
    ),
    named(
        "actor closes the IRI",
        "cq07-actor-pledges",
        q(actor="mex> } ; DROP ALL"),
        400,
        "not a slug",
    ),
    named("actor with a NUL", "cq07-actor-pledges", "actor=m%00x", 400, "not a slug"),
    named(
        "integer with a union",
        "cq01-round-table-objectives",
        q(roundTable="1 } UNION { ?s ?p ?o"),
        400,
        "not an integer",
    ),
    named(
        "integer out of range",
        "cq01-round-table-objectives",
        q(roundTable="99"),
        400,
        "outside 1..4",
    ),
    named(
        "integer in fullwidth digits",
        "cq01-round-table-objectives",
        q(roundTable="\uff12"),
        400,
        "not an integer",
    ),
    named(
        "a query smuggled as a parameter",
        "cq06-objective-coverage",
        q(query="DROP ALL"),
        400,
        "unknown parameter",
    ),
    named(
        "a parameter given twice",
        "cq01-round-table-objectives",
        "roundTable=1&roundTable=2",
        400,
        "twice",
    ),
    named(
        "timeout not a number", "cq06-objective-coverage", q(timeout="nan"), 400, "positive number"
    ),
    named(
        "timeout infinite", "cq06-objective-coverage", q(timeout="1e999"), 400, "positive number"
    ),
    named("format naming a file", "cq06-objective-coverage", q(format="../../etc/passwd"), 406),
    Case(
        "query name is a dot-dot",
        "GET",
        "/queries/..",
        404,
        {"Accept": JSON},
        contains="no named query",
    ),
    Case("query name traverses", "GET", "/queries/..%2f..%2fpyproject", 404, {"Accept": JSON}),
    # -- path traversal and odd Unicode in /id, /api and the other paths
    Case(
        "id dot-dot",
        "GET",
        "/id/../../etc/passwd",
        404,
        {"Accept": JSON},
        contains="not a gcm-kg IRI",
    ),
    Case("id encoded dot-dot", "GET", "/id/%2e%2e/%2e%2e/etc/passwd", 404, {"Accept": JSON}),
    Case("id encoded slash", "GET", "/id/objective%2f..%2f..%2fetc", 404, {"Accept": JSON}),
    Case("id NUL", "GET", "/id/objective/2%000", 404, {"Accept": JSON}),
    Case("id fullwidth digits", "GET", "/id/objective/%EF%BC%92%EF%BC%90", 404, {"Accept": JSON}),
    Case("id right-to-left override", "GET", "/id/objective/%E2%80%AE02", 404, {"Accept": JSON}),
    Case("id lone surrogate escape", "GET", "/id/objective/%ED%A0%80", 404, {"Accept": JSON}),
    Case("id overlong UTF-8 slash", "GET", "/id/objective/%C0%AF..%C0%AF", 404, {"Accept": JSON}),
    Case("id 3,000 segments", "GET", "/id/" + "a/" * 3000 + "b", 404, {"Accept": JSON}),
    Case(
        "id header injection",
        "GET",
        "/id/objective/20%0d%0aSet-Cookie:%20x=1",
        404,
        {"Accept": JSON},
        check=_no_cookie,
    ),
    Case(
        "id script in an HTML 404",
        "GET",
        "/id/%3Cscript%3Ealert(1)%3C/script%3E",
        404,
        {"Accept": "text/html"},
        check=_escaped,
    ),
    Case("genid dot-dot", "GET", "/.well-known/genid/..%2f..%2fx", 404, {"Accept": JSON}),
    Case("api dot-dot", "GET", "/api/..%2f..%2fetc%2fpasswd", 404, {"Accept": JSON}),
    Case(
        "api fullwidth objective",
        "GET",
        "/api/objectives/%EF%BC%92%EF%BC%90",
        400,
        {"Accept": JSON},
        contains="not a whole number",
    ),
    Case(
        "api huge objective number", "GET", "/api/objectives/" + "9" * 5000, 400, {"Accept": JSON}
    ),
    Case(
        "api page past any integer",
        "GET",
        "/api/objectives?page=" + "9" * 30,
        400,
        {"Accept": JSON},
    ),
    Case(
        "api unknown parameter",
        "GET",
        "/api/objectives/20?x=%3Cscript%3E",
        400,
        {"Accept": JSON},
        contains="unknown parameter",
    ),
    Case("dataset dot-dot", "GET", "/dataset/..%2f..%2fpyproject.toml", 404, {"Accept": JSON}),
    Case("ontology dot-dot", "GET", "/ontology/..%2f..%2fpyproject.toml", 404, {"Accept": JSON}),
    Case("static dot-dot", "GET", "/static/..%2f..%2fconfig.py", 404, {"Accept": JSON}),
    # -- malformed Accept and Content-Type headers
    sparql_get("Accept with a broken q", "ASK {}", 406, headers={"Accept": "*/*;q=abc"}),
    sparql_get("Accept of 10,000 characters", "ASK {}", 406, headers={"Accept": "a" * 10_000}),
    sparql_get("Accept of commas only", "ASK {}", 406, headers={"Accept": ",,,,"}),
    sparql_get(
        "Accept refusing everything", "ASK {}", 406, headers={"Accept": "text/html;q=0, */*;q=0"}
    ),
    sparql_get(
        "Accept with an overflowing q",
        "ASK {}",
        200,
        headers={"Accept": "*/*;q=1e400"},
        check=_fast,
    ),
    Case("id Accept with a broken q", "GET", "/id/objective/20", 406, {"Accept": "*/*;q=abc"}),
    sparql_post("Content-Type latin-1", "ASK {}", f"{QUERY}; charset=latin1", 415, "UTF-8"),
    sparql_post("Content-Type parameter without value", "ASK {}", f"{QUERY};charset", 415),
    sparql_post("Content-Type missing", "ASK {}", "", 415, "needs a Content-Type"),
    sparql_post("Content-Type of JSON", '{"query": "ASK {}"}', "application/json", 415),
    sparql_post(
        "Content-Type multipart",
        "--x\r\n\r\nASK {}\r\n--x--",
        "multipart/form-data; boundary=x",
        415,
    ),
    sparql_post("Content-Type of RDF/XML", BILLION_LAUGHS, "application/rdf+xml", 415),
    # -- bodies that lie about their type
    sparql_post(
        "query body that is not UTF-8", b"\xff\xfeA\x00S\x00K\x00", QUERY, 400, "not valid UTF-8"
    ),
    sparql_post("query body that is a form", "query=ASK%7B%7D", QUERY, 400, "Query syntax error"),
    sparql_post("form body that is a query", "ASK {}", FORM, 400, "carries no query"),
    sparql_post(
        "gzip form body",
        gzip.compress(b"query=ASK%7B%7D" * 1000),
        FORM,
        400,
        headers={"Content-Encoding": "gzip"},
    ),
    sparql_post("query body of billion laughs", BILLION_LAUGHS, QUERY, 400, "Query syntax error"),
    sparql_post(
        "body over the limit", b"ASK {}" + b" " * 1_000_000, QUERY, 413, "exceeds 1000000 bytes"
    ),
    sparql_post(
        "form with the query twice", "query=ASK%7B%7D&query=ASK%7B%7D", FORM, 400, "given 2 times"
    ),
    # -- query shapes that crash or stall parsers and engines
    sparql_get("3,000 nested groups", "SELECT * WHERE " + "{" * 3000 + "}" * 3000, 400, "brackets"),
    sparql_get(
        "9,000 nested parentheses",
        "ASK { FILTER(" + "(" * 9000 + "1" + ")" * 9000 + ") }",
        400,
        "brackets",
    ),
    sparql_get(
        "400 nested parentheses",
        "ASK { FILTER(" + "(" * 400 + "1" + ")" * 400 + ") }",
        400,
        "levels deep",
    ),
    sparql_get(
        "escaped nested groups", "SELECT * WHERE " + "\\u007B" * 600 + "}" * 600, 400, "levels deep"
    ),
    sparql_get(
        "nested blank node brackets",
        "ASK { ?s ?p " + "[ <p:q> " * 40 + "1" + " ]" * 40 + " }",
        400,
        "levels deep",
    ),
    sparql_get(
        "catastrophic REGEX on a long string",
        'ASK { FILTER(REGEX("' + "a" * 15_000 + 'b", "(a+)+$")) }',
        200,
        engines=OXIGRAPH,
        check=_fast,
    ),
    sparql_get(
        "REGEX too large to compile",
        'ASK { FILTER(REGEX("aaa", "((a{100}){100}){100}")) }',
        200,
        engines=OXIGRAPH,
    ),
    sparql_get(
        "huge literal under the length limit",
        'SELECT (STRLEN("' + "x" * 19_900 + '") AS ?n) {}',
        200,
    ),
    sparql_get(
        "quoted triple as CSV",
        "SELECT ?x WHERE { BIND(<<( <urn:a> <urn:b> <urn:c> )>> AS ?x) }",
        200,
        headers={"Accept": "text/csv"},
        engines=OXIGRAPH,
    ),
    sparql_get("query over the length limit", "ASK {}" + " " * 20_000, 413, "at most 20000"),
    Case(
        "runaway product with the client's own limit",
        "GET",
        "/sparql?" + q(query=RUNAWAY, timeout="0.5"),
        503,
        contains="0.5 s limit",
        engines=OXIGRAPH,
    ),
    sparql_get(
        "result over the row limit",
        "SELECT * WHERE { ?s ?p ?o }",
        200,
        engines=OXIGRAPH,
        check=_truncated,
    ),
    # -- outbound access
    sparql_get(
        "SERVICE", f"SELECT * WHERE {{ SERVICE <{LISTENER}/> {{ ?s ?p ?o }} }}", 400, "SERVICE"
    ),
    sparql_get(
        "escaped SERVICE",
        f"SELECT * WHERE {{ \\u0053ERVICE <{LISTENER}/> {{ ?s ?p ?o }} }}",
        400,
        "SERVICE",
    ),
    sparql_get(
        "SERVICE in FILTER EXISTS",
        f"ASK {{ FILTER EXISTS {{ SERVICE <{LISTENER}/> {{ ?s ?p ?o }} }} }}",
        400,
        "SERVICE",
    ),
    sparql_get(
        "SERVICE by variable",
        "SELECT * WHERE { BIND(<http://127.0.0.1:9/> AS ?x) SERVICE ?x { ?s ?p ?o } }",
        400,
        "SERVICE",
    ),
    sparql_get(
        "remote FROM",
        f"SELECT * FROM <{LISTENER}/g.ttl> WHERE {{ ?s ?p ?o }}",
        400,
        "never fetched",
    ),
    sparql_get(
        "file FROM NAMED",
        "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
        400,
        "never fetched",
    ),
    sparql_get("LOAD", f"LOAD <{LISTENER}/g.ttl>", 403, "LOAD"),
    # -- updates on the read endpoint, writes without authority
    sparql_get(
        "INSERT DATA as a query",
        "INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> 1 } }",
        403,
        "answers queries only",
    ),
    sparql_get("DELETE WHERE as a query", "DELETE WHERE { ?s ?p ?o }", 403, "answers queries only"),
    sparql_post("update= in a form", "update=DROP%20ALL", FORM, 403, "answers queries only"),
    sparql_post(
        "sparql-update body", "CLEAR ALL", "application/sparql-update", 403, "answers queries only"
    ),
    Case("update= in the URL", "GET", "/sparql?" + q(update="DROP ALL"), 403, {"Accept": JSON}),
    Case("PUT on the endpoint", "PUT", "/sparql", 405, {"Accept": JSON}, b"DROP ALL"),
    Case("DELETE on the endpoint", "DELETE", "/sparql", 405, {"Accept": JSON}),
    Case(
        "POST to a resource",
        "POST",
        "/id/objective/20",
        405,
        {"Accept": JSON, "Content-Type": "text/turtle"},
        b"<urn:s> <urn:p> 1 .",
    ),
    Case("PUT to a collection", "PUT", "/api/objectives", 405, {"Accept": JSON}, b"[]"),
    Case(
        "POST to a named query", "POST", "/queries/cq06-objective-coverage", 405, {"Accept": JSON}
    ),
    Case("DELETE the dataset", "DELETE", "/dataset", 405, {"Accept": JSON}),
    Case("PROPFIND", "PROPFIND", "/sparql", 405, {"Accept": JSON}),
]


RDF = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
EX = "http://ex.org/"


def laughs(levels: int) -> str:
    """Nested entities: 10**levels copies of "lol" from a few hundred bytes."""
    ents = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels + 1)
    )
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [{ents}]>\n<rdf:RDF {RDF}>'
        f'<rdf:Description rdf:about="{EX}s"><rdf:value>&lol{levels};</rdf:value>'
        "</rdf:Description></rdf:RDF>"
    )


def rdfxml(inner: str, prolog: str = '<?xml version="1.0"?>\n') -> str:
    return f"{prolog}<rdf:RDF {RDF}>{inner}</rdf:RDF>"


def nested_xml(depth: int) -> str:
    inner = f'<rdf:Description rdf:about="{EX}s">'
    inner += f'<rdf:value xmlns:e="{EX}"><rdf:Description>' * depth
    inner += "</rdf:Description></rdf:value>" * depth + "</rdf:Description>"
    return rdfxml(inner)


def jsonld(context: object, **extra: object) -> str:
    return json.dumps({"@context": context, "@id": f"{EX}s", "name": "x"} | extra)


@dataclass(frozen=True)
class Doc:
    id: str
    data: bytes
    format: str  # a format name of gcm_kg.formats
    says: str  # the refusal names this


def doc(id: str, text: str | bytes, fmt: str, says: str) -> Doc:
    return Doc(id, text.encode() if isinstance(text, str) else text, fmt, says)


def hostile_docs(url: str) -> list[Doc]:
    """``url`` is a loopback listener that must hear nothing."""
    passwd = '<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    remote = f'<!DOCTYPE r [<!ENTITY e SYSTEM "{url}/entity">]>'
    body = f'<rdf:Description rdf:about="{EX}s"><rdf:value>&e;</rdf:value></rdf:Description>'
    return [
        doc("billion laughs", laughs(5), "rdfxml", "DOCTYPE"),
        doc("external entity naming a file", rdfxml(body, passwd), "rdfxml", "DOCTYPE"),
        doc("external entity naming a URL", rdfxml(body, remote), "rdfxml", "DOCTYPE"),
        doc("lower-case doctype", laughs(3).replace("DOCTYPE", "doctype"), "rdfxml", "DOCTYPE"),
        doc("DOCTYPE after a comment", rdfxml(body, "<!-- hi -->\n" + passwd), "rdfxml", "DOCTYPE"),
        doc("DOCTYPE in UTF-16", laughs(3).encode("utf-16"), "rdfxml", "DOCTYPE"),
        doc("ENTITY outside a DOCTYPE", rdfxml(body, '<!ENTITY e "x">'), "rdfxml", "ENTITY"),
        doc("XML nested 20,000 deep", nested_xml(20_000), "rdfxml", "more than 100 levels"),
        doc("remote @context", jsonld(f"{url}/ctx.jsonld"), "jsonld", "never fetched"),
        doc(
            "remote @context in an array",
            jsonld([{"a": EX}, f"{url}/c"]),
            "jsonld",
            "never fetched",
        ),
        doc("@import in a context", jsonld({"@import": f"{url}/c"}), "jsonld", "never fetched"),
        doc(
            "remote scoped context",
            jsonld({"knows": {"@id": f"{EX}knows", "@context": f"{url}/c"}}),
            "jsonld",
            "never fetched",
        ),
        doc(
            "remote context deep in the graph",
            jsonld({}, **{f"{EX}p": {"@context": f"{url}/c", "@id": f"{EX}o"}}),
            "jsonld",
            "never fetched",
        ),
        doc("relative @context", jsonld("context.jsonld"), "jsonld", "never fetched"),
        doc(
            "escaped @context key",
            jsonld({}).replace('"@context"', '"\\u0040context"').replace("{}", f'"{url}/c"', 1),
            "jsonld",
            "never fetched",
        ),
        doc(
            "JSON-LD nested 5,000 deep",
            '{"@id": "http://ex.org/s", "http://ex.org/p": '
            + '{"http://ex.org/p": ' * 5000
            + "1"
            + "}" * 5001,
            "jsonld",
            "more than 100 levels",
        ),
        doc("JSON nested 100,000 deep", "[" * 100_000 + "]" * 100_000, "jsonld", "more than 100"),
        doc("JSON-LD that is not UTF-8", b'{"@id": "\xff"}', "jsonld", "not JSON"),
    ]
