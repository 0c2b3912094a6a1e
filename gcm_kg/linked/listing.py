"""Collections for portals: which resources of a kind match the filters, in a stable order.

Each collection is a class, an ordering key and named filters. A filter value is checked and
turned into an RDF term that the store binds to a variable, never spliced into the query. The
OpenAPI description is generated from the same table, so the two cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.term import Node

from gcm_kg import iris
from gcm_kg.errors import NotFound, ParameterError
from gcm_kg.linked.jsonld import natural_key
from gcm_kg.store import Store

GCM = iris.GCM

ACTOR_TYPES = {
    "member-state": GCM + "MemberState",
    "un-entity": GCM + "UNEntity",
    "intergovernmental-organization": GCM + "IntergovernmentalOrganization",
    "observer": GCM + "Observer",
    "stakeholder": GCM + "Stakeholder",
    "actor-group": GCM + "ActorGroup",
    "actor": GCM + "Actor",
}


def _number(lo: int, hi: int, mint: Callable[[int], URIRef]) -> Callable[[str], Node]:
    def convert(raw: str) -> Node:
        if not re.fullmatch(r"[0-9]{1,4}", raw) or not lo <= int(raw) <= hi:
            raise ValueError(f"{raw!r} is not a whole number from {lo} to {hi}")
        return mint(int(raw))

    return convert


def _slug(mint: Callable[[str], URIRef]) -> Callable[[str], Node]:
    def convert(raw: str) -> Node:
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", raw) or len(raw) > 100:
            raise ValueError(f"{raw!r} is not a slug (lower-case letters, digits and hyphens)")
        return mint(raw)

    return convert


def _sdg_target(raw: str) -> Node:
    try:
        return iris.sdg_target(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not an SDG target code such as 10.c or 8.8") from None


def _actor_type(raw: str) -> Node:
    if raw not in ACTOR_TYPES:
        raise ValueError(f"{raw!r} is not an actor type; use one of {', '.join(ACTOR_TYPES)}")
    return URIRef(ACTOR_TYPES[raw])


COMMITMENT_KINDS = {"commitment": GCM + "Commitment", "request": GCM + "Request"}


def _commitment_kind(raw: str) -> Node:
    if raw not in COMMITMENT_KINDS:
        raise ValueError(f"{raw!r} is not a clause kind; use one of {', '.join(COMMITMENT_KINDS)}")
    return URIRef(COMMITMENT_KINDS[raw])


def _addressee(raw: str) -> Node:
    """``office:secretary-general`` or ``actor:un-network-on-migration`` (a bare slug: office)."""
    kind, sep, slug = raw.partition(":")
    if not sep:
        kind, slug = "office", raw
    if kind not in ("office", "actor") or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        raise ValueError(f"{raw!r} is not office:slug or actor:slug, e.g. office:secretary-general")
    return iris.office(slug) if kind == "office" else iris.actor(slug)


def _action(raw: str) -> Node:
    found = re.fullmatch(r"([0-9]{1,2})([a-z])", raw)
    if not found or not 1 <= int(found.group(1)) <= 23:
        raise ValueError(f"{raw!r} is not an action: an objective number and a letter, e.g. 20a")
    return iris.action(int(found.group(1)), found.group(2))


def _flag(raw: str) -> Node:
    if raw not in ("true", "false"):
        raise ValueError(f"{raw!r} is not true or false")
    return Literal(raw == "true")


def _status(raw: str) -> Node:
    if not raw.strip() or len(raw) > 100:
        raise ValueError("give a status of 1 to 100 characters, e.g. completed")
    return Literal(raw)


@dataclass(frozen=True)
class Filter:
    name: str  # query parameter and SPARQL variable
    pattern: str  # joins ?item to ?{name}
    convert: Callable[[str], Node]
    description: str
    example: str
    schema: dict[str, object]
    #: a query listing the values the graph knows, so an unknown one is a 400, not silence
    known: str | None = None


@dataclass(frozen=True)
class Listing:
    name: str
    title: str
    match: str  # pattern binding ?item (and ?type for actors)
    order: str  # optional pattern binding ?order
    filters: tuple[Filter, ...] = ()
    item_path: str = ""  # path of a single item under /api, e.g. "objectives/{n}"

    def filter(self, name: str) -> Filter | None:
        return next((f for f in self.filters if f.name == name), None)

    def query(self, present: list[str]) -> str:
        """The SELECT for the given filters; each bound variable is projected (Oxigraph)."""
        parts = [self.match, f"OPTIONAL {{ {self.order} }}"]
        parts += [f.pattern for f in self.filters if f.name in present and f.pattern]
        bound = " ".join("?" + n for n in present if n != "type")
        head = "SELECT DISTINCT ?item ?order" + (" ?type" if "?type" in self.match else "")
        return f"{head} {bound} WHERE {{\n  " + " .\n  ".join(parts) + "\n}"


_OBJECTIVE_F = lambda pattern: Filter(  # noqa: E731 - one factory for two collections
    "objective",
    pattern,
    _number(1, 23, iris.objective),
    "Objective number, 1 to 23.",
    "20",
    {"type": "integer", "minimum": 1, "maximum": 23},
)

_ACTION_F = Filter(
    "action",
    "?item gcm:implementsAction ?action",
    _action,
    "An action of the Compact: objective number and letter, e.g. 20a.",
    "20a",
    {"type": "string", "pattern": "^([1-9]|1[0-9]|2[0-3])[a-z]$"},
    "SELECT ?value WHERE { ?value a gcm:Action }",
)


LISTINGS: dict[str, Listing] = {
    "objectives": Listing(
        "objectives",
        "The 23 objectives",
        "?item a gcm:Objective",
        "?item gcm:objectiveNumber ?order",
        item_path="objectives/{n}",
    ),
    "principles": Listing(
        "principles",
        "The ten guiding principles",
        "?item a gcm:GuidingPrinciple",
        "?item gcm:principleLetter ?order",
    ),
    "round-tables": Listing(
        "round-tables",
        "The four round tables of the 2022 Forum",
        "?item a gcm:RoundTable",
        "?item gcm:roundTableNumber ?order",
    ),
    "paragraphs": Listing(
        "paragraphs",
        "Paragraphs of the Progress Declaration",
        "?item a gcm:DeclarationParagraph",
        "?item gcm:paragraphNumber ?order",
        (
            _OBJECTIVE_F("?item gcm:addressesObjective ?objective"),
            Filter(
                "section",
                "?item gcm:inSection ?section",
                _number(1, 99, iris.section),
                "Section order within the declaration (1 = first headed section).",
                "5",
                {"type": "integer", "minimum": 1, "maximum": 99},
                "SELECT ?value WHERE { ?value a gcm:DeclarationSection }",
            ),
            Filter(
                "kind",
                "?item gcm:paragraphKind ?kind",
                _slug(lambda s: iris.vocab("paragraph-kind", s)),
                "Paragraph kind, e.g. commitment, recognition, concern, request.",
                "commitment",
                {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 100},
                "SELECT ?value WHERE { ?value a gcm:ParagraphKind }",
            ),
        ),
    ),
    "actors": Listing(
        "actors",
        "States, UN entities, organizations and groups",
        "?item a ?type . VALUES ?type { " + " ".join(f"<{c}>" for c in ACTOR_TYPES.values()) + " }",
        "?item <http://www.w3.org/2000/01/rdf-schema#label> ?order",
        (
            Filter(
                "type",
                "",
                _actor_type,
                "Actor type: " + ", ".join(ACTOR_TYPES) + ".",
                "un-entity",
                {"type": "string", "enum": list(ACTOR_TYPES)},
            ),
        ),
    ),
    "pledges": Listing(
        "pledges",
        "Pledges and joint commitments",
        "?item a gcm:Pledge",
        "?item <http://www.w3.org/2000/01/rdf-schema#label> ?order",
        (
            _OBJECTIVE_F("?item gcm:supportsObjective ?objective"),
            Filter(
                "actor",
                "?item gcm:pledgedBy ?actor",
                _slug(iris.actor),
                "Actor slug: a State's ISO 3166 alpha-3 code in lower case (mex), else e.g. iom.",
                "iom",
                {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 100},
                "SELECT ?value WHERE { ?value a ?c . VALUES ?c { "
                + " ".join(f"<{c}>" for c in ACTOR_TYPES.values())
                + " } }",
            ),
            Filter(
                "sdg_target",
                "?item gcm:relatedSDGTarget ?sdg_target",
                _sdg_target,
                "SDG target code, e.g. 10.c.",
                "10.c",
                {"type": "string", "pattern": r"^\d{1,2}\.(\d{1,2}|[a-z])$"},
                "SELECT ?value WHERE { ?value a <http://metadata.un.org/sdg/ontology#Target> }",
            ),
            _ACTION_F,
            Filter(
                "status",
                "?item gcm:pledgeStatus ?status",
                _status,
                "Implementation status as reported, e.g. completed.",
                "completed",
                {"type": "string", "minLength": 1, "maxLength": 100, "pattern": "\\S"},
            ),
        ),
    ),
    "commitments": Listing(
        "commitments",
        "Commitment and request clauses of the Progress Declaration",
        "?item a gcm:Commitment",
        "?item gcm:inParagraph/gcm:paragraphNumber ?n ; gcm:commitmentNumber ?k ."
        " BIND (?n * 100 + ?k AS ?order)",
        (
            _OBJECTIVE_F("?item gcm:concernsObjective ?objective"),
            Filter(
                "kind",
                "?item a ?kind",
                _commitment_kind,
                "Clause kind: commitment (every clause) or request (clauses asking others to act).",
                "request",
                {"type": "string", "enum": list(COMMITMENT_KINDS)},
            ),
            Filter(
                "addressee",
                "?item gcm:addressedTo ?addressee",
                _addressee,
                "Whom a request asks to act: office:slug or actor:slug.",
                "office:president-of-the-general-assembly",
                {"type": "string", "pattern": "^((office|actor):)?[a-z0-9]+(-[a-z0-9]+)*$"},
                "SELECT ?value WHERE { ?c gcm:addressedTo ?value }",
            ),
            Filter(
                "fulfilled",
                # ?fulfilled is bound like a trailing VALUES row: compare, never BIND it
                "BIND (EXISTS { ?item gcm:fulfilledBy ?by } AS ?done) FILTER (?done = ?fulfilled)",
                _flag,
                "true: clauses a source says were fulfilled; false: open ones.",
                "false",
                {"type": "string", "enum": ["true", "false"]},
            ),
        ),
    ),
    "actions": Listing(
        "actions",
        "The lettered actions under the 23 objectives (A/RES/73/195 paragraphs 17-39)",
        "?item a gcm:Action",
        "?item <http://www.w3.org/2004/02/skos/core#notation> ?order",
        (
            _OBJECTIVE_F("?item gcm:actionOf ?objective"),
            Filter(
                "wording",
                "?item gcm:wordingBasis ?wording",
                _slug(lambda s: iris.vocab("wording-basis", s)),
                "The wording the text follows: final-draft (13 July 2018) or adopted.",
                "final-draft",
                {"type": "string", "enum": ["final-draft", "adopted"]},
                "SELECT ?value WHERE { ?value a gcm:WordingBasis }",
            ),
            Filter(
                "complete",
                "?item gcm:textComplete ?complete",
                _flag,
                "false for the actions whose text was only partly visible in the sources.",
                "false",
                {"type": "string", "enum": ["true", "false"]},
            ),
        ),
    ),
}

PREFIX = "PREFIX gcm: <https://w3id.org/gcm-kg/ontology#>\n"


def bind_filters(listing: Listing, store: Store, raw: dict[str, str]) -> dict[str, Node]:
    """Check every filter value and return the RDF terms to bind.

    A malformed value is a 400; a well-formed one naming a resource the graph does not have
    (an unknown actor, kind or section) is a 404.
    """
    bindings: dict[str, Node] = {}
    for name, value in raw.items():
        f = listing.filter(name)
        if f is None:
            raise ParameterError(f"unknown filter {name!r} for {listing.name}")
        try:
            term = f.convert(value)
        except ValueError as exc:
            raise ParameterError(f"parameter {name!r}: {exc}") from None
        if f.known is not None:
            known = {row["value"] for row in store.query(PREFIX + f.known).rows}
            if term not in known:
                # well-formed, but names nothing the graph holds: a 404, like an unknown IRI
                raise NotFound(f"parameter {name!r}: the graph has no {value!r}")
        bindings[name] = term
    return bindings


def matching(listing: Listing, store: Store, bindings: dict[str, Node]) -> list[URIRef]:
    """Every matching item once, ordered by the listing's key (numbers numerically)."""
    rows = store.query(PREFIX + listing.query(list(bindings)), bindings=bindings).rows
    keyed: dict[URIRef, tuple[object, ...]] = {}
    for row in rows:
        item = row["item"]
        key = natural_key(str(row.get("order", ""))) + natural_key(str(item))
        if isinstance(item, URIRef) and (item not in keyed or key < keyed[item]):
            keyed[item] = key
    return sorted(keyed, key=lambda i: keyed[i])
