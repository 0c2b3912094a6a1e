"""Hostile curators (issue 12, items 4, 6, 7, 8, 9): writes too big to validate, writes that
would speak for official resources or for the server, graph names that pass for others, tokens
in URLs. Each case, sent with a valid token: its status, never a 500, nothing internal, the
store unchanged, the message naming what was refused."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest

from gcm_kg import audit, auth
from gcm_kg.config import Settings
from gcm_kg.web.sparql import executor
from tests.security.conftest import Served, disk_store, production_app
from tests.security.hostile import leaks, snapshot
from tests.security.test_hostile import Case

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
    served = production_app(trust_settings[0], store)
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
