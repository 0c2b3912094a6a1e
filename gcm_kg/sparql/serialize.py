"""SPARQL results and graphs as bytes in every format of ``gcm_kg.formats``.

Terms arrive as plain tuples ``(kind, value, language, datatype)`` so the same writers serve
rdflib terms (the in-memory and remote stores, via ``serialize``) and pyoxigraph terms (whose
results cannot be cut at a row limit once handed to Oxigraph's own writer). A literal of type
xsd:string is written without its datatype, as RDF 1.1 and Oxigraph do.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from gcm_kg.formats import Format
from gcm_kg.store.base import QueryResult

Term = tuple[str, str, str | None, str | None]  # kind (uri|bnode|literal), value, lang, datatype
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
PREFIXES = {
    "gcm": "https://w3id.org/gcm-kg/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
}


def from_rdflib(node: Node) -> Term:
    if isinstance(node, URIRef):
        return ("uri", str(node), None, None)
    if isinstance(node, BNode):
        return ("bnode", str(node), None, None)
    if isinstance(node, Literal):
        dt = str(node.datatype) if node.datatype and not node.language else None
        return ("literal", str(node), node.language, None if dt == XSD_STRING else dt)
    raise TypeError(f"cannot serialize {node!r}")


def _json_term(t: Term) -> dict[str, str]:
    kind, value, lang, dt = t
    out = {"type": kind, "value": value}
    if lang:
        out["xml:lang"] = lang
    elif dt:
        out["datatype"] = dt
    return out


def _xml_term(t: Term) -> str:
    kind, value, lang, dt = t
    if kind == "uri":
        return f"<uri>{escape(value)}</uri>"
    if kind == "bnode":
        return f"<bnode>{escape(value)}</bnode>"
    attr = f" xml:lang={quoteattr(lang)}" if lang else (f" datatype={quoteattr(dt)}" if dt else "")
    return f"<literal{attr}>{escape(value)}</literal>"


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_term(t: Term | None) -> str:
    if t is None:
        return ""
    kind, value, lang, dt = t
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    text = f'"{value.translate(_TSV_ESCAPES)}"'
    return text + (f"@{lang}" if lang else (f"^^<{dt}>" if dt else ""))


def _csv_value(t: Term | None) -> str:
    if t is None:
        return ""
    return f"_:{t[1]}" if t[0] == "bnode" else t[1]


def results(variables: Sequence[str], rows: Iterable[Sequence[Term | None]], fmt: Format) -> bytes:
    """SELECT results; ``rows`` hold one term (or None when unbound) per variable."""
    if fmt.name == "json":
        bindings = [
            {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
            for row in rows
        ]
        doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if fmt.name == "xml":
        parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
        parts.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in variables))
        parts.append("</head><results>")
        for row in rows:
            cells = "".join(
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            )
            parts.append(f"<result>{cells}</result>")
        parts.append("</results></sparql>\n")
        return "\n".join(parts).encode("utf-8")
    if fmt.name == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow([_csv_value(t) for t in row])
        return out.getvalue().encode("utf-8")
    if fmt.name == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"{fmt.media_type} does not carry SELECT results")


def boolean(value: bool, fmt: Format) -> bytes:
    """ASK results (JSON and XML only: CSV and TSV define no boolean)."""
    word = "true" if value else "false"
    if fmt.name == "json":
        return b'{"head":{},"boolean":' + word.encode() + b"}"
    if fmt.name == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{word}</boolean></sparql>\n"
        ).encode()
    raise ValueError(f"{fmt.media_type} does not carry an ASK result")


def graph(triples: Iterable[tuple[Node, Node, Node]], fmt: Format) -> bytes:
    """CONSTRUCT / DESCRIBE results and other graphs, written by rdflib."""
    target: Graph
    if fmt.quads:
        ds = Dataset()
        target = ds.default_graph
    else:
        ds = None
        target = Graph()
    prefixes = dict(PREFIXES)
    if isinstance(triples, Graph):
        prefixes |= {p: str(ns) for p, ns in triples.namespaces()}
    for prefix, ns in prefixes.items():
        target.bind(prefix, ns)
    for t in triples:
        target.add(t)
    out = (ds if ds is not None else target).serialize(format=fmt.rdflib or fmt.name)
    return out.encode("utf-8") if isinstance(out, str) else out


def serialize(result: QueryResult, fmt: Format) -> bytes:
    """A backend-neutral QueryResult in ``fmt`` (the path for stores other than Oxigraph)."""
    if result.form == "ASK":
        return boolean(bool(result.boolean), fmt)
    if result.form == "SELECT":
        rows = (
            [from_rdflib(r[v]) if v in r else None for v in result.variables] for r in result.rows
        )
        return results(result.variables, rows, fmt)
    return graph(result.triples, fmt)
