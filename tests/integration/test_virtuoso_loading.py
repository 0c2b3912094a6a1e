"""Loading a real Virtuoso through the Graph Store Protocol in several POSTs per graph.

Large POSTs are split (Virtuoso 7.2 sometimes never answers one of ~100 MB); the pieces must
add up to exactly the data, in the right graphs.
"""

from __future__ import annotations

import uuid

import pyoxigraph as ox
import pytest

from gcm_kg.store.remote import GRAPH_PREFIX, RemoteStore

pytestmark = pytest.mark.slow


def test_a_graph_posted_in_pieces_arrives_whole(virtuoso, nquads: bytes) -> None:  # type: ignore[no-untyped-def]
    prefix = f"{GRAPH_PREFIX}pieces-{uuid.uuid4().hex[:12]}/"
    original = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    # the built graph's quads moved under this test's own prefix, so the shared server is untouched
    names = {
        g: ox.NamedNode(f"{prefix}{i}") for i, g in enumerate({q.graph_name for q in original})
    }
    moved = [ox.Quad(q.subject, q.predicate, q.object, names[q.graph_name]) for q in original]
    data = ox.serialize(moved, format=ox.RdfFormat.N_QUADS) or b""
    largest = max(sum(1 for q in moved if q.graph_name == g) for g in {q.graph_name for q in moved})
    store = RemoteStore(
        virtuoso.url,
        graph_prefix=prefix,
        graph_store_url=virtuoso.graph_store_url,
        post_triples=1000,
    )
    try:
        assert largest > 3 * store.post_triples  # several POSTs for at least one graph
        store.replace_all(data)
        assert store.count() == len(moved)
        back = {str(q) for q in ox.parse(store.dump(), format=ox.RdfFormat.N_QUADS)}
        assert back == {str(q) for q in moved}
    finally:
        store.replace_all(b"")
        store.close()
