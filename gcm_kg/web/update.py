"""``POST /update``: SPARQL 1.1 Update for curators (the ``update`` right).

The update is the body (``Content-Type: application/sparql-update``) or the form field ``update``
(``application/x-www-form-urlencoded``). ``LOAD`` and ``SERVICE`` are refused even for curators;
the update is staged on a copy of the store, validated, then applied in one transaction
(``gcm_kg.writes.update``). ``using-graph-uri`` and ``using-named-graph-uri`` are not supported:
say ``USING`` in the update itself.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from gcm_kg.errors import BadRequest, UnsupportedMediaType
from gcm_kg.web.app import state
from gcm_kg.web.writing import attempt, body_bytes, json_response, params, register
from gcm_kg.writes import checks, update

bp = Blueprint("update", __name__)
register(bp)

SPARQL_UPDATE = "application/sparql-update"
FORM = "application/x-www-form-urlencoded"


@bp.post("/update")
def sparql_update() -> Response:
    st = state()
    with attempt("update") as a:
        who = a.authenticate("update")
        text = _update_text()
        a.handed_over = True
        outcome = update.run(
            st.store,
            text,
            curator=who.name,
            check=checks.shacl_change_validator(st.settings),
            audit_log=st.settings.audit_log,
            timeout=st.settings.query_timeout,
            bases=(st.settings.base_iri,),
            max_nesting=st.settings.max_nesting,
            max_triples=st.settings.max_write_triples,
            max_list=st.settings.max_list_length,
        )
    return json_response(
        {
            "graphs": [str(g) for g in outcome.graphs],
            "added": outcome.added,
            "removed": outcome.removed,
            "warnings": outcome.warnings,
            "report": outcome.report,
        }
    )


def _update_text() -> str:
    media = request.mimetype
    if media == SPARQL_UPDATE:
        params(())
        data = body_bytes()
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if charset != "utf-8":
            raise UnsupportedMediaType(f"send the update as UTF-8, not {charset}")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadRequest(f"the update is not UTF-8 (byte {exc.start})") from None
    elif media == FORM:
        params(())
        body_bytes()  # the size limit first
        values = request.form.getlist("update")
        extra = sorted(set(request.form) - {"update"})
        if extra:
            raise BadRequest(f"unsupported form field(s) {', '.join(extra)}; send only update")
        if len(values) != 1:
            raise BadRequest("give the update exactly once (form field update)")
        text = values[0]
    else:
        raise UnsupportedMediaType(f"send the update as {SPARQL_UPDATE} or as {FORM} (update=…)")
    if not text.strip():
        raise BadRequest("the update is empty")
    return text
