"""A SPARQL endpoint on loopback that answers every request with one row, and counts the
connections it accepts: what a SERVICE clause aimed at the server's own network would reach."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: the value of the one row the endpoint answers: it must never appear in a reply of ours
MARKER = "REMOTE-ROW-7f3a"
ROWS = json.dumps(
    {
        "head": {"vars": ["s"]},
        "results": {"bindings": [{"s": {"type": "literal", "value": MARKER}}]},
    }
).encode()


class _Handler(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(ROWS)))
        self.end_headers()
        self.wfile.write(ROWS)

    do_GET = do_POST = _answer

    def log_message(self, *args: Any) -> None:
        pass


class RemoteEndpoint(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.connections = 0
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/sparql"

    def verify_request(self, request: Any, client_address: Any) -> bool:
        self.connections += 1
        return True

    def close(self) -> None:
        self.shutdown()
        self.server_close()
