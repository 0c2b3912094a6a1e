"""A cap on the connections one client address may hold open in waitress.

waitress serves at most ``GCM_KG_CONNECTION_LIMIT`` connections; a single client that opens
that many and trickles a byte now and then (each within the idle timeout) held every slot, and
the site stopped answering anyone else. With this cap a client address gets at most
``GCM_KG_CONNECTIONS_PER_CLIENT`` of them: a further connection is answered 503 (a problem
document, Retry-After) and closed at once. Behind a trusted reverse proxy every connection
comes from the proxy, so the cap is not applied there (the proxy buffers requests itself).
"""

from __future__ import annotations

import contextlib
import json
import socket
from typing import Any

_PROBLEM = json.dumps(
    {
        "type": "about:blank",
        "title": "Too many connections",
        "status": 503,
        "detail": "this client holds too many connections open; close some and retry",
    }
).encode()
REFUSAL = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\n"
    b"Retry-After: 5\r\nConnection: close\r\nContent-Length: "
    + str(len(_PROBLEM)).encode()
    + b"\r\n\r\n"
    + _PROBLEM
)


def _host(addr: Any) -> Any:
    return addr[0] if isinstance(addr, tuple) else addr


def cap_per_client(server: Any, per_client: int) -> None:
    """Install the cap on a waitress server (from ``waitress.server.create_server``)."""
    if per_client <= 0:
        return
    servers = [server] if hasattr(server, "channel_class") else list(server.map.values())
    for srv in servers:
        channel = srv.channel_class

        def make(
            owner: Any, conn: socket.socket, addr: Any, adj: Any, map: Any = None, *, _c=channel
        ) -> Any:
            host = _host(addr)
            held = sum(1 for ch in list(owner.active_channels.values()) if _host(ch.addr) == host)
            if held >= per_client:
                with contextlib.suppress(OSError):
                    conn.setblocking(False)
                    conn.send(REFUSAL)
                conn.close()
                return None
            return _c(owner, conn, addr, adj, map=map)

        srv.channel_class = make
