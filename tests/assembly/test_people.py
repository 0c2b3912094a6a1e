"""People and offices as the seeds name them, dated, linked to statements and events."""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from gcm_kg import iris
from gcm_kg.assembly.sources import BY_SLUG, normalise
from gcm_kg.config import Settings
from gcm_kg.namespaces import GCM

PLENARY = iris.event("ga-informal-plenary-2024-12-05")


@pytest.fixture(scope="module")
def ds(built_union) -> Graph:  # type: ignore[no-untyped-def]
    return built_union


def _holding(person: str, office: str) -> URIRef:
    return iris.office_holding(person, office)


def test_the_president_of_the_76th_assembly_chaired_the_forum(ds: Graph) -> None:
    pga = _holding("abdulla-shahid", "president-of-the-general-assembly")
    assert ds.value(pga, GCM.holder) == iris.person("abdulla-shahid")
    assert ds.value(pga, GCM.session) == Literal("76th Session")
    chair = _holding("abdulla-shahid", "imrf-chair")
    assert ds.value(chair, GCM.duringEvent) == iris.event("imrf-2022")


def test_the_iom_directors_general_of_2022_and_2024(ds: Graph) -> None:
    holders = {
        (str(ds.value(h, GCM.holder)).rsplit("/", 1)[1], str(ds.value(h, GCM.duringEvent)))
        for h in ds.subjects(GCM.office, iris.office("iom-director-general"))
    }
    assert holders == {
        ("antonio-vitorino", str(iris.event("imrf-2022"))),
        ("amy-pope", str(PLENARY)),
    }


def test_the_december_2024_panel(ds: Graph) -> None:
    panel = {str(p).rsplit("/", 1)[1] for p in ds.subjects(GCM.panelistAt, PLENARY)}
    assert panel == {"jeem-lippwe", "amina-j-mohammed", "amy-pope", "rose-kobusinge"}
    assert ds.value(_holding("amina-j-mohammed", "deputy-secretary-general"), GCM.duringEvent) == (
        PLENARY
    )


def test_statements_name_speaker_capacity_and_event(ds: Graph) -> None:
    s = iris.statement("amy-pope-ga-plenary-2024-12-05")
    assert ds.value(s, GCM.statedBy) == iris.person("amy-pope")
    assert ds.value(s, GCM.deliveredAt) == PLENARY
    assert (s, GCM.inCapacityOf, _holding("amy-pope", "iom-director-general")) in ds
    assert ds.value(s, GCM.reportedAs) == Literal("summarised")


def test_every_name_holding_and_statement_quotes_its_seed_on_the_line_it_cites(
    ds: Graph, settings: Settings
) -> None:
    seeds = {
        str(iris.document(slug)): (settings.shared_dir / src.relpath).read_text(encoding="utf-8")
        for slug, src in BY_SLUG.items()
        if src.relpath.startswith("seeds/")
    }
    subjects = (
        set(ds.subjects(RDF.type, GCM.Person))
        | set(ds.subjects(RDF.type, GCM.OfficeHolding))
        | set(ds.subjects(RDF.type, GCM.Statement))
    )
    assert len(subjects) == 6 + 10 + 6
    for s in subjects:
        rows = [o for o in ds.objects(s, PROV.wasDerivedFrom) if (o, RDF.type, GCM.TableRow) in ds]
        assert rows, s
        for row in rows:  # a person named in two rows (two offices) has both
            seed = seeds[str(ds.value(row, GCM.quotedFrom))]
            line = seed.splitlines()[int(ds.value(row, GCM.sourceLine)) - 1]
            assert normalise(str(ds.value(row, GCM.evidence))) in normalise(line), s
            assert (s, GCM.evidence, ds.value(row, GCM.evidence)) in ds, s


def test_every_person_is_named_in_the_quote(ds: Graph) -> None:
    for person in ds.subjects(RDF.type, GCM.Person):
        name = str(ds.value(person, SKOS.prefLabel))
        assert normalise(name) in normalise(str(ds.value(person, GCM.evidence))), person
