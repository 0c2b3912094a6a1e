"""Minting of the canonical IRIs of DESIGN.md's IRI contract. The only place IRIs are built."""

from __future__ import annotations

import re

from rdflib import URIRef

BASE = "https://w3id.org/gcm-kg/"
ID = BASE + "id/"
ONTOLOGY = BASE + "ontology"
GCM = ONTOLOGY + "#"
SDG = "http://metadata.un.org/sdg/"
DECLARATION_SLUG = "imrf-2022"

_SLUG_OK = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    """Lower-case, ASCII letters and digits joined by single hyphens."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _slug(value: str) -> str:
    if not _SLUG_OK.fullmatch(value):
        raise ValueError(f"not a slug: {value!r}")
    return value


def objective(n: int) -> URIRef:
    if not 1 <= n <= 23:
        raise ValueError(f"objective number out of range 1-23: {n}")
    return URIRef(f"{ID}objective/{n}")


def principle(slug: str) -> URIRef:
    return URIRef(f"{ID}principle/{_slug(slug)}")


def round_table(n: int) -> URIRef:
    if not 1 <= n <= 4:
        raise ValueError(f"round table number out of range 1-4: {n}")
    return URIRef(f"{ID}round-table/{n}")


def declaration(slug: str = DECLARATION_SLUG) -> URIRef:
    return URIRef(f"{ID}declaration/{_slug(slug)}")


def paragraph(n: int, decl: str = DECLARATION_SLUG) -> URIRef:
    return URIRef(f"{declaration(decl)}/paragraph/{n}")


def section(n: int, decl: str = DECLARATION_SLUG) -> URIRef:
    return URIRef(f"{declaration(decl)}/section/{n}")


def footnote(n: int, decl: str = DECLARATION_SLUG) -> URIRef:
    return URIRef(f"{declaration(decl)}/footnote/{n}")


def link(subject: URIRef, target_key: str) -> URIRef:
    """The qualified link of ``subject`` to a target, e.g. ``…/paragraph/67/link/objective-20``."""
    return URIRef(f"{subject}/link/{_slug(target_key)}")


def figure(slug: str) -> URIRef:
    return URIRef(f"{ID}figure/{_slug(slug)}")


def state(alpha3: str) -> URIRef:
    if not re.fullmatch(r"[A-Za-z]{3}", alpha3):
        raise ValueError(f"not an ISO 3166 alpha-3 code: {alpha3!r}")
    return URIRef(f"{ID}actor/{alpha3.lower()}")


def actor(slug: str) -> URIRef:
    """An actor by slug; a three-letter slug is taken as a State's ISO code."""
    if len(slug) == 3 and slug.isalpha():
        return state(slug)
    return URIRef(f"{ID}actor/{_slug(slug)}")


def pledge(slug: str) -> URIRef:
    return URIRef(f"{ID}pledge/{_slug(slug)}")


def event(slug: str) -> URIRef:
    return URIRef(f"{ID}event/{_slug(slug)}")


def document(slug: str) -> URIRef:
    return URIRef(f"{ID}document/{_slug(slug)}")


def document_for_symbol(symbol: str) -> URIRef:
    """``A/RES/73/195`` → ``id/document/a-res-73-195``."""
    return document(slugify(symbol))


def graph(slug: str) -> URIRef:
    """A named graph: one per source, plus the ontology and inferences."""
    return URIRef(f"{ID}graph/{_slug(slug)}")


def vocab(scheme: str, slug: str) -> URIRef:
    return URIRef(f"{ID}vocab/{_slug(scheme)}/{_slug(slug)}")


def submission(ident: str) -> URIRef:
    if not re.fullmatch(r"[0-9]{8}t[0-9]{6}z-[0-9a-f]{8}", ident):
        raise ValueError(f"not a submission id: {ident!r}")
    return URIRef(f"{ID}submission/{ident}")


def curator(name: str) -> URIRef:
    return URIRef(f"{ID}curator/{slugify(name)}")


def agent(slug: str) -> URIRef:
    """An agent that is neither an actor of the Compact nor a curator with a token, such as the
    curation that compiled the reference tables."""
    return URIRef(f"{ID}agent/{_slug(slug)}")


def commitment_text(n: int) -> URIRef:
    return URIRef(f"{objective(n)}/commitment-text")


def action(n: int, letter: str) -> URIRef:
    """A lettered action of the Compact, e.g. ``id/objective/13/action/a``."""
    if not re.fullmatch(r"[a-z]", letter):
        raise ValueError(f"not an action letter (a-z): {letter!r}")
    return URIRef(f"{objective(n)}/action/{letter}")


def sdg_target(code: str) -> URIRef:
    """The UN's own IRI of an SDG target such as ``10.c``; never minted for unknown codes here."""
    if not re.fullmatch(r"[0-9]{1,2}\.([0-9]{1,2}|[a-z])", code):
        raise ValueError(f"not an SDG target code: {code!r}")
    return URIRef(SDG + code)


def dataset(base: str = BASE) -> URIRef:
    """The dataset itself (VoID and DCAT describe it); its description is served at this IRI."""
    return URIRef(f"{base}dataset")


def distribution(file_name: str, base: str = BASE) -> URIRef:
    """A full download of the dataset, e.g. ``dataset/gcm-kg.trig``."""
    if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9]+)+", file_name):
        raise ValueError(f"not a dump file name: {file_name!r}")
    return URIRef(f"{dataset(base)}/{file_name}")


def table_row(table_slug: str, line: int) -> URIRef:
    """A row of a curated or reference table, by the line it starts on: the finest locator."""
    if line < 1:
        raise ValueError(f"not a line number: {line}")
    return URIRef(f"{document(table_slug)}/row/{line}")


def compact() -> URIRef:
    """The Global Compact itself: the annex to A/RES/73/195, the document the GCM rows describe."""
    return document_for_symbol("A/RES/73/195")


def commitment(paragraph_number: int, k: int, decl: str = DECLARATION_SLUG) -> URIRef:
    """A commitment clause: ``…/paragraph/{n}/commitment/{k}`` (k in the paragraph's order)."""
    if k < 1:
        raise ValueError(f"commitment number must be 1 or more: {k}")
    return URIRef(f"{paragraph(paragraph_number, decl)}/commitment/{k}")


def person(slug: str) -> URIRef:
    return URIRef(f"{ID}person/{_slug(slug)}")


def office(slug: str) -> URIRef:
    return URIRef(f"{ID}office/{_slug(slug)}")


def office_holding(person_slug: str, office_slug: str) -> URIRef:
    """One person in one office: ``id/person/{person}/holding/{office}``."""
    return URIRef(f"{person(person_slug)}/holding/{_slug(office_slug)}")


def statement(slug: str) -> URIRef:
    return URIRef(f"{ID}statement/{_slug(slug)}")
