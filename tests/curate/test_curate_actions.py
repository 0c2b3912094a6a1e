"""A curator's submission may say which of the Compact's actions a pledge implements."""

from __future__ import annotations

from gcm_kg import iris
from gcm_kg.store import Store
from tests.curate.helpers import Curators, pledge_ttl, snapshot


def _post(client, curators: Curators, body: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/curate",
        data=body.encode(),
        headers={"Content-Type": "text/turtle", **curators.header(curators.ana)},
    )


def _implementing(action: str) -> str:
    body = pledge_ttl("implements-an-action").rstrip().rstrip(".")
    return body + f";\n    gcm:implementsAction <{action}> .\n"


def test_a_pledge_naming_an_action_is_stored(wclient, wstore: Store, curators: Curators) -> None:  # type: ignore[no-untyped-def]
    resp = _post(wclient, curators, _implementing(str(iris.action(20, "a"))))
    assert resp.status_code == 201, resp.get_data(as_text=True)
    q = f"ASK {{ <{iris.pledge('implements-an-action')}> ?p <{iris.action(20, 'a')}> }}"
    assert wstore.query(q).boolean


def test_an_action_the_compact_does_not_list_is_refused_by_name(
    wclient, wstore: Store, curators: Curators
) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(wstore)
    resp = _post(wclient, curators, _implementing(str(iris.action(20, "z"))))
    assert resp.status_code == 422
    messages = [r["message"] for g in resp.json["report"]["focusNodes"] for r in g["results"]]
    assert f"{iris.action(20, 'z')} is not one of the Compact's actions." in " ".join(messages)
    assert snapshot(wstore) == before
