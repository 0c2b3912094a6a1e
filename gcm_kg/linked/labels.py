"""Readable names of resources in a chosen language, under the trust model.

A page names many resources at once, so the labels come from one query per batch of IRIs.
The trust model holds here as in ``describe.official_only``: for an official resource (one a
source graph describes) only a label from a source graph counts, whatever a curator's graph
says. The language is chosen as the pages and the framed JSON-LD choose it: the requested
language, else English, else a label without language.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.term import Node

from gcm_kg import trust
from gcm_kg.store import Store

RDFS_LABEL = trust.RDFS + "label"
SKOS_PREF = trust.SKOS + "prefLabel"
BATCH = 300

Q_LABELS = """
SELECT ?x ?p ?l ?g WHERE {{
  VALUES ?x {{ {values} }}
  VALUES ?p {{ <{label}> <{pref}> }}
  GRAPH ?g {{ ?x ?p ?l }}
  FILTER (isLiteral(?l))
}}
"""


def pick(literals: Iterable[Node], lang: str) -> Literal | None:
    """The literal in ``lang``, else English, else one without language (the first in order
    of preference; None when there is none of these)."""
    best: tuple[int, str, Literal] | None = None
    for lit in literals:
        if not isinstance(lit, Literal):
            continue
        tag = (lit.language or "").lower()
        if tag == lang or tag.startswith(lang + "-"):
            rank = 0
        elif tag == "en" or tag.startswith("en-"):
            rank = 1
        elif not tag:
            rank = 2
        else:
            continue
        if best is None or (rank, str(lit)) < best[:2]:
            best = (rank, str(lit), lit)
    return best[2] if best else None


def labels(store: Store, iris: Iterable[str], lang: str = "en") -> dict[str, Literal]:
    """IRI -> its label in ``lang`` (``rdfs:label`` before ``skos:prefLabel``); IRIs without a
    usable label are absent."""
    wanted = list(dict.fromkeys(i for i in iris if i))
    found: dict[str, dict[str, list[tuple[str, Literal]]]] = {}
    for i in range(0, len(wanted), BATCH):
        chunk = wanted[i : i + BATCH]
        values = " ".join(str(ox.NamedNode(iri)) for iri in chunk)  # validated IRIs, not text
        query = Q_LABELS.format(values=values, label=RDFS_LABEL, pref=SKOS_PREF)
        for row in store.query(query).rows:
            by_prop = found.setdefault(str(row["x"]), {})
            by_prop.setdefault(str(row["p"]), []).append((str(row["g"]), row["l"]))  # type: ignore[arg-type]
    official = set(trust.official_subjects(store, found)) if found else set()
    out: dict[str, Literal] = {}
    for iri, by_prop in found.items():
        for prop in (RDFS_LABEL, SKOS_PREF):
            candidates = [
                lit
                for g, lit in by_prop.get(prop, [])
                if iri not in official or trust.official_graph(g)
            ]
            chosen = pick(candidates, lang)
            if chosen is not None:
                out[iri] = chosen
                break
    return out


def label_of(store: Store, iri: URIRef | str, lang: str = "en") -> str:
    """One resource's label, or its IRI."""
    found = labels(store, [str(iri)], lang)
    return str(found.get(str(iri), iri))
