"""The query worker process: opens a read-only checkpoint, answers, serializes natively.

Imports only pyoxigraph so a replacement worker starts quickly after a kill. Results of SELECT
are written here (JSON, XML, CSV, TSV) so the row limit can cut them; graphs and booleans use
Oxigraph's own serializers.
"""

from __future__ import annotations

import csv
import io
import json
from multiprocessing.connection import Connection
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}


def _json_term(t: Any) -> dict[str, Any]:
    if isinstance(t, ox.Triple):  # RDF-star quoted triple
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(t.subject),
                "predicate": _json_term(t.predicate),
                "object": _json_term(t.object),
            },
        }
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    out = {"type": "literal", "value": t.value}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype.value != XSD_STRING:
        out["datatype"] = t.datatype.value
    return out


def _xml_term(t: Any) -> str:
    if isinstance(t, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>"
            f"{_xml_term(t.predicate)}</predicate><object>{_xml_term(t.object)}</object></triple>"
        )
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if t.language:
        return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
    if t.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
    return f"<literal>{escape(t.value)}</literal>"


def _csv_value(t: Any) -> str:
    """SPARQL 1.1 CSV: IRIs and literals as plain strings, blank nodes as _:label, quoted
    triples (RDF-star) in N-Triples syntax."""
    if isinstance(t, ox.Triple):
        return str(t)
    return "_:" + t.value if isinstance(t, ox.BlankNode) else str(t.value)


def select_body(names: list[str], rows: list[list[Any]], media_type: str) -> bytes:
    if media_type == "application/sparql-results+json":
        bindings = [
            {n: _json_term(v) for n, v in zip(names, r, strict=True) if v is not None} for r in rows
        ]
        return json.dumps(
            {"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False
        ).encode("utf-8")
    if media_type == "application/sparql-results+xml":
        parts = [
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
            "<head>" + "".join(f"<variable name={quoteattr(n)}/>" for n in names) + "</head>",
            "<results>",
        ]
        for r in rows:
            cells = "".join(
                f"<binding name={quoteattr(n)}>{_xml_term(v)}</binding>"
                for n, v in zip(names, r, strict=True)
                if v is not None
            )
            parts.append(f"<result>{cells}</result>")
        parts.append("</results>\n</sparql>\n")
        return "\n".join(parts).encode("utf-8")
    out = io.StringIO()
    if media_type == "text/csv":
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow(names)
        for r in rows:
            w.writerow(["" if v is None else _csv_value(v) for v in r])
    else:  # text/tab-separated-values: terms in SPARQL/N-Triples syntax
        out.write("\t".join("?" + n for n in names) + "\n")
        for r in rows:
            out.write("\t".join("" if v is None else str(v) for v in r) + "\n")
    return out.getvalue().encode("utf-8")


def boolean_body(value: bool, media_type: str) -> bytes:
    if media_type == "application/sparql-results+json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if media_type == "application/sparql-results+xml":
        return (
            f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    return ("true\n" if value else "false\n").encode()


def _media_type(req: dict[str, Any], form: str) -> str | None:
    """The wanted media type for a form; ``boolean`` may differ from ``results`` (no CSV ASK)."""
    wanted = req["media_types"]
    if form == "ASK":
        return wanted.get("boolean", wanted.get("results"))  # type: ignore[no-any-return]
    return wanted.get("results" if form == "SELECT" else "graph")  # type: ignore[no-any-return]


def answer(store: ox.Store, req: dict[str, Any]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    if req.get("base_iri"):  # relative IRIs resolve against the endpoint (SPARQL Protocol §2.1.4)
        kwargs["base_iri"] = req["base_iri"]
    if req["default_graphs"] is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in req["default_graphs"]]
    else:
        kwargs["use_default_graph_as_union"] = True
    if req["named_graphs"] is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in req["named_graphs"]]
    result = store.query(req["sparql"], **kwargs)
    limit = req["limit"]
    form = (
        "ASK"
        if isinstance(result, ox.QueryBoolean)
        else "SELECT"
        if isinstance(result, ox.QuerySolutions)
        else "CONSTRUCT"
    )
    mt = _media_type(req, form)
    if mt is None:  # negotiation found nothing acceptable for this form: a 406 names the offers
        message = req.get("refusals", {}).get(form) or f"no acceptable format for {form} results"
        return {"ok": False, "kind": "not_acceptable", "message": message}
    if isinstance(result, ox.QueryBoolean):
        return {
            "ok": True,
            "form": "ASK",
            "media_type": mt,
            "truncated": False,
            "body": boolean_body(bool(result), mt),
        }
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows, truncated = [], False
        for i, solution in enumerate(result):
            if limit is not None and i >= limit:
                truncated = True
                break
            rows.append(list(solution))  # in variable order, None if unbound; faster than by name
        return {
            "ok": True,
            "form": "SELECT",
            "media_type": mt,
            "truncated": truncated,
            "body": select_body(names, rows, mt),
        }
    triples, truncated = [], False
    for i, t in enumerate(result):
        if limit is not None and i >= limit:
            truncated = True
            break
        triples.append(t)
    fmt = GRAPH_FORMATS.get(mt, ox.RdfFormat.N_TRIPLES)
    prefixes = req.get("prefixes") if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    body = ox.serialize(triples, format=fmt, prefixes=prefixes) or b""
    return {"ok": True, "form": "CONSTRUCT", "media_type": mt, "truncated": truncated, "body": body}


def limit_memory(megabytes: int) -> None:
    """Cap this process's heap (RLIMIT_DATA): past it the engine's allocation fails and the
    process aborts, so one query cannot take the machine's memory (a cartesian ORDER BY grows
    by about 300 MB a second). Thread stacks count too: RocksDB needs about 100 MB to open."""
    if megabytes > 0:
        import resource

        size = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (size, size))


def main(conn: Connection, memory_mb: int = 0) -> None:
    limit_memory(memory_mb)
    store: ox.Store | None = None
    opened: str | None = None
    while True:
        try:
            req = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if req["checkpoint"] != opened:
                store = None  # close the previous checkpoint before opening the next
                store = ox.Store.read_only(req["checkpoint"])
                opened = req["checkpoint"]
            assert store is not None
            reply = answer(store, req)
        except SyntaxError as exc:
            reply = {"ok": False, "kind": "syntax", "message": str(exc)}
        except OSError as exc:  # the checkpoint could not be read
            reply = {"ok": False, "kind": "store", "message": str(exc)}
        except Exception as exc:  # report every failure to the parent, keep serving
            reply = {"ok": False, "kind": "error", "message": f"{type(exc).__name__}: {exc}"}
        conn.send(reply)
