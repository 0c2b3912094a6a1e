"""/queries: the named queries as an API, parameters type-checked and bound as RDF terms."""

from __future__ import annotations

import io
import json
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from rdflib.query import Result

from gcm_kg.config import Settings
from gcm_kg.sparql import named
from gcm_kg.store import Store
from tests.helpers import BROWSER

CQ01 = "/queries/cq01-round-table-objectives"


def numbers(resp) -> list[int]:  # type: ignore[no-untyped-def]
    result = Result.parse(io.BytesIO(resp.data), format="json")
    return [int(r["number"]) for r in result]  # type: ignore[index,call-overload]


def test_listing_names_every_query_with_its_parameters(
    web: FlaskClient, settings: Settings
) -> None:
    resp = web.get("/queries")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    listed = {q["name"]: q for q in json.loads(resp.data)["queries"]}
    assert set(listed) == set(named.catalogue(settings.queries_dir))
    cq01 = listed["cq01-round-table-objectives"]
    assert cq01["title"] and cq01["description"] and cq01["url"] == CQ01
    assert cq01["parameters"] == [
        {
            "name": "roundTable",
            "type": "integer",
            "optional": False,
            "example": "2",
            "description": "The round table's number, 1 to 4.",
            "minimum": 1,
            "maximum": 4,
        }
    ]


def test_listing_for_browsers_is_html(web: FlaskClient) -> None:
    resp = web.get("/queries", headers={"Accept": BROWSER})
    assert resp.mimetype == "text/html"
    assert b"Objectives covered by a round table" in resp.data
    assert b'name="roundTable"' in resp.data


def test_listing_406_for_other_types(web: FlaskClient) -> None:
    assert web.get("/queries", headers={"Accept": "image/png"}).status_code == 406


def test_run_binds_the_parameter(web: FlaskClient) -> None:
    resp = web.get(CQ01 + "?roundTable=2")
    assert resp.status_code == 200 and resp.mimetype == "application/sparql-results+json"
    assert numbers(resp) == [4, 8, 9, 10, 11, 13, 21]


def test_run_answers_like_the_store(web: FlaskClient, store: Store, settings: Settings) -> None:
    q = named.get(settings.queries_dir, "cq02-paragraphs-for-objective")
    direct = store.query(q.sparql, bindings=q.bindings({"objective": "20"}))
    resp = web.get("/queries/cq02-paragraphs-for-objective?objective=20")
    result = Result.parse(io.BytesIO(resp.data), format="json")
    assert len(list(result)) == len(direct.rows) > 0


def test_run_negotiates_like_sparql(web: FlaskClient) -> None:
    csv = web.get(CQ01 + "?roundTable=2", headers={"Accept": "text/csv"})
    assert csv.mimetype == "text/csv" and csv.data.startswith(b"roundTable,objective,number")
    tsv = web.get(CQ01 + "?roundTable=2&format=tsv")
    assert tsv.mimetype == "text/tab-separated-values"


def test_optional_parameter_may_be_left_out(web: FlaskClient) -> None:
    everything = web.get("/queries/cq08-paragraph-kinds")
    empty_field = web.get("/queries/cq08-paragraph-kinds?kind=")
    one_kind = web.get("/queries/cq08-paragraph-kinds?kind=commitment")
    all_rows = json.loads(everything.data)["results"]["bindings"]
    kind_rows = json.loads(one_kind.data)["results"]["bindings"]
    assert everything.data == empty_field.data
    assert 0 < len(kind_rows) < len(all_rows)


@pytest.mark.parametrize(
    ("query_string", "message"),
    [
        ("roundTable=two", "not an integer"),
        ("roundTable=9", "outside 1..4"),
        ("", "needs parameter 'roundTable'"),
        ("roundTable=2&colour=red", "unknown parameter"),
        ("roundTable=2&roundTable=3", "given twice"),
        ("roundTable=2%20.%20%7D%20%3Fs%20%3Fp%20%3Fo%20%7B", "not an integer"),
    ],
)
def test_bad_parameters_are_400(web: FlaskClient, query_string: str, message: str) -> None:
    resp = web.get(CQ01 + "?" + query_string)
    assert resp.status_code == 400
    assert message in json.loads(resp.data)["detail"]


def test_a_string_parameter_cannot_change_the_query(web: FlaskClient) -> None:
    hostile = 'commitment" || true || "'
    resp = web.get("/queries/cq08-paragraph-kinds?kind=" + quote(hostile))
    assert resp.status_code == 200
    assert json.loads(resp.data)["results"]["bindings"] == []


def test_an_iri_parameter_cannot_change_the_query(web: FlaskClient) -> None:
    hostile = "https://w3id.org/gcm-kg/id/x> ?p ?o } UNION { ?s ?p ?o"
    resp = web.get("/queries/cq10-provenance?resource=" + quote(hostile))
    assert resp.status_code == 400


def test_unknown_query_is_404(web: FlaskClient) -> None:
    resp = web.get("/queries/cq99-nothing")
    assert resp.status_code == 404 and b"cq01-round-table-objectives" in resp.data


def test_run_has_etag_and_304(web: FlaskClient) -> None:
    first = web.get(CQ01 + "?roundTable=2")
    again = web.get(CQ01 + "?roundTable=2", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    other = web.get(CQ01 + "?roundTable=3")
    assert other.headers["ETag"] != first.headers["ETag"]


def test_run_for_browsers_is_a_page(web: FlaskClient) -> None:
    resp = web.get(CQ01 + "?roundTable=2", headers={"Accept": BROWSER})
    assert resp.mimetype == "text/html"
    assert b"Objectives covered by a round table" in resp.data
    assert b'value="2"' in resp.data


def test_cors_on_the_api(web: FlaskClient) -> None:
    assert web.get("/queries").headers["Access-Control-Allow-Origin"] == "*"
    assert web.get(CQ01 + "?roundTable=2").headers["Access-Control-Allow-Origin"] == "*"
    assert web.options(CQ01).status_code == 204


def test_every_example_answers(web: FlaskClient, settings: Settings) -> None:
    """The example of each parameter is what the query page and the load mix send first: each
    must name something the graph has (an unknown resource is a 404)."""
    for q in named.catalogue(settings.queries_dir).values():
        params = {p.name: p.example for p in q.params if not p.optional}
        resp = web.get(
            f"/queries/{q.name}", query_string=params, headers={"Accept": "application/json"}
        )
        assert resp.status_code == 200, f"{q.name} {params}: {resp.get_data(as_text=True)[:200]}"
