"""``POST /curate``: a curator's submission; ``DELETE /curate/{id}``: its retraction.

The body is Turtle, TriG, JSON-LD, N-Triples (or N-Quads, RDF/XML), named by Content-Type.
Parameters: ``dry_run`` (true: validate only, store nothing), ``source`` and ``comment`` (kept in
the submission's PROV record). Answers: 201 with ``Location`` (the submission's graph IRI) and
the warnings; 200 for a dry run that conforms; 422 with the report; 400 for unreadable RDF (line
and column); 413 beyond the size limit; 415 for another media type; 401/403 for the token.
"""

from __future__ import annotations

from flask import Blueprint, Response

from gcm_kg import iris
from gcm_kg.errors import NotFound
from gcm_kg.web.app import state
from gcm_kg.web.writing import (
    attempt,
    bounded,
    flag,
    json_response,
    params,
    rdf_body,
    register,
)
from gcm_kg.writes import checks, submissions
from gcm_kg.writes.content import check_terms

bp = Blueprint("curate", __name__)
register(bp)


@bp.post("/curate")
def submit() -> Response:
    st = state()
    with attempt("submit") as a:
        who = a.authenticate("curate")
        p = params(("dry_run", "source", "comment"))
        dry_run = flag(p, "dry_run")
        triples = bounded(rdf_body())
        check_terms(triples)
        a.handed_over = True
        sub = submissions.submit(  # the parsed triples, as they are validated and stored
            st.store,
            triples,
            curator=who.name,
            validator=checks.shacl_validator(st.settings),
            audit_log=st.settings.audit_log,
            source=p.get("source") or None,
            comment=p.get("comment") or None,
            dry_run=dry_run,
        )
    body: dict[str, object] = {
        "triples": sub.triples,
        "warnings": sub.warnings,
        "report": sub.report,
    }
    if dry_run:
        return json_response({"dryRun": True, "conforms": True, **body})
    body = {"submission": sub.ident, "graph": str(sub.graph), "curator": sub.curator, **body}
    resp = json_response(body, 201)
    resp.headers["Location"] = str(sub.graph)
    return resp


@bp.delete("/curate/<ident>")
def retract(ident: str) -> Response:
    st = state()
    with attempt("retract", submission=ident) as a:
        who = a.authenticate("curate")
        p = params(("reason",))
        try:
            iris.submission(ident)
        except ValueError:
            raise NotFound(
                f"no submission {ident!r}: ids look like 20261123t120000z-0a1b2c3d"
            ) from None
        a.handed_over = True
        submissions.retract(
            st.store,
            ident,
            curator=who.name,
            audit_log=st.settings.audit_log,
            reason=p.get("reason") or None,
            check=checks.shacl_change_validator(st.settings),
            admin="admin" in who.rights,
        )
    return Response(status=204)
