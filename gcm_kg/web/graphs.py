"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/graphs``: reads are public, writes are curators'.

* graphs are named indirectly (``/graphs?graph=IRI``, ``/graphs?default``) or directly: the URL
  ``/graphs/{path}`` names the graph whose IRI is that URL;
* ``GET``/``HEAD`` return a graph (the default graph is the union of all named graphs) in the
  syntax the Accept header prefers; 404 for a graph that holds nothing;
* ``PUT`` replaces a graph, ``POST`` merges into it (also ``multipart/form-data``, one RDF
  document per part), ``DELETE`` removes it: a curator token with the ``update`` right; which
  graphs may be written is ``gcm_kg.writes.policy``'s rule; every write validated and audited;
* ``POST /graphs`` without a graph name creates a new graph: a submission (201, Location).
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote

import pyoxigraph as ox
from flask import Blueprint, Response, request

from gcm_kg import formats
from gcm_kg.errors import NotFound, UnsupportedMediaType
from gcm_kg.sparql.jobs import Wanted
from gcm_kg.store import sparql_text
from gcm_kg.validate.parse import parse_bytes
from gcm_kg.web.accept import negotiate
from gcm_kg.web.app import executor, state
from gcm_kg.web.common import public_url
from gcm_kg.web.writing import (
    attempt,
    body_bytes,
    bounded,
    json_response,
    rdf_body,
    rdf_format,
    register,
)
from gcm_kg.writes import checks, graphs, submissions
from gcm_kg.writes.content import check_terms

bp = Blueprint("graphs", __name__)
register(bp)

#: syntaxes a graph is served in, the server's preference first
OUTPUT = [formats.BY_NAME[n].media_type for n in ("turtle", "ntriples", "jsonld", "rdfxml", "trig")]
PATH_SAFE = "/:@!$&'()*+,;=-._~"
METHODS = ["GET", "PUT", "POST", "DELETE"]  # Flask answers HEAD with GET


@bp.route("/graphs", methods=METHODS)
@bp.route("/graphs/<path:direct>", methods=METHODS)
def graph_store(direct: str | None = None) -> Response:
    # the URL as configured, never from the Host header (the path as sent, percent-encoded)
    iri = public_url("graphs/" + quote(direct, safe=PATH_SAFE)) if direct is not None else None
    if request.method in ("GET", "HEAD"):
        return _get(graphs.target(request.method, request.args.to_dict(flat=False), iri))
    with attempt(f"graph-{request.method.lower()}", url=request.full_path) as a:
        who = a.authenticate("update")
        target = graphs.target(request.method, request.args.to_dict(flat=False), iri)
        triples = bounded(_body()) if request.method != "DELETE" else []
        check_terms(triples)
        st = state()
        a.handed_over = True
        if target.service:
            return _create(who.name, triples)
        outcome = graphs.write(
            st.store,
            request.method,
            target.graph,
            triples,
            curator=who.name,
            check=checks.shacl_change_validator(st.settings),
            audit_log=st.settings.audit_log,
            bases=(st.settings.base_iri,),
            source=request.args.get("source") or None,
            comment=request.args.get("comment") or None,
            admin="admin" in who.rights,
        )
    if request.method == "DELETE":
        return Response(status=204)
    body = {
        "graph": str(outcome.graph),
        "triples": outcome.triples,
        "warnings": outcome.warnings,
        "report": outcome.report,
    }
    resp = json_response(body, 201 if outcome.created else 200)
    if outcome.created:
        resp.headers["Location"] = str(outcome.graph)
    return resp


def _get(target: graphs.Target) -> Response:
    """A graph, read by the query engine under the same limits as any query (time, memory,
    bytes, admission, the result cache): a graph as large as the whole store is never read in a
    request thread. Cut at the byte limit, it says so like a query answer does."""
    st = state()
    chosen = negotiate(request.headers.get("Accept"), OUTPUT)
    fmt = formats.BY_MEDIA_TYPE[chosen]
    if target.graph is None:
        query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    else:
        name = sparql_text.term_n3(target.graph)
        if not st.store.query(f"ASK {{ GRAPH {name} {{ ?s ?p ?o }} }}").boolean:
            raise NotFound(f"no graph <{target.graph}> in the store")
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }}"
    # quads keep a named graph's name: the engine writes N-Triples, named here (bounded by the
    # byte limit)
    named_quads = fmt.quads and target.graph is not None
    wanted_name = formats.BY_MEDIA_TYPE["application/n-triples"].name if named_quads else fmt.name
    ex = executor()
    job = replace(ex.job(query, wanted=Wanted(None, None, wanted_name)), limit=None)
    answer = ex.run(job, client=request.remote_addr)
    data = answer.body
    if named_quads:
        graph = ox.NamedNode(str(target.graph))
        quads = [
            ox.Quad(t.subject, t.predicate, t.object, graph)
            for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
        ]
        data = ox.serialize(quads, format=getattr(ox.RdfFormat, str(fmt.oxigraph))) or b""
    resp = Response(data, status=200, content_type=f"{chosen}; charset=utf-8")
    resp.headers["Vary"] = "Accept"
    if answer.byte_cut:
        resp.headers["Results-Truncated"] = "true"
        resp.headers["Results-Byte-Limit"] = str(job.max_bytes)
    return resp


def _body() -> list[ox.Triple]:
    """The RDF of a PUT or POST; a multipart POST merges the documents of all its parts."""
    ctype = request.headers.get("Content-Type", "")
    if not ctype.lower().startswith("multipart/form-data"):
        return rdf_body()
    body_bytes()  # the size limit first
    triples: list[ox.Triple] = []
    for name, part in request.files.items(multi=True):
        fmt = rdf_format(part.content_type)
        triples += parse_bytes(part.read(), fmt, f"part {name}")
    if request.form:
        raise UnsupportedMediaType("every part of a multipart body must be an RDF file")
    return triples


def _create(curator: str, data: list[ox.Triple]) -> Response:
    """POST to the service: a new graph, which is a submission (its IRI is minted here)."""
    st = state()
    sub = submissions.submit(
        st.store,
        data,
        curator=curator,
        validator=checks.shacl_validator(st.settings),
        audit_log=st.settings.audit_log,
        source=request.args.get("source") or None,
        comment=request.args.get("comment") or None,
    )
    body = {
        "submission": sub.ident,
        "graph": str(sub.graph),
        "triples": sub.triples,
        "warnings": sub.warnings,
        "report": sub.report,
    }
    resp = json_response(body, 201)
    resp.headers["Location"] = str(sub.graph)
    return resp
