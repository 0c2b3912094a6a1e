"""``/api`` collections: Hydra paging, filters, strict parameters, CORS, same frames as /id."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from gcm_kg.store import Store
from tests.linked.helpers import BASE

ID = BASE + "id/"


def _ids(doc: dict) -> list[str]:  # type: ignore[type-arg]
    return [m["id"] for m in doc["member"]]


def test_objectives_collection_is_a_paged_hydra_collection(ld) -> None:
    doc = ld.get("/api/objectives").get_json()
    assert doc["@context"] == BASE + "context.jsonld"
    assert doc["type"] == "Collection"
    assert doc["totalItems"] == 23
    assert _ids(doc) == [f"{ID}objective/{n}" for n in range(1, 21)]  # 20 per page by default
    view = doc["view"]
    assert view["type"] == "PartialCollectionView"
    assert view["previous"] is None
    assert parse_qs(urlsplit(view["next"]).query) == {"page": ["2"], "per_page": ["20"]}
    last = ld.get(view["next"]).get_json()
    assert _ids(last) == [f"{ID}objective/{n}" for n in (21, 22, 23)]
    assert last["view"]["next"] is None
    assert last["view"]["previous"] == view["first"]


def test_collection_members_have_the_frame_of_their_own_iri(ld) -> None:
    member = ld.get("/api/objectives?per_page=1&page=20").get_json()["member"][0]
    own = ld.get("/id/objective/20", headers={"Accept": "application/ld+json"}).get_json()
    del own["@context"]
    assert member == own


def test_single_objective_endpoint(ld) -> None:
    doc = ld.get("/api/objectives/20").get_json()
    assert doc == ld.get("/id/objective/20", headers={"Accept": "application/ld+json"}).get_json()


@pytest.mark.parametrize(("n", "status"), [("0", 404), ("24", 404), ("x", 400), ("1.5", 400)])
def test_single_objective_bad_numbers(ld, n: str, status: int) -> None:
    resp = ld.get(f"/api/objectives/{n}")
    assert resp.status_code == status
    assert resp.mimetype == "application/problem+json"


def test_paragraph_filter_by_objective_matches_the_graph(ld, oxigraph_store: Store) -> None:
    expected = {
        str(r["p"])
        for r in oxigraph_store.query(
            "SELECT ?p WHERE { ?p <https://w3id.org/gcm-kg/ontology#addressesObjective> "
            "<https://w3id.org/gcm-kg/id/objective/20> }"
        ).rows
    }
    doc = ld.get("/api/paragraphs?objective=20&per_page=100").get_json()
    assert doc["totalItems"] == len(expected) > 0
    assert set(_ids(doc)) == expected
    numbers = [m["paragraphNumber"] for m in doc["member"]]
    assert numbers == sorted(numbers)


def test_paragraph_filters_combine(ld) -> None:
    recognitions = ld.get("/api/paragraphs?kind=recognition&per_page=100").get_json()
    in_section = ld.get("/api/paragraphs?kind=recognition&section=1&per_page=100").get_json()
    assert 0 < in_section["totalItems"] < recognitions["totalItems"]
    for m in in_section["member"]:
        assert m["section"]["id"] == ID + "declaration/imrf-2022/section/1"
        assert ID + "vocab/paragraph-kind/recognition" in [k["id"] for k in m["kinds"]]


def test_actor_type_filter(ld) -> None:
    doc = ld.get("/api/actors?type=un-entity&per_page=100").get_json()
    assert doc["totalItems"] >= 5
    assert all("UNEntity" in m["type"] for m in doc["member"])
    assert ID + "actor/iom" in _ids(doc)
    states = ld.get("/api/actors?type=member-state&per_page=1").get_json()
    assert states["totalItems"] == 193


def test_pledges_by_actor(ld) -> None:
    doc = ld.get("/api/pledges?actor=iom").get_json()
    assert _ids(doc) == [
        ID + "pledge/achieve-legal-identity-all",
        ID + "pledge/un-system-joint-commitment-imrf-2022",
    ]
    for member in doc["member"]:
        assert "International Organization for Migration" in [
            a["label"] for a in member["pledgedBy"]
        ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("objective=20", ["test-remittance-pledge"]),
        ("objective=1", ["test-data-pledge"]),
        ("objective=2", []),
        ("actor=mex", ["test-data-pledge", "test-remittance-pledge"]),
        ("sdg_target=10.c", ["test-remittance-pledge"]),
        ("status=completed", ["test-remittance-pledge"]),
        ("status=announced&objective=20", []),
        ("actor=mex&objective=1&status=announced", ["test-data-pledge"]),
    ],
)
def test_pledge_filters_on_the_fixture(fixture_client, query: str, expected: list[str]) -> None:
    doc = fixture_client.get(f"/api/pledges?{query}").get_json()
    assert _ids(doc) == [ID + "pledge/" + slug for slug in expected]
    assert doc["totalItems"] == len(expected)


def test_objective_frame_lists_supporting_pledges(fixture_client) -> None:
    doc = fixture_client.get("/api/objectives/20").get_json()
    assert [p["id"] for p in doc["pledges"]] == [ID + "pledge/test-remittance-pledge"]


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("/api/objectives?page=0", "'page'"),
        ("/api/objectives?page=-1", "'page'"),
        ("/api/objectives?page=abc", "'page'"),
        ("/api/objectives?per_page=0", "'per_page'"),
        ("/api/objectives?per_page=101", "1 to 100"),
        ("/api/objectives?page=1&page=2", "given 2 times"),
        ("/api/objectives?colour=red", "unknown parameter(s) colour"),
        ("/api/paragraphs?objective=24", "1 to 23"),
        ("/api/paragraphs?objective=twenty", "'objective'"),
        ("/api/paragraphs?kind=Commitment", "not a slug"),
        ("/api/actors?type=martian", "not an actor type"),
        ("/api/pledges?sdg_target=10.99.1", "SDG target code"),
        ("/api/pledges?status=", "1 to 100 characters"),
        ("/api/pledges?objective=20&objective=21", "given 2 times"),
    ],
)
def test_bad_parameters_are_400_with_a_message(ld, query: str, fragment: str) -> None:
    resp = ld.get(query)
    assert resp.status_code == 400, resp.get_data(as_text=True)
    assert resp.mimetype == "application/problem+json"
    assert fragment in resp.get_json()["detail"]


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("/api/paragraphs?section=42", "no '42'"),
        ("/api/paragraphs?kind=praise", "no 'praise'"),
        ("/api/pledges?actor=nobody-at-all", "no 'nobody-at-all'"),
        ("/api/pledges?sdg_target=99.z", "no '99.z'"),
    ],
)
def test_filters_naming_what_the_graph_lacks_are_404(ld, query: str, fragment: str) -> None:
    resp = ld.get(query)
    assert resp.status_code == 404
    assert fragment in resp.get_json()["detail"]


def test_page_past_the_last_is_404(ld) -> None:
    resp = ld.get("/api/round-tables?page=2")
    assert resp.status_code == 404
    assert "last page (1)" in resp.get_json()["detail"]


def test_empty_result_is_one_empty_page(fixture_client) -> None:
    doc = fixture_client.get("/api/pledges?objective=2").get_json()
    assert doc["member"] == [] and doc["totalItems"] == 0
    assert doc["view"]["next"] is None and doc["view"]["previous"] is None


def test_unknown_collection_is_404(ld) -> None:
    assert ld.get("/api/unicorns").status_code == 404


def test_api_is_open_to_other_origins_and_cacheable(ld) -> None:
    resp = ld.get("/api/round-tables", headers={"Origin": "https://portal.example"})
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert resp.headers["ETag"]
    assert (
        ld.get("/api/round-tables", headers={"If-None-Match": resp.headers["ETag"]}).status_code
        == 304
    )


def test_api_answers_plain_json_with_a_context_link(ld) -> None:
    resp = ld.get("/api/principles", headers={"Accept": "application/json"})
    assert resp.mimetype == "application/json"
    assert "json-ld#context" in resp.headers["Link"]
    assert resp.get_json()["totalItems"] == 10


def test_api_refuses_other_media_types(ld) -> None:
    assert ld.get("/api/principles", headers={"Accept": "text/csv"}).status_code == 406


def test_context_is_published_and_matches_the_repository_file(ld) -> None:
    from gcm_kg.linked.context import CONTEXT_FILE

    resp = ld.get("/context.jsonld")
    assert resp.mimetype == "application/ld+json"
    assert resp.data == CONTEXT_FILE.read_bytes()
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
