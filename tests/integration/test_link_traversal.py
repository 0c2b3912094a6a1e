"""A real link-traversal client over HTTP: Comunica (from npm) starts at one objective IRI and
follows links objective → paragraph → principle, answering a question no single document
answers.

The graph is served under the live server's own URL as its base IRI (as a deployment at its own
host would be), so the IRIs Comunica finds in one document dereference at this server. Comunica
is installed with npm when it is not there yet, once per user and version in the user's cache
(``$XDG_CACHE_HOME/gcm-kg/node/``, or ``GCM_KG_TEST_NODE_DIR``), so a fresh clone does not
download it again; without npm or the registry this test fails: it is the proof that a client
nobody here wrote can follow the graph.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from gcm_kg.config import Settings
from tests.helpers import make_live_app
from tests.live_server import LiveServer

pytestmark = pytest.mark.slow

PACKAGE = "@comunica/query-sparql-link-traversal@0.5.0"
CANONICAL = "https://w3id.org/gcm-kg/"
GCM = "https://w3id.org/gcm-kg/ontology#"
OBJECTIVE = "id/objective/21"

SCRIPT = """
const { QueryEngine } = require(process.argv[1]);
const [source, query] = [process.argv[2], process.argv[3]];
const fetched = [];
const engine = new QueryEngine();
const logFetch = (input, init) => { fetched.push(String(input.url || input)); return fetch(input, init); };
engine.queryBindings(query, { sources: [source], lenient: false, fetch: logFetch })
  .then((stream) => stream.toArray())
  .then((rows) => {
    const out = rows.map((b) => Object.fromEntries([...b].map(([k, v]) => [k.value, v.value])));
    process.stdout.write(JSON.stringify({ rows: out, fetched }));
  })
  .catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(2); });
"""

QUERY = f"""
PREFIX gcm: <{GCM}>
SELECT DISTINCT ?paragraph ?principle ?letter WHERE {{
  ?paragraph gcm:addressesObjective <{{objective}}> .
  ?paragraph gcm:invokesPrinciple ?principle .
  ?principle gcm:principleLetter ?letter .
}}
"""


def _node_dir() -> Path:
    """Where this version of the engine is installed: outside the checkout, kept between runs."""
    if where := os.environ.get("GCM_KG_TEST_NODE_DIR"):
        return Path(where)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "gcm-kg" / "node" / PACKAGE.replace("@", "").replace("/", "-")


def _engine(node_dir: Path) -> Path:
    return node_dir / "node_modules" / "@comunica" / "query-sparql-link-traversal"


def _comunica() -> Path:
    """The engine's directory, installed by npm on first use: into a fresh folder beside its
    place, then moved there whole, so a run interrupted mid-install (or another run installing at
    the same time) never leaves a half-installed engine to be found."""
    final = _node_dir()
    if not (_engine(final) / "package.json").exists():
        npm = shutil.which("npm")
        assert npm, "npm is missing: the link-traversal test needs node and npm"
        final.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=final.name + ".", dir=final.parent))
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(staging), PACKAGE],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, "npm install failed: " + done.stderr[-2000:]
        try:
            staging.rename(final)
        except OSError:  # installed meanwhile by another run: keep theirs
            shutil.rmtree(staging, ignore_errors=True)
    assert (_engine(final) / "package.json").exists(), f"no engine in {final}"
    return _engine(final)


def _rebased(nquads: bytes, base: str) -> bytes:
    """The resources' IRIs under ``base``; the vocabulary and the graph names stay canonical
    (the trust model knows the source graphs by their canonical names)."""
    keep = b"<" + CANONICAL.encode() + b"id/graph/"
    text = nquads.replace(keep, b"<\x00graph/")
    for part in (b"id/", b".well-known/genid/"):
        text = text.replace(b"<" + CANONICAL.encode() + part, b"<" + base.encode() + part)
    return text.replace(b"<\x00graph/", keep)


class _Deferred:
    """A WSGI app chosen after the server has its port (the base IRI contains the port)."""

    def __init__(self) -> None:
        self.app: Callable[..., Iterable[bytes]] | None = None

    def __call__(self, environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
        assert self.app is not None
        return self.app(environ, start)


@pytest.fixture(scope="module")
def served(settings: Settings, nquads: bytes, tmp_path_factory) -> Iterator[tuple[str, Any]]:  # type: ignore[no-untyped-def]
    """(server URL, store): the built graph with the server's URL as its base IRI."""
    from gcm_kg.store import open_store

    deferred = _Deferred()
    server = LiveServer(deferred, threads=4)  # type: ignore[arg-type]
    base = server.url + "/"
    store = open_store("oxigraph:")
    store.replace_all(_rebased(nquads, base))
    local = replace(settings, base_iri=base, dump_dir=tmp_path_factory.mktemp("dumps"))
    deferred.app = make_live_app(local, store)
    yield base, store
    server.close()
    store.close()


def test_comunica_follows_objective_to_paragraph_to_principle(served) -> None:  # type: ignore[no-untyped-def]
    base, store = served
    objective = base + OBJECTIVE
    node = shutil.which("node")
    assert node, "node is missing"
    query = QUERY.replace("{objective}", objective)
    done = subprocess.run(
        [node, "-e", SCRIPT, str(_comunica()), objective, query],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "NODE_NO_WARNINGS": "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(done.stdout)
    got = {(r["paragraph"], r["principle"], r["letter"]) for r in answer["rows"]}
    in_store = (
        query.replace(
            "?paragraph gcm:addressesObjective", "GRAPH ?g1 { ?paragraph gcm:addressesObjective"
        )
        .replace("?paragraph gcm:invokesPrinciple", "} GRAPH ?g2 { ?paragraph gcm:invokesPrinciple")
        .replace(
            "?principle gcm:principleLetter ?letter .",
            "} GRAPH ?g3 { ?principle gcm:principleLetter ?letter }",
        )
    )
    expected = {
        (str(r["paragraph"]), str(r["principle"]), str(r["letter"]))
        for r in store.query(in_store).rows
    }
    assert len(expected) >= 3  # objective 21: several paragraphs invoking several principles
    assert got == expected, answer
    # the answer needed all three hops: the letters live only in the principles' own documents
    fetched = {u.split("?", 1)[0] for u in answer["fetched"]}
    assert objective in fetched
    assert {p for p, _, _ in expected} <= fetched
    assert {pr for _, pr, _ in expected} <= fetched
    assert all(u.startswith(base) for u in fetched), fetched - {
        u for u in fetched if u.startswith(base)
    }
