"""Bytes that are not UTF-8 on ``gcm-kg query``'s command line or stdin: one line saying so and
a non-zero exit, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gcm_kg.config import PROJECT_ROOT

QUERY = [sys.executable.encode(), b"-m", b"gcm_kg", b"query", b"--store", b"oxigraph:"]
CASES = {
    "a parameter value": (
        [b"--name", b"cq08-paragraph-kinds", b"--param", b"kind=\xff\xfe"],
        b"",
        "--param is not UTF-8 (byte 0xff",
    ),
    "a parameter name": (
        [b"--name", b"cq08-paragraph-kinds", b"--param", b"k\xe9=x"],
        b"",
        "--param is not UTF-8 (byte 0xe9",
    ),
    "a query name": ([b"--name", b"cq\xc0"], b"", "--name is not UTF-8 (byte 0xc0"),
    "the query": ([b'ASK { FILTER("\xff" = "a") }'], b"", "the query is not UTF-8 (byte 0xff"),
    "the query on stdin": ([b"-"], b"ASK { \xff }", "the query on stdin is not UTF-8"),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bytes_that_are_not_utf8_get_one_line(case: tuple[list[bytes], bytes, str]) -> None:
    argv, stdin, message = case
    done = subprocess.run(
        QUERY + argv, input=stdin, capture_output=True, cwd=PROJECT_ROOT, timeout=120
    )
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode != 0
    assert "Traceback" not in err
    assert err.strip().count("\n") == 0, err
    assert message in err
