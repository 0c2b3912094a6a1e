"""Where the project's own JSON-LD context is kept and published.

The one piece the RDF screening (``rdf/screen.py``: our context is put inline, never fetched)
shares with the linked-data views (``linked/context.py``), kept here, below both.
"""

from __future__ import annotations

from pathlib import Path

#: the context document shipped in the package
CONTEXT_FILE = Path(__file__).resolve().parents[1] / "linked" / "context.jsonld"
#: published at {base}context.jsonld and served at /context.jsonld
CONTEXT_PATH = "context.jsonld"


def context_url(base_iri: str) -> str:
    """The published URL of the context under a base IRI."""
    return base_iri + CONTEXT_PATH
