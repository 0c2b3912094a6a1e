"""Hostile curators (issue 12, items 4, 6, 7, 8, 9): writes too big to validate, writes that
would speak for official resources or for the server, graph names that pass for others, tokens
in URLs. Each case, sent with a valid token: its status, never a 500, nothing internal, the
store unchanged, the message naming what was refused."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from gcm_kg.config import Settings
from gcm_kg.store import Store, open_store
from gcm_kg.web.app import executor
from gcm_kg.writes import audit, auth, submissions
from tests.curate.helpers import pledge_ttl
from tests.helpers import turtle_triples
from tests.security.cases import Case
from tests.security.hostile import leaks, snapshot
from tests.security.served import Served, disk_store, production_app

TURTLE = "text/turtle"
UPDATE = "application/sparql-update"
ID = "https://w3id.org/gcm-kg/id/"
OBJ = f"<{ID}objective/20>"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
MAX_TRIPLES, MAX_LIST = 200, 50


@dataclass(frozen=True)
class Tokens:
    ana: str  # curate and update
    bo: str  # curate only
    root: str  # curate and admin


@pytest.fixture(scope="module")
def trust_settings(
    settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Settings, Tokens]:
    tmp = tmp_path_factory.mktemp("trust")
    chosen = replace(
        settings,
        curator_tokens=tmp / "tokens",
        audit_log=tmp / "audit.log",
        max_write_triples=MAX_TRIPLES,
        max_list_length=MAX_LIST,
        public_url="https://gcm.example.org/",
    )
    path = chosen.curator_tokens
    tokens = Tokens(
        auth.add_token(path, "ana"),
        auth.add_token(path, "bo", ("curate",)),
        auth.add_token(path, "root", ("curate", "admin")),
    )
    return chosen, tokens


@pytest.fixture(scope="module")
def app(
    trust_settings: tuple[Settings, Tokens],
    nquads: bytes,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Served]:
    store = disk_store(nquads, tmp_path_factory.mktemp("trust-store"))
    # these cases are about trust, not time: a busy machine must not turn a 413 into a 503
    served = production_app(trust_settings[0], store, query_timeout=30.0)
    yield Served(served, store, "oxigraph")
    executor(served).close()
    store.close()


def bearer(token: str, ctype: str = TURTLE) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Accept": "application/json", "Content-Type": ctype}


def turtle_list(n: int) -> bytes:
    items = " ".join(f'"m{i}"' for i in range(n))
    return f"<https://example.org/l> <https://example.org/p> ( {items} ) .".encode()


def many_triples(n: int) -> bytes:
    return "\n".join(
        f'<https://example.org/t{i}> <https://example.org/p> "{i}" .' for i in range(n)
    ).encode()


def _cases(t: Tokens) -> list[Case]:
    ana, bo = bearer(t.ana), bearer(t.bo)
    put = "/graphs?graph=https://example.org/g"
    return [
        # -- item 4: sizes refused before anything validates them
        Case("curate: a list over the cap", "POST", "/curate", 413, ana,
             turtle_list(MAX_LIST + 1), "GCM_KG_MAX_LIST_LENGTH"),
        Case("curate: triples over the cap", "POST", "/curate", 413, ana,
             many_triples(MAX_TRIPLES + 1), "GCM_KG_MAX_WRITE_TRIPLES"),
        Case("graph PUT: a list over the cap", "PUT", put, 413, ana,
             turtle_list(MAX_LIST + 1), "GCM_KG_MAX_LIST_LENGTH"),
        Case("update: adds triples over the cap", "POST", "/update", 413, bearer(t.ana, UPDATE),
             b"INSERT DATA { GRAPH <https://example.org/u> { "
             + b" ".join(f"<https://example.org/s> <https://example.org/p> {i} .".encode()
                         for i in range(MAX_TRIPLES + 1)) + b" } }",
             "GCM_KG_MAX_WRITE_TRIPLES"),
        # -- item 6: official resources and the server's records are not a curator's to write
        Case("curate: a label on objective 20", "POST", "/curate", 422, bo,
             f'{OBJ} <{RDFS}label> "Hijacked"@en .'.encode(), "official resource"),
        Case("curate: a title on objective 20", "POST", "/curate", 422, bo,
             f'{OBJ} <http://purl.org/dc/terms/title> "Hijacked"@en .'.encode(),
             "official resource"),
        Case("curate: a type on objective 20", "POST", "/curate", 422, bo,
             f"{OBJ} a <https://w3id.org/gcm-kg/ontology#Pledge> .".encode(), "official resource"),
        Case("curate: provenance on objective 20", "POST", "/curate", 422, bo,
             f"{OBJ} <http://www.w3.org/ns/prov#wasDerivedFrom> <https://evil.example/> .".encode(),
             "official resource"),
        Case("curate: provenance about a source graph", "POST", "/curate", 422, bo,
             f"<{ID}graph/provenance> <http://www.w3.org/ns/prov#wasAttributedTo> "
             "<https://evil.example/mallory> .".encode(), "described by the server only"),
        Case("curate: a record about another submission", "POST", "/curate", 422, bo,
             f"<{ID}submission/20261123t120000z-0a1b2c3d> "
             f"<https://w3id.org/gcm-kg/ontology#submittedBy> <{ID}curator/mallory> .".encode(),
             "described by the server only"),
        Case("curate: the record vocabulary on a new resource", "POST", "/curate", 422, bo,
             b"<https://example.org/x> <https://w3id.org/gcm-kg/ontology#submittedBy> "
             b"<https://example.org/mallory> .", "written by the server only"),
        Case("graph PUT: a label on objective 20", "PUT", put, 422, ana,
             f'{OBJ} <{RDFS}label> "Hijacked"@en .'.encode(), "official resource"),
        Case("update: a label on objective 20", "POST", "/update", 422, bearer(t.ana, UPDATE),
             f'INSERT DATA {{ GRAPH <https://example.org/u> {{ {OBJ} <{RDFS}label> "H" }} }}'
             .encode(), "official resource"),
        # -- item 8: credentials in the URL
        Case("curate: the token as access_token", "POST", f"/curate?access_token={t.ana}", 401,
             {"Content-Type": TURTLE}, b"<https://example.org/x> <https://example.org/p> 1 .",
             "never accepted in the URL"),
        Case("sparql: a token in the URL", "GET", "/sparql?query=ASK%7B%7D&token=abc", 401,
             {"Accept": "application/json"}, None, "never accepted in the URL"),
        # -- item 9: names that pass for others, patterns that accepted a trailing newline
        Case("graph PUT: an upper-case scheme", "PUT",
             "/graphs?graph=HTTPS://w3id.org/gcm-kg/id/graph/provenance", 400, ana,
             b"<https://example.org/x> <https://example.org/p> 1 .", "lower case"),
        Case("graph PUT: an upper-case host", "PUT",
             "/graphs?graph=https://W3ID.org/gcm-kg/id/graph/provenance", 400, ana,
             b"<https://example.org/x> <https://example.org/p> 1 .", "lower case"),
        Case("graph PUT: a graph IRI ending in a newline", "PUT",
             "/graphs?graph=https://example.org/g%0A", 400, ana,
             b"<https://example.org/x> <https://example.org/p> 1 .", "not an absolute IRI"),
        Case("update: an upper-case scheme", "POST", "/update", 400, bearer(t.ana, UPDATE),
             b"INSERT DATA { GRAPH <HTTPS://example.org/u> { <https://example.org/s> "
             b"<https://example.org/p> 1 } }", "lower case"),
        Case("retract: an id ending in a newline", "DELETE",
             "/curate/20261123t120000z-0a1b2c3d%0A", 404, ana),
        Case("resource path ending in a newline", "GET", "/id/objective/20%0A", 404,
             {"Accept": "application/json"}),
    ]  # fmt: skip


CASE_IDS = [c.id for c in _cases(Tokens("t", "t", "t"))]


@pytest.mark.parametrize("id", CASE_IDS)
def test_hostile_curator(app: Served, trust_settings: tuple[Settings, Tokens], id: str) -> None:
    case = next(c for c in _cases(trust_settings[1]) if c.id == id)
    before = snapshot(app.store)
    resp = app.app.test_client().open(
        case.path, method=case.method, headers=case.headers, data=case.body
    )
    body = resp.get_data(as_text=True)
    assert resp.status_code == case.status, body[:300]
    assert not leaks(body, case.path + (case.body or b"").decode("utf-8", "replace"))
    assert case.contains in body
    assert snapshot(app.store) == before


def test_there_are_enough_cases() -> None:
    assert len(CASE_IDS) >= 20 and len(set(CASE_IDS)) == len(CASE_IDS)


# -- item 4: validation limits, and the write lock held only to commit


def test_a_validation_past_its_time_limit_is_stopped(
    app: Served, trust_settings: tuple[Settings, Tokens]
) -> None:
    app.app.extensions["gcm_kg"].settings = replace(trust_settings[0], write_timeout=0.001)
    try:
        before = snapshot(app.store)
        resp = app.app.test_client().post(
            "/curate", data=pledge_ttl("slow"), headers=bearer(trust_settings[1].ana)
        )
    finally:
        app.app.extensions["gcm_kg"].settings = trust_settings[0]
    assert resp.status_code == 503, resp.get_data(as_text=True)
    assert "GCM_KG_WRITE_TIMEOUT" in resp.json["detail"]
    assert snapshot(app.store) == before


def test_a_validation_past_its_memory_limit_is_stopped(
    app: Served, trust_settings: tuple[Settings, Tokens]
) -> None:
    app.app.extensions["gcm_kg"].settings = replace(
        trust_settings[0], write_memory_mb=1, max_write_triples=5000
    )
    try:
        before = snapshot(app.store)
        resp = app.app.test_client().post(
            "/curate", data=many_triples(2000), headers=bearer(trust_settings[1].ana)
        )
    finally:
        app.app.extensions["gcm_kg"].settings = trust_settings[0]
    assert resp.status_code == 503, resp.get_data(as_text=True)
    assert "GCM_KG_WRITE_MEMORY_MB" in resp.json["detail"]
    assert snapshot(app.store) == before


class _Report:
    conforms = True

    def warnings(self) -> list[str]:
        return []

    def to_json(self) -> dict[str, object]:
        return {}


def test_another_write_commits_while_one_is_being_validated(
    fresh_store: Store, tmp_path: Path
) -> None:
    """The slow write's validation waits on an event the other write's commit sets: with the
    lock held during validation this would deadlock (the bounded wait fails the test)."""
    from rdflib import Graph

    log = tmp_path / "audit.log"
    committed, calls = threading.Event(), []

    def slow(data: Graph, store: Store) -> _Report:
        calls.append(1)
        if len(calls) == 1:
            assert committed.wait(30), "the other write could not commit meanwhile"
        return _Report()

    def graph(slug: str) -> list[ox.Triple]:
        return turtle_triples(pledge_ttl(slug))

    result: list[object] = []
    t = threading.Thread(
        target=lambda: result.append(
            submissions.submit(
                fresh_store, graph("a"), curator="ana", validator=slow, audit_log=log
            )
        )
    )
    t.start()
    while not calls and t.is_alive():  # bounded: the thread ends, or calls the validator
        t.join(0.01)
    submissions.submit(
        fresh_store, graph("b"), curator="bo", validator=lambda d, s: _Report(), audit_log=log
    )
    committed.set()
    t.join(60)
    assert result, "the slow write did not finish"
    # the store moved while it was validated: it was validated again before it committed
    assert len(calls) == 2
    assert {e["curator"] for e in audit.read(log) if e["outcome"] == "accepted"} == {"ana", "bo"}


@pytest.fixture
def fresh_store(nquads: bytes) -> Iterator[Store]:
    store = open_store("oxigraph:")
    store.replace_all(nquads)
    yield store
    store.close()


# -- item 6: at read time, official values win and provenance is the server's own


@pytest.fixture
def forged(nquads: bytes) -> Iterator[Store]:
    """A store where a curator graph says what the write path now refuses (an older store)."""
    store = open_store("oxigraph:")
    store.replace_all(nquads)
    g = "https://example.org/mallory"
    store.update(
        f"""INSERT DATA {{ GRAPH <{g}> {{
        {OBJ} <{RDFS}label> "Hijacked"@en ; <http://purl.org/dc/terms/title> "Hijacked"@en .
        <{g}> <http://www.w3.org/ns/prov#wasDerivedFrom> <{ID}document/forged> .
        <{ID}document/forged> <{RDFS}label> "Forged source" . }} }}"""
    )
    yield store
    store.close()


def test_a_forged_label_never_becomes_the_title(settings: Settings, forged: Store) -> None:
    client = production_app(settings, forged, query_processes=0).test_client()
    page = client.get("/id/objective/20", headers={"Accept": "text/html"}).get_data(as_text=True)
    api = client.get("/api/objectives/20", headers={"Accept": "application/ld+json"}).get_json()
    assert "Hijacked" not in page
    assert isinstance(api["title"], str) and "Hijacked" not in api["title"]


@pytest.mark.parametrize("path", ["/", "/browse/objectives", "/id/round-table/3"])
def test_a_forged_label_never_names_an_official_resource_in_lists(
    settings: Settings, forged: Store, path: str
) -> None:
    client = production_app(settings, forged, query_processes=0).test_client()
    resp = client.get(path, headers={"Accept": "text/html"})
    assert resp.status_code == 200
    assert "Hijacked" not in resp.get_data(as_text=True)


def test_forged_provenance_is_not_shown(settings: Settings, forged: Store) -> None:
    client = production_app(settings, forged, query_processes=0).test_client()
    page = client.get("/id/objective/20", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Forged source" not in page
    assert "curator graph https://example.org/mallory" in page  # attributed as what it is


# -- item 5: links and headers


def test_javascript_iris_from_curators_are_no_links(
    app: Served, trust_settings: tuple[Settings, Tokens]
) -> None:
    body = pledge_ttl("js").replace(
        "prov:wasDerivedFrom <https://example.org/pledges/js>",
        "prov:wasDerivedFrom <https://example.org/pledges/js> ;\n"
        "    <http://xmlns.com/foaf/0.1/homepage> <javascript:alert(1)> ;\n"
        '    gcm:sourceURL "JavaScript:alert(2)"^^<http://www.w3.org/2001/XMLSchema#anyURI>',
    )
    client = app.app.test_client()
    resp = client.post("/curate", data=body, headers=bearer(trust_settings[1].bo))
    assert resp.status_code == 201, resp.get_data(as_text=True)
    page = client.get("/id/pledge/js", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "javascript:alert(1)" in page  # shown as text
    assert not re.search(r"href=\"\s*javascript:", page, re.IGNORECASE)


@pytest.mark.parametrize(
    "path", ["/", "/id/objective/20", "/sparql", "/queries", "/dataset", "/stats", "/nowhere"]
)
def test_every_html_response_sends_the_security_headers(app: Served, path: str) -> None:
    resp = app.app.test_client().get(path, headers={"Accept": "text/html"})
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["Referrer-Policy"]
    html = resp.get_data(as_text=True)
    for tag in re.findall(r"<script\b[^>]*>", html):  # no inline script the CSP would run
        assert "src=" in tag or 'type="application/json"' in tag, tag


# -- item 7: curator identity and ownership


@pytest.mark.parametrize(("first", "second"), [("ana.x", "ana-x"), ("Ana", "ana"), ("a_b", "a@b")])
def test_a_name_colliding_once_normalised_is_refused(
    tmp_path: Path, first: str, second: str
) -> None:
    path = tmp_path / "tokens"
    auth.add_token(path, first)
    with pytest.raises(auth.GcmKgError, match="collides with"):
        auth.add_token(path, second)
    assert [c.name for c in auth.read_tokens(path)] == [first]


def test_the_tokens_loader_refuses_a_later_colliding_entry(tmp_path: Path) -> None:
    path = tmp_path / "tokens"
    path.write_text(
        f"ana-x\t{auth.digest('one')}\tcurate\t2026-01-01T00:00:00Z\n"
        f"ana.x\t{auth.digest('two')}\tcurate,admin\t2026-01-02T00:00:00Z\n",
        encoding="utf-8",
    )
    assert [c.name for c in auth.read_tokens(path)] == ["ana-x"]
    with pytest.raises(auth.Unauthorized):
        auth.authenticate(path, "Bearer two", "curate")


def test_only_the_submitter_or_an_admin_retracts(
    app: Served, trust_settings: tuple[Settings, Tokens]
) -> None:
    settings, t = trust_settings
    client = app.app.test_client()
    made = client.post("/curate", data=pledge_ttl("owned"), headers=bearer(t.ana))
    assert made.status_code == 201, made.get_data(as_text=True)
    ident = made.json["submission"]
    before = snapshot(app.store)
    refused = client.delete(f"/curate/{ident}", headers=bearer(t.bo))
    assert refused.status_code == 403 and "only its submitter" in refused.json["detail"]
    assert snapshot(app.store) == before
    last = audit.read(settings.audit_log)[-1]
    assert (last["curator"], last["outcome"], last["status"]) == ("bo", "rejected", 403)
    assert client.delete(f"/curate/{ident}", headers=bearer(t.root)).status_code == 204


# -- item 8: the audit log


def test_audit_fields_are_bounded(app: Served, trust_settings: tuple[Settings, Tokens]) -> None:
    settings, t = trust_settings
    long = "/graphs?graph=https://example.org/" + "a" * 15_000
    resp = app.app.test_client().put(long, data=b"x", headers=bearer(t.bo))
    assert resp.status_code == 403  # bo may not write graphs
    line = settings.audit_log.read_text(encoding="utf-8").splitlines()[-1]
    assert len(line) < 1_000
    assert audit.read(settings.audit_log)[-1]["url"].endswith("[cut]")


def test_a_token_in_the_url_is_neither_echoed_nor_stored(
    app: Served, trust_settings: tuple[Settings, Tokens]
) -> None:
    settings, t = trust_settings
    before = audit.counters().get("credentials-in-url", 0)
    resp = app.app.test_client().post(
        f"/curate?access_token={t.ana}", data=pledge_ttl("url"), headers={"Content-Type": TURTLE}
    )
    assert resp.status_code == 401
    assert t.ana not in resp.get_data(as_text=True)
    assert t.ana not in settings.audit_log.read_text(encoding="utf-8")
    assert audit.counters()["credentials-in-url"] == before + 1


def test_unauthenticated_attempts_are_counted_not_logged(
    app: Served, trust_settings: tuple[Settings, Tokens]
) -> None:
    settings, _ = trust_settings
    client = app.app.test_client()
    lines = settings.audit_log.read_text(encoding="utf-8") if settings.audit_log.exists() else ""
    counted = client.get("/status").json["notLogged"].get("unauthenticated", 0)
    for _ in range(5):
        assert client.post("/curate?x=" + "a" * 10_000, data=b"x").status_code == 401
    after = settings.audit_log.read_text(encoding="utf-8") if settings.audit_log.exists() else ""
    assert after == lines
    assert client.get("/status").json["notLogged"]["unauthenticated"] == counted + 5


# -- item 9: links are written from the configured public URL, never the Host header


def test_the_host_header_is_not_reflected(app: Served) -> None:
    client = app.app.test_client()
    resp = client.get(
        "/api/objectives?per_page=5",
        headers={"Host": "evil.example", "Accept": "application/ld+json"},
    )
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "evil.example" not in body
    assert resp.json["view"]["next"].startswith("https://gcm.example.org/api/objectives?")
    doc = client.get("/openapi.json", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in doc


def test_a_direct_graph_iri_comes_from_the_public_url(
    app: Served, trust_settings: tuple[Settings, Tokens]
) -> None:
    body = b"<https://example.org/d> <https://example.org/p> 1 ."
    resp = app.app.test_client().put(
        "/graphs/direct-one", data=body, headers=bearer(trust_settings[1].ana) | {"Host": "evil"}
    )
    assert resp.status_code == 201, resp.get_data(as_text=True)
    assert resp.headers["Location"] == "https://gcm.example.org/graphs/direct-one"


# -- item 4: how a list is measured

FIRST = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#first>"
REST = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>"


@pytest.mark.parametrize(
    ("turtle", "longest"),
    [
        ("<urn:s> <urn:p> (1 2 3) , (4 5) .", 3),
        ("<urn:s> <urn:p> () .", 0),
        ("<urn:s> <urn:p> 1 .", 0),
        # a hand-written cycle: each member counted once, never walked for ever
        (f"_:a {FIRST} 1 ; {REST} _:b . _:b {FIRST} 2 ; {REST} _:a .", 2),
    ],
)
def test_the_longest_list_is_measured(turtle: str, longest: int) -> None:
    import pyoxigraph as ox

    from gcm_kg.writes.limits import longest_list

    triples = list(ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE))
    assert longest_list(triples) == longest
