"""The audit script runs on the shipped graph and reports its figures."""

from __future__ import annotations

import pytest

from tests import audit_sample


def test_audit_of_a_sample_reports_all_located_and_quoted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert audit_sample.main(["--size", "60", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "located: 60/60" in out
    assert "quote in source verbatim: 60/60" in out
    assert "value traced to the row or quote:" in out
