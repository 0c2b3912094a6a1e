"""The top level is the design's fixed layout (DESIGN.md, "Layout"); the wheel's package data are
those same folders, reached through links in ``gcm_kg/_data``, so nothing is kept twice."""

from __future__ import annotations

from pathlib import Path

from gcm_kg import config
from gcm_kg.config import Settings

ROOT = Path(__file__).resolve().parent.parent
DATA_FOLDERS = ("ontology", "shapes", "queries", "data")


def test_the_top_level_holds_the_designs_folders_and_files() -> None:
    for name in (*DATA_FOLDERS, "gcm_kg", "tests"):
        assert (ROOT / name).is_dir() and not (ROOT / name).is_symlink(), name
    for name in ("server.py", "pyproject.toml", "README.md"):
        assert (ROOT / name).is_file(), name
    assert (ROOT / "data" / "curated").is_dir() and (ROOT / "data" / "graph").is_dir()


def test_the_package_data_link_to_the_top_level_folders() -> None:
    for name in DATA_FOLDERS:
        link = ROOT / "gcm_kg" / "_data" / name
        assert link.is_symlink(), f"gcm_kg/_data/{name} is not a link"
        assert link.resolve() == (ROOT / name).resolve(), name


def test_a_checkout_reads_and_builds_in_the_top_level_folders() -> None:
    assert config.IN_CHECKOUT
    assert Settings().project_dir.resolve() == ROOT
    assert Settings().graph_dir.resolve() == ROOT / "data" / "graph"
