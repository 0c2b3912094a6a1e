"""Concurrent SPARQL parsing from a cold start leaves rdflib's parser working.

Before ``gcm_kg.rdflib_threads``, eight threads parsing at once broke pyparsing's parse actions
for the life of the process: every later query naming FROM, SERVICE or LOAD got a 500. The
check runs in a fresh interpreter, since only first calls race.
"""

from __future__ import annotations

import subprocess
import sys

from gcm_kg.config import PROJECT_ROOT

SCRIPT = """
import threading
from gcm_kg.errors import GcmKgError
from gcm_kg.sparql.guard import inspect
from gcm_kg.writes.update import guard

failures = []

def work(n):
    for i in range(60):
        try:
            if i % 2:
                inspect(f"SELECT * FROM <http://ex.org/g{n}-{i}> WHERE {{ ?s ?p ?o FILTER(?o = {i}) }}")
            else:
                guard(f"INSERT DATA {{ GRAPH <http://ex.org/g{n}> {{ <urn:s> <urn:p> {i} }} }}")
        except GcmKgError as exc:
            failures.append(repr(exc))
        except Exception as exc:
            failures.append(f"{type(exc).__name__}: {exc}")

threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(failures), failures[:2])
print(inspect("SELECT * FROM <http://ex.org/after> WHERE { ?s ?p ?o }"))
"""


def test_parsing_in_eight_threads_from_a_cold_start() -> None:
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.splitlines() == ["0 []", "('http://ex.org/after',)"]
