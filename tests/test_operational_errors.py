"""Every operational failure is one line on stderr and exit 2, never a traceback (#14)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from gcm_kg import cli


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory of its own, and no inherited GCM_KG_ settings."""
    import os

    for key in [k for k in os.environ if k.startswith("GCM_KG_")]:
        monkeypatch.delenv(key)
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("GCM_KG_DATA_DIR", str(data))
    return data


def one_line(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run the CLI; it must exit 2 with exactly one line on stderr and nothing on stdout."""
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert err.startswith("gcm-kg: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and "serving" not in out
    return err


@pytest.fixture()
def busy_port() -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        yield int(s.getsockname()[1])


def test_busy_port(env: Path, busy_port: int, capsys: pytest.CaptureFixture[str]) -> None:
    err = one_line(capsys, "serve", "--port", str(busy_port))
    assert f"cannot listen on 127.0.0.1:{busy_port}" in err and "--port" in err
    assert not (env / "store").exists()  # said before the store is opened or filled


def test_unreadable_tokens_file_stops_serve_and_token_list(
    env: Path, busy_port: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tokens = env / "curator-tokens"
    tokens.mkdir()  # a folder where a file should be (root reads any file: no chmod test)
    err = one_line(capsys, "token", "list")
    assert f"cannot read the curator tokens file {tokens}" in err and "GCM_KG_CURATOR_TOKENS" in err
    one_line(capsys, "serve", "--port", str(busy_port))


def test_tokens_file_not_utf8(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (env / "curator-tokens").write_bytes(b"ana\tsha256:\xff\n")
    assert "cannot read the curator tokens file" in one_line(capsys, "token", "list")


@pytest.mark.parametrize("command", [["serve"], ["build"], ["token", "list"], ["load", "x.nq"]])
def test_missing_data_directory(
    env: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    monkeypatch.setenv("GCM_KG_DATA_DIR", str(tmp_path / "no-such-dir"))
    err = one_line(capsys, *command)
    assert "no-such-dir" in err and "does not exist" in err and "GCM_KG_DATA_DIR" in err
    assert not (tmp_path / "no-such-dir").exists()


def test_the_default_data_directory_is_made(tmp_path: Path) -> None:
    from gcm_kg.config import DEFAULT_DATA_DIR, Settings

    assert Settings().data_dir == DEFAULT_DATA_DIR
    assert Settings().require_data_dir().is_dir()


def test_state_follows_the_data_directory(tmp_path: Path) -> None:
    from gcm_kg.config import Settings

    s = Settings.from_env({"GCM_KG_DATA_DIR": str(tmp_path)})
    assert s.store == f"oxigraph:{tmp_path / 'store'}"
    assert (s.dump_dir, s.curator_tokens, s.audit_log) == (
        tmp_path / "dumps",
        tmp_path / "curator-tokens",
        tmp_path / "audit.log",
    )
    own = Settings.from_env({"GCM_KG_DATA_DIR": str(tmp_path), "GCM_KG_AUDIT_LOG": "/x/audit"})
    assert own.audit_log == Path("/x/audit")  # set on its own, it stays


def test_missing_shared_sources(
    env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GCM_KG_SHARED_DIR", str(tmp_path / "nowhere"))
    monkeypatch.setenv("GCM_KG_GRAPH_DIR", str(tmp_path / "graph"))
    err = one_line(capsys, "build", "--no-store")
    assert "no shared sources at" in err and "GCM_KG_SHARED_DIR" in err


def test_query_before_any_store(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = one_line(capsys, "query", "ASK {}")
    assert "no store at" in err and "gcm-kg build" in err


def test_java_missing_for_check(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import owlready2

    monkeypatch.setattr(owlready2, "JAVA_EXE", "/nonexistent/java")
    ttl = Path(__file__).parent / "data" / "java-missing.ttl"
    err = one_line(capsys, "check", "--no-explain", "--data", str(ttl))
    assert "Java not found" in err
