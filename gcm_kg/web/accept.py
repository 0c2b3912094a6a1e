"""HTTP content negotiation (RFC 9110 §12.5.1): q-values, specificity, wildcards.

Pure functions; the Flask views pass the header in and get a media type (or NotAcceptable).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gcm_kg.errors import NotAcceptable


@dataclass(frozen=True)
class Range:
    type: str
    subtype: str
    q: float
    params: tuple[tuple[str, str], ...]
    order: int

    @property
    def specificity(self) -> int:
        if self.type == "*":
            return 0
        if self.subtype == "*":
            return 1
        return 2 + (1 if self.params else 0)

    def matches(self, media_type: str) -> bool:
        t, _, s = media_type.partition("/")
        return (self.type in ("*", t)) and (self.subtype in ("*", s))


def parse_accept(header: str | None) -> list[Range]:
    """Parse an Accept header; malformed ranges are skipped, as browsers and servers do."""
    if not header or not header.strip():
        return [Range("*", "*", 1.0, (), 0)]
    ranges = []
    for i, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        mt = pieces[0].lower()
        if mt == "*":
            mt = "*/*"
        t, sep, s = mt.partition("/")
        if not sep or not t or not s or (t == "*" and s != "*"):
            continue
        q = 1.0
        params = []
        for p in pieces[1:]:
            k, _, v = p.partition("=")
            k, v = k.strip().lower(), v.strip().strip('"')
            if k == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
                q = min(max(q, 0.0), 1.0)
            elif k:
                params.append((k, v))
        ranges.append(Range(t, s, q, tuple(params), i))
    return ranges


def negotiate(header: str | None, offered: Sequence[str]) -> str:
    """The offered media type the client prefers most; ties go to the server's order.

    Each offer takes the q of the most specific range matching it; q=0 excludes it.
    """
    ranges = parse_accept(header)
    best: tuple[float, int, int] | None = None
    choice: str | None = None
    for position, offer in enumerate(offered):
        matching = [r for r in ranges if r.matches(offer)]
        if not matching:
            continue
        top = max(matching, key=lambda r: (r.specificity, -r.order))
        if top.q <= 0:
            continue
        key = (top.q, top.specificity, -position)
        if best is None or key > best:
            best, choice = key, offer
    if choice is None:
        raise NotAcceptable(
            f"none of the requested media types ({header}) can be served here; "
            f"available: {', '.join(offered)}"
        )
    return choice


def prefers_html(header: str | None) -> bool:
    """True when a browser asks: text/html ranks at least as high as any RDF type offered."""
    if not header:
        return False
    ranges = parse_accept(header)
    html = max((r.q for r in ranges if r.type == "text" and r.subtype == "html"), default=0.0)
    return html > 0
