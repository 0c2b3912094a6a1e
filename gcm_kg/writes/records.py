"""The PROV records of writes in ``id/graph/submissions``, as SPARQL update parts: the one
writer of these records, for submissions, curator graphs and their retractions.

A curator graph (any graph a curator names with an IRI of their own) is recorded like a
submission (``gcm:Submission``): its owner, when it was last written, its size, the source and
comment given, the warnings it was accepted with; a deleted one is marked retracted (by whom,
when). The record's owner and type never change; everything else follows the last write.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import pyoxigraph as ox
from rdflib import URIRef

from gcm_kg import iris
from gcm_kg.namespaces import GCM

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
PROV_ASSOCIATED = ox.NamedNode("http://www.w3.org/ns/prov#wasAssociatedWith")
PROV_INVALIDATED = ox.NamedNode("http://www.w3.org/ns/prov#invalidated")
XSD = "http://www.w3.org/2001/XMLSchema#"
#: record properties a new write of a curator graph replaces
_MUTABLE = ("submittedAt", "tripleCount", "warning", "submissionSource")

#: the graph of every write's record (submissions, curator graphs, their retractions)
SUBMISSIONS_GRAPH = iris.graph("submissions")
_S = SUBMISSIONS_GRAPH


def forget(graph: URIRef) -> str:
    """Delete the record's values a new write replaces (owner and type stay)."""
    props = " ".join(f"<{GCM[p]}>" for p in _MUTABLE) + f" {RDFS_COMMENT} {RDFS_LABEL}"
    return (
        f"DELETE {{ GRAPH <{_S}> {{ <{graph}> ?p ?o }} }} WHERE {{ GRAPH <{_S}> {{ "
        f"<{graph}> ?p ?o VALUES ?p {{ {props} }} }} }}"
    )


def forget_retraction(graph: URIRef) -> str:
    """Delete an earlier retraction of the graph (it is being written again, or once more)."""
    return (
        f"DELETE {{ GRAPH <{_S}> {{ <{graph}> <{GCM.retractedBy}> ?r . ?r ?rp ?ro . "
        f"<{graph}> <{GCM.retractedAt}> ?t }} }} WHERE {{ GRAPH <{_S}> {{ "
        f"<{graph}> <{GCM.retractedBy}> ?r ; <{GCM.retractedAt}> ?t . ?r ?rp ?ro }} }}"
    )


def written(
    graph: URIRef,
    curator: str,
    now: datetime,
    count: int,
    source: str | None,
    comment: str | None,
    warnings: list[str],
    label: str | None = None,
) -> list[ox.Triple]:
    """The PROV record of a write (who, when, how many, from what): of a submission (its
    ``label`` names it) or of a curator graph."""
    g, who = _n(graph), _n(iris.curator(curator))
    out = [
        ox.Triple(g, RDF_TYPE, _n(GCM.Submission)),
        ox.Triple(g, _n(GCM.submittedBy), who),
        ox.Triple(who, RDF_TYPE, _n(GCM.Curator)),
        ox.Triple(who, RDFS_LABEL, ox.Literal(curator)),
        ox.Triple(g, RDFS_LABEL, ox.Literal(label or f"Graph written by {curator}", language="en")),
        ox.Triple(g, _n(GCM.submittedAt), _stamp(now)),
        ox.Triple(
            g, _n(GCM.tripleCount), ox.Literal(str(count), datatype=ox.NamedNode(XSD + "integer"))
        ),
    ]
    if source:
        out.append(ox.Triple(g, _n(GCM.submissionSource), ox.Literal(source)))
    if comment:
        out.append(ox.Triple(g, RDFS_COMMENT, ox.Literal(comment)))
    out += [ox.Triple(g, _n(GCM.warning), ox.Literal(w)) for w in warnings]
    return out


def retracted(
    graph: URIRef,
    curator: str,
    now: datetime,
    subjects: Iterable[object] = (),
    reason: str | None = None,
) -> list[ox.Triple]:
    """The record of a retracted submission or deleted curator graph: retracted when, by whom
    (a ``gcm:Retraction`` activity), why if given, and which resources it took away
    (``prov:invalidated``: the change feed names them); the rest of the record stays."""
    g, activity = _n(graph), ox.BlankNode()
    out = [
        ox.Triple(g, _n(GCM.retractedBy), activity),
        ox.Triple(g, _n(GCM.retractedAt), _stamp(now)),
        ox.Triple(activity, RDF_TYPE, _n(GCM.Retraction)),
        ox.Triple(activity, PROV_ASSOCIATED, _n(iris.curator(curator))),
    ]
    named = {s.value: s for s in subjects if isinstance(s, ox.NamedNode)}
    out += [ox.Triple(activity, PROV_INVALIDATED, named[k]) for k in sorted(named)]
    if reason:
        out.append(ox.Triple(activity, RDFS_COMMENT, ox.Literal(reason)))
    return out


def _stamp(now: datetime) -> ox.Literal:
    return ox.Literal(now.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=ox.NamedNode(XSD + "dateTime"))


def _n(term: URIRef) -> ox.NamedNode:
    return ox.NamedNode(str(term))
