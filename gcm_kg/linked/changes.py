"""The change feed: what happened to the graph, as ActivityStreams 2.0 activities.

Every activity is read from records the server itself writes (never from a curator's graph):

* an accepted write (``gcm:Submission`` in ``id/graph/submissions``, ``gcm:submittedAt``) is a
  ``Create``: its object is the graph written; ``generated`` lists the resources it describes;
* a retraction (``gcm:retractedAt`` on that record; the retraction activity lists the resources
  it took away with ``prov:invalidated``) is a ``Delete`` of the graph;
* a rebuild is an ``Update`` of every source graph: a portal re-reads the dump. Loading a build
  replaces the whole store, records included, so a rebuild is not a record: the feed derives
  it from the build's identity (a hash of its source graphs and their documents' checksums),
  which is its id in every worker. Its time is that of the oldest record made since (the build
  was loaded before it), or, with no record yet, when this process first saw the build.

Each activity names the graph it changed (``object``) and the graph its record is in
(``target``), so a mirror can apply it: fetch the object graph (``/graphs?graph=``) and the
target graph after a ``Create``, drop the object graph and fetch the target after a ``Delete``,
reload the dump after an ``Update``. Newest first; paged; ``since`` keeps the activities
published at or after a time.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from rdflib import URIRef

from gcm_kg import iris
from gcm_kg.store import Store

AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
PROV = "http://www.w3.org/ns/prov#"
GCM = "https://w3id.org/gcm-kg/ontology#"
SUBMISSIONS = iris.graph("submissions")
_seen: dict[str, datetime] = {}  # build -> when this process first saw it
_seen_lock = threading.Lock()
PAGE_SIZE = 50
#: the feed's own terms beyond ActivityStreams: the resources an activity made or took away
CONTEXT: list[Any] = [
    AS_CONTEXT,
    {
        "prov": PROV,
        "generated": {"@id": "prov:generated", "@type": "@id", "@container": "@set"},
        "invalidated": {"@id": "prov:invalidated", "@type": "@id", "@container": "@set"},
    },
]

Q_SUBMISSIONS = f"""
SELECT ?g ?at ?who ?name ?count ?rt WHERE {{
  GRAPH <{SUBMISSIONS}> {{
    ?g a <{GCM}Submission> ; <{GCM}submittedAt> ?at .
    OPTIONAL {{ ?g <{GCM}submittedBy> ?who .
               OPTIONAL {{ ?who <http://www.w3.org/2000/01/rdf-schema#label> ?name }} }}
    OPTIONAL {{ ?g <{GCM}tripleCount> ?count }}
    OPTIONAL {{ ?g <{GCM}retractedAt> ?rt }}
  }}
}}"""
Q_SUBJECTS = "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER (isIRI(?s)) }"
Q_INVALIDATED = f"""
SELECT ?s WHERE {{ GRAPH <{SUBMISSIONS}> {{
  ?g <{GCM}retractedBy> ?a . ?a <{PROV}invalidated> ?s }} }}"""
Q_SOURCE_GRAPHS = """
SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o }
  FILTER (STRSTARTS(STR(?g), "https://w3id.org/gcm-kg/id/graph/")) }"""
Q_BUILD = """
SELECT ?g ?sha WHERE { GRAPH <https://w3id.org/gcm-kg/id/graph/provenance> {
  ?g <http://www.w3.org/ns/prov#wasDerivedFrom> ?doc .
  ?doc <https://w3id.org/gcm-kg/ontology#sha256> ?sha } }"""


@dataclass
class Activity:
    kind: str  # Create, Delete, Update
    published: datetime
    graph: str | list[str]
    summary: str
    actor: tuple[str, str] | None = None  # IRI, name
    resources: list[str] = field(default_factory=list)
    key: str = ""

    def ident(self, feed_url: str) -> str:
        """Stable: a rebuild by its build alone (its time may differ between workers)."""
        stamp = "" if self.kind == "Update" else self.stamp
        digest = hashlib.sha256(f"{self.kind} {self.key} {stamp}".encode()).hexdigest()
        return f"{feed_url}/{self.kind.lower()}/{digest[:20]}"

    @property
    def stamp(self) -> str:
        return self.published.strftime("%Y-%m-%dT%H:%M:%SZ")

    def to_json(self, feed_url: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.ident(feed_url),
            "type": self.kind,
            "published": self.stamp,
            "summary": self.summary,
            "object": self.graph,
            "target": str(SUBMISSIONS),
        }
        if self.actor:
            out["actor"] = {"id": self.actor[0], "type": "Person", "name": self.actor[1]}
        out["generated" if self.kind != "Delete" else "invalidated"] = self.resources
        return out


def _time(value: object) -> datetime:
    text = str(value).replace("Z", "+00:00")
    stamp = datetime.fromisoformat(text)
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def activities(store: Store) -> list[Activity]:
    """Every activity the records hold, newest first (ties: by kind and graph, stable)."""
    out: list[Activity] = []
    for row in store.query(Q_SUBMISSIONS).rows:
        graph = str(row["g"])
        who = (str(row["who"]), str(row.get("name", row["who"]))) if "who" in row else None
        name = who[1] if who else "a curator"
        count = f" ({row['count']} triples)" if "count" in row else ""
        live = _subjects(store, graph) if "rt" not in row else []
        gone = _invalidated(store, graph) if "rt" in row else []
        out.append(
            Activity(
                "Create",
                _time(row["at"]),
                graph,
                f"{name} wrote the graph {graph}{count}",
                who,
                live or gone,
                graph,
            )
        )
        if "rt" in row:
            out.append(
                Activity(
                    "Delete",
                    _time(row["rt"]),
                    graph,
                    f"the graph {graph} was retracted",
                    None,
                    gone,
                    graph,
                )
            )
    build = build_hash(store)
    if build is not None:
        graphs = sorted(str(r["g"]) for r in store.query(Q_SOURCE_GRAPHS).rows)
        with _seen_lock:
            first_seen = _seen.setdefault(build, datetime.now(UTC).replace(microsecond=0))
        published = min([first_seen, *(a.published for a in out)])
        out.append(
            Activity(
                "Update",
                published,
                [g for g in graphs if g != str(SUBMISSIONS)],
                f"the graph was rebuilt from its sources (build {build[:12]}); read the dump again",
                key=build,
            )
        )
    order = {"Update": 0, "Create": 1, "Delete": 2}
    out.sort(key=lambda a: (a.published, order[a.kind], a.key), reverse=True)
    return out


def _subjects(store: Store, graph: str) -> list[str]:
    rows = store.query(Q_SUBJECTS, bindings={"g": URIRef(graph)}).rows
    return sorted(str(r["s"]) for r in rows)


def _invalidated(store: Store, graph: str) -> list[str]:
    """The resources the retraction of ``graph`` took away (its record says)."""
    rows = store.query(Q_INVALIDATED, bindings={"g": URIRef(graph)}).rows
    return sorted(str(r["s"]) for r in rows)


def build_hash(store: Store) -> str | None:
    """The identity of the build the store was loaded from: a hash of its source graphs and
    the checksums of their source documents (None when the store holds no build)."""
    rows = store.query(Q_BUILD).rows
    if not rows:
        return None
    pairs = sorted(f"{r['g']} {r['sha']}" for r in rows)
    return hashlib.sha256("\n".join(pairs).encode()).hexdigest()


def page(
    items: list[Activity], feed_url: str, number: int | None, since: str | None
) -> dict[str, Any]:
    """The collection (``number`` None) or one of its pages, as AS2 JSON-LD."""
    query = f"&since={since}" if since else ""
    total = len(items)
    last = max(1, -(-total // PAGE_SIZE))

    def url(n: int) -> str:
        return f"{feed_url}?page={n}{query}"

    if number is None:
        doc: dict[str, Any] = {
            "@context": CONTEXT,
            "id": feed_url + (f"?since={since}" if since else ""),
            "type": "OrderedCollection",
            "summary": "Changes to the gcm-kg graph: accepted writes, retractions and rebuilds, "
            "newest first",
            "totalItems": total,
            "first": url(1),
            "last": url(last),
        }
        if items:
            doc["updated"] = items[0].stamp
        return doc
    chunk = items[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    doc = {
        "@context": CONTEXT,
        "id": url(number),
        "type": "OrderedCollectionPage",
        "partOf": feed_url + (f"?since={since}" if since else ""),
        "startIndex": (number - 1) * PAGE_SIZE,
        "totalItems": total,
        "orderedItems": [a.to_json(feed_url) for a in chunk],
    }
    if number > 1:
        doc["prev"] = url(number - 1)
    if number < last:
        doc["next"] = url(number + 1)
    return doc
