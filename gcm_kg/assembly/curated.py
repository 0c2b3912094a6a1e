"""Curated tables under ``data/curated/`` → RDF, each row checked against the source it cites.

A row whose evidence does not occur in its source, or that points at an unknown objective,
paragraph, actor or event, stops the build with the table's file and line.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from rdflib import XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from gcm_kg import iris
from gcm_kg.assembly.assemble import Assembly, en
from gcm_kg.assembly.declaration import Declaration
from gcm_kg.assembly.declaration_rdf import add_link
from gcm_kg.assembly.pledges import PledgeImport
from gcm_kg.assembly.rows import Rows
from gcm_kg.assembly.sources import (
    ACTOR_FACTS,
    ACTORS,
    BY_SLUG,
    DOCUMENTS,
    EVENTS,
    FIGURES,
    MEMBER_STATES,
    PARAGRAPH_OBJECTIVE_LINKS,
    PARAGRAPH_SDG_LINKS,
    PLEDGES,
    SEED_DECLARATION,
    SEEDS,
    Source,
    SourceReader,
    check_evidence,
)
from gcm_kg.namespaces import GCM

ACTOR_CLASSES = {
    "UNEntity",
    "Observer",
    "IntergovernmentalOrganization",
    "Stakeholder",
    "ActorGroup",
}
FACT_PROPERTIES = {
    "hasRole": "role",
    "memberOfGroup": "actor",
    "submittedVoluntaryReportTo": "event",
    "deliveredStatementAt": "event",
}
UNITS = {"persons", "percent", "usd", "pledges", "states", "count"}


class CuratedTables:
    """Reads the curated tables in order, so later tables can refer to what earlier ones made."""

    def __init__(
        self,
        asm: Assembly,
        reader: SourceReader,
        decl: Declaration,
        sdg_targets: set[URIRef],
        sdg_labels: dict[URIRef, str],
    ) -> None:
        self.asm, self.reader, self.decl = asm, reader, decl
        self.sdg_targets, self.sdg_labels = sdg_targets, sdg_labels
        self.actors: set[str] = set()
        self.events: set[str] = set()
        self.names: dict[str, set[str]] = {}  # actor slug -> its names and acronym
        self.rows = Rows(asm, reader, decl)

    def run(self) -> None:
        self.member_states()
        self.documents()
        self.events_table()
        self.actors_table()
        self.actor_facts()
        self.pledges()
        PledgeImport(self.asm, self.reader, self.rows, self.names, self.sdg_targets).run()
        self.paragraph_objective_links()
        self.paragraph_sdg_links()
        self.figures()

    # -- helpers
    def _seed(self, table: Source, line: int, slug: str) -> Source:
        src = BY_SLUG.get(slug)
        if src is None or src not in SEEDS:
            raise self.reader.fail(table, line, f"unknown source {slug!r}; use a seed's slug")
        return src

    def _evidence(
        self, table: Source, line: int, src: Source, evidence: str, within: str | None = None
    ) -> None:
        text = within if within is not None else self.reader.text(src)
        if not check_evidence(evidence, text):
            where = "the paragraph" if within is not None else src.relpath
            raise self.reader.fail(table, line, f"evidence {evidence!r} does not occur in {where}")

    def _paragraph_text(self, table: Source, line: int, value: str) -> tuple[int, str]:
        try:
            n = int(value)
            return n, self.decl.paragraphs[n - 1].text if n >= 1 else ""
        except (ValueError, IndexError):
            raise self.reader.fail(
                table, line, f"no paragraph {value!r} in the declaration"
            ) from None

    def _objective(self, table: Source, line: int, value: str) -> tuple[int, URIRef]:
        try:
            return int(value), iris.objective(int(value))
        except ValueError:
            raise self.reader.fail(table, line, f"unknown objective {value!r} (1-23)") from None

    def _actor(self, table: Source, line: int, slug: str) -> URIRef:
        if slug not in self.actors:
            raise self.reader.fail(table, line, f"unknown actor {slug!r}")
        return iris.actor(slug)

    def _event(self, table: Source, line: int, slug: str) -> URIRef:
        if slug not in self.events:
            raise self.reader.fail(table, line, f"unknown event {slug!r}")
        return iris.event(slug)

    # -- tables
    def member_states(self) -> None:
        """UN names: the UNTERM short name is the preferred label; the formal name (without its
        leading article) and a differing M49 name are alternative labels."""
        src = MEMBER_STATES
        for line, row in self.reader.rows(
            src, ["iso3", "un_short_name", "un_formal_name", "m49_name", "un_member_since"]
        ):
            code = row["iso3"]
            if not re.fullmatch(r"[A-Z]{3}", code):
                raise self.reader.fail(src, line, f"not an ISO 3166 alpha-3 code: {code!r}")
            a = iris.state(code)
            name = row["un_short_name"]
            r = self.rows.row(src, line, name)
            self.asm.describe(src, a, GCM.MemberState, name)
            self.asm.add(src, a, SKOS.prefLabel, en(name))
            alternatives = {re.sub(r"^the ", "", row["un_formal_name"]), row["m49_name"]}
            for alt in sorted(alternatives):
                if alt and _straight(alt) != _straight(name):
                    self.asm.add(src, a, SKOS.altLabel, en(alt))
            self.asm.add(src, a, GCM.iso3166Alpha3, Literal(code))
            self.asm.add(
                src, a, GCM.unMemberSince, Literal(row["un_member_since"], datatype=XSD.gYear)
            )
            self.rows.describes(src, r, a)
            self.actors.add(code.lower())
            self.names[code.lower()] = {name, *alternatives}
        if len(self.actors) != 193:
            raise self.reader.fail(src, None, f"{len(self.actors)} Member States, expected 193")

    def documents(self) -> None:
        table = DOCUMENTS
        for line, row in self.reader.rows(
            table, ["slug", "symbol", "title", "date", "source", "evidence"]
        ):
            src = self._seed(table, line, row["source"])
            self._evidence(table, line, src, row["evidence"])
            symbol = row["symbol"]
            d = iris.document_for_symbol(symbol) if symbol else iris.document(row["slug"])
            if str(d) != str(iris.document(row["slug"])):
                raise self.reader.fail(
                    table, line, f"slug {row['slug']!r} does not match {symbol!r}"
                )
            if symbol and symbol.split("/")[-1] not in self.reader.text(src):
                raise self.reader.fail(table, line, f"symbol {symbol!r} is not in {src.relpath}")
            r = self.rows.row(table, line, row["evidence"], src)
            self.asm.describe(table, d, GCM.Document, row["title"])
            self.asm.add(table, d, DCTERMS.title, en(row["title"]))
            if symbol:
                self.asm.add(table, d, GCM.documentSymbol, Literal(symbol))
            if row["date"]:
                self.asm.add(table, d, DCTERMS.date, Literal(row["date"], datatype=XSD.date))
            self.rows.describes(table, r, d)

    def events_table(self) -> None:
        table = EVENTS
        for line, row in self.reader.rows(
            table,
            ["slug", "title", "start_date", "end_date", "year", "location", "source", "evidence"],
        ):
            src = self._seed(table, line, row["source"])
            self._evidence(table, line, src, row["evidence"])
            e = iris.event(row["slug"])
            r = self.rows.row(table, line, row["evidence"], src)
            self.asm.describe(table, e, GCM.Event, row["title"])
            self.asm.add(table, e, DCTERMS.title, en(row["title"]))
            for col, prop in (("start_date", GCM.startDate), ("end_date", GCM.endDate)):
                if row[col]:
                    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", row[col]):
                        raise self.reader.fail(table, line, f"{col} {row[col]!r} is not YYYY-MM-DD")
                    self.asm.add(table, e, prop, Literal(row[col], datatype=XSD.date))
            if row["year"]:
                self.asm.add(table, e, GCM.year, Literal(row["year"], datatype=XSD.gYear))
            if row["location"]:
                if not check_evidence(row["location"], row["evidence"]):
                    raise self.reader.fail(
                        table, line, f"location {row['location']!r} is not in the evidence"
                    )
                self.asm.add(table, e, GCM.location, Literal(row["location"]))
            self.rows.describes(table, r, e)
            self.events.add(row["slug"])

    def actors_table(self) -> None:
        table = ACTORS
        rows = list(
            self.reader.rows(
                table, ["slug", "class", "name", "acronym", "part_of", "source", "evidence"]
            )
        )
        self.actors |= {row["slug"] for _, row in rows}
        for _, row in rows:
            self.names[row["slug"]] = {row["name"], row["acronym"]} - {""}
        for line, row in rows:
            src = self._seed(table, line, row["source"])
            self._evidence(table, line, src, row["evidence"])
            if row["class"] not in ACTOR_CLASSES:
                raise self.reader.fail(table, line, f"unknown actor class {row['class']!r}")
            a = iris.actor(row["slug"])
            r = self.rows.row(table, line, row["evidence"], src)
            self.asm.describe(table, a, GCM[row["class"]], row["name"])
            self.asm.add(table, a, SKOS.prefLabel, en(row["name"]))
            if row["acronym"]:
                self.asm.add(table, a, GCM.acronym, Literal(row["acronym"]))
            if row["part_of"]:
                whole = self._actor(table, line, row["part_of"])
                if not any(check_evidence(n, row["evidence"]) for n in self.names[row["part_of"]]):
                    raise self.reader.fail(
                        table, line, f"the evidence does not name {row['part_of']!r}"
                    )
                self.asm.add(table, a, GCM.partOfSystem, whole)
            self.rows.describes(table, r, a)

    def actor_facts(self) -> None:
        table = ACTOR_FACTS
        for line, row in self.reader.rows(
            table, ["actor", "property", "object", "source", "evidence"]
        ):
            src = self._seed(table, line, row["source"])
            self._evidence(table, line, src, row["evidence"])
            a = self._actor(table, line, row["actor"])
            kind = FACT_PROPERTIES.get(row["property"])
            if kind is None:
                raise self.reader.fail(table, line, f"unknown property {row['property']!r}")
            if kind == "role":
                obj = iris.vocab("role", row["object"])
            elif kind == "actor":
                obj = self._actor(table, line, row["object"])
            else:
                obj = self._event(table, line, row["object"])
            r = self.rows.row(table, line, row["evidence"], src)
            self.rows.states(table, r, a, GCM[row["property"]], obj)

    def pledges(self) -> None:
        table = PLEDGES
        for line, row in self.reader.rows(
            table, ["slug", "title", "description", "actors", "made_at", "source", "evidence"]
        ):
            src = self._seed(table, line, row["source"])
            self._evidence(table, line, src, row["evidence"])
            p = iris.pledge(row["slug"])
            r = self.rows.row(table, line, row["evidence"], src)
            self.asm.describe(table, p, GCM.Pledge, row["title"])
            self.asm.add(table, p, DCTERMS.title, en(row["title"]))
            self.asm.add(table, p, DCTERMS.description, en(row["description"]))
            for slug in filter(None, row["actors"].split(";")):
                self.asm.add(table, p, GCM.pledgedBy, self._actor(table, line, slug.strip()))
            if row["made_at"]:
                self.asm.add(table, p, GCM.madeAt, self._event(table, line, row["made_at"]))
            # the table has no objectives column: these sources name no objective
            self.asm.add(table, p, GCM.objectivesStated, Literal(False))
            self.rows.describes(table, r, p)

    def paragraph_objective_links(self) -> None:
        table = PARAGRAPH_OBJECTIVE_LINKS
        for line, row in self.reader.rows(
            table, ["paragraph", "objective", "evidence", "rationale"]
        ):
            n, text = self._paragraph_text(table, line, row["paragraph"])
            self._evidence(table, line, SEED_DECLARATION, row["evidence"], within=text)
            o, obj = self._objective(table, line, row["objective"])
            if not row["rationale"]:
                raise self.reader.fail(table, line, "a curated link needs a rationale")
            add_link(
                self.asm,
                table,
                iris.paragraph(n),
                GCM.addressesObjective,
                obj,
                f"objective-{o}",
                "curated",
                evidence=row["evidence"],
                rationale=row["rationale"],
                derived_from=iris.paragraph(n),
            )

    def paragraph_sdg_links(self) -> None:
        table = PARAGRAPH_SDG_LINKS
        for line, row in self.reader.rows(
            table, ["paragraph", "sdg_target", "evidence", "target_evidence", "rationale"]
        ):
            n, text = self._paragraph_text(table, line, row["paragraph"])
            self._evidence(table, line, SEED_DECLARATION, row["evidence"], within=text)
            try:
                target = iris.sdg_target(row["sdg_target"])
            except ValueError as exc:
                raise self.reader.fail(table, line, str(exc)) from None
            if target not in self.sdg_targets:
                raise self.reader.fail(table, line, f"{row['sdg_target']} is not an SDG target")
            label = self.sdg_labels.get(target, "")
            if not check_evidence(row["target_evidence"], label):
                raise self.reader.fail(table, line, "target_evidence is not in the target's label")
            add_link(
                self.asm,
                table,
                iris.paragraph(n),
                GCM.mentionsSDGTarget,
                target,
                "sdg-" + row["sdg_target"].replace(".", "-"),
                "curated",
                evidence=row["evidence"],
                rationale=row["rationale"],
                derived_from=iris.paragraph(n),
            )

    def figures(self) -> None:
        table = FIGURES
        cols = [
            "slug",
            "source",
            "paragraph",
            "evidence",
            "value",
            "unit",
            "qualifier",
            "measure",
            "period",
            "is_target",
        ]
        for line, row in self.reader.rows(table, cols):
            src = self._seed(table, line, row["source"])
            f = iris.figure(row["slug"])
            if row["paragraph"]:
                n, text = self._paragraph_text(table, line, row["paragraph"])
                self._evidence(table, line, src, row["evidence"], within=text)
                r = self.rows.row(table, line, row["evidence"], src, paragraph=n)
            else:
                self._evidence(table, line, src, row["evidence"])
                r = self.rows.row(table, line, row["evidence"], src)
            origin = self.asm.dataset.graph(self.asm.graph_iri(table)).value(r, GCM.quotedFrom)
            assert isinstance(origin, URIRef), f"row {r} has no locator"
            value = _decimal(row["value"])
            if value is None or not _value_stated(value, row["evidence"]):
                raise self.reader.fail(
                    table, line, f"value {row['value']!r} is not stated in the evidence"
                )
            if row["unit"] not in UNITS:
                raise self.reader.fail(table, line, f"unknown unit {row['unit']!r}")
            if not re.fullmatch(
                r"\d{4}(-Q[1-4]|-\d{2}(-\d{2})?)?(/\d{4}(-\d{2})?)?", row["period"]
            ):
                raise self.reader.fail(
                    table, line, f"period {row['period']!r} is not ISO 8601 text"
                )
            src = table
            self.asm.describe(src, f, GCM.Figure, f"{row['measure']} ({row['period']})")
            self.asm.add(src, f, GCM.figureValue, Literal(str(value), datatype=XSD.decimal))
            self.asm.add(src, f, GCM.unit, iris.vocab("unit", row["unit"]))
            self.asm.add(src, f, GCM.qualifier, Literal(row["qualifier"]))
            self.asm.add(src, f, GCM.measure, en(row["measure"]))
            self.asm.add(src, f, GCM.referencePeriod, Literal(row["period"]))
            year = re.findall(r"\d{4}", row["period"])[-1]
            self.asm.add(src, f, GCM.referenceYear, Literal(year, datatype=XSD.gYear))
            self.asm.add(src, f, GCM.isTarget, Literal(row["is_target"] == "true"))
            self.rows.states(src, r, origin, GCM.statesFigure, f)
            self.rows.describes(src, r, f)


def _straight(text: str) -> str:
    return text.replace("\u2019", "'")


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


_SCALE = {"million": Decimal(10**6), "billion": Decimal(10**9)}


def _value_stated(value: Decimal, evidence: str) -> bool:
    """True when a number in the evidence (with 'million'/'billion' applied) equals the value."""
    for m in re.finditer(r"(\d[\d,]*(?:\.\d+)?)(?:\s+(million|billion))?", evidence):
        number = Decimal(m.group(1).replace(",", ""))
        if m.group(2):
            number *= _SCALE[m.group(2)]
        if number == value:
            return True
    return False


def sdg_labels(asm: Assembly) -> dict[URIRef, str]:
    """English labels of SDG concepts, for checking curated target evidence."""
    from gcm_kg.assembly.sources import SDG_KOS

    g = asm.dataset.graph(asm.graph_iri(SDG_KOS))
    return {
        s: str(o)
        for s, o in g.subject_objects(SKOS.prefLabel)
        if isinstance(s, URIRef) and getattr(o, "language", None) == "en"
    }
