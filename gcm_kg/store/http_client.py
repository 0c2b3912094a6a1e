"""A small HTTP client for one SPARQL server: kept-alive connections, clean errors.

Plain ``http.client`` rather than urllib/SPARQLWrapper: one persistent connection per thread
(a web worker's threads each keep theirs), so a query costs one round trip, not a TCP
handshake; and every network failure becomes a typed error with a message a person can act on.
A connection that went stale (the server restarted) is dropped and reopened, so the same
client works again as soon as the server is back, without a restart of the process.
"""

from __future__ import annotations

import http.client
import socket
import threading
from base64 import b64encode
from dataclasses import dataclass
from urllib.parse import unquote, urlencode, urlsplit

from gcm_kg.errors import ConfigError, QueryTimeout, StoreError


@dataclass
class Response:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def text(self, limit: int = 500) -> str:
        return self.body[:limit].decode("utf-8", "replace").strip()


class SparqlHttp:
    """POSTs form-encoded SPARQL Protocol requests to one endpoint URL."""

    def __init__(self, url: str, *, timeout: float = 30.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"not an http(s) SPARQL endpoint URL: {url!r}")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.timeout = timeout
        # shown in messages: never the credentials
        self.display = f"{parts.scheme}://{self.host}:{self.port}{parts.path or '/'}"
        self._auth: str | None = None
        if parts.username is not None:
            cred = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
            self._auth = "Basic " + b64encode(cred.encode()).decode()
        self._local = threading.local()
        self._open: set[http.client.HTTPConnection] = set()  # every thread's, for close()
        self._open_lock = threading.Lock()

    def post(
        self,
        params: list[tuple[str, str]],
        accept: str,
        *,
        idempotent: bool = True,
        timeout: float | None = None,
    ) -> Response:
        """Send one form-encoded request; queries (idempotent) retry once on a stale connection."""
        body = urlencode(params).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        return self.send("POST", "", body, headers, idempotent=idempotent, timeout=timeout)

    def send(
        self,
        method: str,
        query: str,
        body: bytes,
        headers: dict[str, str],
        *,
        idempotent: bool = False,
        timeout: float | None = None,
    ) -> Response:
        """Send one request to the endpoint URL with ``query`` added to its query string.

        ``timeout`` (seconds) replaces the client's own for this request's answer.
        """
        headers = dict(headers)
        path = self.path
        if query:
            path += ("&" if "?" in path else "?") + query
        if self._auth:
            headers["Authorization"] = self._auth
        reused = getattr(self._local, "conn", None) is not None
        try:
            return self._send(method, path, body, headers, fresh=not idempotent, timeout=timeout)
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
            self._drop()
            if not (idempotent and reused):
                raise self._unavailable(exc) from None
        except OSError as exc:
            self._drop()
            raise self._unavailable(exc) from None
        try:  # the kept-alive connection was closed by the server: once more, on a new one
            return self._send(method, path, body, headers, fresh=True, timeout=timeout)
        except OSError as exc:
            self._drop()
            raise self._unavailable(exc) from None

    def _send(
        self,
        method: str,
        path: str,
        body: bytes,
        headers: dict[str, str],
        *,
        fresh: bool,
        timeout: float | None = None,
    ) -> Response:
        if fresh:
            self._drop()
        conn = self._conn()
        wait = self.timeout if timeout is None else timeout
        try:
            conn.timeout = wait  # this request's limit (the next one sets its own)
            if conn.sock is not None:
                conn.sock.settimeout(wait)
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        except TimeoutError:
            self._drop()
            raise QueryTimeout(
                f"the triple store at {self.display} did not answer within {wait:g} s"
            ) from None
        except http.client.HTTPException as exc:
            self._drop()
            if isinstance(exc, http.client.RemoteDisconnected):
                raise
            raise StoreError(
                f"bad HTTP answer from the triple store at {self.display}: {exc}"
            ) from None
        if resp.will_close:
            self._drop()
        return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data)

    def _conn(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            https = self.scheme == "https"
            cls = http.client.HTTPSConnection if https else http.client.HTTPConnection
            conn = cls(self.host, self.port, timeout=self.timeout)
            try:
                conn.connect()
            except TimeoutError:
                raise StoreError(
                    f"the triple store at {self.display} is unreachable: "
                    f"no connection within {self.timeout:g} s"
                ) from None
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._local.conn = conn
            with self._open_lock:
                self._open.add(conn)
        return conn  # type: ignore[no-any-return]

    def _drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            conn.close()
            with self._open_lock:
                self._open.discard(conn)

    def _unavailable(self, exc: BaseException) -> StoreError:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        reason = reason or type(exc).__name__
        return StoreError(f"the triple store at {self.display} is unavailable: {reason}")

    def close(self) -> None:
        """Close every thread's connection (a thread's next request reconnects)."""
        self._drop()
        with self._open_lock:
            conns, self._open = self._open, set()
        for conn in conns:
            conn.close()
