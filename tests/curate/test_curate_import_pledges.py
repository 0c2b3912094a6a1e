"""gcm-kg import-pledges: table → RDF → validation → submission, locally or to a server.

Exit 0 stored (dry run: conforms), 1 rejected by the shapes, 2 a wrong table or request; every
error names the row and column of the table.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from gcm_kg import cli, iris
from gcm_kg.config import Settings
from gcm_kg.store import Store, open_store
from gcm_kg.writes import audit
from tests.curate.helpers import DATA, Curators
from tests.helpers import make_live_app
from tests.live_server import LiveServer

GOOD = DATA / "pledges.csv"
VIOLATIONS = DATA / "pledges-violations.csv"
BAD_TABLE = DATA.parent / "pledges" / "bad.csv"
ACTIONS = DATA / "pledges-actions.csv"


@pytest.fixture()
def local(
    wsettings: Settings, nquads: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """Settings of a local store (on disk) that the command opens itself, as a user's would be."""
    settings = replace(wsettings, store=f"oxigraph:{tmp_path / 'store'}")
    with open_store(settings.store) as store:
        store.replace_all(nquads)
    monkeypatch.setattr(
        cli, "_settings", lambda args: replace(settings, store=args.store or settings.store)
    )
    return settings


def count_pledges(settings: Settings) -> int:
    with open_store(settings.store, read_only=True) as store:
        q = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { GRAPH ?g { ?p a <https://w3id.org/gcm-kg/ontology#Pledge> } FILTER(STRSTARTS(STR(?g), 'https://w3id.org/gcm-kg/id/submission/')) }"
        return int(store.query(q).rows[0]["n"])


def test_dry_run_conforms_and_stores_nothing(local: Settings, capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["import-pledges", str(GOOD), "--dry-run"]) == 0
    assert "2 pledge(s), 26 triples conform (dry run: nothing stored)" in capsys.readouterr().out
    assert count_pledges(local) == 0


def test_import_submits_with_the_token(local: Settings, curators: Curators, capsys) -> None:  # type: ignore[no-untyped-def]
    code = cli.main(
        ["import-pledges", str(GOOD), "--token", curators.ana, "--source", "sheet 2026"]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "stored as https://w3id.org/gcm-kg/id/submission/" in out
    assert count_pledges(local) == 2
    [entry] = audit.read(local.audit_log)
    assert (entry["curator"], entry["outcome"], entry["source"]) == (
        "ana",
        "accepted",
        "sheet 2026",
    )


def test_the_token_may_come_from_the_settings(
    local: Settings, curators: Curators, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(cli, "_settings", lambda args: replace(local, token=curators.bo))
    assert cli.main(["import-pledges", str(GOOD)]) == 0
    assert audit.read(local.audit_log)[0]["curator"] == "bo"


def test_submitting_without_a_token_is_exit_2(local: Settings, capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["import-pledges", str(GOOD)]) == 2
    assert "curator token" in capsys.readouterr().err
    assert count_pledges(local) == 0


def test_shape_violations_name_row_and_column(local: Settings, curators: Curators, capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["import-pledges", str(VIOLATIONS), "--token", curators.ana]) == 1
    out = capsys.readouterr().out
    name = "tests/data/curate/pledges-violations.csv"
    assert f"{name}: row 3, column source_url: Violation: A pledge must name the source" in out
    assert f"{name}: row 4, column actor: Violation: gcm:pledgedBy must point at an actor" in out
    assert "row 2," not in out  # the good row has nothing to say
    assert count_pledges(local) == 0  # one bad row: nothing of the table is stored


def test_an_action_the_compact_does_not_list_is_refused_by_name(local: Settings, capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["import-pledges", str(ACTIONS), "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert (
        "pledges-actions.csv: row 3, column actions: Violation:"
        f" {iris.action(20, 'z')} is not one of the Compact's actions."
    ) in out
    assert "row 2," not in out  # 20a and 20c exist


def test_table_errors_are_exit_2_with_row_and_column(local: Settings, capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["import-pledges", str(BAD_TABLE), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "bad.csv: row 3, column objectives: '24' is not an objective number (1-23)" in err
    assert "gcm-kg: 8 error(s)" in err


def test_json_output_is_the_answer(local: Settings, capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["import-pledges", str(VIOLATIONS), "--dry-run", "--output", "json"]) == 1
    body = json.loads(capsys.readouterr().out)
    assert body["report"]["conforms"] is False and body["report"]["violations"] == 3


# ---------------------------------------------------------------- to a server


@pytest.fixture()
def server(wsettings: Settings, wstore: Store, curators: Curators) -> Iterator[str]:
    """The app on a real waitress server on loopback, in a thread."""
    srv = LiveServer(make_live_app(wsettings, wstore), threads=2)
    yield srv.url
    srv.close()


def test_import_to_a_server(server: str, wstore: Store, curators: Curators, capsys) -> None:  # type: ignore[no-untyped-def]
    code = cli.main(["import-pledges", str(GOOD), "--server", server, "--token", curators.ana])
    assert code == 0, capsys.readouterr()
    q = f"ASK {{ GRAPH ?g {{ <{iris.pledge('iom-data-capacity')}> a ?t }} }}"
    assert wstore.query(q).boolean


def test_server_rejection_names_row_and_column(server: str, curators: Curators, capsys) -> None:  # type: ignore[no-untyped-def]
    code = cli.main(
        ["import-pledges", str(VIOLATIONS), "--server", server, "--token", curators.ana]
    )
    assert code == 1
    assert "row 4, column actor: Violation:" in capsys.readouterr().out


def test_server_refusing_the_token_is_exit_2(server: str, capsys) -> None:  # type: ignore[no-untyped-def]
    code = cli.main(["import-pledges", str(GOOD), "--server", server, "--token", "wrong"])
    assert code == 2
    assert "answered 401" in capsys.readouterr().err


def test_unreachable_server_is_exit_2(curators: Curators, capsys) -> None:  # type: ignore[no-untyped-def]
    code = cli.main(["import-pledges", str(GOOD), "--server", "http://127.0.0.1:9", "--token", "t"])
    assert code == 2
    assert "cannot reach http://127.0.0.1:9" in capsys.readouterr().err
