"""The OpenAPI description, and a property-based run of schemathesis against the app itself.

For every operation of ``/openapi.json`` schemathesis generates requests (a bounded number of
examples) and checks each response against the description: documented status code and
content type, the JSON schema of the body (the members' frames), and no server error. It runs
in-process against the WSGI app, with the Hypothesis example database off.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from gcm_kg.linked.openapi import document

OPERATIONS = sorted(document("http://localhost")["paths"])
EXAMPLES = 12


def test_openapi_lists_every_collection_with_its_filters(ld) -> None:
    doc = ld.get("/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    params = {p["name"] for p in doc["paths"]["/api/pledges"]["get"]["parameters"]}
    assert params == {
        "objective",
        "actor",
        "sdg_target",
        "action",
        "status",
        "page",
        "per_page",
        "lang",
    }
    params = {p["name"] for p in doc["paths"]["/api/actions"]["get"]["parameters"]}
    assert params == {"objective", "wording", "complete", "page", "per_page", "lang"}
    for path in (
        "/api/objectives",
        "/api/objectives/{n}",
        "/api/principles",
        "/api/round-tables",
        "/api/paragraphs",
        "/api/actors",
        "/api/pledges",
        "/api/actions",
        "/context.jsonld",
        "/changes",
    ):
        assert path in doc["paths"]
    params = {p["name"] for p in doc["paths"]["/changes"]["get"]["parameters"]}
    assert params == {"page", "since"}


def test_api_docs_page_links_the_description(ld) -> None:
    page = ld.get("/api").get_data(as_text=True)
    assert 'href="/openapi.json"' in page and "/api/pledges" in page


@pytest.mark.parametrize("path", OPERATIONS)
def test_operation_conforms_to_the_openapi_description(linked_app, path: str) -> None:
    schema = schemathesis.openapi.from_wsgi("/openapi.json", linked_app)
    operation = schema[path]["GET"]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case) -> None:  # type: ignore[no-untyped-def]
        case.call_and_validate()

    check()
