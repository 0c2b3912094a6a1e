"""Bad sources stop the build with the file and line, and leave the previous build intact."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from gcm_kg.assembly.pipeline import build
from gcm_kg.config import Settings
from gcm_kg.errors import SourceError


@pytest.fixture(scope="module")
def built_workspace(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A private copy of the shared sources and the curated tables, built once for the module
    (tests never change it: each takes its own copy)."""
    root = tmp_path_factory.mktemp("workspace")
    shared = root / "shared"
    shutil.copytree(settings.shared_dir / "seeds", shared / "seeds")
    shutil.copytree(settings.shared_dir / "data", shared / "data")
    project = root / "project"
    for folder in ("ontology", "data/curated", "queries"):
        shutil.copytree(settings.project_dir / folder, project / folder)
    ws = replace(settings, shared_dir=shared, project_dir=project, graph_dir=root / "graph")
    build(ws, load_store=False)
    return ws


@pytest.fixture()
def workspace(built_workspace: Settings, tmp_path: Path) -> Settings:
    """This test's copy of the built workspace: sources, curated tables and the graph built from
    them, as if built here (copying is cheaper than building again)."""
    ws = built_workspace
    shutil.copytree(ws.shared_dir, tmp_path / "shared")
    shutil.copytree(ws.project_dir, tmp_path / "project")
    shutil.copytree(ws.graph_dir, tmp_path / "graph")
    return replace(
        ws,
        shared_dir=tmp_path / "shared",
        project_dir=tmp_path / "project",
        graph_dir=tmp_path / "graph",
    )


def _append(path: Path, line: str) -> int:
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def _outputs(ws: Settings) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in ws.graph_dir.iterdir()}


def test_missing_source_names_the_file(workspace: Settings) -> None:
    seed = workspace.shared_dir / "seeds" / "002_cea77e69fc1e2556.txt"
    seed.unlink()
    with pytest.raises(SourceError, match=r"002_cea77e69fc1e2556\.txt: source file is missing"):
        build(workspace, load_store=False)


def test_curated_row_with_unknown_objective_names_file_and_line(workspace: Settings) -> None:
    table = workspace.curated_dir / "paragraph_objective_links.csv"
    line = _append(table, '67,24,reduce the average transaction cost of migrant remittances,"x"')
    with pytest.raises(
        SourceError, match=rf"paragraph_objective_links\.csv:{line}: unknown objective '24'"
    ):
        build(workspace, load_store=False)


def test_evidence_not_in_the_source_is_refused(workspace: Settings) -> None:
    table = workspace.curated_dir / "figures.csv"
    line = _append(
        table,
        "invented,imrf-progress-declaration-draft-resolution,9,999 million migrants,999000000,"
        "persons,exact,invented,2020,false",
    )
    with pytest.raises(
        SourceError, match=rf"figures\.csv:{line}: evidence '999 million migrants' does not occur"
    ):
        build(workspace, load_store=False)


def test_value_must_be_stated_in_the_evidence(workspace: Settings) -> None:
    table = workspace.curated_dir / "figures.csv"
    line = _append(
        table,
        "wrong,imrf-progress-declaration-draft-resolution,9,of whom 48 per cent were women and girls,"
        "49,percent,exact,wrong,2020,false",
    )
    with pytest.raises(SourceError, match=rf"figures\.csv:{line}: value '49' is not stated"):
        build(workspace, load_store=False)


def test_malformed_csv_row_names_the_line(workspace: Settings) -> None:
    table = workspace.curated_dir / "actor_facts.csv"
    line = _append(table, "mex,hasRole")
    with pytest.raises(SourceError, match=rf"actor_facts\.csv:{line}: wrong number of fields"):
        build(workspace, load_store=False)


def test_malformed_ontology_is_reported(workspace: Settings) -> None:
    _append(workspace.ontology_file, "gcm:Broken a ")
    with pytest.raises(SourceError, match=r"gcm\.ttl: cannot parse the ontology"):
        build(workspace, load_store=False)


def test_declaration_with_a_missing_paragraph_names_the_line(workspace: Settings) -> None:
    seed = workspace.shared_dir / "seeds" / "003_7bae42176274279c.txt"
    text = seed.read_text(encoding="utf-8")
    seed.write_text(
        text.replace("\n40. Progress was achieved", "\n41. Progress was achieved"), encoding="utf-8"
    )
    with pytest.raises(
        SourceError, match=r"003_7bae42176274279c\.txt:\d+: paragraph 41 where 40 was expected"
    ):
        build(workspace, load_store=False)


def test_a_failed_build_leaves_the_previous_one_intact(workspace: Settings) -> None:
    before = _outputs(workspace)
    _append(workspace.curated_dir / "paragraph_objective_links.csv", "99,1,x,y")
    with pytest.raises(SourceError):
        build(workspace, load_store=False)
    assert _outputs(workspace) == before


def test_a_failed_build_leaves_the_store_intact(workspace: Settings, tmp_path: Path) -> None:
    from gcm_kg.store import open_store

    ws = replace(workspace, store=f"oxigraph:{tmp_path / 'store'}")
    build(ws)
    with open_store(ws.store) as store:
        count = store.count()
    _append(ws.curated_dir / "actors.csv", "x,Stakeholder,X,,,no-such-source,x")
    with pytest.raises(SourceError, match="unknown source 'no-such-source'"):
        build(ws)
    with open_store(ws.store) as store:
        assert store.count() == count


def test_an_event_location_the_evidence_does_not_state_is_refused(workspace: Settings) -> None:
    table = workspace.curated_dir / "events.csv"
    line = _append(
        table,
        'x-hearing,Hearing,2022-05-16,2022-05-16,2022,"Geneva",imrf-2022-closing-press-release,'
        '"on the eve of the Forum, on 16 May, an informal hearing with stakeholders took place"',
    )
    with pytest.raises(SourceError, match=rf"events\.csv:{line}: location 'Geneva' is not in"):
        build(workspace, load_store=False)


def test_a_part_of_link_the_evidence_does_not_state_is_refused(workspace: Settings) -> None:
    table = workspace.curated_dir / "actors.csv"
    line = _append(
        table,
        "x-network,UNEntity,X Network,,un-network-on-migration,iom-imrf-2022-regional-results,"
        '"The United Nations Regional Network on Migration2, meanwhile, made a commitment"',
    )
    with pytest.raises(SourceError, match=rf"actors\.csv:{line}: the evidence does not name"):
        build(workspace, load_store=False)


def test_a_pledger_that_names_no_actor_is_refused(workspace: Settings) -> None:
    table = workspace.shared_dir / "data" / "gcm" / "pledges.csv"
    text = table.read_text(encoding="utf-8").replace(
        ",Canada,Member State,Individual,", ",Atlantis,Member State,Individual,"
    )
    table.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match=r"pledges\.csv:\d+: pledger 'Atlantis' names no actor"):
        build(workspace, load_store=False)


def test_objective_completeness_without_objectives_is_refused(workspace: Settings) -> None:
    table = workspace.shared_dir / "data" / "gcm" / "pledges.csv"
    text = table.read_text(encoding="utf-8").replace(
        ",Canada,Member State,Individual,3;7;16;21,yes,", ",Canada,Member State,Individual,,yes,"
    )
    table.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match=r"pledges\.csv:\d+: objectives_complete without"):
        build(workspace, load_store=False)


def test_a_quote_on_no_single_line_of_its_seed_is_refused(workspace: Settings) -> None:
    table = workspace.curated_dir / "actor_facts.csv"
    line = _append(
        table,
        "can,hasRole,champion-country,iom-imrf-2022-regional-results,"
        '"(Costa Rica, El Salvador, Honduras, Guatemala, Jamaica and Panama) The 6 Champion"',
    )
    with pytest.raises(SourceError, match=rf"actor_facts\.csv:{line}: evidence"):
        build(workspace, load_store=False)
