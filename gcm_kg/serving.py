"""``gcm-kg serve``: the app on waitress (a production WSGI server), on a store that has data.

An empty store is filled first: the graph is built from its sources, or, on a machine without
the shared sources, the graph file shipped in the package (or built last) is loaded.
"""

from __future__ import annotations

import logging
import signal
import socket
from pathlib import Path
from typing import Any

from gcm_kg.config import Settings
from gcm_kg.errors import ConfigError, SourceError
from gcm_kg.store import Store, open_store

log = logging.getLogger("gcm_kg.serve")


def ensure_data(settings: Settings, store: Store) -> str | None:
    """Fill an empty store; returns what was done, or None when it already held data."""
    if store.named_graphs():
        return None
    from gcm_kg.assembly.pipeline import build

    try:
        result = build(settings, load_store=False)
        store.replace_all(Path(result.nquads).read_bytes())
        return f"built the graph ({result.quads} quads) and loaded it"
    except SourceError as exc:
        shipped = settings.graph_file
        if not shipped.exists():
            raise
        store.replace_all(shipped.read_bytes())
        return f"sources unavailable ({exc.detail}); loaded the shipped {shipped}"


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(0)


def waitress_options(settings: Settings) -> dict[str, object]:
    """waitress's options from the settings: the size limits hold before the app sees a byte."""
    options: dict[str, object] = {
        "host": settings.host,
        "port": settings.port,
        "threads": settings.workers,
        # waitress refuses a body of max_request_body_size bytes or more; the app accepts max_body
        "max_request_body_size": settings.max_body + 1,
        "max_request_header_size": settings.max_header,
        # waitress counts its listening socket and its wake-up pipe as connections too
        "connection_limit": settings.connection_limit + 2,
        "channel_timeout": settings.channel_timeout,
        # idle connections are looked for this often (waitress's default: every 30 s)
        "cleanup_interval": max(1, min(30, settings.channel_timeout // 2)),
        "ident": "gcm-kg",
    }
    if settings.trusted_proxy:
        options |= {
            "trusted_proxy": settings.trusted_proxy,
            "trusted_proxy_count": 1,
            "trusted_proxy_headers": {"x-forwarded-for"},
            "clear_untrusted_proxy_headers": True,
        }
    return options


def serve(settings: Settings) -> None:
    """Run until interrupted; query worker processes are stopped on the way out."""
    from gcm_kg.web import create_app
    from gcm_kg.web.app import executor
    from gcm_kg.web.connections import cap_per_client
    from gcm_kg.writes import auth

    settings.require_data_dir()
    auth.read_tokens(settings.curator_tokens)  # an unreadable tokens file stops the start
    server = _bind(settings)  # before the slow part: a busy port is said at once
    store = None
    try:
        store = open_store(
            settings.store,
            graph_store_url=settings.graph_store_url,
            read_timeout=settings.query_timeout,
        )
        done = ensure_data(settings, store)
        if done:
            print(done, flush=True)
        app = create_app(settings, store)
    except BaseException:
        server.close()
        if store is not None:
            store.close()
        raise
    ex = executor(app)
    for listener in (server, *getattr(server, "map", {}).values()):  # one socket, or several
        if hasattr(listener, "application"):
            listener.application = app
    cap_per_client(server, 0 if settings.trusted_proxy else settings.connections_per_client)
    port = getattr(server, "effective_port", settings.port)
    print(
        f"gcm-kg serving {settings.store} on http://{settings.host}:{port}/sparql "
        f"({settings.workers} threads, {settings.query_processes} query processes)",
        flush=True,
    )
    signal.signal(signal.SIGTERM, _stop)  # a service manager's stop: clean up as on Ctrl-C
    try:
        server.run()
    finally:
        ex.close()
        store.close()


def _bind(settings: Settings) -> Any:
    """The waitress server, listening; a port in use (or not ours to take) is one line."""
    from gcm_kg.web import waitress_errors

    options = waitress_options(settings)
    host, port = options.pop("host"), options.pop("port")
    # the sockets are bound here, not by waitress, which on failure leaves its socket and its
    # request threads behind
    sockets: list[socket.socket] = []
    try:
        for family, kind, proto, _, address in socket.getaddrinfo(
            str(host), int(str(port)), type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        ):
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(address)
    except OSError as exc:
        for sock in sockets:
            sock.close()
        raise ConfigError(
            f"cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}; "
            "another server (a gcm-kg serve?) may hold it: stop it, or choose another port "
            "with --port or GCM_KG_PORT"
        ) from None
    return waitress_errors.create_server(_not_ready, sockets=sockets, **options)


def _not_ready(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """Never called: the app replaces it before the server accepts a request."""
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"starting\n"]
