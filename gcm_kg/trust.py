"""The trust model (docs/security.md): who may say what about which resource.

* The **source graphs** ``id/graph/…``, built from the source documents by ``gcm-kg build``
  and written by the server (``id/graph/submissions`` holds the submission records), are
  authoritative for what they describe: a resource that is the subject of a triple in one of
  them is an **official resource**.
* A curator write may describe resources it introduces and add links from them (its pledges to
  objectives, actors, targets). It may never give an official resource a label, title, type,
  text or provenance (``PROTECTED``), never say anything about a graph or a submission
  (``id/graph/…``, ``id/submission/…``, ``id/curator/…``: provenance is written by the server
  only), and never use the submission record's own vocabulary (``RECORD``). Such a write is
  refused whole with a 422 naming the first triple (``check``).
* At read time the same rule holds (``official_only``): a protected value of an official
  resource is taken from the source graphs only, whatever another graph says.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from gcm_kg import iris
from gcm_kg.errors import ValidationFailed

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
GCM = "https://w3id.org/gcm-kg/ontology#"
SOURCE_GRAPHS = iris.ID + "graph/"

#: what an official resource is called and is: only its source graphs say it
PROTECTED = frozenset(
    {
        RDF + "type",
        RDFS + "label",
        RDFS + "comment",
        SKOS + "prefLabel",
        SKOS + "altLabel",
        SKOS + "notation",
        DCT + "title",
        DCT + "description",
        GCM + "text",
    }
)
#: the submission record's vocabulary: written by the server, never by a curator
RECORD = frozenset(
    GCM + p
    for p in (
        "submittedBy",
        "submittedAt",
        "retractedBy",
        "retractedAt",
        "tripleCount",
        "submissionSource",
        "warning",
    )
)
RECORD_TYPES = frozenset(GCM + c for c in ("Submission", "Retraction", "Curator"))
#: IRIs that name graphs, submissions and curators: only the server describes them
SERVER_ONLY = (SOURCE_GRAPHS, iris.ID + "submission/", iris.ID + "curator/")


class Untrusted(ValidationFailed):
    """A curator write that would speak for an official resource or for the server."""

    title = "Not allowed by the trust model"


def protected(predicate: str) -> bool:
    """A label, title, type, text or provenance property."""
    return predicate in PROTECTED or predicate.startswith(PROV)


def official_graph(graph: str) -> bool:
    return graph.startswith(SOURCE_GRAPHS)


def label_pattern(item: str, label: str) -> str:
    """A SPARQL group pattern binding ``label`` to an English (or untagged) ``rdfs:label`` of
    ``item``, taken from a source graph when a source graph describes ``item`` (``official_only``
    for queries that read labels directly). Use inside OPTIONAL."""
    return (
        f"GRAPH ?trust_lg {{ {item} <{RDFS}label> {label} }} "
        f'FILTER (lang({label}) = "en" || lang({label}) = "") '
        f'FILTER (STRSTARTS(STR(?trust_lg), "{SOURCE_GRAPHS}") || NOT EXISTS {{ '
        f"GRAPH ?trust_og {{ {item} ?trust_op ?trust_oo }} "
        f'FILTER (STRSTARTS(STR(?trust_og), "{SOURCE_GRAPHS}")) }})'
    )


def check(triples: Sequence[ox.Triple], store: object) -> None:
    """Raise Untrusted for the first triple the trust model refuses (the store is only read)."""
    candidates: dict[str, ox.Triple] = {}
    for t in triples:
        s, p, o = t.subject, t.predicate.value, t.object
        subject = s.value if isinstance(s, ox.NamedNode) else ""
        if subject.startswith(SERVER_ONLY):
            _refuse(t, "graphs, submissions and curators are described by the server only")
        if p in RECORD or (p == RDF + "type" and getattr(o, "value", "") in RECORD_TYPES):
            _refuse(t, "submission records are written by the server only")
        if subject and protected(p):
            candidates.setdefault(subject, t)
    for subject in official_subjects(store, candidates):
        _refuse(
            candidates[subject],
            "it is an official resource (described by a source graph): a write may not add "
            "labels, titles, types, text or provenance to it",
        )


def official_subjects(store: object, subjects: Iterable[str]) -> list[str]:
    """Those of ``subjects`` that a source graph describes (in the order given)."""
    wanted = list(subjects)
    found: set[str] = set()
    for i in range(0, len(wanted), 500):
        values = " ".join(f"<{s}>" for s in wanted[i : i + 500])
        rows = store.query(  # type: ignore[attr-defined]
            f"SELECT DISTINCT ?s WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} "
            f'FILTER (STRSTARTS(STR(?g), "{SOURCE_GRAPHS}")) }}'
        ).rows
        found |= {str(r["s"]) for r in rows}
    return [s for s in wanted if s in found]


def _refuse(t: ox.Triple, why: str) -> None:
    text = str(t)
    if len(text) > 300:
        text = text[:300] + "…"
    raise Untrusted(f"the triple {text} is refused: {why} (see the trust model, docs/security.md)")
