"""Generate ``gcm_kg/namespaces.py`` from the ontology, so code can only use terms that exist.

Run ``python -m gcm_kg.assembly.namespace_gen`` after editing ``ontology/gcm.ttl``; a test fails
while the generated module is out of date.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef

from gcm_kg import iris

HEADER = '''"""Vocabulary as code. GENERATED from ontology/gcm.ttl: do not edit.

Regenerate with ``python -m gcm_kg.assembly.namespace_gen``.

``GCM.Unknown`` raises AttributeError, so a typo in a term fails at import time, not in the data.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

SDGO = Namespace("http://metadata.un.org/sdg/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
VANN = Namespace("http://purl.org/vocab/vann/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")


class GCM(DefinedNamespace):
    """Terms of the gcm-kg ontology (``https://w3id.org/gcm-kg/ontology#``)."""

    _NS = Namespace("https://w3id.org/gcm-kg/ontology#")
    _fail = True

'''


def ontology_terms(ontology_file: Path) -> list[str]:
    g = Graph().parse(ontology_file, format="turtle")
    names = {
        str(s)[len(iris.GCM) :]
        for s in g.subjects()
        if isinstance(s, URIRef) and str(s).startswith(iris.GCM)
    }
    return sorted(names, key=lambda n: (n[0].islower(), n))


def render(ontology_file: Path) -> str:
    lines = [f"    {name}: URIRef" for name in ontology_terms(ontology_file)]
    return HEADER + "\n".join(lines) + "\n"


def main() -> None:
    from gcm_kg.config import PACKAGE_DATA

    package = Path(__file__).resolve().parents[1]
    target = package / "namespaces.py"
    target.write_text(render(PACKAGE_DATA / "ontology" / "gcm.ttl"), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
