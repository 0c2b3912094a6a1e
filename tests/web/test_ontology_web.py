"""`/ontology`: readable HTML with a diagram for browsers, RDF by content negotiation."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from gcm_kg import iris
from gcm_kg.config import Settings
from gcm_kg.ontology_page import document
from gcm_kg.ontology_page.diagram import render as render_diagram
from tests.helpers import make_app

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def gcm_terms(onto: Graph) -> list[str]:
    return sorted(
        str(t)[len(iris.GCM) :]
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for t in onto.subjects(RDF.type, kind)
        if str(t).startswith(iris.GCM)
    )


@pytest.fixture(scope="module")
def page(settings: Settings, oxigraph_store) -> str:  # type: ignore[no-untyped-def]

    client = make_app(settings, oxigraph_store).test_client()
    resp = client.get("/ontology", headers={"Accept": BROWSER})
    assert resp.status_code == 200
    assert resp.mimetype == "text/html"
    return resp.get_data(as_text=True)


def test_every_term_has_a_section(page: str, onto: Graph) -> None:
    for name in gcm_terms(onto):
        assert f'id="{name}"' in page, name


def test_page_shows_version_iri_and_changelog(page: str, onto: Graph) -> None:
    version_iri = onto.value(URIRef(iris.ONTOLOGY), OWL.versionIRI)
    assert str(version_iri) in page
    assert '<h2 id="changelog">' in page and "<h3>0.2.0" in page


def test_page_shows_domain_range_and_hierarchy(page: str) -> None:
    section = page.split('id="pledgedBy"', 1)[1].split("</section>", 1)[0]
    assert "<dt>Domain</dt>" in section and 'href="#Pledge"' in section
    assert "<dt>Range</dt>" in section and 'href="#Actor"' in section
    member_state = page.split('id="MemberState"', 1)[1].split("</section>", 1)[0]
    assert "<dt>Subclass of</dt>" in member_state and 'href="#Actor"' in member_state
    assert "<dt>Disjoint with</dt>" in member_state and 'href="#UNEntity"' in member_state


def test_page_shows_an_example_instance_from_the_graph(page: str) -> None:
    member_state = page.split('id="MemberState"', 1)[1].split("</section>", 1)[0]
    assert "193 instances; for example" in member_state
    assert str(iris.state("AFG")) in member_state  # the smallest IRI, so the page is stable
    actor = page.split('id="Actor"', 1)[1].split("</section>", 1)[0]
    # 193 States, 25 actors of the curated table, 3 only a pledge page names, 4 groups requests
    # are addressed to (offices.csv); with the inferred types (docs/reasoning.md)
    assert "225 instances" in actor


def test_page_is_self_contained(page: str) -> None:
    assert "<svg" in page
    assert "<script" not in page.lower()
    assert 'src="http' not in page and 'rel="stylesheet"' not in page


def test_turtle_for_rdf_clients_is_the_source_file(client, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert resp.status_code == 200
    assert resp.mimetype == "text/turtle"
    assert resp.headers["Vary"] == "Accept"
    assert resp.data == settings.ontology_file.read_bytes()


def test_any_type_gets_turtle(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/ontology", headers={"Accept": "*/*"}).mimetype == "text/turtle"


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
    ],
)
def test_other_rdf_formats_carry_the_same_graph(
    client, onto: Graph, accept: str, rdflib_format: str
) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/ontology", headers={"Accept": accept})
    assert resp.status_code == 200
    assert resp.mimetype == accept
    assert isomorphic(Graph().parse(data=resp.data, format=rdflib_format), onto)


@pytest.mark.parametrize(
    ("url", "mimetype"),
    [
        ("/ontology.ttl", "text/turtle"),
        ("/ontology.rdf", "application/rdf+xml"),
        ("/ontology.jsonld", "application/ld+json"),
        ("/ontology.html", "text/html"),
        ("/ontology?format=jsonld", "application/ld+json"),
        ("/ontology/0.2.0", "text/turtle"),
    ],
)
def test_formats_without_accept_header(client, url: str, mimetype: str) -> None:  # type: ignore[no-untyped-def]
    resp = client.get(url, headers={"Accept": "*/*"})
    assert resp.status_code == 200
    assert resp.mimetype == mimetype


def test_unavailable_type_is_406_naming_what_is_offered(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/ontology", headers={"Accept": "image/png"})
    assert resp.status_code == 406
    assert "text/turtle" in resp.get_data(as_text=True)


def test_old_version_iri_is_404_naming_the_current(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/ontology/0.1.0", headers={"Accept": "application/json"})
    assert resp.status_code == 404
    assert "current one is 0.2.0" in resp.get_json()["detail"]


def test_conditional_get_is_304(client) -> None:  # type: ignore[no-untyped-def]
    first = client.get("/ontology.ttl")
    again = client.get("/ontology.ttl", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_diagram_is_svg_with_every_class(client, onto: Graph) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/ontology/diagram.svg")
    assert resp.status_code == 200
    assert resp.mimetype == "image/svg+xml"
    root = ET.fromstring(resp.data)
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    classes = [
        str(c)[len(iris.GCM) :]
        for c in onto.subjects(RDF.type, OWL.Class)
        if str(c).startswith(iris.GCM)
    ]
    assert set(classes) <= texts
    assert {"coversObjective", "pledgedBy", "sdgo:Target"} <= texts


def test_diagram_is_deterministic(onto: Graph) -> None:
    assert render_diagram(onto) == render_diagram(onto)


def _render_page(settings: Settings, store, onto: Graph, changelog: str = "") -> str:  # type: ignore[no-untyped-def]
    """The ontology template over ``onto`` (no store: no examples), as the view renders it."""
    from flask import render_template

    doc = document.describe(onto, None, changelog)
    with make_app(settings, store).test_request_context("/ontology"):
        return render_template(
            "ontology.html",
            doc=doc,
            names=document.Names(doc),
            changelog=document.changelog_blocks(changelog),
            svg=render_diagram(onto),
            downloads={"Turtle": "/ontology.ttl?a=1&b=2"},
        )


def test_changelog_markdown_subset(settings: Settings, oxigraph_store, onto: Graph) -> None:  # type: ignore[no-untyped-def]
    markdown = "# Title\n\nIntro `x`.\n\n## 1.0 — today\n\n- one\n  more\n- two <b>\n"
    blocks = document.changelog_blocks(markdown)
    assert [b.kind for b in blocks] == ["p", "h3", "ul"]
    html = _render_page(settings, oxigraph_store, onto, markdown)
    section = html.split('<h2 id="changelog">Changelog</h2>', 1)[1].split("</main>", 1)[0]
    assert section.strip() == (
        "<p>Intro <code>x</code>.</p>\n<h3>1.0 — today</h3>\n"
        "<ul><li>one more</li><li>two &lt;b&gt;</li></ul>"
    )


def test_labels_are_escaped_once(settings: Settings, oxigraph_store, onto: Graph) -> None:  # type: ignore[no-untyped-def]
    g = Graph()
    for t in onto:
        g.add(t)
    pledge = URIRef(iris.GCM + "Pledge")
    g.remove((pledge, RDFS.label, None))
    g.add((pledge, RDFS.label, Literal("R&D <b>pledge</b>", lang="en")))
    html = _render_page(settings, oxigraph_store, g)
    assert "R&amp;D &lt;b&gt;pledge&lt;/b&gt;" in html  # in the section and the contents
    assert "&amp;amp;" not in html and "<b>pledge" not in html
    assert 'href="/ontology.ttl?a=1&amp;b=2"' in html
