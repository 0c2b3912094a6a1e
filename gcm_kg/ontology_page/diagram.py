"""An SVG diagram of how the ontology's classes connect, drawn on the server from the ontology.

Boxes are the gcm classes (and the outside classes a gcm property points to, dashed);
open-headed arrows are ``rdfs:subClassOf``, labelled arrows the object properties from their
domain to their range. The layout is a force-directed one (Fruchterman-Reingold) from a
fixed start with a fixed number of steps, then boxes are pushed apart until none overlap:
the same ontology always gives the same drawing. No JavaScript, no external resources.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from html import escape

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from gcm_kg import iris

CHAR_W = 6.6  # average glyph width of the 11px sans-serif label font
BOX_H = 24
PAD = 10
STEPS = 500
GRAVITY = 0.1


@dataclass
class Box:
    iri: URIRef
    label: str
    external: bool
    x: float = 0.0
    y: float = 0.0

    @property
    def w(self) -> float:
        return len(self.label) * CHAR_W + 2 * PAD


@dataclass(frozen=True)
class Edge:
    source: URIRef
    target: URIRef
    label: str  # "" for rdfs:subClassOf


def _curie(g: Graph, iri: URIRef) -> str:
    if str(iri).startswith(iris.GCM):
        return str(iri)[len(iris.GCM) :]
    try:
        return g.namespace_manager.curie(iri, generate=False)
    except (ValueError, KeyError):
        return str(iri)


def _gcm_iris(nodes: object) -> list[URIRef]:
    return sorted(n for n in nodes if isinstance(n, URIRef) and str(n).startswith(iris.GCM))  # type: ignore[attr-defined]


def graph_of(onto: Graph) -> tuple[dict[URIRef, Box], list[Edge]]:
    """The boxes and arrows: gcm classes, their subclass links, and gcm object properties."""
    classes = _gcm_iris(onto.subjects(RDF.type, OWL.Class))
    boxes = {c: Box(c, _curie(onto, c), False) for c in classes}
    edges: set[Edge] = set()
    for c in classes:
        for sup in onto.objects(c, RDFS.subClassOf):
            if isinstance(sup, URIRef) and sup in boxes:
                edges.add(Edge(c, sup, ""))
    labels: dict[tuple[URIRef, URIRef], list[str]] = defaultdict(list)
    for p in _gcm_iris(onto.subjects(RDF.type, OWL.ObjectProperty)):
        for d in onto.objects(p, RDFS.domain):
            for r in onto.objects(p, RDFS.range):
                if not isinstance(d, URIRef) or d not in boxes or not isinstance(r, URIRef):
                    continue
                if r not in boxes:
                    boxes[r] = Box(r, _curie(onto, r), True)
                labels[(d, r)].append(_curie(onto, p))
    for (d, r), names in labels.items():
        edges.add(Edge(d, r, "\n".join(sorted(names))))
    return boxes, sorted(edges, key=lambda e: (str(e.source), str(e.target), e.label))


def _components(nodes: list[URIRef], edges: list[Edge]) -> list[list[URIRef]]:
    """Groups of classes connected by some arrow, largest first."""
    parent = {n: n for n in nodes}

    def root(n: URIRef) -> URIRef:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for e in edges:
        parent[root(e.source)] = root(e.target)
    groups: dict[URIRef, list[URIRef]] = defaultdict(list)
    for n in nodes:
        groups[root(n)].append(n)
    return sorted(groups.values(), key=lambda g: (-len(g), str(g[0])))


def _layout(boxes: dict[URIRef, Box], edges: list[Edge]) -> None:
    """Lay out each connected group, then pack the groups in rows; deterministic."""
    groups = _components(sorted(boxes), edges)
    placed: list[tuple[float, float, float, float, list[URIRef]]] = []
    for group in groups:
        members = set(group)
        _force_directed(boxes, group, [e for e in edges if e.source in members])
        left = min(boxes[n].x - boxes[n].w / 2 for n in group)
        top = min(boxes[n].y - BOX_H / 2 for n in group)
        right = max(boxes[n].x + boxes[n].w / 2 for n in group)
        bottom = max(boxes[n].y + BOX_H / 2 for n in group)
        placed.append((left, top, right - left, bottom - top, group))
    row_width = max(max((p[2] for p in placed), default=0.0), 900.0)
    x = y = row_height = 0.0
    gap = 40.0
    for left, top, w, h, group in placed:
        if x and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for n in group:
            boxes[n].x += x - left
            boxes[n].y += y - top
        x += w + gap
        row_height = max(row_height, h)


def _force_directed(boxes: dict[URIRef, Box], nodes: list[URIRef], edges: list[Edge]) -> None:
    """Fruchterman-Reingold from a circle, then overlap removal."""
    n = len(nodes)
    k = 150.0
    radius = 40.0 * n
    for i, iri in enumerate(nodes):
        angle = 2 * math.pi * i / n
        boxes[iri].x, boxes[iri].y = radius * math.cos(angle), radius * 0.75 * math.sin(angle)
    links = [
        (e.source, e.target, 2.0 if not e.label else 1.0) for e in edges if e.source != e.target
    ]
    temperature = 100.0
    for _ in range(STEPS):
        force = {iri: [0.0, 0.0] for iri in nodes}
        for i, a in enumerate(nodes):
            for b in nodes[i + 1 :]:
                dx, dy = boxes[a].x - boxes[b].x, boxes[a].y - boxes[b].y
                d = max(math.hypot(dx, dy), 1.0)
                f = k * k / d
                force[a][0] += dx / d * f
                force[a][1] += dy / d * f
                force[b][0] -= dx / d * f
                force[b][1] -= dy / d * f
        for a, b, weight in links:
            dx, dy = boxes[a].x - boxes[b].x, boxes[a].y - boxes[b].y
            d = max(math.hypot(dx, dy), 1.0)
            f = weight * d * d / k
            force[a][0] -= dx / d * f
            force[a][1] -= dy / d * f
            force[b][0] += dx / d * f
            force[b][1] += dy / d * f
        for iri in nodes:  # gravity keeps the group together
            force[iri][0] -= GRAVITY * boxes[iri].x
            force[iri][1] -= GRAVITY * boxes[iri].y
        for iri in nodes:
            fx, fy = force[iri]
            size = max(math.hypot(fx, fy), 1e-9)
            step = min(size, temperature)
            boxes[iri].x += fx / size * step
            boxes[iri].y += fy / size * step * 0.75  # a landscape drawing
        temperature = max(temperature * 0.99, 1.0)
    _level(boxes, nodes)
    _separate(boxes, nodes)


def _level(boxes: dict[URIRef, Box], nodes: list[URIRef]) -> None:
    """Rotate the group so its longest extent runs across the page (principal axis)."""
    n = len(nodes)
    if n < 3:
        return
    mx = sum(boxes[i].x for i in nodes) / n
    my = sum(boxes[i].y for i in nodes) / n
    sxx = sum((boxes[i].x - mx) ** 2 for i in nodes)
    syy = sum((boxes[i].y - my) ** 2 for i in nodes)
    sxy = sum((boxes[i].x - mx) * (boxes[i].y - my) for i in nodes)
    angle = -0.5 * math.atan2(2 * sxy, sxx - syy)
    cos, sin = math.cos(angle), math.sin(angle)
    for i in nodes:
        x, y = boxes[i].x - mx, boxes[i].y - my
        boxes[i].x, boxes[i].y = x * cos - y * sin, x * sin + y * cos


def _separate(boxes: dict[URIRef, Box], nodes: list[URIRef]) -> None:
    """Push overlapping boxes apart along the axis where they overlap least."""
    gap = 18.0
    for _ in range(200):
        moved = False
        for i, a in enumerate(nodes):
            for b in nodes[i + 1 :]:
                ba, bb = boxes[a], boxes[b]
                ox = (ba.w + bb.w) / 2 + gap - abs(ba.x - bb.x)
                oy = BOX_H + gap - abs(ba.y - bb.y)
                if ox <= 0 or oy <= 0:
                    continue
                moved = True
                if ox < oy * 3:
                    shift = ox / 2 * (1 if ba.x >= bb.x else -1)
                    ba.x, bb.x = ba.x + shift, bb.x - shift
                else:
                    shift = oy / 2 * (1 if ba.y >= bb.y else -1)
                    ba.y, bb.y = ba.y + shift, bb.y - shift
        if not moved:
            return


def _clip(box: Box, tx: float, ty: float) -> tuple[float, float]:
    """Where the line from the box's centre towards (tx, ty) leaves the box."""
    dx, dy = tx - box.x, ty - box.y
    if dx == 0 and dy == 0:
        return box.x, box.y
    sx = (box.w / 2) / abs(dx) if dx else math.inf
    sy = (BOX_H / 2) / abs(dy) if dy else math.inf
    s = min(sx, sy)
    return box.x + dx * s, box.y + dy * s


def render(onto: Graph) -> str:
    """The SVG document."""
    boxes, edges = graph_of(onto)
    _layout(boxes, edges)
    margin = 40.0
    min_x = min((b.x - b.w / 2 for b in boxes.values()), default=0.0) - margin
    min_y = min((b.y - BOX_H / 2 for b in boxes.values()), default=0.0) - margin
    for b in boxes.values():
        b.x, b.y = b.x - min_x, b.y - min_y
    width = max((b.x + b.w / 2 for b in boxes.values()), default=0.0) + margin
    height = max((b.y + BOX_H / 2 for b in boxes.values()), default=0.0) + margin + 30
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" font-family="sans-serif" font-size="11" '
        'role="group" aria-labelledby="gcm-diagram-title">',
        '<title id="gcm-diagram-title">How the classes of the gcm-kg ontology connect</title>',
        "<defs>"
        '<marker id="sub" viewBox="0 0 12 12" refX="11" refY="6" markerWidth="12" '
        'markerHeight="12" orient="auto"><path d="M1,1 L11,6 L1,11 Z" fill="#fff" '
        'stroke="#333"/></marker>'
        '<marker id="prop" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 Z" fill="#2a6db0"/></marker>'
        "</defs>",
    ]
    pairs = {(e.source, e.target) for e in edges}
    for e in edges:
        both_ways = e.source != e.target and (e.target, e.source) in pairs
        out.append(_edge(boxes, e, 7.0 if both_ways else 0.0))
    for iri in sorted(boxes):
        out.append(_box(boxes[iri]))
    y = height - 18
    out.append(
        f'<g transform="translate({margin:.0f},{y:.0f})" fill="#333">'
        '<line x1="0" y1="0" x2="40" y2="0" stroke="#333" marker-end="url(#sub)"/>'
        '<text x="48" y="4">subclass of</text>'
        '<line x1="140" y1="0" x2="180" y2="0" stroke="#2a6db0" marker-end="url(#prop)"/>'
        '<text x="188" y="4">object property, from its domain to its range</text>'
        '<rect x="470" y="-8" width="30" height="16" fill="#f4f4f4" stroke="#777" '
        'stroke-dasharray="4 3"/><text x="508" y="4">class of a reused vocabulary</text></g>'
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _box(b: Box) -> str:
    x, y = b.x - b.w / 2, b.y - BOX_H / 2
    style = (
        'fill="#f4f4f4" stroke="#777" stroke-dasharray="4 3"'
        if b.external
        else ('fill="#eef4fb" stroke="#2a6db0"')
    )
    label = escape(b.label)
    link = f"#{label}" if not b.external else escape(str(b.iri))
    return (
        f'<a href="{link}"><rect x="{x:.1f}" y="{y:.1f}" width="{b.w:.1f}" height="{BOX_H}" '
        f'rx="4" {style}/><text x="{b.x:.1f}" y="{b.y + 4:.1f}" text-anchor="middle" '
        f'fill="#111">{label}</text></a>'
    )


def _edge(boxes: dict[URIRef, Box], e: Edge, offset: float = 0.0) -> str:
    """One arrow; ``offset`` moves it sideways so arrows both ways between two boxes part."""
    a, b = boxes[e.source], boxes[e.target]
    colour = "#333" if not e.label else "#2a6db0"
    marker = "sub" if not e.label else "prop"
    names = e.label.split("\n") if e.label else []
    if e.source == e.target:  # a property from a class to itself: a loop over the box
        x0, y0 = a.x + a.w / 2 - 14, a.y - BOX_H / 2
        path = f"M{x0:.1f},{y0:.1f} c 0,-34 40,-34 28,{BOX_H / 2 + 2:.1f}"
        return (
            f'<g><path d="{path}" fill="none" stroke="{colour}" marker-end="url(#{marker})"/>'
            + _label(x0 + 30, y0 - 30, names, colour, "start")
            + "</g>"
        )
    x1, y1 = _clip(a, b.x, b.y)
    x2, y2 = _clip(b, a.x, a.y)
    if offset:
        length = max(math.hypot(x2 - x1, y2 - y1), 1.0)
        nx, ny = -(y2 - y1) / length * offset, (x2 - x1) / length * offset
        x1, y1, x2, y2 = x1 + nx, y1 + ny, x2 + nx, y2 + ny
    line = (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
        f'marker-end="url(#{marker})"/>'
    )
    if not names:
        return line
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    if offset:  # put the label on the arrow's own side
        my += math.copysign(7 * len(names), offset if x2 >= x1 else -offset)
    return f"<g>{line}{_label(mx, my, names, colour, 'middle')}</g>"


def _label(x: float, y: float, names: list[str], colour: str, anchor: str) -> str:
    """Property names, one per line, on a white backing so crossing lines stay readable."""
    w = max(len(n) for n in names) * CHAR_W * 0.9 + 6
    h = 12 * len(names)
    top = y - h / 2
    left = x - w / 2 if anchor == "middle" else x - 3
    out = [
        f'<rect x="{left:.1f}" y="{top:.1f}" width="{w:.1f}" height="{h:.1f}" fill="#fff" '
        'fill-opacity="0.85"/>'
    ]
    for i, name in enumerate(names):
        out.append(
            f'<text x="{x:.1f}" y="{top + 10 + 12 * i:.1f}" text-anchor="{anchor}" '
            f'font-size="10" fill="{colour}">{escape(name)}</text>'
        )
    return "".join(out)
