"""The Compact's actions in the built graph say exactly what the actions table says.

The table is read here with the csv module, independently of the build, and every action of the
graph is compared with its row: letter, paragraph, text, completeness, wording basis, check.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDFS, XSD

from gcm_kg import iris
from gcm_kg.assembly import action_links, actions
from gcm_kg.assembly.assemble import Assembly
from gcm_kg.assembly.sources import SourceReader, normalise
from gcm_kg.config import Settings
from gcm_kg.errors import SourceError
from gcm_kg.namespaces import GCM

ACTIONS_GRAPH = iris.graph("gcm-reference-actions")
FINAL_DRAFT = iris.vocab("wording-basis", "final-draft")
ADOPTED = iris.vocab("wording-basis", "adopted")


@pytest.fixture(scope="module")
def table(settings: Settings) -> list[dict[str, str]]:
    path = settings.shared_dir / "data" / "gcm" / "actions.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def union(built_union) -> Graph:  # type: ignore[no-untyped-def]
    return built_union


@pytest.fixture(scope="module")
def graph(built) -> Graph:  # type: ignore[no-untyped-def]
    return built.dataset.graph(ACTIONS_GRAPH)


def _iri(row: dict[str, str]) -> URIRef:
    return URIRef(f"https://w3id.org/gcm-kg/id/objective/{row['objective']}/action/{row['letter']}")


def test_the_graph_has_one_action_per_row_and_no_other(
    table: list[dict[str, str]], union: Graph
) -> None:
    assert len(table) == 187
    assert set(union.subjects(RDF.type, GCM.Action)) == {_iri(r) for r in table}


def test_every_action_has_its_rows_letter_paragraph_and_objective(
    table: list[dict[str, str]], graph: Graph
) -> None:
    for row in table:
        a, o = _iri(row), iris.objective(int(row["objective"]))
        assert list(graph.objects(a, GCM.actionLetter)) == [Literal(row["letter"])], a
        assert list(graph.objects(a, GCM.compactParagraph)) == [
            Literal(int(row["paragraph"]), datatype=XSD.integer)
        ], a
        assert (a, GCM.actionOf, o) in graph and (o, GCM.hasAction, a) in graph


def test_no_action_text_differs_from_the_table(table: list[dict[str, str]], graph: Graph) -> None:
    for row in table:
        assert list(graph.objects(_iri(row), GCM.text)) == [Literal(row["text"], lang="en")]


def test_every_action_carries_its_check_and_completeness(
    table: list[dict[str, str]], graph: Graph
) -> None:
    for row in table:
        a = _iri(row)
        assert list(graph.objects(a, GCM.checkStatus)) == [Literal(row["check_against_adopted"])]
        complete = Literal(row["text_complete"] == "yes", datatype=XSD.boolean)
        assert list(graph.objects(a, GCM.textComplete)) == [complete], a
        assert {str(c) for c in graph.objects(a, GCM.correction)} == (
            {row["corrections"]} if row["corrections"] else set()
        )


def test_the_wording_basis_follows_the_tables_text_basis(
    table: list[dict[str, str]], graph: Graph
) -> None:
    for row in table:
        expected = FINAL_DRAFT if "final draft" in row["text_basis"].lower() else ADOPTED
        assert list(graph.objects(_iri(row), GCM.wordingBasis)) == [expected]
    drafts = set(graph.subjects(GCM.wordingBasis, FINAL_DRAFT))
    assert len(drafts) == 182  # 178 of the package and 4 of the UN Network page


def test_wording_bases_are_named_concepts(union: Graph) -> None:
    from rdflib.namespace import SKOS

    for basis in (FINAL_DRAFT, ADOPTED):
        assert (basis, RDF.type, GCM.WordingBasis) in union
        assert list(union.objects(basis, SKOS.prefLabel))
    assert "final-draft wording" in str(union.value(FINAL_DRAFT, SKOS.prefLabel))


def test_objective_20s_incomplete_actions_are_marked_and_not_completed(graph: Graph) -> None:
    incomplete = set(graph.subjects(GCM.textComplete, Literal(False, datatype=XSD.boolean)))
    assert incomplete == {iris.action(20, "d"), iris.action(20, "i")}
    for a in incomplete:
        assert "[…" in str(graph.value(a, GCM.text))
    assert str(graph.value(iris.action(20, "i"), GCM.text)).endswith("[… excerpt ends here …]")


def test_each_action_names_its_source_row_and_table(
    table: list[dict[str, str]], graph: Graph
) -> None:
    doc = iris.document("gcm-reference-actions")
    for line, row in enumerate(table, start=2):  # no row of the table spans lines
        a = _iri(row)
        assert (a, PROV.wasDerivedFrom, doc) in graph
        assert (a, PROV.wasAttributedTo, iris.agent("gcm-reference-data")) in graph
        assert str(graph.value(a, GCM.locator)) == (
            f"A/RES/73/195, objective {row['objective']}, paragraph {row['paragraph']}"
            f" ({row['letter']}); shared/data/gcm/actions.csv, line {line}"
        )
        urls = {u.strip() for u in row["check_url"].split("|") if u.strip()}
        assert {str(u) for u in graph.objects(a, GCM.sourceURL)} == urls


def test_the_checks_are_attributed_to_the_curation_an_agent(graph: Graph) -> None:
    agent = iris.agent("gcm-reference-data")
    assert (agent, RDF.type, PROV.Agent) in graph
    assert "reference tables" in str(graph.value(agent, RDFS.label))


def test_the_actions_graph_is_described_with_the_tables_checksum(
    union: Graph, settings: Settings
) -> None:
    import hashlib

    doc = iris.document("gcm-reference-actions")
    assert (ACTIONS_GRAPH, PROV.wasDerivedFrom, doc) in union
    data = (settings.shared_dir / "data" / "gcm" / "actions.csv").read_bytes()
    assert str(union.value(doc, GCM.sha256)) == hashlib.sha256(data).hexdigest()


def test_actions_realize_the_commitment_text_where_the_graph_has_one(union: Graph) -> None:
    for n in range(1, 24):
        text = iris.commitment_text(n)
        has_text = (text, RDF.type, GCM.CommitmentText) in union
        for a in union.objects(iris.objective(n), GCM.hasAction):
            assert ((a, GCM.realizesCommitment, text) in union) is has_text, a
    assert not list(union.objects(iris.action(6, "a"), GCM.realizesCommitment))


def test_action_20a_cites_sdg_target_10c_with_the_gcms_words(union: Graph) -> None:
    a, target = iris.action(20, "a"), iris.sdg_target("10.c")
    assert (a, GCM.relatedSDGTarget, target) in union
    [link] = [
        k for k in union.objects(a, GCM.qualifiedLink) if (k, GCM.linkTarget, target) in union
    ]
    assert (link, GCM.linkBasis, iris.vocab("link-basis", "stated-by-source")) in union
    evidence = str(union.value(link, GCM.evidence))
    assert "in line with target 10.c" in evidence
    assert normalise(evidence) in normalise(str(union.value(a, GCM.text)))


def test_paragraph_65_quotes_action_8a_with_the_words_as_evidence(union: Graph) -> None:
    p, a = iris.paragraph(65), iris.action(8, "a")
    assert (p, GCM.quotesAction, a) in union
    [link] = [k for k in union.objects(p, GCM.qualifiedLink) if (k, GCM.linkTarget, a) in union]
    assert (link, GCM.linkBasis, iris.vocab("link-basis", "verbatim-quote")) in union
    assert str(union.value(link, GCM.evidence)).startswith("that uphold the prohibition")


def test_every_quote_occurs_in_both_texts_and_is_long(union: Graph) -> None:
    quotes = list(union.subject_objects(GCM.quotesAction))
    assert quotes
    for p, a in quotes:
        [link] = [k for k in union.objects(p, GCM.qualifiedLink) if (k, GCM.linkTarget, a) in union]
        words = str(union.value(link, GCM.evidence))
        assert normalise(words) in normalise(str(union.value(p, GCM.text)))
        assert normalise(words) in normalise(str(union.value(a, GCM.text)))
        assert len([w for w in words.split() if any(c.isalnum() for c in w)]) >= 13


# ---------------------------------------------------------------- a bad table stops the build


@pytest.fixture()
def shared(settings: Settings, tmp_path: Path) -> Path:
    shutil.copytree(settings.shared_dir / "data" / "gcm", tmp_path / "data" / "gcm")
    return tmp_path


def _build(shared: Path, settings: Settings) -> None:
    actions.build(Assembly(), SourceReader(shared, settings.project_dir))


def _edit(shared: Path, old: str, new: str) -> None:
    path = shared / "data" / "gcm" / "actions.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_missing_letter_stops_the_build(shared: Path, settings: Settings) -> None:
    path = shared / "data" / "gcm" / "actions.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("1,17,b,")))
    with pytest.raises(SourceError, match=r"objective 1's actions are lettered .*: b missing"):
        _build(shared, settings)


def test_an_incomplete_text_without_its_gap_marker_stops_the_build(
    shared: Path, settings: Settings
) -> None:
    _edit(shared, "[… excerpt ends here …]", "and other institutions.")
    with pytest.raises(
        SourceError, match=r"actions\.csv:\d+: an incomplete text must mark its gap"
    ):
        _build(shared, settings)


def test_a_paragraph_that_is_not_the_objectives_stops_the_build(
    shared: Path, settings: Settings
) -> None:
    _edit(shared, "1,17,a,", "1,18,a,")
    with pytest.raises(SourceError, match=r"actions\.csv:2: paragraph 18 is not objective 1's"):
        _build(shared, settings)


def test_an_unknown_wording_basis_stops_the_build(shared: Path, settings: Settings) -> None:
    _edit(shared, "final draft wording of 13 July 2018", "a blog post")
    with pytest.raises(SourceError, match=r"actions\.csv:2: text_basis .* names neither"):
        _build(shared, settings)


# ------------------------------------------------- pledges whose own words repeat an action's


def _add_pledge(shared: Path, slug: str, evidence: str) -> int:
    """Append a (synthetic, test-only) pledge row; returns the line it is on."""
    path = shared / "data" / "gcm" / "pledges.csv"
    with path.open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    row = {c: "" for c in header} | {"id": slug, "title": slug, "evidence": evidence}
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f).writerow([row[c] for c in header])
    return len(path.read_text(encoding="utf-8").splitlines())


def _pledge_quotes(shared: Path, settings: Settings) -> tuple[Graph, list[action_links.Quote]]:
    asm, reader = Assembly(), SourceReader(shared, settings.project_dir)
    found = action_links.pledge_quotes(asm, reader, actions.build(Assembly(), reader))
    return asm.dataset.graph(ACTIONS_GRAPH), found


def test_a_pledge_repeating_13_words_of_an_action_quotes_it_from_its_table_row(
    shared: Path, settings: Settings, table: list[dict[str, str]]
) -> None:
    [row] = [r for r in table if (r["objective"], r["letter"]) == ("13", "h")]
    words = " ".join(row["text"].split()[:13])
    line = _add_pledge(shared, "test-pledge", f"We pledge to {words} across the region.")
    graph, found = _pledge_quotes(shared, settings)
    pledge, action = iris.pledge("test-pledge"), iris.action(13, "h")
    assert [(q.passage.subject, q.action.iri, q.text) for q in found] == [(pledge, action, words)]
    assert (pledge, GCM.quotesAction, action) in graph
    [link] = list(graph.objects(pledge, GCM.qualifiedLink))
    assert (link, GCM.linkBasis, iris.vocab("link-basis", "verbatim-quote")) in graph
    assert str(graph.value(link, GCM.evidence)) == words
    # the words are found in the pledge table's row, not in a paragraph or a seed
    assert graph.value(link, PROV.wasDerivedFrom) == iris.table_row("gcm-pledges", line)


def test_a_pledge_sharing_only_12_words_with_an_action_quotes_nothing(
    shared: Path, settings: Settings, table: list[dict[str, str]]
) -> None:
    [row] = [r for r in table if (r["objective"], r["letter"]) == ("13", "h")]
    _add_pledge(shared, "test-pledge", f"We {' '.join(row['text'].split()[:12])} always.")
    graph, found = _pledge_quotes(shared, settings)
    assert found == []
    assert not list(graph.subjects(GCM.quotesAction, None))
