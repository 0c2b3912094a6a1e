"""What each type's page says first: the answers to its readers' questions, as plain data.

The statement table (``page.py``) shows everything the graph says; a view picks what a reader
of that type came for — for an objective: its commitment text, round table, actions, the
paragraphs and commitments addressing it grouped by basis with the evidence quoted, pledges
and pledgers, SDG targets; for an actor: roles with dates, pledges, statements; for a
commitment: the clause, who commits and who is asked, the time frame, objectives with
evidence, and what fulfilled it. No HTML here, no Flask: queries through the store interface,
the resource bound as a term, names from ``labels`` (the trust model: a curator's graph never
names an official resource). A fact that comes from a graph other than the source graphs
carries that graph, so the page can say whose statement it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from gcm_kg import trust
from gcm_kg.linked import view_queries as q
from gcm_kg.linked.describe import Description
from gcm_kg.linked.frames import ACTOR_TYPES
from gcm_kg.linked.jsonld import natural_key
from gcm_kg.linked.labels import labels
from gcm_kg.linked.view_specs import VIEWS
from gcm_kg.store import Store

GCM = trust.GCM


@dataclass
class Item:
    """One thing a page lists: a resource (linked) or a text, with what qualifies it."""

    iri: str | None
    label: str = ""
    note: str = ""
    quote: str = ""
    graph: str | None = None  # set only when the fact is not from a source graph
    lang: str | None = None
    key: tuple[tuple[int, int, str], ...] = ()


@dataclass
class Section:
    title: str
    items: list[Item] = field(default_factory=list)
    groups: list[Section] = field(default_factory=list)
    empty: str = ""  # what to say when there is nothing
    quotes: bool = False  # the items are words of a source, shown as quotations

    def __bool__(self) -> bool:
        return bool(self.items or self.groups)


@dataclass
class View:
    """A template name and the sections it shows, in order; ``facts`` are short key/values."""

    template: str
    facts: list[tuple[str, Item]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def fact_groups(self) -> list[tuple[str, list[Item]]]:
        """The facts by name, in the order the view gives them."""
        out: dict[str, list[Item]] = {}
        for name, item in self.facts:
            out.setdefault(name, []).append(item)
        return list(out.items())

    def section(self, title: str) -> Section | None:
        return next((s for s in self.sections if s.title == title), None)


TEMPLATES: tuple[tuple[str, str], ...] = (
    (GCM + "Objective", "objective"),
    (GCM + "DeclarationParagraph", "paragraph"),
    (GCM + "Request", "commitment"),
    (GCM + "Commitment", "commitment"),
    (GCM + "RoundTable", "round-table"),
    (GCM + "GuidingPrinciple", "principle"),
    (GCM + "Pledge", "pledge"),
    (GCM + "Event", "event"),
    (GCM + "Document", "document"),
    (GCM + "Action", "action"),
    # people and offices get the actor's page too (names, roles, offices held)
    *((GCM + t, "actor") for t in (*ACTOR_TYPES[:-1], "Person", "Office", ACTOR_TYPES[-1])),
)


def kind_of(types: set[str]) -> str | None:
    """The designed page a resource gets (its first matching official type), or None."""
    return next((name for iri, name in TEMPLATES if iri in types), None)


class _Reader:
    """Runs a view's queries for one resource and names what they return."""

    def __init__(self, store: Store, subject: URIRef, lang: str) -> None:
        self.store, self.subject, self.lang = store, subject, lang
        self.items: list[Item] = []

    def rows(self, query: str) -> list[dict[str, Node]]:
        return self.store.query(q.PREFIXES + query, bindings={"r": self.subject}).rows

    def item(self, row: dict[str, Node], var: str, note: str = "", quote: str = "") -> Item:
        node = row.get(var)
        graph = row.get("g")
        curated = graph is not None and not trust.official_graph(str(graph))
        it = Item(
            str(node) if isinstance(node, URIRef) else None,
            "" if isinstance(node, URIRef) else str(node or ""),
            note=note,
            quote=quote,
            graph=str(graph) if curated else None,
        )
        if isinstance(node, Literal):
            it.lang = node.language
            if node.datatype == XSD.anyURI:  # a web address: linked (when http(s)) by the page
                it.iri = str(node)
            elif node.datatype == XSD.boolean:
                it.label = "yes" if node.toPython() is True else "no"
        self.items.append(it)
        return it

    def text(self, value: Node | None) -> str:
        return "" if value is None else str(value)

    def name_all(self) -> None:
        """Give every listed resource its label (one query), and sort by it when unkeyed."""
        found = labels(self.store, [i.iri for i in self.items if i.iri and not i.label], self.lang)
        for it in self.items:
            if it.iri and not it.label:
                lit = found.get(it.iri)
                it.label = str(lit) if lit is not None else it.iri
                it.lang = lit.language if lit is not None else None


def _key(value: str) -> tuple[tuple[int, int, str], ...]:
    """Natural order (9 before 10) that never compares a number with a text."""
    return tuple(
        (1, 0, p) if isinstance(p, str) else (0, int(str(p)), "") for p in natural_key(value)
    )


def _dedupe(items: list[Item]) -> list[Item]:
    seen: dict[tuple[str | None, str, str, str], Item] = {}
    for it in items:
        seen.setdefault((it.iri, it.label, it.note, it.quote), it)
    return list(seen.values())


def _listing(reader: _Reader, title: str, query: str, var: str = "x", empty: str = "") -> Section:
    """A section of one query: ``?x`` the item, ``?note``/``?quote`` what qualifies it,
    ``?order`` how to sort, ``?g`` the graph of the linking fact."""
    items = []
    for row in reader.rows(query):
        it = reader.item(
            row, var, note=reader.text(row.get("note")), quote=reader.text(row.get("quote"))
        )
        if row.get("label") is not None:  # the query composed the item's text itself
            it.label = str(row["label"])
        it.key = _key(str(row.get("order", ""))) + _key(it.iri or it.label)
        items.append(it)
    return Section(title, _dedupe(items), empty=empty)


def _by_basis(reader: _Reader, title: str, query: str, empty: str) -> Section:
    """Links grouped by their basis (curated, explicit mention, …), evidence quoted."""
    groups: dict[str, Section] = {}
    for row in reader.rows(query):
        basis = reader.text(row.get("basisLabel")) or "stated without a qualified link"
        it = reader.item(
            row,
            "x",
            note=reader.text(row.get("note")),
            quote=reader.text(row.get("quote")),
        )
        it.key = _key(str(row.get("order", ""))) + _key(it.iri or "")
        groups.setdefault(basis, Section(basis)).items.append(it)
    for group in groups.values():
        group.items = _dedupe(group.items)
    return Section(title, groups=[groups[k] for k in sorted(groups)], empty=empty)


def _facts(reader: _Reader, query: str) -> list[tuple[str, Item]]:
    """Short key/values: each row's ``?name`` and ``?x`` (a resource or a text)."""
    out = []
    for row in reader.rows(query):
        out.append((str(row["name"]), reader.item(row, "x", note=reader.text(row.get("note")))))
    return out


def build_view(store: Store, desc: Description, lang: str = "en") -> View | None:
    """The designed view of ``desc`` (None for types without one: they get the table only)."""
    kind = kind_of(desc.types)
    if kind is None:
        return None
    reader = _Reader(store, desc.subject, lang)
    view = View(kind)
    spec = VIEWS[kind]
    view.facts = _facts(reader, spec.facts) if spec.facts else []
    for section in spec.sections:
        if section.by_basis:
            view.sections.append(_by_basis(reader, section.title, section.query, section.empty))
        else:
            listing = _listing(reader, section.title, section.query, empty=section.empty)
            listing.quotes = section.quotes
            view.sections.append(listing)
    reader.name_all()
    for s in view.sections:
        for part in (s, *s.groups):
            part.items.sort(key=lambda it: it.key + _key(it.label))
    return view
