"""Audit a random sample of the shipped graph's curated and pledge statements against their sources.

Run: ``python -m tests.audit_sample [--size N] [--seed S] [--show K]``. For each sampled statement:
- located: it has a locator (a table row or a qualified link; see tests/provenance.py);
- quoted: the locator's evidence quote is in its source verbatim (the paragraph or footnote, the
  seed's line, or the table row the quote is copied from);
- traced: the statement's value can be read off its source: a literal value or an IRI's last
  segment occurs in the table row's cells or in the quote, or the value is the row's own
  bookkeeping (type, label, locator links). Untraced statements are listed for a hand check:
  they are a curator's reading (a title written for a document, an actor class), attributed to
  the curation.
The figures it prints are what the report and README quote; the seed makes a run repeatable.
"""

from __future__ import annotations

import argparse
import random
import re
import sys

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from tests import provenance as pv

BOOKKEEPING = {
    RDF.type,
    RDF.subject,
    RDF.predicate,
    RDF.object,
    PROV.wasDerivedFrom,
    pv.EVIDENCE,
    pv.QUOTED_FROM,
    pv.SOURCE_LINE,
    pv.IN_TABLE,
    pv.LINE_NUMBER,
    pv.QUALIFIED_LINK,
    pv.LINK_PROPERTY,
    pv.LINK_TARGET,
}


def _tokens(value: object) -> list[str]:
    """What of a value should be visible in its source: a literal's text, an IRI's last segment
    (slug words, a number, an ISO code)."""
    if isinstance(value, Literal):
        return [str(value)]
    last = str(value).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return [last, last.replace("-", " ")]


def traced(ds, g, s, p, o, support) -> bool:  # type: ignore[no-untyped-def]
    if p in BOOKKEEPING or (p in (RDFS.label, SKOS.prefLabel) and support.rule == 2):
        return p not in (RDFS.label, SKOS.prefLabel) or _in_source(ds, support.locator, o)
    if support.rule == 1:
        return True  # the locator's own description, checked by quoted
    return any(_in_source(ds, support.locator, t) for t in _tokens(o))


def _in_source(ds, locator: URIRef, value: object) -> bool:  # type: ignore[no-untyped-def]
    evidence, text = pv.evidence_source(ds, locator)
    haystack = pv.verbatim(evidence + " | " + text).lower()
    row = ""
    g = pv._graph_of(ds, locator)
    if (locator, RDF.type, pv.TABLE_ROW) in g:
        row = " | ".join(pv._table_row_cells(ds, locator)).lower()
    needle = pv.verbatim(str(value)).lower()
    if re.fullmatch(r"[a-z]{3}", needle):  # an ISO code: as a cell
        return needle in row.split(" | ")
    return bool(needle) and (needle in haystack or needle in row)


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--size", type=int, default=200)
    args.add_argument("--seed", type=int, default=13)
    args.add_argument("--show", type=int, default=10, help="untraced statements to list")
    opts = args.parse_args(argv)
    ds = pv.load()
    population = [(g, t) for g in pv.table_graphs(ds) for t in pv.statements(g)]
    sample = random.Random(opts.seed).sample(population, min(opts.size, len(population)))
    located = quoted = traced_n = 0
    untraced = []
    for g, (s, p, o) in sample:
        support = pv.support(g, s, p, o)
        if support is None:
            continue
        located += 1
        if pv.quote_found(ds, support.locator):
            quoted += 1
        if traced(ds, g, s, p, o, support):
            traced_n += 1
        else:
            untraced.append((s, p, o))
    n = len(sample)
    print(f"population: {len(population)} statements in {len(pv.table_graphs(ds))} table graphs")
    print(f"sample: {n} (seed {opts.seed})")
    print(f"located: {located}/{n}")
    print(f"quote in source verbatim: {quoted}/{n}")
    print(f"value traced to the row or quote: {traced_n}/{n}")
    print(f"left for a hand check (curator's reading): {len(untraced)}")
    for s, p, o in untraced[: opts.show]:
        print(f"  {s.n3()} {p.n3()} {o.n3()}")
    return 0 if located == quoted == n else 1


if __name__ == "__main__":
    sys.exit(main())
