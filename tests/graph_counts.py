"""The counts README.md states, computed from the shipped graph (one definition for both)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
NQUADS = ROOT / "data" / "graph" / "gcm-kg.nq"
GCM = "https://w3id.org/gcm-kg/ontology#"

#: README row label -> a SPARQL COUNT over the union of the named graphs
QUERIES = {
    "declaration paragraphs": f"SELECT (COUNT(DISTINCT ?x) AS ?n) {{ ?x a <{GCM}DeclarationParagraph> }}",
    "objectives": f"SELECT (COUNT(DISTINCT ?x) AS ?n) {{ ?x a <{GCM}Objective> }}",
    "UN Member States": f"SELECT (COUNT(DISTINCT ?x) AS ?n) {{ ?x a <{GCM}MemberState> }}",
    "other actors": f"SELECT (COUNT(DISTINCT ?x) AS ?n) {{ ?x a ?c . ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{GCM}Actor> "
    f"FILTER (?c != <{GCM}MemberState>) }}",
    "pledges": f"SELECT (COUNT(DISTINCT ?x) AS ?n) {{ ?x a <{GCM}Pledge> }}",
    "pledges that state their objectives": f"SELECT (COUNT(DISTINCT ?x) AS ?n) {{ ?x a <{GCM}Pledge> ; <{GCM}supportsObjective> ?o }}",
    "objectives with at least one pledge": f"SELECT (COUNT(DISTINCT ?o) AS ?n) {{ ?x a <{GCM}Pledge> ; <{GCM}supportsObjective> ?o }}",
    "figures": f"SELECT (COUNT(DISTINCT ?x) AS ?n) {{ ?x a <{GCM}Figure> }}",
    "table rows (locators)": f"SELECT (COUNT(DISTINCT ?x) AS ?n) {{ ?x a <{GCM}TableRow> }}",
}


def counts(path: Path = NQUADS) -> dict[str, int]:
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    out = {"quads": len(store), "named graphs": len(list(store.named_graphs()))}
    for label, query in QUERIES.items():
        [row] = list(store.query(query, use_default_graph_as_union=True))  # type: ignore[arg-type]
        out[label] = int(row["n"].value)
    return out


def write_readme(readme: Path = ROOT / "README.md") -> None:
    """Put the current counts into README.md (its numbers table and the tour's build line)."""
    import re

    c = counts()
    text = readme.read_text(encoding="utf-8")
    for label, n in c.items():
        text = re.sub(
            rf"^\| {re.escape(label)} \| [\d,]+ \|$", f"| {label} | {n:,} |", text, flags=re.M
        )
    text = re.sub(
        r"built \d+ quads in \d+ named graphs",
        f"built {c['quads']} quads in {c['named graphs']} named graphs",
        text,
    )
    readme.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--write-readme"]:
        write_readme()
    for label, n in counts().items():
        print(f"| {label} | {n:,} |")
