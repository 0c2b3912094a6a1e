"""Helpers of the curator-write tests (fixtures are in conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gcm_kg.store import Store

DATA = Path(__file__).resolve().parent.parent / "data" / "curate"


@dataclass
class Curators:
    """Tokens: ana and bo hold both rights; cleo may only submit (curate), not update."""

    ana: str
    bo: str
    cleo: str

    @staticmethod
    def header(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}


def snapshot(store: Store) -> bytes:
    """The whole store as sorted N-Quads: equal snapshots mean nothing changed."""
    return b"\n".join(sorted(store.dump().splitlines()))


def pledge_ttl(slug: str, *, title: str = "A test pledge", actor: str = "mex") -> str:
    """A pledge that conforms to the shapes (with one advice: no SDG target)."""
    return f"""@prefix gcm: <https://w3id.org/gcm-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
<https://w3id.org/gcm-kg/id/pledge/{slug}> a gcm:Pledge ;
    rdfs:label "{title}"@en ;
    dcterms:title "{title}"@en ;
    gcm:pledgedBy <https://w3id.org/gcm-kg/id/actor/{actor}> ;
    gcm:supportsObjective <https://w3id.org/gcm-kg/id/objective/20> ;
    prov:wasDerivedFrom <https://example.org/pledges/{slug}> .
"""
