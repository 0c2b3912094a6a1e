"""Paragraph kinds come from the reviewed table; cue phrases only propose them."""

from __future__ import annotations

import csv
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import Graph

from gcm_kg import iris
from gcm_kg.assembly import declaration, paragraph_kinds
from gcm_kg.assembly.declaration_rdf import paragraph_kinds as cue_kinds
from gcm_kg.assembly.sources import SEED_DECLARATION, SourceReader, check_evidence
from gcm_kg.config import Settings
from gcm_kg.errors import SourceError
from gcm_kg.namespaces import GCM

KIND = iris.ID + "vocab/paragraph-kind/"


@pytest.fixture(scope="module")
def ds(built_union) -> Graph:  # type: ignore[no-untyped-def]
    return built_union


@pytest.fixture(scope="module")
def table(settings: Settings) -> dict[int, dict[str, str]]:
    """The curated table read with the csv module alone: paragraph → {kind: quote}."""
    path = settings.project_dir / "data" / "curated" / "paragraph_kinds.csv"
    rows: dict[int, dict[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            rows.setdefault(int(row["paragraph"]), {})[row["kind"]] = row["evidence"]
    return rows


@pytest.fixture(scope="module")
def decl(settings: Settings) -> declaration.Declaration:
    path = settings.shared_dir / SEED_DECLARATION.relpath
    return declaration.parse(path.read_text(encoding="utf-8"), path)


def _kinds(ds: Graph, n: int) -> set[str]:
    return {str(k).removeprefix(KIND) for k in ds.objects(iris.paragraph(n), GCM.paragraphKind)}


def test_the_table_gives_all_77_paragraphs_a_kind(table: dict[int, dict[str, str]]) -> None:
    assert sorted(table) == list(range(1, 78))


def test_the_graph_has_exactly_the_reviewed_kinds_of_all_77_paragraphs(
    ds: Graph, table: dict[int, dict[str, str]]
) -> None:
    assert {n: _kinds(ds, n) for n in range(1, 78)} == {n: set(k) for n, k in table.items()}


def test_every_deciding_quote_stands_in_its_paragraph(
    table: dict[int, dict[str, str]], decl: declaration.Declaration
) -> None:
    for n, kinds in table.items():
        for kind, quote in kinds.items():
            assert check_evidence(quote, decl.paragraphs[n - 1].text), (n, kind)


def test_each_kind_in_the_graph_carries_its_quote(
    ds: Graph, table: dict[int, dict[str, str]]
) -> None:
    for n, kinds in table.items():
        para = iris.paragraph(n)
        for kind, quote in kinds.items():
            [link] = [
                link
                for link in ds.objects(para, GCM.qualifiedLink)
                if (link, GCM.linkTarget, iris.vocab("paragraph-kind", kind)) in ds
            ]
            assert str(ds.value(link, GCM.evidence)) == quote


@pytest.mark.parametrize("n", [27, 33, 34, 35])
def test_negated_progress_is_a_challenge_not_progress(ds: Graph, n: int) -> None:
    assert _kinds(ds, n) == {"challenge"}


def test_cue_phrases_propose_progress_where_limited_progress_is_reported(
    decl: declaration.Declaration, ds: Graph
) -> None:
    """The proposal the table overrules: 'Limited progress has been made' matched 'progress'."""
    assert "progress" in {k for k, _ in cue_kinds(decl.paragraphs[32].text)}
    assert "progress" not in _kinds(ds, 33)


def test_a_finding_of_progress_and_a_challenge_keeps_both(ds: Graph) -> None:
    assert _kinds(ds, 24) == {"progress", "challenge"}


def _reader_with(settings: Settings, tmp_path: Path, edit) -> SourceReader:  # type: ignore[no-untyped-def]
    project = tmp_path / "project"
    shutil.copytree(settings.project_dir / "data" / "curated", project / "data" / "curated")
    path = project / "data" / "curated" / "paragraph_kinds.csv"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    ws = replace(settings, project_dir=project)
    return SourceReader(ws.shared_dir, ws.project_dir)


def test_a_paragraph_without_a_kind_stops_the_build(
    settings: Settings, tmp_path: Path, decl: declaration.Declaration
) -> None:
    def drop_50(text: str) -> str:
        return "\n".join(line for line in text.split("\n") if not line.startswith("50,"))

    reader = _reader_with(settings, tmp_path, drop_50)
    with pytest.raises(SourceError, match=r"paragraph_kinds\.csv: no kind for paragraph\(s\) 50"):
        paragraph_kinds.read(reader, decl)


def test_a_quote_not_in_its_paragraph_stops_the_build(
    settings: Settings, tmp_path: Path, decl: declaration.Declaration
) -> None:
    reader = _reader_with(settings, tmp_path, lambda t: t + "33,progress,Smuggling has ended,\n")
    with pytest.raises(SourceError, match=r"paragraph_kinds\.csv:\d+: evidence .* paragraph 33"):
        paragraph_kinds.read(reader, decl)
