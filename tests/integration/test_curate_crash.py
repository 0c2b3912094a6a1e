"""The server is killed (SIGKILL) in the middle of a stream of submissions, then restarted.

Every acknowledged submission (201) must be there after the restart, whole; a submission that
was not acknowledged may be there or not, but never in part. The server is the real one:
waitress serving ``server:app`` in a process of its own over an on-disk Oxigraph store.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from gcm_kg import iris
from gcm_kg.store import open_store
from gcm_kg.writes import auth
from tests.curate.helpers import pledge_ttl

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 3
TRIPLES = 6  # per submission (pledge_ttl)
SUBMISSIONS = iris.graph("submissions")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "waitress"),
                    *(f"--listen=127.0.0.1:{self.port}", "--threads=4", "server:app"),
                ],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                conn.request("GET", "/graphs?graph=http://www.example/none")
                with conn.getresponse() as resp:
                    resp.read()
                    if resp.status == 404:
                        return
            except OSError:
                time.sleep(0.2)
            finally:
                conn.close()
        raise RuntimeError(f"the server did not start; see {self.log}")

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def submit(port: int, token: str, slug: str) -> str | None:
    """POST one submission; its graph IRI when acknowledged (201), else None."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "POST",
            "/curate",
            body=pledge_ttl(slug).encode(),
            headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {token}"},
        )
        with conn.getresponse() as resp:
            body = resp.read()
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()
    return str(json.loads(body)["graph"]) if resp.status == 201 else None


def stream(port: int, token: str, client: str, acked: dict[str, str], sent: list[str]) -> None:
    """Submit until the server stops answering."""
    for i in range(10_000):
        slug = f"crash-{client}-{i}"
        sent.append(slug)
        graph = submit(port, token, slug)
        if graph is None:
            return
        acked[slug] = graph


def test_acknowledged_submissions_survive_a_kill(tmp_path: Path, nquads: bytes) -> None:
    store_dir = tmp_path / "store"
    with open_store(f"oxigraph:{store_dir}") as store:
        store.replace_all(nquads)
    tokens = tmp_path / "tokens"
    token = auth.add_token(tokens, "ana")
    env = os.environ | {
        "GCM_KG_STORE": f"oxigraph:{store_dir}",
        "GCM_KG_CURATOR_TOKENS": str(tokens),
        "GCM_KG_AUDIT_LOG": str(tmp_path / "audit.log"),
        "GCM_KG_RATE_LIMIT": "0",
        "PYTHONPATH": str(ROOT),
    }
    server = Server(env, free_port(), tmp_path / "server.log")
    acked: dict[str, str] = {}
    sent: list[str] = []
    try:
        for run in range(2):
            server.start()
            threads = [
                threading.Thread(
                    target=stream, args=(server.port, token, f"{run}-{c}", acked, sent)
                )
                for c in range(CLIENTS)
            ]
            for t in threads:
                t.start()
            target = len(acked) + 15
            while len(acked) < target and any(t.is_alive() for t in threads):
                time.sleep(0.05)
            server.kill()  # while the clients are still sending
            for t in threads:
                t.join(timeout=60)
            assert not any(t.is_alive() for t in threads)
        server.start()  # the store opens again after the kill
        for slug, graph in acked.items():  # acknowledged: served whole after the restart
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            try:
                conn.request(
                    "GET", f"/graphs?graph={graph}", headers={"Accept": "application/n-triples"}
                )
                with conn.getresponse() as resp:
                    assert resp.status == 200, slug
                    assert len(resp.read().splitlines()) == TRIPLES, slug
            finally:
                conn.close()
    finally:
        server.stop()
    assert len(acked) >= 30
    assert len(sent) > len(acked)  # some were in flight when the server died
    with open_store(f"oxigraph:{store_dir}") as store:
        for slug in sent:
            rows = store.query(
                f"""SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ <{iris.pledge(slug)}> ?p ?o }} }}
                GROUP BY ?g"""
            ).rows
            found = {str(r["g"]): int(r["n"]) for r in rows}
            if slug in acked:
                assert found == {acked[slug]: TRIPLES}, slug
            else:
                assert found == {} or list(found.values()) == [TRIPLES], (slug, found)
            for graph in found:  # whatever is there has its record, and the reverse
                assert store.query(
                    f"ASK {{ GRAPH <{SUBMISSIONS}> {{ <{graph}> a ?t ; "
                    f"<https://w3id.org/gcm-kg/ontology#tripleCount> {TRIPLES} }} }}"
                ).boolean
        recorded = store.query(
            f"""SELECT ?g WHERE {{ GRAPH <{SUBMISSIONS}> {{ ?g a <https://w3id.org/gcm-kg/ontology#Submission> }}
            FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }} }}"""
        ).rows
        assert recorded == []  # no record without its graph
