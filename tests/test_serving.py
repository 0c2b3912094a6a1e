"""``gcm-kg serve`` fills an empty store before serving, and takes its options from settings."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from gcm_kg.cli import parser
from gcm_kg.config import Settings
from gcm_kg.serving import ensure_data
from gcm_kg.store import open_store


def test_an_empty_store_is_built_first(settings: Settings, tmp_path: Path) -> None:
    store = open_store("memory")
    done = ensure_data(replace(settings, graph_dir=tmp_path / "graph"), store)
    assert done is not None and done.startswith("built the graph")
    assert len(store.named_graphs()) > 10


def test_a_store_with_data_is_left_alone(oxigraph_store, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    version = oxigraph_store.version()
    assert ensure_data(settings, oxigraph_store) is None
    assert oxigraph_store.version() == version


def test_without_sources_the_shipped_graph_is_loaded(
    settings: Settings,
    built,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    graph_dir = tmp_path / "graph"
    graph_dir.mkdir()
    shutil.copy(built.nquads, graph_dir / "gcm-kg.nq")
    no_sources = replace(settings, shared_dir=tmp_path / "nowhere", graph_dir=graph_dir)
    store = open_store("memory")
    done = ensure_data(no_sources, store)
    assert done is not None and "loaded the shipped" in done
    assert len(store.named_graphs()) > 10


def test_serve_options() -> None:
    args = parser().parse_args(["serve", "--host", "0.0.0.0", "--port", "9000", "--workers", "8"])
    assert (args.host, args.port, args.workers) == ("0.0.0.0", 9000, 8)
    assert parser().parse_args(["serve"]).port is None  # then GCM_KG_PORT or 8080


def test_serve_settings_from_the_environment() -> None:
    s = Settings.from_env({"GCM_KG_PORT": "9001", "GCM_KG_WORKERS": "6", "GCM_KG_HOST": "::1"})
    assert (s.host, s.port, s.workers) == ("::1", 9001, 6)
    defaults = Settings()
    assert (defaults.host, defaults.port) == ("127.0.0.1", 8080)


def test_waitress_gets_the_size_limits_from_the_settings() -> None:
    from gcm_kg.serving import waitress_options

    s = Settings.from_env({"GCM_KG_MAX_HEADER": "8192", "GCM_KG_MAX_BODY": "5000"})
    options = waitress_options(s)
    assert options["max_request_header_size"] == 8192
    assert options["max_request_body_size"] == 5001  # waitress refuses at >=; the app allows 5000
    assert "trusted_proxy" not in options  # X-Forwarded-For is ignored unless a proxy is named
    assert Settings().max_header == 16_384


def test_a_trusted_proxy_names_the_client() -> None:
    from gcm_kg.serving import waitress_options

    options = waitress_options(Settings.from_env({"GCM_KG_TRUSTED_PROXY": "10.0.0.1"}))
    assert options["trusted_proxy"] == "10.0.0.1"
    assert options["trusted_proxy_headers"] == {"x-forwarded-for"}


def test_waitress_gets_the_connection_limits_from_the_settings() -> None:
    from gcm_kg.serving import waitress_options

    env = {"GCM_KG_CONNECTION_LIMIT": "7", "GCM_KG_CHANNEL_TIMEOUT": "4"}
    options = waitress_options(Settings.from_env(env))
    assert options["channel_timeout"] == 4
    assert options["connection_limit"] == 7 + 2  # waitress counts its listener and wake-up pipe
    assert options["cleanup_interval"] == 2  # idle connections are looked for in time
    defaults = waitress_options(Settings())
    assert (defaults["connection_limit"], defaults["channel_timeout"]) == (102, 30)
