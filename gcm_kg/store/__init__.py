"""Store backends, opened by name: ``oxigraph:PATH`` | ``memory`` | ``sparql:URL``."""

from __future__ import annotations

from pathlib import Path

from gcm_kg.errors import ConfigError
from gcm_kg.store.base import Capabilities, QueryResult, Store, TermRow

__all__ = ["Capabilities", "QueryResult", "Store", "TermRow", "open_store"]


def open_store(
    spec: str,
    *,
    read_only: bool = False,
    graph_store_url: str = "",
    read_timeout: float = 30.0,
) -> Store:
    """Open the store a settings string names (``graph_store_url``, ``read_timeout``: seconds a
    remote store's client waits for a query's answer, see RemoteStore)."""
    kind, _, arg = spec.partition(":")
    if kind == "oxigraph":
        from gcm_kg.store.oxigraph import OxigraphStore

        return OxigraphStore(Path(arg) if arg else None, read_only=read_only)
    if kind == "memory":
        from gcm_kg.store.memory import MemoryStore

        return MemoryStore()
    if kind == "sparql":
        from gcm_kg.store.remote import RemoteStore

        if not arg:
            raise ConfigError("sparql: store needs an endpoint URL, e.g. sparql:http://host/sparql")
        return RemoteStore(arg, graph_store_url=graph_store_url, timeout=read_timeout)
    raise ConfigError(f"unknown store {spec!r}; use oxigraph:PATH, memory or sparql:URL")
