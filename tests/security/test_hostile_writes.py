"""Hostile writes against the curator endpoints (``/curate``, ``/graphs``, ``/update``): no
authority, the wrong authority, and, with a valid token, bodies that lie, bomb, reach out or nest
too deep. Each gets its status, never a 500, nothing internal, the store unchanged, and the
loopback listener named by the bodies hears nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest

from gcm_kg import formats
from gcm_kg.config import Settings
from gcm_kg.web.app import executor
from gcm_kg.writes import auth
from tests.helpers import Listener
from tests.security.cases import Case, hostile_docs, laughs
from tests.security.hostile import leaks, snapshot
from tests.security.served import Served, disk_store, production_app

TURTLE = "text/turtle"
UPDATE = "application/sparql-update"
GRAPH = "https://w3id.org/gcm-kg/id/graph/hostile"
TRIPLE = b"<https://w3id.org/gcm-kg/id/pledge/x> <http://www.w3.org/2000/01/rdf-schema#label> 'x' ."
EAR = Listener()  # one listener for the module: every body names its port


@pytest.fixture(scope="module", autouse=True)
def _ear() -> Iterator[None]:
    yield
    EAR.close()


@dataclass(frozen=True)
class Tokens:
    both: str  # update and curate
    curate: str  # curate only


@pytest.fixture(scope="module")
def tokens_settings(
    settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Settings, Tokens]:
    tmp = tmp_path_factory.mktemp("writes")
    chosen = replace(settings, curator_tokens=tmp / "tokens", audit_log=tmp / "audit.log")
    tokens = Tokens(
        auth.add_token(chosen.curator_tokens, "ana"),
        auth.add_token(chosen.curator_tokens, "cleo", ("curate",)),
    )
    return chosen, tokens


@pytest.fixture(scope="module")
def writable(
    tokens_settings: tuple[Settings, Tokens],
    nquads: bytes,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Served]:
    chosen, _ = tokens_settings
    store = disk_store(nquads, tmp_path_factory.mktemp("writes-store"))
    app = production_app(chosen, store)
    yield Served(app, store, "oxigraph")
    executor(app).close()
    store.close()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Accept": "application/json"}


def _cases(t: Tokens) -> list[Case]:
    put = f"/graphs?graph={GRAPH}"
    both, cleo = bearer(t.both), bearer(t.curate)
    cases = [
        # -- writes without authority
        Case(
            "curate without a token",
            "POST",
            "/curate",
            401,
            {"Content-Type": TURTLE},
            TRIPLE,
            "needs a curator token",
        ),
        Case(
            "curate with an unknown token",
            "POST",
            "/curate",
            401,
            {"Content-Type": TURTLE, "Authorization": "Bearer nope"},
            TRIPLE,
            "not valid",
        ),
        Case(
            "curate with Basic credentials",
            "POST",
            "/curate",
            401,
            {"Content-Type": TURTLE, "Authorization": "Basic YTpi"},
            TRIPLE,
        ),
        Case(
            "curate with the token in the URL",
            "POST",
            f"/curate?token={t.both}",
            401,
            {"Content-Type": TURTLE},
            TRIPLE,
        ),
        Case(
            "curate with a huge token",
            "POST",
            "/curate",
            401,
            {"Content-Type": TURTLE, "Authorization": "Bearer " + "a" * 8000},
            TRIPLE,
        ),
        Case("retract without a token", "DELETE", "/curate/20261123t120000z-0a1b2c3d", 401),
        Case("graph PUT without a token", "PUT", put, 401, {"Content-Type": TURTLE}, TRIPLE),
        Case(
            "graph DELETE without a token",
            "DELETE",
            "/graphs?graph=https://w3id.org/gcm-kg/id/graph/ontology",
            401,
        ),
        Case(
            "update without a token", "POST", "/update", 401, {"Content-Type": UPDATE}, b"DROP ALL"
        ),
        Case(
            "update with a curate-only token",
            "POST",
            "/update",
            403,
            {"Content-Type": UPDATE} | cleo,
            b"DROP ALL",
            "does not have the 'update' right",
        ),
        Case(
            "graph PUT with a curate-only token",
            "PUT",
            put,
            403,
            {"Content-Type": TURTLE} | cleo,
            TRIPLE,
            "does not have the 'update' right",
        ),
        # -- bodies that lie about their type, or carry nothing readable
        Case(
            "Turtle label on an entity bomb",
            "POST",
            "/curate",
            400,
            {"Content-Type": TURTLE} | both,
            laughs(5).encode(),
            "Unreadable RDF",
        ),
        Case(
            "JSON-LD label on Turtle",
            "POST",
            "/curate",
            400,
            {"Content-Type": "application/ld+json"} | both,
            TRIPLE,
            "not JSON",
        ),
        Case("no Content-Type", "POST", "/curate", 415, both, TRIPLE),
        Case(
            "SPARQL Update label on RDF",
            "POST",
            "/curate",
            415,
            {"Content-Type": UPDATE} | both,
            TRIPLE,
        ),
        Case(
            "body over the limit",
            "POST",
            "/curate",
            413,
            {"Content-Type": TURTLE} | both,
            b"#" * 1_000_001,
        ),
        Case(
            "graph PUT of an entity bomb",
            "PUT",
            put,
            400,
            {"Content-Type": "application/rdf+xml"} | both,
            laughs(5).encode(),
            "DOCTYPE",
        ),
        Case(
            "multipart part with an entity bomb",
            "POST",
            "/graphs",
            400,
            {"Content-Type": "multipart/form-data; boundary=b"} | both,
            b"--b\r\nContent-Disposition: form-data; name=f; filename=x.rdf\r\n"
            b"Content-Type: application/rdf+xml\r\n\r\n" + laughs(5).encode() + b"\r\n--b--\r\n",
            "DOCTYPE",
        ),
        # -- updates that would reach out or crash the parsers
        Case(
            "update LOAD",
            "POST",
            "/update",
            400,
            {"Content-Type": UPDATE} | both,
            f"LOAD <{EAR.url}/x>".encode(),
            "LOAD is refused",
        ),
        Case(
            "update with SERVICE",
            "POST",
            "/update",
            400,
            {"Content-Type": UPDATE} | both,
            f"INSERT {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{EAR.url}/> {{ ?s ?p ?o }} }}".encode(),
            "SERVICE is refused",
        ),
        Case(
            "update nested 3,000 groups",
            "POST",
            "/update",
            400,
            {"Content-Type": UPDATE} | both,
            ("INSERT DATA { GRAPH <urn:g> " + "{" * 3000 + "}" * 3000 + " }").encode(),
            "levels deep",
        ),
        Case(
            "update nested 3,000 parentheses",
            "POST",
            "/update",
            400,
            {"Content-Type": UPDATE} | both,
            ("DELETE WHERE { ?s ?p " + "(" * 3000 + "1" + ")" * 3000 + " }").encode(),
            "levels deep",
        ),
    ]
    # every hostile document of the readers, submitted by a curator holding every right
    for d in hostile_docs(EAR.url):
        if len(d.data) <= Settings().max_body:
            ctype = {"Content-Type": formats.BY_NAME[d.format].media_type}
            cases.append(
                Case(f"curate: {d.id}", "POST", "/curate", 400, ctype | both, d.data, d.says)
            )
    return cases


CASE_IDS = [c.id for c in _cases(Tokens("t", "t"))]


@pytest.mark.parametrize("id", CASE_IDS)
def test_hostile_write(writable: Served, tokens_settings: tuple[Settings, Tokens], id: str) -> None:
    case = next(c for c in _cases(tokens_settings[1]) if c.id == id)
    before = snapshot(writable.store)
    resp = writable.app.test_client().open(
        case.path, method=case.method, headers=case.headers, data=case.body
    )
    body = resp.get_data(as_text=True)
    assert resp.status_code == case.status, body[:300]
    assert not leaks(body, case.path + (case.body or b"").decode("utf-8", "replace"))
    assert case.contains in body
    assert snapshot(writable.store) == before
    assert EAR.hits == 0


def test_there_are_enough_write_cases() -> None:
    assert len(CASE_IDS) >= 30 and len(set(CASE_IDS)) == len(CASE_IDS)
