"""The same static checks locally and in CI: ruff (lint and format), mypy, the import contracts
of pyproject.toml (layers, independence) and no import cycles."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    assert found, f"{name} is not installed: pip install -e '.[test]'"
    return found


def test_ruff_lint_is_clean() -> None:
    run = subprocess.run(
        [_tool("ruff"), "check", "gcm_kg", "tests", "bench", "server.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_ruff_format_is_clean() -> None:
    run = subprocess.run(
        [_tool("ruff"), "format", "--check", "gcm_kg", "tests", "bench", "server.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.slow
def test_mypy_is_clean() -> None:
    run = subprocess.run([_tool("mypy"), "gcm_kg"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def _lint_imports(*config: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_tool("lint-imports"), "--no-cache", *config],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_import_contracts_hold() -> None:
    """The layers and independence contracts of pyproject.toml (ARCHITECTURE.md)."""
    run = _lint_imports()
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_a_broken_layer_is_reported(tmp_path: Path) -> None:
    """The contract tool fails on an upward import: the store layer under the web layer, read
    the other way round, is broken by every store the web opens."""
    config = tmp_path / "contracts.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "gcm_kg"\n\n'
        "[[tool.importlinter.contracts]]\n"
        'name = "upside down"\ntype = "layers"\nlayers = ["gcm_kg.store", "gcm_kg.web"]\n'
    )
    run = _lint_imports(str(config))
    assert run.returncode != 0
    assert "1 broken" in run.stdout and "gcm_kg.web" in run.stdout


def test_no_import_cycles() -> None:
    """No module of gcm_kg imports, directly or through others, a module that imports it back
    (lazy imports inside functions count too)."""
    import grimp

    graph = grimp.build_graph("gcm_kg")
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    cycles = [c for c in _strongly_connected(edges) if len(c) > 1]
    assert not cycles, "import cycles: " + "; ".join(" ↔ ".join(sorted(c)) for c in cycles)


def _strongly_connected(edges: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iteratively (the package is deep enough to matter)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                found.append(component)
    return found


def test_strongly_connected_finds_a_cycle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert [c for c in _strongly_connected(edges) if len(c) > 1] == [{"a", "b", "c"}]


def test_own_context_agrees_with_the_linked_views() -> None:
    """rdf/own_context (what the input screening inlines) and linked/context (what is served)
    name the same file and URL."""
    from gcm_kg.linked import context as linked
    from gcm_kg.rdf import own_context

    assert own_context.CONTEXT_FILE == linked.CONTEXT_FILE
    assert own_context.context_url("https://example.org/") == linked.context_url(
        "https://example.org/"
    )
