"""The queries behind each designed page (``views.py``), one spec per page type.

Each query binds ``?r`` (the resource) as a term. A listing returns ``?x`` (a resource or a
text), optionally ``?note``, ``?quote`` (evidence, verbatim), ``?order`` and ``?g`` (the graph
of the fact that links ``?x``, so a curator's fact is shown as such). A by-basis listing also
returns ``?basisLabel``, the basis of the qualified link (``gcm:Link``) behind the fact.
Facts return ``?name`` and ``?x``.
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIXES = """PREFIX gcm: <https://w3id.org/gcm-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX sdgo: <http://metadata.un.org/sdg/ontology#>
PREFIX src: <https://w3id.org/gcm-kg/id/graph/>
"""

_LINK_DETAILS = """
    OPTIONAL {{ ?l gcm:linkBasis ?b . GRAPH ?bg {{ ?b skos:prefLabel ?basisLabel }}
               FILTER (lang(?basisLabel) = "en" && STRSTARTS(STR(?bg), STR(src:))) }}
    OPTIONAL {{ ?l gcm:evidence ?quote }}
    OPTIONAL {{ ?l gcm:rationale ?note }}"""
_ORDER = """
  OPTIONAL { ?x gcm:paragraphNumber ?pn } OPTIONAL { ?x gcm:objectiveNumber ?on }
  OPTIONAL { ?x gcm:inParagraph/gcm:paragraphNumber ?cpn }
  BIND (COALESCE(?pn, ?on, ?cpn, "") AS ?order)"""


def outgoing(prop: str) -> str:
    """``?r prop ?x``, with the basis, evidence and rationale of its qualified link."""
    return (
        "SELECT ?x ?g ?basisLabel ?quote ?note ?order WHERE {\n"
        f"  GRAPH ?g {{ ?r {prop} ?x }}\n"
        f"  OPTIONAL {{ ?r gcm:qualifiedLink ?l . ?l gcm:linkTarget ?x ; gcm:linkProperty {prop} ."
        + _LINK_DETAILS.format()
        + " }"
        + _ORDER
        + "\n}"
    )


def incoming(*props: str) -> str:
    """``?x prop ?r`` for any of ``props``, with the qualified link's basis and evidence."""
    values = " ".join(props)
    return (
        "SELECT ?x ?g ?basisLabel ?quote ?note ?order WHERE {\n"
        f"  VALUES ?prop {{ {values} }}\n"
        "  GRAPH ?g { ?x ?prop ?r }\n"
        "  OPTIONAL { ?x gcm:qualifiedLink ?l . ?l gcm:linkTarget ?r ; gcm:linkProperty ?prop ."
        + _LINK_DETAILS.format()
        + " }"
        + _ORDER
        + "\n}"
    )


def facts(*pairs: tuple[str, str]) -> str:
    """Named values ``?r path ?x`` (one UNION branch per pair: display name, property path)."""
    branches = [
        f'{{ BIND ("{name}" AS ?name) BIND ({i} AS ?k) GRAPH ?g {{ ?r {path} ?x }} }}'
        if "/" not in path
        else f'{{ BIND ("{name}" AS ?name) BIND ({i} AS ?k) ?r {path} ?x }}'
        for i, (name, path) in enumerate(pairs)
    ]
    return "SELECT ?name ?x ?g WHERE {\n  " + "\n  UNION ".join(branches) + "\n} ORDER BY ?k ?x"


@dataclass(frozen=True)
class SectionSpec:
    title: str
    query: str
    by_basis: bool = False
    empty: str = ""
    quotes: bool = False


@dataclass(frozen=True)
class ViewSpec:
    facts: str
    sections: tuple[SectionSpec, ...]


_PLEDGES_FOR = """
SELECT ?x ?g ?note ?quote WHERE {
  GRAPH ?g { ?x gcm:supportsObjective ?r }
  OPTIONAL { ?x gcm:pledgerName ?pn }
  OPTIONAL { ?x gcm:objectivesComplete ?complete }
  OPTIONAL { ?x gcm:evidenceStrength ?strength }
  BIND (CONCAT(IF(BOUND(?pn), CONCAT("pledged by ", STR(?pn)), ""),
               IF(BOUND(?complete) && STR(?complete) = "false",
                  "; its list of objectives is incomplete", ""),
               IF(BOUND(?strength), CONCAT("; evidence: ", STR(?strength)), "")) AS ?note)
}"""
_PLEDGERS_FOR = """
SELECT ?x ?g
  (CONCAT(STR(COUNT(DISTINCT ?p)), IF(COUNT(DISTINCT ?p) = 1, " pledge", " pledges")) AS ?note)
WHERE { ?p gcm:supportsObjective ?r . GRAPH ?g { ?p gcm:pledgedBy ?x } } GROUP BY ?x ?g"""
_SDG_TARGETS = """
SELECT ?x ?g ?note ?quote ?order WHERE {
  GRAPH ?g { ?r gcm:relatedSDGTarget ?x }
  OPTIONAL { ?x skos:notation ?code FILTER (datatype(?code) = sdgo:SDGCodeCompact) }
  OPTIONAL { ?r gcm:qualifiedLink ?l . ?l gcm:linkTarget ?x ; gcm:evidence ?quote }
  BIND (IF(BOUND(?code), CONCAT("SDG target ", STR(?code)), "") AS ?note)
  BIND (COALESCE(STR(?code), "") AS ?order)
}"""
_COMMITMENT_TEXT = """
SELECT ?x ?note WHERE {
  ?r gcm:hasCommitmentText ?c . GRAPH ?g { ?c gcm:text ?x }
  FILTER (STRSTARTS(STR(?g), STR(src:)))
  OPTIONAL { ?c gcm:checkStatus ?status }
  BIND (IF(BOUND(?status), CONCAT("checked: ", STR(?status)), "") AS ?note)
}"""
_ACTIONS = """
SELECT ?x ?g ?label ?note ?order WHERE {
  GRAPH ?g { ?r gcm:hasAction ?x }
  ?x gcm:actionLetter ?order .
  OPTIONAL { GRAPH ?tg { ?x gcm:text ?text } FILTER (STRSTARTS(STR(?tg), STR(src:))) }
  OPTIONAL { ?x gcm:wordingBasis ?w . ?w skos:prefLabel ?wording FILTER (lang(?wording) = "en") }
  OPTIONAL { ?x gcm:checkStatus ?status }
  OPTIONAL { ?x gcm:textComplete ?complete }
  BIND (CONCAT("(", STR(?order), ") ", COALESCE(STR(?text), "")) AS ?label)
  BIND (CONCAT(COALESCE(STR(?wording), ""),
               COALESCE(CONCAT("; ", STR(?status)), ""),
               IF(BOUND(?complete) && STR(?complete) = "false",
                  "; text incomplete: only part of it was visible in the sources", "")) AS ?note)
}"""
_DISCUSSED_UNDER_ITS_ROUND_TABLE = """
SELECT ?x ?g ?order WHERE {
  ?r gcm:coveredByRoundTable ?rt . GRAPH ?g { ?x gcm:discussedUnder ?rt }
  OPTIONAL { ?x gcm:paragraphNumber ?order }
}"""
_CLAUSES_IN = """
SELECT ?x ?g ?quote ?note ?order WHERE {
  GRAPH ?g { ?x gcm:inParagraph ?r }
  OPTIONAL { ?x gcm:commitmentNumber ?order }
  OPTIONAL { ?x gcm:text ?quote }
  OPTIONAL { ?x gcm:operativePhrase ?note }
}"""
_SIBLING_CLAUSES = """
SELECT ?x ?g ?order WHERE {
  ?r gcm:inParagraph ?p . GRAPH ?g { ?x gcm:inParagraph ?p } FILTER (?x != ?r)
  OPTIONAL { ?x gcm:commitmentNumber ?order }
}"""
_FOOTNOTES = """
SELECT ?x ?g ?quote ?order WHERE {
  GRAPH ?g { ?r gcm:hasFootnote ?x }
  OPTIONAL { ?x gcm:text ?quote } OPTIONAL { ?x gcm:footnoteNumber ?order }
}"""
_SIMPLE = (
    "SELECT ?x ?g ?order WHERE {{ GRAPH ?g {{ {pattern} }} "
    "OPTIONAL {{ ?x gcm:paragraphNumber ?order }} }}"
)
_HOLDINGS = """
SELECT ?x ?g ?note ?quote ?order WHERE {{
  GRAPH ?g {{ ?h gcm:{me} ?r ; gcm:{other} ?x }}
  OPTIONAL {{ ?h gcm:session ?session }}
  OPTIONAL {{ ?h gcm:duringEvent ?e .
             OPTIONAL {{ ?e gcm:startDate ?start }} OPTIONAL {{ ?e gcm:year ?year }}
             OPTIONAL {{ GRAPH ?eg {{ ?e dcterms:title ?event }}
                        FILTER (STRSTARTS(STR(?eg), STR(src:))) }} }}
  OPTIONAL {{ ?h gcm:evidence ?quote }}
  BIND (COALESCE(STR(?start), STR(?year), "") AS ?order)
  BIND (CONCAT(COALESCE(CONCAT("during the ", STR(?session)), ""),
               COALESCE(CONCAT(IF(BOUND(?session), "; ", ""), "at ", STR(?event)), ""),
               COALESCE(CONCAT(" (", STR(?start), ")"),
                        CONCAT(" (", STR(?year), ")"), "")) AS ?note)
}}"""
_STATEMENTS = """
SELECT ?x ?g ?quote ?note ?order WHERE {
  VALUES ?by { gcm:statedBy gcm:inCapacityOf }
  GRAPH ?g { ?x ?by ?r } ?x a gcm:Statement .
  OPTIONAL { ?x gcm:text ?quote }
  OPTIONAL { ?x gcm:deliveredAt ?e . OPTIONAL { ?e gcm:startDate ?start }
             OPTIONAL { GRAPH ?eg { ?e dcterms:title ?event }
                        FILTER (STRSTARTS(STR(?eg), STR(src:))) } }
  OPTIONAL { ?x gcm:reportedAs ?how }
  BIND (COALESCE(STR(?start), "") AS ?order)
  BIND (CONCAT(COALESCE(CONCAT("at ", STR(?event)), ""),
               COALESCE(CONCAT(" (", STR(?start), ")"), ""),
               COALESCE(CONCAT("; reported as ", STR(?how)), "")) AS ?note)
}"""
_ACTOR_EVENTS = """
SELECT ?x ?g ?note WHERE {
  VALUES (?p ?note) { (gcm:deliveredStatementAt "delivered a statement")
                      (gcm:panelistAt "panelist")
                      (gcm:submittedVoluntaryReportTo "submitted a voluntary national review") }
  GRAPH ?g { ?r ?p ?x }
}"""
_ACTOR_PLEDGES = """
SELECT ?x ?g ?note ?order WHERE {
  GRAPH ?g { ?x gcm:pledgedBy ?r }
  OPTIONAL { ?x dcterms:date ?date } OPTIONAL { ?x gcm:dateMeaning ?meaning }
  BIND (COALESCE(STR(?date), "") AS ?order)
  BIND (CONCAT(COALESCE(STR(?date), ""), COALESCE(CONCAT(" (", STR(?meaning), ")"), "")) AS ?note)
}"""
_EVENT_STATEMENTS = """
SELECT ?x ?g ?quote ?note WHERE {
  GRAPH ?g { ?x gcm:deliveredAt ?r } OPTIONAL { ?x gcm:text ?quote }
  OPTIONAL { ?x gcm:reportedAs ?how }
  BIND (COALESCE(CONCAT("reported as ", STR(?how)), "") AS ?note)
}"""
_EVENT_PEOPLE = """
SELECT ?x ?g ?note ?quote WHERE {
  GRAPH ?g { ?h gcm:duringEvent ?r ; gcm:holder ?x }
  OPTIONAL { ?h gcm:office ?o . GRAPH ?og { ?o skos:prefLabel ?office }
             FILTER (lang(?office) = "en" && STRSTARTS(STR(?og), STR(src:))) }
  OPTIONAL { ?h gcm:evidence ?quote }
  BIND (COALESCE(STR(?office), "") AS ?note)
}"""
_EVENT_ACTORS = """
SELECT ?x ?g ?note WHERE {
  VALUES (?p ?note) { (gcm:deliveredStatementAt "delivered a statement") (gcm:panelistAt "panelist")
                      (gcm:submittedVoluntaryReportTo "submitted a voluntary national review")
                      (gcm:madeAt "pledge made here") }
  GRAPH ?g { ?x ?p ?r }
}"""
_EVIDENCE = """
SELECT ?x ?g WHERE { GRAPH ?g { ?r gcm:evidence ?x }
  FILTER (STRSTARTS(STR(?g), STR(src:))) }"""
_DERIVED = """
SELECT ?x ?g WHERE {{ GRAPH ?g {{ ?x prov:wasDerivedFrom ?r }} ?x a gcm:{cls} }} LIMIT 300"""

_SDG = SectionSpec("SDG targets it serves", _SDG_TARGETS, empty="No SDG target is linked.")
_OBJECTIVE = ViewSpec(
    facts(
        ("Round table", "gcm:coveredByRoundTable"),
        ("Commitment paragraph of the Compact", "gcm:commitmentParagraph"),
        ("Part of", "dcterms:isPartOf"),
    ),
    (
        SectionSpec("Commitment", _COMMITMENT_TEXT, empty="The graph has no commitment text."),
        SectionSpec(
            "Paragraphs and commitments that address it",
            incoming("gcm:addressesObjective", "gcm:concernsObjective"),
            by_basis=True,
            empty="No paragraph or commitment of the declaration addresses this objective.",
        ),
        SectionSpec("Pledges that support it", _PLEDGES_FOR, empty="No pledge names it."),
        SectionSpec("Pledgers", _PLEDGERS_FOR, empty="No pledger."),
        _SDG,
        SectionSpec("Actions (A/RES/73/195), with the wording each quotes", _ACTIONS),
        SectionSpec(
            "Paragraphs discussed under its round table "
            "(section membership, not a substantive link)",
            _DISCUSSED_UNDER_ITS_ROUND_TABLE,
        ),
    ),
)
_PARAGRAPH = ViewSpec(
    facts(
        ("Paragraph", "gcm:paragraphNumber"),
        ("Section", "gcm:inSection"),
        ("Discussed under", "gcm:discussedUnder"),
        ("Declaration", "gcm:inDeclaration"),
    ),
    (
        SectionSpec("Kind, and the words that decide it", outgoing("gcm:paragraphKind"), True),
        SectionSpec(
            "Objectives it addresses",
            outgoing("gcm:addressesObjective"),
            True,
            "It addresses no objective substantively.",
        ),
        SectionSpec("Guiding principles it invokes", outgoing("gcm:invokesPrinciple"), True),
        SectionSpec("Commitments and requests in it", _CLAUSES_IN),
        SectionSpec("Figures it states", _SIMPLE.format(pattern="?r gcm:statesFigure ?x")),
        SectionSpec(
            "Actions of the Compact whose wording it repeats", outgoing("gcm:quotesAction"), True
        ),
        SectionSpec("SDG targets it mentions", outgoing("gcm:mentionsSDGTarget"), True),
        SectionSpec("Footnotes", _FOOTNOTES),
    ),
)
_COMMITMENT = ViewSpec(
    facts(
        ("Operative phrase", "gcm:operativePhrase"),
        ("Who commits", "gcm:committedBy"),
        ("Addressed to", "gcm:addressedTo"),
        ("Time frame", "gcm:timeFrame"),
        ("Due by", "gcm:dueBy"),
        ("Target", "gcm:targetFigure"),
        ("Baseline", "gcm:baselineFigure"),
        ("In paragraph", "gcm:inParagraph"),
    ),
    (
        SectionSpec(
            "Objectives it concerns", outgoing("gcm:concernsObjective"), True, "No objective."
        ),
        SectionSpec(
            "What fulfilled it",
            outgoing("gcm:fulfilledBy"),
            True,
            "No source in the graph states what fulfilled it.",
        ),
        SectionSpec("Other clauses of the same paragraph", _SIBLING_CLAUSES),
    ),
)
_ROUND_TABLE = ViewSpec(
    facts(("Round table", "gcm:roundTableNumber"), ("Part of", "dcterms:isPartOf")),
    (
        SectionSpec("Objectives it covered", _SIMPLE.format(pattern="?r gcm:coversObjective ?x")),
        SectionSpec(
            "Section of the declaration reporting on it",
            _SIMPLE.format(pattern="?x gcm:reportsOnRoundTable ?r"),
        ),
        SectionSpec(
            "Paragraphs discussed under it",
            _SIMPLE.format(pattern="?x gcm:discussedUnder ?r"),
        ),
        SectionSpec(
            "Pledges supporting its objectives",
            "SELECT DISTINCT ?x ?g WHERE { ?r gcm:coversObjective ?o . "
            "GRAPH ?g { ?x gcm:supportsObjective ?o } }",
            empty="No pledge names one of its objectives.",
        ),
    ),
)
_PRINCIPLE = ViewSpec(
    facts(("Letter", "gcm:principleLetter"), ("Part of", "dcterms:isPartOf")),
    (
        SectionSpec("In the words of the Compact", _EVIDENCE, quotes=True),
        SectionSpec(
            "Paragraphs that invoke it",
            incoming("gcm:invokesPrinciple"),
            True,
            "No paragraph invokes it.",
        ),
        SectionSpec("Pledges that apply it", _SIMPLE.format(pattern="?x gcm:appliesPrinciple ?r")),
    ),
)
_ACTOR = ViewSpec(
    facts(
        ("Also called", "skos:altLabel"),
        ("Acronym", "gcm:acronym"),
        ("ISO 3166 alpha-3", "gcm:iso3166Alpha3"),
        ("UN member since", "gcm:unMemberSince"),
        ("Member of", "gcm:memberOfGroup"),
        ("Part of", "gcm:partOfSystem"),
        ("Post in", "org:postIn"),
    ),
    (
        SectionSpec("Roles", _SIMPLE.format(pattern="?r gcm:hasRole ?x")),
        SectionSpec("Offices held, with dates", _HOLDINGS.format(me="holder", other="office")),
        SectionSpec("Holders of this office", _HOLDINGS.format(me="office", other="holder")),
        SectionSpec("Pledges", _ACTOR_PLEDGES, empty="The graph records no pledge by it."),
        SectionSpec("Statements", _STATEMENTS),
        SectionSpec("Events", _ACTOR_EVENTS),
        SectionSpec("Members", _SIMPLE.format(pattern="?x gcm:memberOfGroup ?r")),
        SectionSpec("Offices in it", _SIMPLE.format(pattern="?x org:postIn ?r")),
        SectionSpec("Requests addressed to it", _SIMPLE.format(pattern="?x gcm:addressedTo ?r")),
    ),
)
_PLEDGE = ViewSpec(
    facts(
        ("Pledged by", "gcm:pledgedBy"),
        ("Pledger as the table names it", "gcm:pledgerName"),
        ("Kind of pledger", "gcm:pledgerKind"),
        ("Type", "gcm:pledgeType"),
        ("Nature", "gcm:pledgeNature"),
        ("Date", "dcterms:date"),
        ("What the date is", "gcm:dateMeaning"),
        ("Made at", "gcm:madeAt"),
        ("Objectives stated by the source", "gcm:objectivesStated"),
        ("Objective list complete", "gcm:objectivesComplete"),
        ("About the objectives", "gcm:objectivesNote"),
        ("Evidence strength", "gcm:evidenceStrength"),
        ("Source", "gcm:sourceURL"),
        ("Other source", "gcm:otherSourceURL"),
    ),
    (
        SectionSpec("What the pledge says", _EVIDENCE, quotes=True),
        SectionSpec(
            "Objectives it supports",
            _SIMPLE.format(pattern="?r gcm:supportsObjective ?x").replace(
                "gcm:paragraphNumber", "gcm:objectiveNumber"
            ),
            empty="The source states no objective for this pledge.",
        ),
        SectionSpec("Principles it applies", _SIMPLE.format(pattern="?r gcm:appliesPrinciple ?x")),
        SectionSpec("Actions it implements", _SIMPLE.format(pattern="?r gcm:implementsAction ?x")),
        SectionSpec(
            "Editorial notes",
            "SELECT ?x ?g WHERE { GRAPH ?g { ?r skos:editorialNote ?x } }",
        ),
    ),
)
_EVENT = ViewSpec(
    facts(
        ("Starts", "gcm:startDate"),
        ("Ends", "gcm:endDate"),
        ("Year", "gcm:year"),
        ("Location", "gcm:location"),
    ),
    (
        SectionSpec("What the sources say", _EVIDENCE, quotes=True),
        SectionSpec("People and the offices they held there", _EVENT_PEOPLE),
        SectionSpec("Statements delivered", _EVENT_STATEMENTS),
        SectionSpec("Actors", _EVENT_ACTORS),
        SectionSpec("Requests it fulfilled", incoming("gcm:fulfilledBy"), True),
    ),
)
_DOCUMENT = ViewSpec(
    facts(
        ("Symbol", "gcm:documentSymbol"),
        ("Type", "dcterms:type"),
        ("Date", "dcterms:date"),
        ("Attributed to", "prov:wasAttributedTo"),
        ("Source URL", "gcm:sourceURL"),
        ("Source file", "gcm:sourceFile"),
        ("SHA-256", "gcm:sha256"),
    ),
    (
        SectionSpec("Requests it fulfilled", incoming("gcm:fulfilledBy"), True),
        SectionSpec("Figures it states", _SIMPLE.format(pattern="?r gcm:statesFigure ?x")),
        SectionSpec("Statements it reports", _DERIVED.format(cls="Statement")),
        SectionSpec("What the sources say", _EVIDENCE, quotes=True),
    ),
)
_ACTION = ViewSpec(
    facts(
        ("Objective", "gcm:actionOf"),
        ("Letter", "gcm:actionLetter"),
        ("Paragraph of the Compact", "gcm:compactParagraph"),
        ("Wording", "gcm:wordingBasis"),
        ("Check", "gcm:checkStatus"),
        ("Text complete", "gcm:textComplete"),
        ("Correction", "gcm:correction"),
    ),
    (
        SectionSpec(
            "Commitment it realizes", _SIMPLE.format(pattern="?r gcm:realizesCommitment ?x")
        ),
        SectionSpec("Paragraphs that repeat its wording", incoming("gcm:quotesAction"), True),
        SectionSpec(
            "Pledges that implement it", _SIMPLE.format(pattern="?x gcm:implementsAction ?r")
        ),
        _SDG,
    ),
)

VIEWS: dict[str, ViewSpec] = {
    "objective": _OBJECTIVE,
    "paragraph": _PARAGRAPH,
    "commitment": _COMMITMENT,
    "round-table": _ROUND_TABLE,
    "principle": _PRINCIPLE,
    "actor": _ACTOR,
    "pledge": _PLEDGE,
    "event": _EVENT,
    "document": _DOCUMENT,
    "action": _ACTION,
}
