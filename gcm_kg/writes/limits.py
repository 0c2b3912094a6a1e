"""How much one curator write may hold, checked before anything validates or stores it.

SHACL validation of RDF lists grows with the square of their length (a 40 KB Turtle list of
20,000 members took 110 s), so the number of triples and the length of every list are capped
per write (``GCM_KG_MAX_WRITE_TRIPLES``, ``GCM_KG_MAX_LIST_LENGTH``): 413, naming the limit.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from gcm_kg.errors import PayloadTooLarge

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
FIRST, REST = ox.NamedNode(RDF + "first"), ox.NamedNode(RDF + "rest")


def check(triples: Sequence[ox.Triple], max_triples: int, max_list: int) -> None:
    """Raise PayloadTooLarge when the write holds too many triples or too long a list."""
    if len(triples) > max_triples:
        raise PayloadTooLarge(
            f"the write holds {len(triples):,} triples; at most {max_triples:,} are accepted "
            "in one write (setting GCM_KG_MAX_WRITE_TRIPLES): split it into several writes"
        )
    longest = longest_list(triples)
    if longest > max_list:
        raise PayloadTooLarge(
            f"the write holds an RDF list of {longest:,} members; lists of at most "
            f"{max_list:,} members are accepted (setting GCM_KG_MAX_LIST_LENGTH)"
        )


def longest_list(triples: Sequence[ox.Triple]) -> int:
    """Members of the longest ``rdf:rest`` chain (cycles counted once per node), in linear time."""
    rest: dict[object, object] = {}
    nodes: set[object] = set()
    for t in triples:
        if t.predicate == REST:
            rest[t.subject] = t.object
            nodes.add(t.subject)
        elif t.predicate == FIRST:
            nodes.add(t.subject)
    length: dict[object, int] = {}
    for start in nodes:
        chain: list[object] = []
        on_chain: set[object] = set()
        node = start
        while node in nodes and node not in length and node not in on_chain:
            chain.append(node)
            on_chain.add(node)
            node = rest.get(node)
        tail = length.get(node, 0)
        for member in reversed(chain):
            tail += 1
            length[member] = tail
    return max(length.values(), default=0)
