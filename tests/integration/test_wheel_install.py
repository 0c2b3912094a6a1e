"""The wheel as a stranger installs it: not editable, run from an unrelated directory (#14).

The wheel is built from this checkout (``pip wheel --no-deps``), installed without its
dependencies into a fresh venv that borrows them from the test venv through a ``.pth`` line (no
network, seconds), and every command then runs with a temporary HOME and XDG data directory:
nothing may be read from the checkout nor written into site-packages.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from gcm_kg.config import PROJECT_ROOT

pytestmark = pytest.mark.slow


@dataclass
class Installed:
    bin: Path
    site: Path
    env: dict[str, str]
    cwd: Path
    data_dir: Path

    def run(self, *args: str, extra: dict[str, str] | None = None, timeout: float = 600):  # type: ignore[no-untyped-def]
        return subprocess.run(
            [str(self.bin / "gcm-kg"), *args],
            cwd=self.cwd,
            env={**self.env, **(extra or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def _leftovers(folder: str, names: list[str]) -> set[str]:
    """What a fresh clone lacks: the venv, state, build output, caches."""
    top = {".venv", "var", "build", "dist", ".git"} if Path(folder) == PROJECT_ROOT else set()
    # (and tests/.node, where an older link-traversal test installed its npm packages)
    return {
        n for n in names if n in top or n in ("__pycache__", ".node") or n.endswith(".egg-info")
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    src = tmp_path_factory.mktemp("src") / "gcm-kg"
    # a copy without build leftovers, so the wheel holds what git would give a stranger
    shutil.copytree(
        PROJECT_ROOT,
        src,
        ignore=_leftovers,
        symlinks=True,  # as git checks it out: gcm_kg/_data's entries link to the top level
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(dist),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (found,) = dist.glob("gcm_kg-*.whl")
    return found


def test_the_wheel_holds_the_package_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "gcm_kg/_data/ontology/gcm.ttl",
        "gcm_kg/_data/ontology/imports.ttl",
        "gcm_kg/_data/shapes/gcm-shapes.ttl",
        "gcm_kg/_data/queries/cq01-round-table-objectives.rq",
        "gcm_kg/_data/data/curated/actors.csv",
        "gcm_kg/_data/data/graph/gcm-kg.nq",
        "gcm_kg/_data/data/graph/gcm-kg.trig",
        "gcm_kg/web/templates/base.html",
    ):
        assert needed in names, needed
    assert not any(n.startswith(("var/", "gcm_kg/var")) for n in names)


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("stranger")
    venv = root / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
    )
    site = Path(
        subprocess.run(
            [
                str(venv / "bin" / "python"),
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    # the dependencies come from the test venv; its editable gcm_kg does not (a .pth line adds
    # a folder to sys.path but does not run the .pth files inside it)
    (site / "borrowed-deps.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    home = root / "home"
    elsewhere = root / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GCM_KG_", "PYTHON", "VIRTUAL_ENV"))
    }
    env |= {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "xdg"),
        "PATH": f"{venv / 'bin'}:{env.get('PATH', '')}",
    }
    return Installed(venv / "bin", site, env, elsewhere, home / "xdg" / "gcm-kg")


def test_the_package_is_imported_from_site_packages(installed: Installed) -> None:
    out = subprocess.run(
        [
            str(installed.bin / "python"),
            "-c",
            "import gcm_kg.config as c; print(c.PACKAGE_DIR, c.DEFAULT_DATA_DIR, c.IN_CHECKOUT)",
        ],
        cwd=installed.cwd,
        env=installed.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == [str(installed.site / "gcm_kg"), str(installed.data_dir), "False"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(installed: Installed) -> Iterator[dict[str, object]]:
    """``gcm-kg serve`` from the unrelated directory, until it answers one request."""
    port = _free_port()
    proc = subprocess.Popen(
        [str(installed.bin / "gcm-kg"), "serve", "--port", str(port)],
        cwd=installed.cwd,
        env={**installed.env, "GCM_KG_QUERY_PROCESSES": "0"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "serving" in line:
                break
        assert any("serving" in x for x in lines), "".join(lines)
        query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": query})
        req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            body = json.loads(resp.read())
        yield {"lines": lines, "count": int(body["results"]["bindings"][0]["n"]["value"])}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stdout is not None:
            proc.stdout.close()


def test_serve_loads_the_shipped_graph_and_answers(
    served: dict[str, object], installed: Installed
) -> None:
    shipped = (installed.site / "gcm_kg" / "_data" / "data" / "graph" / "gcm-kg.nq").read_bytes()
    assert served["count"] == shipped.count(b"\n")
    assert any("loaded the shipped" in x for x in served["lines"])  # type: ignore[union-attr]
    assert (installed.data_dir / "store").is_dir()  # state in the data directory


def test_named_query_from_anywhere(served: dict[str, object], installed: Installed) -> None:
    run = installed.run("query", "--name", "cq01-round-table-objectives", "--param", "roundTable=2")
    assert run.returncode == 0, run.stderr
    assert "(7 rows)" in run.stdout and "objective/21" in run.stdout


def test_query_list_shows_the_catalogue(installed: Installed) -> None:
    run = installed.run("query", "--list")
    assert run.returncode == 0, run.stderr
    assert "cq01-round-table-objectives" in run.stdout


def test_validate_the_shipped_graph(installed: Installed) -> None:
    run = installed.run("validate")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "conforms" in run.stdout.lower()


@pytest.mark.skipif(shutil.which("java") is None, reason="no Java: gcm-kg check needs a JRE")
def test_check_the_shipped_graph(installed: Installed) -> None:
    run = installed.run("check", "--no-explain")
    assert run.returncode == 0, run.stdout + run.stderr


def test_build_without_sources_says_where_they_go(installed: Installed) -> None:
    run = installed.run("build", "--no-store")
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "GCM_KG_SHARED_DIR" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr


def test_build_with_the_shared_sources(served: dict[str, object], installed: Installed) -> None:
    shared = PROJECT_ROOT.parent / "shared"
    run = installed.run("build", "--no-store", extra={"GCM_KG_SHARED_DIR": str(shared)})
    assert run.returncode == 0, run.stderr
    built = installed.data_dir / "graph" / "gcm-kg.nq"
    quads = built.read_bytes().count(b"\n")
    assert f"built {quads} quads" in run.stdout
    shipped = installed.site / "gcm_kg" / "_data" / "data" / "graph" / "gcm-kg.nq"
    assert built.read_bytes() == shipped.read_bytes()  # the shipped graph is current
    # nothing was written into the installed package
    assert not list((installed.site / "gcm_kg").rglob("*.part"))
    assert (
        not (installed.site / "var").exists() and not (installed.site / "gcm_kg" / "var").exists()
    )
