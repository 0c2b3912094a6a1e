"""rdflib's SPARQL parser, used by many threads at once on its first use, stays sound.

Without the shared lock (gcm_kg.rdf.rdflib_threads), concurrent first parses leave pyparsing actions
with a wrong arity for the life of the process ("Param.postParse2() missing 1 required
positional argument"). Each run is a fresh interpreter, so the parser is cold.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import threading
from gcm_kg.errors import QueryRejected
from gcm_kg.sparql import guard
from gcm_kg.writes import update

barrier = threading.Barrier(12)
errors = []

def work(i):
    barrier.wait()
    try:
        if i % 2:
            update.guard('INSERT DATA { GRAPH <http://g> { <http://a> <http://b> "%d" } }' % i)
        else:
            guard.inspect('SELECT ?s WHERE { ?s ?p ?o FILTER(?o = "%d") } LIMIT 1' % i)
    except Exception as exc:
        errors.append(repr(exc))

threads = [threading.Thread(target=work, args=(i,)) for i in range(12)]
for t in threads: t.start()
for t in threads: t.join()
assert not errors, errors
try:
    update.guard("LOAD <http://example.org/x>")
except QueryRejected:
    print("sound")
"""


@pytest.mark.parametrize("run", range(3))
def test_concurrent_first_parses(run: int) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.stdout.strip() == "sound", done.stderr[-2000:]
