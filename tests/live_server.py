"""A real waitress server on a free loopback port, for the tests that talk over a socket.

One helper for every such test, because stopping waitress cleanly from another thread takes
care: closing the sockets while its loop polls them makes the loop fail, and closing only the
listener leaves accepted connections open, to surface later as a ``ResourceWarning`` in some
unrelated test (which the suite turns into a failure).
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask


class LiveServer:
    """``app`` served by waitress with ``options``; its loop runs in a thread and stops between
    polls, after the in-flight responses have finished."""

    def __init__(self, app: Flask, **options: Any) -> None:
        from waitress.server import create_server

        from gcm_kg.web.waitress_errors import install

        # as ``gcm-kg serve`` runs it: waitress's own errors answered as problem documents
        self.server: Any = install(
            create_server(app, **({"host": "127.0.0.1", "port": 0} | options))
        )
        self.port: int = self.server.effective_port
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        from waitress import wasyncore

        try:
            while not self._stop.is_set():
                wasyncore.loop(timeout=0.05, map=self.server._map, count=1)
        finally:
            # the listener, every accepted connection and the wake-up pipe
            wasyncore.close_all(self.server._map, ignore_all=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.server.task_dispatcher.shutdown()  # in-flight responses finish while the loop runs
        self._stop.set()
        self.thread.join(timeout=10)
