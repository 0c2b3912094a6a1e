"""What every hostile request must get: its status, never a 500, nothing internal in the body.

Shared by the hostile suites (the Flask test client and the real waitress server).
"""

from __future__ import annotations

import contextlib
import http.client
import re
import sys
from urllib.parse import urlsplit

from gcm_kg.config import PROJECT_ROOT
from gcm_kg.store import Store

#: text that would show an internal: a stack trace, a file path, a Python class, an address
LEAK_MARKERS = (
    "Traceback",
    "site-packages",
    "gcm_kg",
    "pyoxigraph",
    "rdflib",
    "werkzeug",
    "pyparsing",
    "<class ",
    str(PROJECT_ROOT),
    sys.prefix,
    "/tmp/",
)
_CLASS_NAME = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:Error|Exception|Warning)\b")
_ADDRESS = re.compile(r"\bat 0x[0-9a-f]{6,}\b")
#: a stack frame as Python prints it (``gcm:sourceFile "..."`` in Turtle is data, not a frame)
_FRAME = re.compile(r'File "[^"\n]*", line \d+')


def leaks(body: str, request_text: str = "") -> list[str]:
    """What in ``body`` shows an internal; text the request itself carried is not a leak."""
    found = [m for m in LEAK_MARKERS if m in body and m not in request_text]
    for pattern in (_CLASS_NAME, _ADDRESS, _FRAME):
        found += [m for m in pattern.findall(body) if m not in request_text]
    return found


def snapshot(store: Store) -> tuple[int, str]:
    """What must not move: the number of quads and the store's version."""
    return len(store), store.version()


class LiveResponse:
    """An answer read over a real socket, with the parts the checks read of a Flask response."""

    def __init__(self, status: int, headers: http.client.HTTPMessage, data: bytes) -> None:
        self.status_code = status
        self.headers = headers
        self.data = data

    @property
    def mimetype(self) -> str:
        return self.headers.get_content_type()

    def get_data(self, as_text: bool = False) -> str | bytes:
        return self.data.decode("utf-8", errors="replace") if as_text else self.data


def fetch(
    url: str,
    path: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 30.0,
) -> LiveResponse:
    """One request on a fresh connection, the path sent exactly as given."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            conn.endheaders(body)  # a server refusing the body may close before it is all sent
        resp = conn.getresponse()
        return LiveResponse(resp.status, resp.headers, resp.read())
    finally:
        conn.close()
