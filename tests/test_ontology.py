"""The ontology: documented terms, a proper header, and code that matches it."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS

from gcm_kg import iris
from gcm_kg.assembly import namespace_gen
from gcm_kg.config import PACKAGE_DIR, Settings

CORE_CLASSES = [
    "Objective",
    "GuidingPrinciple",
    "RoundTable",
    "Declaration",
    "DeclarationParagraph",
    "Pledge",
    "Actor",
    "MemberState",
    "UNEntity",
    "Stakeholder",
    "Event",
    "Document",
]


def gcm_terms(g: Graph, kind: URIRef) -> list[URIRef]:
    return [t for t in g.subjects(RDF.type, kind) if str(t).startswith(iris.GCM)]


@pytest.mark.parametrize("name", CORE_CLASSES)
def test_core_classes_exist(onto: Graph, name: str) -> None:
    assert (URIRef(iris.GCM + name), RDF.type, OWL.Class) in onto


def test_actor_subclasses(onto: Graph) -> None:
    for name in ("MemberState", "UNEntity", "Stakeholder"):
        assert (URIRef(iris.GCM + name), RDFS.subClassOf, URIRef(iris.GCM + "Actor")) in onto


def test_every_term_has_label_and_comment(onto: Graph) -> None:
    terms = (
        gcm_terms(onto, OWL.Class)
        + gcm_terms(onto, OWL.ObjectProperty)
        + gcm_terms(onto, OWL.DatatypeProperty)
    )
    assert len(terms) > 50
    for t in terms:
        assert onto.value(t, RDFS.label) is not None, t
        assert onto.value(t, RDFS.comment) is not None, t


def test_properties_have_domain_or_range(onto: Graph) -> None:
    for t in gcm_terms(onto, OWL.ObjectProperty) + gcm_terms(onto, OWL.DatatypeProperty):
        assert (
            onto.value(t, RDFS.range)
            or onto.value(t, RDFS.domain)
            or (t, RDFS.subPropertyOf, None) in onto
        ), t


def test_header(onto: Graph) -> None:
    o = URIRef(iris.ONTOLOGY)
    assert (o, RDF.type, OWL.Ontology) in onto
    assert onto.value(o, OWL.versionIRI) is not None
    assert onto.value(o, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert onto.value(o, DCTERMS.description) is not None


def test_namespace_module_is_current(settings: Settings) -> None:
    generated = namespace_gen.render(settings.ontology_file)
    current = (PACKAGE_DIR / "namespaces.py").read_text(encoding="utf-8")
    assert generated == current, "run: python -m gcm_kg.assembly.namespace_gen"


def test_unknown_terms_fail_loudly() -> None:
    from gcm_kg.namespaces import GCM

    with pytest.raises(AttributeError):
        _ = GCM.Objectve  # a typo
