"""A graph's content, what a write takes out of the union, and writing quads as SPARQL text.

Terms are pyoxigraph terms throughout: their ``str()`` is N-Triples syntax, which is also valid
SPARQL, so ``INSERT DATA`` text is built without any escaping of our own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pyoxigraph as ox
from rdflib import URIRef

from gcm_kg.errors import BadRequest
from gcm_kg.store import Store, TermRow

Term = ox.NamedNode | ox.BlankNode | ox.Literal


def triples_of(store: Store, graph: URIRef) -> list[ox.Triple]:
    """Every triple of one named graph."""
    rows = store.term_rows(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return [_triple(r) for r in rows]


def union_triples(store: Store) -> list[ox.Triple]:
    """Every distinct triple of the default graph, which is the union of all named graphs."""
    rows = store.term_rows("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }")
    return [_triple(r) for r in rows]


def exists(store: Store, graph: URIRef) -> bool:
    """A graph exists when it holds a triple (stores keep no empty graphs)."""
    return bool(store.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").boolean)


def gone_without(store: Store, graph: URIRef, keep: Iterable[ox.Triple] = ()) -> list[ox.Triple]:
    """The triples that leave the union when ``graph`` is emptied (or replaced by ``keep``):
    those of the graph that no other graph holds too."""
    rows = store.term_rows(
        f"""SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }}
        FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other != <{graph}>) }} }}"""
    )
    kept = set(keep)
    return [t for t in map(_triple, rows) if t not in kept]


def _triple(row: TermRow) -> ox.Triple:
    return ox.Triple(row["s"], row["p"], row["o"])  # type: ignore[arg-type]


def fresh_blank_nodes(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The same triples with new blank nodes: a document's ``_:b0`` is never a stored node."""
    renamed: dict[ox.BlankNode, ox.BlankNode] = {}

    def term(t: object) -> object:
        if isinstance(t, ox.BlankNode):
            return renamed.setdefault(t, ox.BlankNode())
        return t

    return [ox.Triple(term(t.subject), t.predicate, term(t.object)) for t in triples]  # type: ignore[arg-type]


def own_triples(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """A document's triples as a write stores them: blank nodes of their own, each triple once
    (in the order given). The one list a write's checks read and its store is given."""
    return list(dict.fromkeys(fresh_blank_nodes(triples)))


def check_terms(triples: Sequence[ox.Triple]) -> None:
    """Refuse RDF 1.2 triple terms: SPARQL 1.1 stores cannot hold them."""
    for t in triples:
        if isinstance(t.subject, ox.Triple) or isinstance(t.object, ox.Triple):
            raise BadRequest("triple terms (RDF 1.2) are not supported: write plain triples")


def quad_data(graphs: Mapping[URIRef, Sequence[ox.Triple]]) -> str:
    """One ``INSERT DATA`` operation for several graphs (one blank node scope for all)."""
    blocks = []
    for graph, triples in graphs.items():
        if triples:
            body = "\n".join(f"  {t.subject} {t.predicate} {t.object} ." for t in triples)
            blocks.append(f"GRAPH <{graph}> {{\n{body}\n}}")
    return "INSERT DATA {\n" + "\n".join(blocks) + "\n}" if blocks else ""
