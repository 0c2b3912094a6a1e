"""The limits on a real waitress server on loopback, configured as ``gcm-kg serve`` configures it:
header size (431), body size (413), query length, the time limit with another client served
meanwhile, the result limit, the per-client rate limit (429 + Retry-After), the hostile table and
every outbound query form."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import quote, urlencode

import pytest

from gcm_kg.config import Settings
from gcm_kg.store import Store
from tests.helpers import Listener, forms, make_live_app
from tests.security.cases import CASES, RUNAWAY, Case
from tests.security.hostile import fetch, leaks, snapshot
from tests.security.served import LIMIT, Served, Server

pytestmark = pytest.mark.slow

JSON = {"Accept": "application/json"}
ANY = {"Accept": "*/*"}
LOOKUP = "/queries/cq01-round-table-objectives?roundTable=2"
DEFAULTS = Settings()


def sparql(query: str, **params: str) -> str:
    return "/sparql?" + urlencode({"query": query} | params, quote_via=quote)


def _header_bytes(case: Case) -> int:
    """Bytes of the request line and headers as sent (what waitress's header limit counts)."""
    lines = [f"{case.method} {case.path} HTTP/1.1", "Host: 127.0.0.1:1"]
    lines += [f"{k}: {v}" for k, v in case.headers.items()]
    return len("\r\n".join(lines).encode()) + 4


@pytest.mark.parametrize("case", [c for c in CASES if "oxigraph" in c.engines], ids=lambda c: c.id)
def test_hostile_request_on_the_real_server(live: Served, case: Case) -> None:
    """The hostile table over a socket; requests whose headers pass the limit get 431 first."""
    headers = (
        {"Accept": "application/json"} | case.headers if case.method == "GET" else case.headers
    )
    before = snapshot(live.store)
    resp = fetch(live.url, case.path, method=case.method, headers=headers, body=case.body)
    body = resp.get_data(as_text=True)
    too_big = _header_bytes(case) >= DEFAULTS.max_header
    assert resp.status_code == (431 if too_big else case.status), body[:300]
    assert not leaks(body, case.path + (case.body or b"").decode("utf-8", "replace"))  # type: ignore[arg-type]
    if case.contains and not too_big and resp.status_code != 413:  # waitress words its own 413
        assert case.contains in body
    if case.check and not too_big:
        case.check(resp)  # type: ignore[arg-type]
    assert snapshot(live.store) == before


def test_oversized_headers_get_431(live: Served) -> None:
    big = {"X-Padding": "x" * DEFAULTS.max_header}
    resp = fetch(live.url, LOOKUP, headers=JSON | big)
    assert resp.status_code == 431
    assert b"Request Header Fields Too Large" in resp.data


def test_an_oversized_request_line_gets_431(live: Served) -> None:
    resp = fetch(live.url, LOOKUP + "&x=" + "a" * DEFAULTS.max_header, headers=JSON)
    assert resp.status_code == 431


def test_headers_under_the_limit_are_served(live: Served) -> None:
    resp = fetch(live.url, LOOKUP, headers=JSON | {"X-Padding": "x" * 12_000})
    assert resp.status_code == 200


def test_a_body_announced_over_the_limit_is_refused_before_it_is_sent(live: Served) -> None:
    """waitress answers 413 from the Content-Length alone; the body never has to arrive."""
    with socket.create_connection(("127.0.0.1", int(live.url.rsplit(":", 1)[1])), timeout=10) as s:
        s.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            + f"Content-Length: {DEFAULTS.max_body + 1}\r\n\r\n".encode()
        )
        answer = s.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413")


def test_waitress_answers_413_on_curate_as_a_problem_document(live: Served) -> None:
    """waitress refuses the body before the app runs; its answer is still a problem document."""
    with socket.create_connection(("127.0.0.1", int(live.url.rsplit(":", 1)[1])), timeout=10) as s:
        s.sendall(
            b"POST /curate HTTP/1.1\r\nHost: x\r\nContent-Type: text/turtle\r\n"
            + f"Content-Length: {DEFAULTS.max_body + 1}\r\n\r\n".encode()
        )
        answer = b""
        with contextlib.suppress(OSError):
            while b"}" not in answer and len(answer) < 65536:
                more = s.recv(4096)
                if not more:
                    break
                answer += more
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413")
    assert b"Content-Type: application/problem+json" in head
    assert b"X-Content-Type-Options: nosniff" in head
    problem = json.loads(body)
    assert problem["status"] == 413 and "GCM_KG_MAX_BODY" in problem["detail"]


def test_a_chunked_body_over_the_limit_gets_413(live: Served) -> None:
    """Without a Content-Length, waitress counts the chunks and stops at the limit."""
    chunk = b"x" * 65536
    answer = b""
    with socket.create_connection(("127.0.0.1", int(live.url.rsplit(":", 1)[1])), timeout=10) as s:
        s.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        with contextlib.suppress(OSError):  # the server may close while we still send
            for _ in range(DEFAULTS.max_body // len(chunk) + 2):
                s.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            s.sendall(b"0\r\n\r\n")
        with contextlib.suppress(OSError):
            answer = s.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413")


def test_a_body_at_the_limit_reaches_the_app(live: Served) -> None:
    query = "ASK {}"
    body = (query + " " * (DEFAULTS.max_body - len(query))).encode()
    resp = fetch(
        live.url,
        "/sparql",
        method="POST",
        headers={"Content-Type": "application/sparql-query"},
        body=body,
    )
    assert resp.status_code == 413  # within waitress's limit; the app's query length limit
    assert b"at most 20000" in resp.data


def test_runaway_gets_503_in_time_while_another_client_is_served(live: Served) -> None:
    fetch(live.url, LOOKUP, headers=JSON)  # workers warm
    result: dict[str, object] = {}

    def runaway() -> None:
        start = time.monotonic()
        resp = fetch(live.url, sparql(RUNAWAY), headers=JSON)
        result.update(status=resp.status_code, body=resp.data, elapsed=time.monotonic() - start)

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    latencies = []
    while thread.is_alive() and len(latencies) < 20:
        start = time.monotonic()
        assert fetch(live.url, LOOKUP, headers=JSON).status_code == 200
        latencies.append(time.monotonic() - start)
    thread.join()
    assert result["status"] == 503
    assert f"{LIMIT:g} s limit".encode() in result["body"]  # type: ignore[operator]
    assert result["elapsed"] < LIMIT + 1.0  # type: ignore[operator]
    assert latencies and max(latencies) < 0.5


def test_the_result_limit_is_signalled(live: Served) -> None:
    resp = fetch(live.url, sparql("SELECT * WHERE { ?s ?p ?o }"), headers=JSON)
    assert resp.status_code == 200
    assert resp.headers["Results-Truncated"] == "true"
    assert resp.headers["Results-Limit"] == str(DEFAULTS.result_limit)


def test_no_query_form_reaches_out_through_the_server(live: Served) -> None:
    listener = Listener()
    try:
        for name, query, extra, status in forms(listener.url):
            params = {"query": query} | (extra or {})
            got = fetch(live.url, "/sparql?" + urlencode(params, quote_via=quote), headers=ANY)
            assert got.status_code == status, name
            posted = fetch(
                live.url,
                "/sparql?" + urlencode(extra or {}),
                method="POST",
                headers=ANY | {"Content-Type": "application/sparql-query"},
                body=query.encode(),
            )
            assert posted.status_code == status, name
        assert listener.hits == 0
    finally:
        listener.close()


# -- the per-client rate limit -----------------------------------------------------------------
@pytest.fixture()
def limited(
    settings: Settings, oxigraph_store: Store, request: pytest.FixtureRequest
) -> Iterator[str]:
    proxy = getattr(request, "param", "")
    chosen = replace(settings, rate_limit=60, rate_burst=5, trusted_proxy=proxy)
    server = Server(make_live_app(chosen, oxigraph_store), chosen)
    yield server.url
    server.close()


def test_the_rate_limit_answers_429_with_retry_after(limited: str) -> None:
    statuses = [fetch(limited, LOOKUP, headers=JSON).status_code for _ in range(5)]
    assert statuses == [200] * 5
    resp = fetch(limited, LOOKUP, headers=JSON)
    assert resp.status_code == 429
    assert int(resp.headers["Retry-After"]) >= 1
    assert b"requests a minute" in resp.data


def test_a_forged_forwarded_for_does_not_escape_the_limit(limited: str) -> None:
    for i in range(5):
        fetch(limited, LOOKUP, headers=JSON | {"X-Forwarded-For": f"10.0.0.{i}"})
    resp = fetch(limited, LOOKUP, headers=JSON | {"X-Forwarded-For": "10.0.0.99"})
    assert resp.status_code == 429


@pytest.mark.parametrize("limited", ["127.0.0.1"], indirect=True)
def test_behind_a_trusted_proxy_each_client_has_its_own_limit(limited: str) -> None:
    for _ in range(5):
        assert (
            fetch(limited, LOOKUP, headers=JSON | {"X-Forwarded-For": "10.0.0.1"}).status_code
            == 200
        )
    assert fetch(limited, LOOKUP, headers=JSON | {"X-Forwarded-For": "10.0.0.1"}).status_code == 429
    assert fetch(limited, LOOKUP, headers=JSON | {"X-Forwarded-For": "10.0.0.2"}).status_code == 200


# -- connections -------------------------------------------------------------------------------
@pytest.fixture()
def few_connections(settings: Settings, oxigraph_store: Store) -> Iterator[int]:
    """A server taking two connections at once, closing idle ones after 3 s; its port."""
    chosen = replace(settings, rate_limit=0, connection_limit=2, channel_timeout=3)
    server = Server(make_live_app(chosen, oxigraph_store), chosen)
    yield server.port
    server.close()


def _answer(s: socket.socket) -> bytes:
    with contextlib.suppress(TimeoutError):
        return s.recv(65536)
    return b""


GET = f"GET {LOOKUP} HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n".encode()


def test_connections_over_the_limit_wait_until_one_closes(few_connections: int) -> None:
    port = few_connections
    held = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(2)]
    try:
        time.sleep(0.3)  # both accepted: the limit is reached
        third = socket.create_connection(("127.0.0.1", port), timeout=0.8)
        with third:
            third.sendall(GET)
            assert _answer(third) == b""  # not served while two connections are open
            held.pop().close()
            third.settimeout(5)
            assert _answer(third).startswith(b"HTTP/1.1 200")
    finally:
        for s in held:
            s.close()


def test_an_idle_connection_is_closed_after_the_channel_timeout(few_connections: int) -> None:
    port = few_connections
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        began = time.monotonic()
        s.sendall(GET[:20])  # a request that never finishes
        assert s.recv(1) == b""  # the server closed the connection
        assert 2.5 < time.monotonic() - began < 8.0
