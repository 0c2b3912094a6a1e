"""The readable view of a resource: every property with links, incoming links, provenance.

Pure data for a template: no HTML here. Provenance is the named graph each fact comes from,
the source document that graph was built from (title, file, checksum, URL), and the resource's
own ``prov:wasDerivedFrom`` and ``gcm:evidence`` (shown among its properties).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import RDF, RDFS, SKOS, Literal, URIRef
from rdflib.term import Node

from gcm_kg import trust
from gcm_kg.linked.context import load
from gcm_kg.linked.describe import Description, norm
from gcm_kg.linked.frames import EMBEDDED
from gcm_kg.linked.jsonld import natural_key
from gcm_kg.linked.labels import pick
from gcm_kg.store import Store

INCOMING_LIMIT = 300

Q_INCOMING = (
    """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?r ?s ?p ?g ?label WHERE {
  GRAPH ?g { ?s ?p ?r }
  OPTIONAL { """
    + trust.label_pattern("?s", "?label").replace("%", "%%")
    + """ }
}
ORDER BY ?p ?s
LIMIT %d
"""
)
Q_SOURCES = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX gcm: <https://w3id.org/gcm-kg/ontology#>
# provenance only from the graphs the server writes: the build's and the submission records
SELECT DISTINCT ?r ?g ?doc ?title ?file ?sha ?url ?curator ?at ?cited WHERE {
  GRAPH ?g { ?r ?p ?o }
  OPTIONAL {
    GRAPH <https://w3id.org/gcm-kg/id/graph/provenance> {
      ?g prov:wasDerivedFrom ?doc .
      OPTIONAL { ?doc rdfs:label ?title }
      OPTIONAL { ?doc gcm:sourceFile ?file }
      OPTIONAL { ?doc gcm:sha256 ?sha }
      OPTIONAL { ?doc gcm:sourceURL ?url }
    }
  }
  OPTIONAL {
    GRAPH <https://w3id.org/gcm-kg/id/graph/submissions> {
      ?g a gcm:Submission ; gcm:submittedAt ?at .
      OPTIONAL { ?g gcm:submittedBy/rdfs:label ?curator }
      OPTIONAL { ?g gcm:submissionSource ?cited }
    }
  }
}
"""
Q_ROUND_TABLE_PARAGRAPHS = """
PREFIX gcm: <https://w3id.org/gcm-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?r ?item ?n ?label WHERE {
  ?section gcm:reportsOnRoundTable ?r .
  ?item gcm:inSection ?section ; gcm:paragraphNumber ?n .
  OPTIONAL { ?item rdfs:label ?label }
}
ORDER BY ?n
"""
Q_OBJECTIVE_ACTIONS = """
PREFIX gcm: <https://w3id.org/gcm-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?r ?item ?letter ?text ?wording ?status ?complete WHERE {
  ?r gcm:hasAction ?item .
  ?item gcm:actionLetter ?letter ; gcm:text ?text .
  OPTIONAL { ?item gcm:wordingBasis/skos:prefLabel ?wording }
  OPTIONAL { ?item gcm:checkStatus ?status }
  OPTIONAL { ?item gcm:textComplete ?complete }
}
ORDER BY ?letter
"""


@dataclass
class Value:
    text: str
    iri: str | None = None
    note: str = ""  # language or datatype of a literal
    graphs: list[str] = field(default_factory=list)
    embedded: list[Row] | None = None


@dataclass
class Row:
    predicate: str
    name: str
    values: list[Value]


@dataclass
class Incoming:
    subject: str
    label: str
    predicate: str
    name: str
    graph: str


@dataclass
class Source:
    graph: str
    document: str | None
    title: str | None
    file: str | None
    sha256: str | None
    url: str | None
    submitted: str | None = None  # "by CURATOR at TIME from SOURCE" for curator submissions


@dataclass
class Page:
    iri: str
    title: str
    types: list[tuple[str, str]]
    rows: list[Row]
    incoming: list[Incoming]
    incoming_truncated: bool
    sources: list[Source]
    related: list[tuple[str, list[tuple[str, str, str]]]]  # title, (iri, label, note)
    text: str | None = None  # a paragraph's or commitment's own words, shown first
    title_lang: str | None = None  # the language of the title, when it has one


def _label_of(desc: Description, node: Node, lang: str = "en") -> str:
    """rdfs:label first, then skos:prefLabel (in ``lang``, else English), then the IRI."""
    labels = desc.labels().get(node, {})
    for prop in (RDFS.label, SKOS.prefLabel):
        chosen = pick(labels.get(prop, []), lang)
        if chosen is not None:
            return str(chosen)
    return str(node)


def _rows(desc: Description, subject: Node, depth: int = 0, lang: str = "en") -> list[Row]:
    ctx = load()
    facts = desc.by_subject().get(subject, {})
    rows = []
    for pred in sorted(facts, key=lambda p: ctx.compact(str(p))):
        if pred == RDF.type:
            continue
        values = []
        for obj in sorted(facts[pred], key=lambda o: natural_key(str(o))):
            graphs = [str(g) for g in desc.graphs_of(subject, pred, obj)]
            if isinstance(obj, Literal):
                note = obj.language or (ctx.compact(str(obj.datatype)) if obj.datatype else "")
                values.append(Value(str(obj), note=note, graphs=graphs))
                continue
            embedded = None
            if str(pred) in EMBEDDED and depth == 0:
                embedded = _rows(desc, obj, depth + 1, lang)
            label = _label_of(desc, obj, lang)
            values.append(Value(label, str(obj), graphs=graphs, embedded=embedded))
        rows.append(Row(str(pred), ctx.compact(str(pred)), values))
    return rows


def build_page(store: Store, desc: Description, lang: str = "en") -> Page:
    """The page of ``desc``; titles and the names of linked resources in ``lang`` where the
    data has them (else English); the statements themselves in every language."""
    ctx = load()
    r = {"r": desc.subject}
    facts = desc.by_subject().get(desc.subject, {})
    chosen = None
    for key in ("label", "prefLabel"):
        chosen = chosen or pick(facts.get(URIRef(ctx.terms[key].iri), []), lang)
    title = str(chosen) if chosen is not None else str(desc.subject)
    types = [(t, ctx.compact(t)) for t in sorted(desc.types)]
    texts = [str(o) for o in facts.get(URIRef(ctx.terms["text"].iri), [])]
    incoming_rows = store.query(Q_INCOMING % (INCOMING_LIMIT + 1), bindings=r).rows
    incoming = [
        Incoming(
            str(row["s"]),
            str(row.get("label", row["s"])),
            str(row["p"]),
            ctx.compact(str(row["p"])),
            str(row["g"]),
        )
        for row in incoming_rows[:INCOMING_LIMIT]
    ]
    incoming.sort(key=lambda i: (i.name, natural_key(i.subject)))
    sources = []
    for row in store.query(Q_SOURCES, bindings=r).rows:
        get = row.get
        sources.append(
            Source(
                str(row["g"]),
                str(get("doc")) if get("doc") else None,
                str(get("title")) if get("title") else None,
                str(norm(get("file"))) if get("file") else None,  # type: ignore[arg-type]
                str(get("sha")) if get("sha") else None,
                str(get("url")) if get("url") else None,
                _submitted(row),
            )
        )
    sources.sort(key=lambda s: s.graph)
    return Page(
        str(desc.subject),
        title,
        types,
        _rows(desc, desc.subject, lang=lang),
        incoming,
        len(incoming_rows) > INCOMING_LIMIT,
        sources,
        _related(store, desc),
        texts[0] if texts else None,
        chosen.language if chosen is not None else None,
    )


def _submitted(row: dict[str, Node]) -> str | None:
    if "at" not in row:
        return None
    text = f"submitted by {row.get('curator', 'a curator')} at {row['at']}"
    return text + (f" from {row['cited']}" if "cited" in row else "")


def _related(store: Store, desc: Description) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Extra navigation a type needs: a round table lists the paragraphs of its section; an
    objective its actions, each saying which wording it quotes and how it was checked."""
    if desc.frame.name == "objective":
        return _actions(store, desc)
    if desc.frame.name != "round-table":
        return []
    rows = store.query(Q_ROUND_TABLE_PARAGRAPHS, bindings={"r": desc.subject}).rows
    items = [(str(row["item"]), str(row.get("label", row["item"])), "") for row in rows]
    return [("Paragraphs of the section reporting on this round table", items)] if items else []


def _actions(store: Store, desc: Description) -> list[tuple[str, list[tuple[str, str, str]]]]:
    rows = store.query(Q_OBJECTIVE_ACTIONS, bindings={"r": desc.subject}).rows
    items = []
    for row in rows:
        note = [str(row[k]) for k in ("wording", "status") if k in row]
        if str(row.get("complete", "true")) == "false":
            note.append("text incomplete: only part of it was visible in the sources")
        items.append((str(row["item"]), f"({row['letter']}) {row['text']}", "; ".join(note)))
    return [("Actions (A/RES/73/195), with the wording each quotes", items)] if items else []
