"""The pledging initiative's pledges (``../shared/data/gcm/pledges.csv``) and the Compact-level
SDG link (``compact_sdg_links.csv``), with every qualifier the tables give.

Nothing is inferred: a pledge whose source states no objective gets ``gcm:objectivesStated
false`` and no ``gcm:supportsObjective``; an incomplete list says so (``gcm:objectivesComplete
false`` and the table's own words). Pledgers resolve to actors by name: a Member State by its UN
name or a name of it in parentheses (``Portugal (Ministry of Foreign Affairs)``), another actor
by its name or acronym, and an actor only a pledge page names by ``data/curated/pledge_actors.csv``,
whose rows quote that page's pledger as the pledge table gives it.
"""

from __future__ import annotations

import re

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from gcm_kg import iris
from gcm_kg.assembly.assemble import Assembly, en
from gcm_kg.assembly.declaration_rdf import add_link
from gcm_kg.assembly.rows import Rows
from gcm_kg.assembly.sources import (
    COMPACT_SDG_LINKS,
    GCM_PLEDGES,
    PLEDGE_ACTORS,
    Source,
    SourceReader,
    check_evidence,
)
from gcm_kg.namespaces import GCM

COLUMNS = [
    "id",
    "title",
    "pledgers",
    "pledger_kind",
    "pledge_type",
    "objectives",
    "objectives_complete",
    "guiding_principles",
    "nature",
    "date",
    "date_meaning",
    "evidence",
    "source_url",
    "other_source_urls",
    "evidence_strength",
    "notes",
]
SCHEMES = {
    "pledger_kind": ("pledger-kind", "Kinds of pledger", GCM.pledgerKind),
    "pledge_type": ("pledge-type", "Pledge types (pledge form)", GCM.pledgeType),
    "nature": ("pledge-nature", "Pledge natures (pledge form)", GCM.pledgeNature),
}
ACTOR_CLASSES = {"UNEntity", "Stakeholder", "ActorGroup", "IntergovernmentalOrganization"}


class PledgeImport:
    """Reads the pledge tables; ``names`` maps each known actor slug to its names."""

    def __init__(
        self,
        asm: Assembly,
        reader: SourceReader,
        rows: Rows,
        names: dict[str, set[str]],
        sdg_targets: set[URIRef],
    ) -> None:
        self.asm, self.reader, self.rows = asm, reader, rows
        self.names, self.sdg_targets = names, sdg_targets
        self.page_actors: dict[str, str] = {}  # pledger as written -> actor slug
        self.concepts: set[URIRef] = set()

    def run(self) -> None:
        pledge_rows = list(self.reader.rows(GCM_PLEDGES, COLUMNS))
        self.pledge_actors(pledge_rows)
        for line, row in pledge_rows:
            self.pledge(line, row)
        self.compact_sdg_links()

    def pledge_actors(self, pledge_rows: list[tuple[int, dict[str, str]]]) -> None:
        table = PLEDGE_ACTORS
        by_url = {row["source_url"]: (line, row) for line, row in pledge_rows}
        for line, row in self.reader.rows(
            table, ["slug", "class", "name", "acronym", "pledger", "source_url"]
        ):
            if row["source_url"] not in by_url:
                raise self.reader.fail(table, line, "source_url is no pledge's source_url")
            pledge_line, pledge = by_url[row["source_url"]]
            if row["pledger"] not in _split(pledge["pledgers"]):
                raise self.reader.fail(
                    table, line, f"{row['pledger']!r} is not that pledge's pledger"
                )
            for value in (row["name"], row["acronym"]):
                if value and not check_evidence(value, row["pledger"]):
                    raise self.reader.fail(table, line, f"{value!r} is not in the pledger's name")
            if row["class"] not in ACTOR_CLASSES:
                raise self.reader.fail(table, line, f"unknown actor class {row['class']!r}")
            if row["slug"] in self.names:
                raise self.reader.fail(table, line, f"actor {row['slug']!r} exists already")
            a = iris.actor(row["slug"])
            r = self.rows.row(table, line, row["pledger"], source_url=row["source_url"])
            # the quote is the pledge table's: that row is where it is found
            self.asm.add(table, r, GCM.quotedFrom, iris.table_row(GCM_PLEDGES.slug, pledge_line))
            self.asm.describe(table, a, GCM[row["class"]], row["name"])
            self.asm.add(table, a, SKOS.prefLabel, en(row["name"]))
            if row["acronym"]:
                self.asm.add(table, a, GCM.acronym, Literal(row["acronym"]))
            self.rows.describes(table, r, a)
            self.page_actors[row["pledger"]] = row["slug"]
            self.names[row["slug"]] = {row["name"], row["acronym"]} - {""}

    def resolve(self, line: int, pledger: str) -> URIRef:
        """The one actor a pledger names; anything else stops the build."""
        if pledger in self.page_actors:
            return iris.actor(self.page_actors[pledger])
        bare = re.sub(r"\s*\([^)]*\)$", "", pledger)
        found = sorted(
            slug for slug, names in self.names.items() if pledger in names or bare in names
        )
        if len(found) != 1:
            why = "no actor" if not found else f"several actors ({', '.join(found)})"
            raise self.reader.fail(GCM_PLEDGES, line, f"pledger {pledger!r} names {why}")
        return iris.actor(found[0])

    def pledge(self, line: int, row: dict[str, str]) -> None:
        src, add = GCM_PLEDGES, self.asm.add
        try:
            p = iris.pledge(row["id"])
        except ValueError as exc:
            raise self.reader.fail(src, line, str(exc)) from None
        r = self.rows.row(src, line, row["evidence"], source_url=row["source_url"])
        self.asm.describe(src, p, GCM.Pledge, row["title"])
        add(src, p, DCTERMS.title, en(row["title"]))
        for pledger in _split(row["pledgers"]):
            add(src, p, GCM.pledgerName, Literal(pledger))
            add(src, p, GCM.pledgedBy, self.resolve(line, pledger))
        for column, (scheme, title, prop) in SCHEMES.items():
            if row[column]:
                add(src, p, prop, self.concept(src, scheme, title, row[column]))
        self.objectives(line, row, p)
        for name in _split(row["guiding_principles"]):
            principle = iris.principle(iris.slugify(name))
            if not any(self.asm.dataset.quads((principle, RDF.type, GCM.GuidingPrinciple, None))):
                raise self.reader.fail(src, line, f"unknown guiding principle {name!r}")
            add(src, p, GCM.appliesPrinciple, principle)
        if bool(row["date"]) != bool(row["date_meaning"]):
            raise self.reader.fail(src, line, "a date needs date_meaning, and the other way round")
        if row["date"]:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["date"]):
                raise self.reader.fail(src, line, f"date {row['date']!r} is not YYYY-MM-DD")
            add(src, p, DCTERMS.date, Literal(row["date"], datatype=XSD.date))
            add(src, p, GCM.dateMeaning, en(row["date_meaning"]))
        add(src, p, GCM.sourceURL, Literal(row["source_url"], datatype=XSD.anyURI))
        for url in _split(row["other_source_urls"]):
            add(src, p, GCM.otherSourceURL, Literal(url, datatype=XSD.anyURI))
        add(src, p, GCM.evidenceStrength, en(row["evidence_strength"]))
        if row["notes"]:
            add(src, p, SKOS.editorialNote, en(row["notes"]))
        self.rows.describes(src, r, p)

    def objectives(self, line: int, row: dict[str, str], p: URIRef) -> None:
        src, add = GCM_PLEDGES, self.asm.add
        numbers = _split(row["objectives"])
        add(src, p, GCM.objectivesStated, Literal(bool(numbers)))
        if not numbers:
            if row["objectives_complete"]:
                raise self.reader.fail(src, line, "objectives_complete without objectives")
            return
        complete = row["objectives_complete"].split(" ", 1)[0]
        if complete not in ("yes", "no"):
            raise self.reader.fail(src, line, "objectives_complete must start with yes or no")
        add(src, p, GCM.objectivesComplete, Literal(complete == "yes"))
        add(src, p, GCM.objectivesNote, en(row["objectives_complete"]))
        for n in numbers:
            try:
                add(src, p, GCM.supportsObjective, iris.objective(int(n)))
            except ValueError:
                raise self.reader.fail(src, line, f"unknown objective {n!r} (1-23)") from None

    def concept(self, src: Source, scheme: str, title: str, value: str) -> URIRef:
        """A concept of one of the pledge tables' category schemes, labelled as first written."""
        c = iris.vocab(scheme, iris.slugify(value))
        if c not in self.concepts:
            self.concepts.add(c)
            s = iris.ID + "vocab/" + scheme
            self.asm.add(src, URIRef(s), RDF.type, SKOS.ConceptScheme)
            self.asm.add(src, URIRef(s), SKOS.prefLabel, en(title))
            self.asm.describe(src, c, SKOS.Concept, value)
            self.asm.add(src, c, SKOS.prefLabel, en(value))
            self.asm.add(src, c, SKOS.inScheme, URIRef(s))
        return c

    def compact_sdg_links(self) -> None:
        table = COMPACT_SDG_LINKS
        for line, row in self.reader.rows(
            table, ["sdg_target", "sdg_target_iri", "relation", "evidence", "source_url"]
        ):
            try:
                target = iris.sdg_target(row["sdg_target"])
            except ValueError as exc:
                raise self.reader.fail(table, line, str(exc)) from None
            if str(target) != row["sdg_target_iri"] or target not in self.sdg_targets:
                raise self.reader.fail(
                    table, line, f"{row['sdg_target_iri']} is not that SDG target"
                )
            r = self.rows.row(table, line, row["evidence"], source_url=row["source_url"])
            key = "sdg-" + row["sdg_target"].replace(".", "-")
            add_link(
                self.asm,
                table,
                iris.compact(),
                GCM.consistentWithSDGTarget,
                target,
                key,
                "stated-by-source",
                evidence=row["evidence"],
                rationale=row["relation"],
                derived_from=r,
            )
            link = iris.link(iris.compact(), key)
            self.asm.add(
                table, link, GCM.sourceURL, Literal(row["source_url"], datatype=XSD.anyURI)
            )


def _split(value: str) -> list[str]:
    """A table cell's list: items joined by ';' (URLs by ' ; ')."""
    return [v.strip() for v in value.split(";") if v.strip()]
