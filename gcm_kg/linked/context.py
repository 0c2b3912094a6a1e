"""The one published JSON-LD context, read once, and the term table built from it.

``context.jsonld`` beside this module is the single source of truth for JSON keys: the framed
JSON-LD builder picks each key from it, so a key can never drift from what the published
context says it means.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

CONTEXT_FILE = Path(__file__).resolve().parent / "context.jsonld"
CONTEXT_PATH = "context.jsonld"  # published at {base}context.jsonld and served at /context.jsonld

KEYWORD_ALIASES = {"id", "type"}


@dataclass(frozen=True)
class Term:
    """One key of the context with its mapping (only what the builder needs)."""

    name: str
    iri: str  # expanded property IRI
    reverse: bool = False
    coerce: str | None = None  # "@id" or an expanded datatype IRI
    language: str | None = None
    many: bool = False  # "@container": "@set": always an array

    @property
    def is_link(self) -> bool:
        return self.reverse or self.coerce == "@id"


@dataclass(frozen=True)
class Context:
    document: dict[str, Any]
    prefixes: dict[str, str]
    terms: dict[str, Term]
    classes: dict[str, str]  # class IRI -> term name

    def by_property(self, iri: str, reverse: bool = False) -> list[Term]:
        return [t for t in self.terms.values() if t.iri == iri and t.reverse == reverse]

    def expand(self, value: str) -> str:
        prefix, sep, local = value.partition(":")
        if sep and prefix in self.prefixes and not local.startswith("//"):
            return self.prefixes[prefix] + local
        return value

    def compact(self, iri: str) -> str:
        """A class term name, else a compact IRI with a known prefix, else the IRI itself."""
        if iri in self.classes:
            return self.classes[iri]
        best = ""
        for prefix, ns in self.prefixes.items():
            if iri.startswith(ns) and len(ns) > len(self.prefixes.get(best, "")):
                local = iri[len(ns) :]
                if local and all(c.isalnum() or c in "-_." for c in local):
                    best = prefix
        return f"{best}:{iri[len(self.prefixes[best]) :]}" if best else iri


@cache
def load(path: Path = CONTEXT_FILE) -> Context:
    """Parse the context file into prefixes, property terms and class terms."""
    document = json.loads(path.read_text(encoding="utf-8"))
    body: dict[str, Any] = document["@context"]
    prefixes = {
        k: v
        for k, v in body.items()
        if isinstance(v, str) and not k.startswith("@") and v.endswith(("#", "/"))
    }

    def expand(value: str) -> str:
        prefix, sep, local = value.partition(":")
        return prefixes[prefix] + local if sep and prefix in prefixes else value

    terms: dict[str, Term] = {}
    classes: dict[str, str] = {}
    for name, value in body.items():
        if name.startswith("@") or name in KEYWORD_ALIASES or name in prefixes:
            continue
        if isinstance(value, str):
            classes[expand(value)] = name
            continue
        reverse = "@reverse" in value
        coerce = value.get("@type")
        terms[name] = Term(
            name=name,
            iri=expand(value["@reverse"] if reverse else value["@id"]),
            reverse=reverse,
            coerce=coerce if coerce in (None, "@id") else expand(coerce),
            language=value.get("@language"),
            many=value.get("@container") == "@set",
        )
    return Context(document, prefixes, terms, classes)


def context_url(base_iri: str) -> str:
    """The published URL of the context under the canonical base."""
    return base_iri + CONTEXT_PATH
