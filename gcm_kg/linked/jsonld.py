"""Framed JSON-LD built in Python from a resource description, with the published context.

The builder does not run a JSON-LD framing algorithm: it writes each key of the type's frame
in order (``null`` or ``[]`` when the graph has nothing), then any other fact under its
context term, so the shape is the same every time and the document expands to exactly the
description (see ``describe.py``). A value the term cannot carry implicitly (another language,
another datatype) is written as an explicit ``{"@value": …}`` object rather than dropped.
"""

from __future__ import annotations

import re
from typing import Any

from rdflib import RDF, XSD, BNode, Literal, URIRef
from rdflib.term import Node

from gcm_kg.linked.context import Context, Term, context_url, load
from gcm_kg.linked.describe import SDG_CODE_COMPACT, Description
from gcm_kg.linked.frames import EMBEDDED, frame_for

JSON = dict[str, Any]
_CANONICAL_INT = re.compile(r"^(0|-?[1-9][0-9]*)$")
_SUMMARY_KEYS = ("label", "prefLabel")


def natural_key(value: str) -> tuple[object, ...]:
    """Sort ``…/paragraph/9`` before ``…/paragraph/10``."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", value))


def _node_key(node: Node) -> tuple[object, ...]:
    return natural_key(str(node))


def _id(node: Node) -> str:
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def _explicit(lit: Literal) -> JSON:
    if lit.language:
        return {"@value": str(lit), "@language": lit.language}
    if lit.datatype is None or lit.datatype == XSD.string:
        return {"@value": str(lit)}
    return {"@value": str(lit), "@type": str(lit.datatype)}


def _native(lit: Literal) -> object | None:
    """The JSON value that expands back to ``lit`` without coercion, if there is one."""
    if lit.language:
        return None
    if lit.datatype in (None, XSD.string):
        return str(lit)
    if lit.datatype == XSD.integer and _CANONICAL_INT.fullmatch(str(lit)):
        return int(str(lit))
    if lit.datatype == XSD.boolean and str(lit) in ("true", "false"):
        return str(lit) == "true"
    return None


def encode_literal(lit: Literal, term: Term | None) -> object:
    """A literal as the value of ``term`` so that expansion gives back ``lit`` exactly."""
    if term is not None and term.language is not None:
        return str(lit) if lit.language == term.language else _explicit(lit)
    if term is not None and term.coerce not in (None, "@id"):
        if lit.language or str(lit.datatype) != term.coerce:
            return _explicit(lit)
        native = _native(lit) if lit.datatype in (XSD.integer, XSD.boolean) else None
        return native if native is not None else str(lit)
    native = _native(lit)
    return native if native is not None else _explicit(lit)


def _term_for(ctx: Context, pred: Node, obj: Node, reverse: bool = False) -> Term | None:
    """The context term that carries ``obj`` under ``pred`` most directly."""
    candidates = ctx.by_property(str(pred), reverse)
    if not candidates:
        return None
    if reverse or not isinstance(obj, Literal):
        links = [t for t in candidates if t.is_link]
        return links[0] if links else candidates[0]
    for t in candidates:
        if t.language is not None and obj.language == t.language:
            return t
        if t.coerce not in (None, "@id") and not obj.language and str(obj.datatype) == t.coerce:
            return t
    plain = [t for t in candidates if t.language is None and t.coerce is None]
    return plain[0] if plain else candidates[0]


class Builder:
    """Turns one Description into framed JSON-LD."""

    def __init__(self, desc: Description, ctx: Context | None = None) -> None:
        self.desc = desc
        self.ctx = ctx or load()
        self.facts = desc.by_subject()
        self.labels = desc.labels()

    def reference(self, node: Node) -> JSON:
        """An IRI another resource points to: its id and its labels."""
        out: JSON = {"id": _id(node)}
        facts = self.labels.get(node, {})
        for key in _SUMMARY_KEYS:
            values = facts.get(URIRef(self.ctx.terms[key].iri), [])
            out[key] = self._single_or_list(
                [encode_literal(v, self.ctx.terms[key]) for v in values]  # type: ignore[arg-type]
            )
        codes = [v for v in facts.get(URIRef(self.ctx.terms["code"].iri), [])]
        if codes or str(node).startswith("http://metadata.un.org/sdg/"):
            out["code"] = self._single_or_list([str(c) for c in codes])
        return out

    @staticmethod
    def _single_or_list(values: list[object]) -> object:
        if not values:
            return None
        return values[0] if len(values) == 1 else values

    def _value(self, pred: Node, obj: Node, term: Term | None) -> object:
        if isinstance(obj, Literal):
            return encode_literal(obj, term)
        if str(pred) in map(str, EMBEDDED) and obj in self.facts:
            return self.node(obj, embedded=True)
        return self.reference(obj)

    def _reverse_links(self, subject: Node, grouped: dict[str, list[tuple[Node, object]]]) -> None:
        """Incoming links the frame names, e.g. the paragraphs that address an objective."""
        for _g, s, p, o in self.desc.quads:
            if o != subject or s == subject:
                continue
            term = _term_for(self.ctx, p, s, reverse=True)
            if term is not None and term.name in self.desc.frame.keys:
                items = grouped.setdefault(term.name, [])
                if all(n != s for n, _ in items):
                    items.append((s, self.reference(s)))

    def node(self, subject: Node, embedded: bool = False) -> JSON:
        facts = self.facts.get(subject, {})
        out: JSON = {"id": _id(subject)}
        types = sorted(str(t) for t in facts.get(RDF.type, []))
        out["type"] = [self.ctx.compact(t) for t in types]
        grouped: dict[str, list[tuple[Node, object]]] = {}
        for pred, objects in facts.items():
            if pred == RDF.type:
                continue
            for obj in objects:
                term = _term_for(self.ctx, pred, obj)
                key = term.name if term else self.ctx.compact(str(pred))
                grouped.setdefault(key, []).append((obj, self._value(pred, obj, term)))
        shape = frame_for(set(types)) if embedded else self.desc.frame
        if not embedded:
            self._reverse_links(subject, grouped)
        keys = list(shape.keys)
        keys += sorted(k for k in grouped if k not in keys)
        for key in keys:
            items = sorted(grouped.get(key, []), key=lambda item: _node_key(item[0]))
            values = [v for _, v in items]
            term = self.ctx.terms.get(key)
            if term is not None and term.many:
                out[key] = values
            else:
                out[key] = self._single_or_list(values)
        return out


def frame(desc: Description, base_iri: str, ctx: Context | None = None) -> JSON:
    """The framed JSON-LD document of a described resource, referring to the published context."""
    body = Builder(desc, ctx).node(desc.subject)
    return {"@context": context_url(base_iri), **body}


def member(desc: Description, ctx: Context | None = None) -> JSON:
    """The same frame without ``@context``, for a collection's members."""
    return Builder(desc, ctx).node(desc.subject)


__all__ = ["SDG_CODE_COMPACT", "frame", "member", "natural_key"]
