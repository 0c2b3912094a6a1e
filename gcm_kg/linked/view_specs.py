"""Which sections each page type shows, in order, and the query behind each (``views.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from gcm_kg.linked.view_queries import (
    ACTIONS,
    ACTOR_EVENTS,
    ACTOR_PLEDGES,
    CLAUSES_IN,
    COMMITMENT_TEXT,
    DERIVED,
    DISCUSSED_UNDER_ITS_ROUND_TABLE,
    EVENT_ACTORS,
    EVENT_PEOPLE,
    EVENT_STATEMENTS,
    EVIDENCE,
    FOOTNOTES,
    HOLDINGS,
    PLEDGERS_FOR,
    PLEDGES_FOR,
    SDG_TARGETS,
    SIBLING_CLAUSES,
    SIMPLE,
    STATEMENTS,
    facts,
    incoming,
    outgoing,
)


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


_SDG = SectionSpec("SDG targets it serves", SDG_TARGETS, empty="No SDG target is linked.")
_OBJECTIVE = ViewSpec(
    facts(
        ("Round table", "gcm:coveredByRoundTable"),
        ("Commitment paragraph of the Compact", "gcm:commitmentParagraph"),
        ("Part of", "dcterms:isPartOf"),
    ),
    (
        SectionSpec("Commitment", COMMITMENT_TEXT, empty="The graph has no commitment text."),
        SectionSpec(
            "Paragraphs and commitments that address it",
            incoming("gcm:addressesObjective", "gcm:concernsObjective"),
            by_basis=True,
            empty="No paragraph or commitment of the declaration addresses this objective.",
        ),
        SectionSpec("Pledges that support it", PLEDGES_FOR, empty="No pledge names it."),
        SectionSpec("Pledgers", PLEDGERS_FOR, empty="No pledger."),
        _SDG,
        SectionSpec("Actions (A/RES/73/195), with the wording each quotes", ACTIONS),
        SectionSpec(
            "Paragraphs discussed under its round table "
            "(section membership, not a substantive link)",
            DISCUSSED_UNDER_ITS_ROUND_TABLE,
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
        SectionSpec("Commitments and requests in it", CLAUSES_IN),
        SectionSpec("Figures it states", SIMPLE.format(pattern="?r gcm:statesFigure ?x")),
        SectionSpec(
            "Actions of the Compact whose wording it repeats", outgoing("gcm:quotesAction"), True
        ),
        SectionSpec("SDG targets it mentions", outgoing("gcm:mentionsSDGTarget"), True),
        SectionSpec("Footnotes", FOOTNOTES),
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
        SectionSpec("Other clauses of the same paragraph", SIBLING_CLAUSES),
    ),
)
_ROUND_TABLE = ViewSpec(
    facts(("Round table", "gcm:roundTableNumber"), ("Part of", "dcterms:isPartOf")),
    (
        SectionSpec("Objectives it covered", SIMPLE.format(pattern="?r gcm:coversObjective ?x")),
        SectionSpec(
            "Section of the declaration reporting on it",
            SIMPLE.format(pattern="?x gcm:reportsOnRoundTable ?r"),
        ),
        SectionSpec(
            "Paragraphs discussed under it",
            SIMPLE.format(pattern="?x gcm:discussedUnder ?r"),
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
        SectionSpec("In the words of the Compact", EVIDENCE, quotes=True),
        SectionSpec(
            "Paragraphs that invoke it",
            incoming("gcm:invokesPrinciple"),
            True,
            "No paragraph invokes it.",
        ),
        SectionSpec("Pledges that apply it", SIMPLE.format(pattern="?x gcm:appliesPrinciple ?r")),
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
        SectionSpec("Roles", SIMPLE.format(pattern="?r gcm:hasRole ?x")),
        SectionSpec("Offices held, with dates", HOLDINGS.format(me="holder", other="office")),
        SectionSpec("Holders of this office", HOLDINGS.format(me="office", other="holder")),
        SectionSpec("Pledges", ACTOR_PLEDGES, empty="The graph records no pledge by it."),
        SectionSpec("Statements", STATEMENTS),
        SectionSpec("Events", ACTOR_EVENTS),
        SectionSpec("Members", SIMPLE.format(pattern="?x gcm:memberOfGroup ?r")),
        SectionSpec("Offices in it", SIMPLE.format(pattern="?x org:postIn ?r")),
        SectionSpec("Requests addressed to it", SIMPLE.format(pattern="?x gcm:addressedTo ?r")),
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
        SectionSpec("What the pledge says", EVIDENCE, quotes=True),
        SectionSpec(
            "Objectives it supports",
            SIMPLE.format(pattern="?r gcm:supportsObjective ?x").replace(
                "gcm:paragraphNumber", "gcm:objectiveNumber"
            ),
            empty="The source states no objective for this pledge.",
        ),
        SectionSpec("Principles it applies", SIMPLE.format(pattern="?r gcm:appliesPrinciple ?x")),
        SectionSpec(
            "Actions it implements",
            SIMPLE.format(pattern="?r gcm:implementsAction ?x"),
            empty="Neither its source nor a curator names an action of the Compact it implements.",
        ),
        SectionSpec(
            "Actions of the Compact whose wording it repeats", outgoing("gcm:quotesAction"), True
        ),
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
        SectionSpec("What the sources say", EVIDENCE, quotes=True),
        SectionSpec("People and the offices they held there", EVENT_PEOPLE),
        SectionSpec("Statements delivered", EVENT_STATEMENTS),
        SectionSpec("Actors", EVENT_ACTORS),
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
        SectionSpec("Figures it states", SIMPLE.format(pattern="?r gcm:statesFigure ?x")),
        SectionSpec("Statements it reports", DERIVED.format(cls="Statement")),
        SectionSpec("What the sources say", EVIDENCE, quotes=True),
    ),
)
_ACTION = ViewSpec(
    facts(
        ("Objective", "gcm:actionOf"),
        ("Letter", "gcm:actionLetter"),
        ("Paragraph of the Compact", "gcm:compactParagraph"),
        ("Wording", "gcm:wordingBasis"),
        ("Compared with the adopted text", "gcm:checkStatus"),
        ("Text complete", "gcm:textComplete"),
        ("Correction", "gcm:correction"),
    ),
    (
        SectionSpec(
            "Commitment it realizes", SIMPLE.format(pattern="?r gcm:realizesCommitment ?x")
        ),
        SectionSpec(
            "Paragraphs and pledges that repeat its wording",
            incoming("gcm:quotesAction"),
            True,
            empty="No paragraph of the declaration and no pledge repeats its wording.",
        ),
        SectionSpec(
            "Pledges that implement it",
            SIMPLE.format(pattern="?x gcm:implementsAction ?r"),
            empty="No pledge says it implements this action.",
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
