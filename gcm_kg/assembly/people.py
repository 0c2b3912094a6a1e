"""Offices, groups, people and their statements, as the seeds name them.

Three curated tables: ``offices.csv`` (offices such as the President of the General Assembly,
and the groups requests are addressed to), ``people.csv`` (one row per person and office held,
dated by the session or event the source gives) and ``statements.csv`` (what they said, quoted
or summed up by the source). Every row quotes its seed; the quote must name the person, and an
office holding or panel seat must be dated by a session or event. Nothing here is guessed: a
person's name, office, session and event are all in the quoted words or the cited row.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from gcm_kg import iris
from gcm_kg.assembly.assemble import Assembly, en
from gcm_kg.assembly.declaration import Declaration
from gcm_kg.assembly.quotes import Quotes, label, typed
from gcm_kg.assembly.sources import OFFICES, PEOPLE, STATEMENTS, Source, SourceReader, normalise
from gcm_kg.namespaces import GCM, ORG

OFFICE_CLASSES = {"Office": GCM.Office, "ActorGroup": GCM.ActorGroup}
REPORTED_AS = {"quoted", "summarised"}


ACTOR_CLASSES = (
    GCM.Actor,
    GCM.MemberState,
    GCM.UNEntity,
    GCM.IntergovernmentalOrganization,
    GCM.Observer,
    GCM.Stakeholder,
    GCM.ActorGroup,
)


def offices(asm: Assembly, reader: SourceReader, decl: Declaration) -> dict[str, URIRef]:
    """Offices and addressee groups by slug (groups are actors: ``id/actor/{slug}``)."""
    table = OFFICES
    quotes = Quotes(reader, decl, table)
    made: dict[str, URIRef] = {}
    cols = ["slug", "class", "name", "post_in", "source", "paragraph", "evidence"]
    for line, row in reader.rows(table, cols):
        if row["class"] not in OFFICE_CLASSES:
            raise reader.fail(table, line, f"unknown class {row['class']!r}: Office or ActorGroup")
        located = quotes.locate(line, row["source"], row["evidence"], row["paragraph"])
        try:
            iri = iris.office(row["slug"]) if row["class"] == "Office" else iris.actor(row["slug"])
        except ValueError as exc:
            raise reader.fail(table, line, str(exc)) from None
        asm.describe(table, iri, OFFICE_CLASSES[row["class"]], row["name"])
        asm.add(table, iri, SKOS.prefLabel, en(row["name"]))
        if row["post_in"]:
            org = iris.actor(row["post_in"])
            if row["class"] != "Office" or not typed(asm, org, *ACTOR_CLASSES):
                raise reader.fail(table, line, f"post_in {row['post_in']!r} is not a known actor")
            asm.add(table, iri, ORG.postIn, org)
        located.record(asm, table, iri)
        made[row["slug"]] = iri
    return made


def people(
    asm: Assembly, reader: SourceReader, decl: Declaration, office_iris: dict[str, URIRef]
) -> set[tuple[str, str]]:
    """Persons, their office holdings and panel seats; returns the (person, office) pairs."""
    table = PEOPLE
    quotes = Quotes(reader, decl, table)
    names: dict[str, str] = {}
    holdings: set[tuple[str, str]] = set()
    cols = ["person", "name", "office", "session", "during_event", "panelist_at", "source"]
    for line, row in reader.rows(table, [*cols, "evidence"]):
        located = quotes.locate(line, row["source"], row["evidence"])
        said = normalise(row["evidence"])
        for col in ("name", "session"):
            if row[col] and normalise(row[col]) not in said:
                raise reader.fail(table, line, f"{col} {row[col]!r} is not in the evidence")
        if names.setdefault(row["person"], row["name"]) != row["name"]:
            raise reader.fail(table, line, f"{row['person']!r} has two names")
        office = office_iris.get(row["office"])
        if office is None or not str(office).startswith(iris.ID + "office/"):
            raise reader.fail(table, line, f"unknown office {row['office']!r}")
        if not (row["session"] or row["during_event"]):
            raise reader.fail(table, line, "date the holding: give a session or an event")
        if (row["person"], row["office"]) in holdings:
            raise reader.fail(table, line, f"{row['person']} holds {row['office']} twice")
        person = iris.person(row["person"])
        asm.describe(table, person, GCM.Person, row["name"])
        asm.add(table, person, SKOS.prefLabel, en(row["name"]))
        located.record(asm, table, person)
        holding = iris.office_holding(row["person"], row["office"])
        title = f"{row['name']} as {label(asm, office)}"
        asm.describe(table, holding, GCM.OfficeHolding, title)
        asm.add(table, holding, GCM.holder, person)
        asm.add(table, holding, GCM.office, office)
        if row["session"]:
            asm.add(table, holding, GCM.session, Literal(row["session"]))
        if row["during_event"]:
            event = _event(asm, reader, line, row["during_event"], table)
            asm.add(table, holding, GCM.duringEvent, event)
        if row["panelist_at"]:
            if "panel" not in said:
                raise reader.fail(table, line, "panelist_at needs evidence that names the panel")
            panel = _event(asm, reader, line, row["panelist_at"], table)
            asm.add(table, person, GCM.panelistAt, panel)
        located.record(asm, table, holding)
        holdings.add((row["person"], row["office"]))
    return holdings


def statements(
    asm: Assembly, reader: SourceReader, decl: Declaration, holdings: set[tuple[str, str]]
) -> None:
    table = STATEMENTS
    quotes = Quotes(reader, decl, table)
    cols = ["slug", "person", "offices", "event", "reported_as", "source", "evidence"]
    persons = {p for p, _ in holdings}
    for line, row in reader.rows(table, cols):
        located = quotes.locate(line, row["source"], row["evidence"])
        if row["person"] not in persons:
            raise reader.fail(table, line, f"unknown person {row['person']!r}")
        if row["reported_as"] not in REPORTED_AS:
            raise reader.fail(table, line, f"reported_as must be one of {sorted(REPORTED_AS)}")
        s = iris.statement(row["slug"])
        person = iris.person(row["person"])
        asm.describe(table, s, GCM.Statement, f"Statement of {label(asm, person)}")
        asm.add(table, s, GCM.statedBy, person)
        asm.add(table, s, GCM.text, en(row["evidence"]))
        asm.add(table, s, GCM.reportedAs, Literal(row["reported_as"]))
        for office in filter(None, (o.strip() for o in row["offices"].split(";"))):
            if (row["person"], office) not in holdings:
                raise reader.fail(table, line, f"{row['person']} holds no office {office!r}")
            asm.add(table, s, GCM.inCapacityOf, iris.office_holding(row["person"], office))
        if row["event"]:
            asm.add(table, s, GCM.deliveredAt, _event(asm, reader, line, row["event"], table))
        located.record(asm, table, s)


def _event(asm: Assembly, reader: SourceReader, line: int, slug: str, table: Source) -> URIRef:
    try:
        e = iris.event(slug)
    except ValueError:
        raise reader.fail(table, line, f"not an event slug: {slug!r}") from None
    if not typed(asm, e, GCM.Event):
        raise reader.fail(table, line, f"unknown event {slug!r}")
    return e


def build(asm: Assembly, reader: SourceReader, decl: Declaration) -> dict[str, URIRef]:
    office_iris = offices(asm, reader, decl)
    statements(asm, reader, decl, people(asm, reader, decl, office_iris))
    return office_iris
