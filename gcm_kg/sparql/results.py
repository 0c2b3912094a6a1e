"""Query results as text for people (table) and machines (CSV, SPARQL JSON, N-Triples)."""

from __future__ import annotations

import csv
import io
import json

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from gcm_kg.store.base import QueryResult


def term_json(term: Node) -> dict[str, str]:
    """A term in the SPARQL 1.1 Query Results JSON format."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def to_json(result: QueryResult) -> str:
    if result.form == "ASK":
        return json.dumps({"head": {}, "boolean": result.boolean})
    if result.form != "SELECT":
        raise ValueError("JSON results are for SELECT and ASK; use N-Triples for graphs")
    return json.dumps(
        {
            "head": {"vars": result.variables},
            "results": {
                "bindings": [{k: term_json(v) for k, v in row.items()} for row in result.rows]
            },
        },
        ensure_ascii=False,
    )


def to_csv(result: QueryResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if result.form == "ASK":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
    elif result.form == "SELECT":
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow([str(row[v]) if v in row else "" for v in result.variables])
    else:
        writer.writerow(["subject", "predicate", "object"])
        for t in result.triples:
            writer.writerow([str(x) for x in t])
    return out.getvalue()


def _cell(term: Node | None, width: int = 60) -> str:
    if term is None:
        return ""
    text = str(term).replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def to_table(result: QueryResult) -> str:
    """An aligned text table, long values cut, with a row count."""
    if result.form == "ASK":
        return "true" if result.boolean else "false"
    if result.form == "SELECT":
        headers = result.variables
        rows = [[_cell(r.get(v)) for v in headers] for r in result.rows]
    else:
        headers = ["subject", "predicate", "object"]
        rows = [[_cell(x) for x in t] for t in result.triples]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = [
        " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)),
        "-+-".join("-" * w for w in widths),
    ]
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    n = len(rows)
    lines.append(
        f"({n} row{'s' if n != 1 else ''}{', cut at the result limit' if result.truncated else ''})"
    )
    return "\n".join(line.rstrip() for line in lines)


def to_ntriples(result: QueryResult) -> str:
    return "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in result.triples)


FORMATTERS = {"table": to_table, "csv": to_csv, "json": to_json, "ntriples": to_ntriples}
