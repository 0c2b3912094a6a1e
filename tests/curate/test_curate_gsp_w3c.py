"""The W3C SPARQL 1.1 Graph Store Protocol tests, driven from their manifests.

Each manifest entry is a sequence of HTTP requests with expected statuses, headers and bodies
(compared as graphs, by isomorphism). ``/gsp`` in the manifests is this server's ``/graphs``;
writes carry a curator token (the protocol says nothing about authentication). Each entry runs
on a fresh store, as the entries reuse the same graph IRIs.

One entry does not pass, on purpose: ``put_get_default`` writes the default graph, which here is
the union of all named graphs and cannot be written (405, see gcm_kg.writes.policy). Its test
asserts exactly that refusal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from gcm_kg.config import Settings
from tests.curate.helpers import Curators

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
STATUS = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404}
REFUSED = {"put_get_default": 405}


@dataclass
class Step:
    method: str
    path: str
    headers: dict[str, str]
    body: str | None
    statuses: set[int]
    location: str | None = None  # template variable the Location header fills
    content_type: str | None = None
    expected: str | None = None  # expected body (Turtle)


@dataclass
class Case:
    name: str
    steps: list[Step] = field(default_factory=list)


def _headers(g: Graph, node: object) -> dict[str, str]:
    found = g.value(node, HT.headers)  # type: ignore[arg-type]
    if found is None:
        return {}
    return {
        str(g.value(h, HT.fieldName)).lower(): str(g.value(h, HT.fieldValue))
        for h in Collection(g, found)
    }


def _case(g: Graph, test: URIRef) -> Case:
    case = Case(str(test).rsplit("#", 1)[1])
    action = g.value(test, MF.action)
    for req in Collection(g, g.value(action, HT.requests)):  # type: ignore[arg-type]
        resp = g.value(req, HT.resp)
        body = g.value(req, HT.body)
        rbody = g.value(resp, HT.body)
        case.steps.append(
            Step(
                method=str(g.value(req, HT.methodName)),
                path=str(g.value(req, HT.absolutePath)),
                headers=_headers(g, req),
                body=str(g.value(body, CNT.chars)) if body is not None else None,
                statuses={
                    STATUS[str(s).rsplit("#", 1)[1]] for s in g.objects(resp, MF.expectedStatus)
                },
                location=str(g.value(resp, MF.expectedLocation) or "") or None,
                content_type=_headers(g, resp).get("content-type"),
                expected=str(g.value(rbody, CNT.chars)) if rbody is not None else None,
            )
        )
    return case


def _cases() -> list[Case]:
    folder = Settings.from_env().shared_dir / "w3c" / "graph-store-protocol"
    cases = []
    for name in ("manifest-direct.ttl", "manifest-indirect.ttl"):
        path: Path = folder / name
        g = Graph().parse(path, format="turtle", publicID=path.as_uri())
        manifest = next(g.subjects(MF.entries, None))
        cases += [_case(g, t) for t in Collection(g, g.value(manifest, MF.entries))]  # type: ignore[arg-type]
    return cases


CASES = _cases()


def run(client, case: Case, token: str) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    """Run the case's requests; returns (step, status) for every step that failed."""
    failures: list[tuple[str, int]] = []
    variables: dict[str, str] = {}
    for i, step in enumerate(case.steps):
        path = step.path.replace("/gsp", "/graphs", 1)
        for var, value in variables.items():
            path = path.replace(var, value)
        headers = dict(step.headers)
        if step.method not in ("GET", "HEAD"):
            headers["authorization"] = f"Bearer {token}"
        resp = client.open(
            path,
            method=step.method,
            headers=headers,
            data=step.body.encode("utf-8") if step.body is not None else None,
        )
        label = f"{i}:{step.method} {path}"
        if resp.status_code not in step.statuses:
            failures.append((label, resp.status_code))
            continue
        if step.location:
            variables[step.location] = resp.headers["Location"]
        if step.content_type:
            wanted = step.content_type.replace(" ", "").lower()
            if resp.headers["Content-Type"].replace(" ", "").lower() != wanted:
                failures.append((label + " content-type", resp.status_code))
        if step.expected is not None:
            got = Graph().parse(data=resp.get_data(as_text=True), format="turtle")
            want = Graph().parse(data=step.expected, format="turtle")
            if not isomorphic(got, want):
                failures.append((label + " body", resp.status_code))
    return failures


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_w3c_graph_store_protocol(wclient, curators: Curators, case: Case) -> None:  # type: ignore[no-untyped-def]
    failures = run(wclient, case, curators.ana)
    if case.name in REFUSED:
        assert failures[0][1] == REFUSED[case.name], failures
    else:
        assert failures == []


def test_the_manifests_hold_thirteen_tests() -> None:
    assert len(CASES) == 13
