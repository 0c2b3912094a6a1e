"""Which language a page or a framed JSON-LD document speaks, and the description in it.

The data has labels in English, and the SDG taxonomy also in French and Spanish. A client says
which it prefers with ``?lang=`` (wins) or ``Accept-Language``; what the data lacks in that
language falls back to English, then to a value without language. The full RDF formats never
choose: they keep every language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rdflib import Literal

from gcm_kg.errors import ParameterError
from gcm_kg.linked.describe import Description, Quad
from gcm_kg.linked.labels import pick

AVAILABLE = ("en", "fr", "es")
DEFAULT = "en"
_TAG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
_RANGE = re.compile(
    r"^\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$"
)


@dataclass(frozen=True)
class Choice:
    lang: str  # one of AVAILABLE
    asked: bool  # the client stated a preference (header or parameter)


def choose(param: str | None, accept_language: str | None) -> Choice:
    """The language to answer in. A malformed ``lang`` parameter is a 400; a malformed header
    range is ignored (as RFC 9110 lets a server do)."""
    if param is not None:
        if not _TAG.fullmatch(param.strip()):
            raise ParameterError(
                f"lang must be a language tag such as fr or es, not {param[:40]!r}"
            )
        return Choice(_match(param.strip().lower()) or DEFAULT, True)
    if not accept_language or not accept_language.strip():
        return Choice(DEFAULT, False)
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept_language.split(",")[:50]):
        m = _RANGE.fullmatch(part)
        if not m:
            continue
        try:
            q = float(m.group(2)) if m.group(2) is not None else 1.0
        except ValueError:
            continue
        if q > 0:
            ranked.append((-q, i, m.group(1).lower()))
    for _, _, tag in sorted(ranked):
        found = DEFAULT if tag == "*" else _match(tag)
        if found:
            return Choice(found, True)
    return Choice(DEFAULT, True)


def _match(tag: str) -> str | None:
    primary = tag.split("-", 1)[0]
    return primary if primary in AVAILABLE else None


def in_language(desc: Description, lang: str) -> Description:
    """The description with, for each subject and property that has language-tagged values,
    only the values in ``lang`` (else English, else without language), as a page shows them."""
    return replace(
        desc, quads=_select(desc.quads, lang), label_quads=_select(desc.label_quads, lang)
    )


def _select(quads: list[Quad], lang: str) -> list[Quad]:
    groups: dict[tuple[object, object], list[Literal]] = {}
    for _, s, p, o in quads:
        if isinstance(o, Literal) and o.language:
            groups.setdefault((s, p), []).append(o)
    keep: dict[tuple[object, object], set[str]] = {}
    for key, values in groups.items():
        chosen = pick(values, lang)
        # an untagged value stays in any case; tagged ones only in the chosen language
        if chosen is None:  # nothing in lang, English or untagged: keep what there is
            keep[key] = {v.language for v in values if v.language}
        else:
            keep[key] = {chosen.language} if chosen.language else set()
    out = []
    for q in quads:
        _, s, p, o = q
        if isinstance(o, Literal) and o.language and o.language not in keep.get((s, p), set()):
            continue
        out.append(q)
    return out
