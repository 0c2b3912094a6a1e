"""rdflib's SPARQL parser used from many threads at once, first calls included."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import threading
    import gcm_kg.rdf.rdflib_threads  # the lock under test
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parser import parseUpdate

    queries = [
        "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(?o > 1) } GROUP BY ?s",
        "ASK { GRAPH ?g { ?s a <http://x/C> } }",
        "CONSTRUCT { ?s ?p ?o } WHERE { { ?s ?p ?o } UNION { ?o ?p ?s } } LIMIT 3",
        "SELECT * WHERE { ?s <http://x/p>+ ?o OPTIONAL { ?o ?q ?r } VALUES ?s { <http://x/a> } }",
    ]
    updates = [
        "INSERT DATA { GRAPH <http://x/g> { <http://x/a> <http://x/b> 'c'@en } }",
        "DELETE { ?s ?p ?o } INSERT { ?s ?p 2 } WHERE { ?s ?p ?o }",
    ]
    errors = []
    start = threading.Barrier(16)

    def work(i):
        start.wait()
        try:
            for _ in range(5):
                prepareQuery(queries[i % len(queries)])
                parseUpdate(updates[i % len(updates)])
        except Exception as exc:
            errors.append(repr(exc))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("errors:", errors)
    raise SystemExit(1 if errors else 0)
    """
)


def test_first_parses_from_many_threads_do_not_break_the_grammar() -> None:
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stdout + run.stderr
