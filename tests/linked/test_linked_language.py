"""Languages: pages and framed JSON-LD name things in the language asked for (``?lang=`` or
``Accept-Language``), fall back to English, say ``Content-Language`` and vary on it; the full
RDF formats keep every language."""

from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib.compare import isomorphic

from gcm_kg.errors import ParameterError
from gcm_kg.linked import language
from gcm_kg.linked.describe import describe
from tests.linked.helpers import BASE, expand_to_graph, plain

OBJ = "/id/objective/20"
FR = "D\u2019ici à 2030, faire baisser au-dessous de 3 pour cent"  # the UN text uses U+2019
ES = "De aquí a 2030, reducir a menos del 3%"
EN = "By 2030, reduce to less than 3 per cent"


@pytest.mark.parametrize(
    ("param", "header", "lang", "asked"),
    [
        (None, None, "en", False),
        (None, "", "en", False),
        ("fr", "es", "fr", True),  # the parameter wins
        ("ES", None, "es", True),
        ("fr-CA", None, "fr", True),
        ("de", None, "en", True),  # not in the data: English
        (None, "fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5", "fr", True),
        (None, "de, es;q=0.5", "es", True),
        (None, "de", "en", True),
        (None, "*", "en", True),
        (None, "fr;q=0, es", "es", True),  # q=0: not acceptable
        (None, "en;q=0.2, es;q=0.9", "es", True),
        (None, "@@, fr", "fr", True),  # a malformed range is skipped
    ],
)
def test_choose(param: str | None, header: str | None, lang: str, asked: bool) -> None:
    assert language.choose(param, header) == language.Choice(lang, asked)


@pytest.mark.parametrize("bad", ["", "f r", "fr_FR", "x" * 9, "fr;q=1"])
def test_a_malformed_lang_parameter_is_refused(bad: str) -> None:
    with pytest.raises(ParameterError, match="language tag"):
        language.choose(bad, None)


@pytest.mark.parametrize(
    ("headers", "query", "expected", "content_language"),
    [
        ({"Accept-Language": "fr-FR,fr;q=0.9"}, "", FR, "fr, en"),
        ({}, "?lang=es", ES, "es, en"),
        ({"Accept-Language": "fr"}, "?lang=es", ES, "es, en"),
        ({"Accept-Language": "de"}, "", EN, "en"),
        ({}, "", EN, "en"),
    ],
)
def test_pages_name_sdg_targets_in_the_language_asked_for(
    ld, headers: dict[str, str], query: str, expected: str, content_language: str
) -> None:  # type: ignore[no-untyped-def]
    resp = ld.get(OBJ + query, headers={"Accept": "text/html", **headers})
    page = resp.get_data(as_text=True)
    designed = page.split('<section id="all-statements"', 1)[0]
    assert expected in designed
    for other in {FR, ES, EN} - {expected}:
        assert other not in designed
    assert resp.headers["Content-Language"] == content_language
    assert "Accept-Language" in resp.headers["Vary"]


def test_the_page_links_its_other_languages(ld) -> None:  # type: ignore[no-untyped-def]
    page = ld.get(OBJ + "?lang=fr", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert f'href="{OBJ}?lang=es"' in page and f'href="{OBJ}?lang=en"' in page
    assert "<strong>Français</strong>" in page


def test_framed_json_ld_in_french_expands_to_the_french_description(ld, oxigraph_store) -> None:  # type: ignore[no-untyped-def]
    resp = ld.get(OBJ, headers={"Accept": "application/ld+json", "Accept-Language": "fr"})
    assert resp.headers["Content-Language"] == "fr"
    assert "Accept-Language" in resp.headers["Vary"]
    doc = resp.get_json()
    (target,) = doc["sdgTargets"]
    assert target["prefLabel"]["@language"] == "fr" and target["prefLabel"]["@value"].startswith(FR)
    expected = language.in_language(
        describe(oxigraph_store, URIRef(BASE + OBJ.lstrip("/")), "fr"), "fr"
    ).graph()
    assert isomorphic(expand_to_graph(doc), plain(expected))


def test_framed_json_ld_without_a_preference_is_unchanged(ld) -> None:  # type: ignore[no-untyped-def]
    resp = ld.get(OBJ, headers={"Accept": "application/ld+json"})
    assert "Content-Language" not in resp.headers
    (target,) = resp.get_json()["sdgTargets"]
    assert target["prefLabel"].startswith(EN)


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "rdfxml", "trig", "nquads"])
def test_full_rdf_formats_do_not_choose(ld, fmt: str) -> None:  # type: ignore[no-untyped-def]
    plain_body = ld.get(f"{OBJ}?format={fmt}").data
    french = ld.get(f"{OBJ}?format={fmt}", headers={"Accept-Language": "fr"})
    assert french.data == plain_body
    assert "Content-Language" not in french.headers


def test_api_members_follow_the_language(ld) -> None:  # type: ignore[no-untyped-def]
    one = ld.get("/api/objectives/20?lang=es").get_json()
    assert one["sdgTargets"][0]["prefLabel"]["@value"].startswith(ES)
    listed = ld.get("/api/objectives?per_page=23", headers={"Accept-Language": "fr"})
    assert listed.headers["Content-Language"] == "fr"
    assert "Accept-Language" in listed.headers["Vary"]
    twenty = next(m for m in listed.get_json()["member"] if m["id"].endswith("/objective/20"))
    assert twenty["sdgTargets"][0]["prefLabel"]["@value"].startswith(FR)
    assert ld.get("/api/objectives?lang=f%20r").status_code == 400
    assert ld.get("/api/objectives/20?lang=fr&lang=es").status_code == 400
