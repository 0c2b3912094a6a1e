"""The JSON-LD frame of each resource type: which keys, in which order, always present.

A frame lists the keys a portal can count on for a type (a missing single value is ``null``,
a missing list is ``[]``). Keys are terms of the published context. Facts the frame does not
name still appear after the framed keys, so the JSON-LD never drops a triple.
"""

from __future__ import annotations

from dataclasses import dataclass

from gcm_kg.linked.context import Context, load

GCM = "https://w3id.org/gcm-kg/ontology#"

#: properties whose objects are parts of their subject and are embedded whole
EMBEDDED = (GCM + "qualifiedLink", GCM + "hasCommitmentText")

_COMMON_TAIL = ("evidence", "derivedFrom")


@dataclass(frozen=True)
class Frame:
    name: str
    keys: tuple[str, ...]

    def reverse_properties(self, ctx: Context | None = None) -> list[str]:
        ctx = ctx or load()
        return [ctx.terms[k].iri for k in self.keys if ctx.terms[k].reverse]


OBJECTIVE = Frame(
    "objective",
    (
        "objectiveNumber",
        "label",
        "prefLabel",
        "title",
        "notation",
        "commitmentParagraph",
        "roundTable",
        "sdgTargets",
        "paragraphs",
        "pledges",
        "commitmentText",
        "actions",
        "qualifiedLinks",
        "isPartOf",
        *_COMMON_TAIL,
    ),
)
ROUND_TABLE = Frame(
    "round-table",
    (
        "roundTableNumber",
        "label",
        "prefLabel",
        "coversObjectives",
        "reportedOnBy",
        "isPartOf",
        *_COMMON_TAIL,
    ),
)
PRINCIPLE = Frame(
    "principle",
    (
        "principleLetter",
        "label",
        "prefLabel",
        "notation",
        "invokedBy",
        "isPartOf",
        "sourceURL",
        *_COMMON_TAIL,
    ),
)
PARAGRAPH = Frame(
    "paragraph",
    (
        "paragraphNumber",
        "label",
        "text",
        "kinds",
        "kindCues",
        "section",
        "declaration",
        "addressesObjectives",
        "invokesPrinciples",
        "mentionsSdgTargets",
        "figures",
        "footnotes",
        "quotesActions",
        "qualifiedLinks",
        "derivedFrom",
    ),
)
SECTION = Frame(
    "section",
    (
        "sectionOrder",
        "label",
        "title",
        "reportsOnRoundTable",
        "declaration",
        "partOf",
        "footnotes",
        "sectionParagraphs",
        "derivedFrom",
    ),
)
PLEDGE = Frame(
    "pledge",
    (
        "label",
        "title",
        "description",
        "status",
        "pledgedBy",
        "supportsObjectives",
        "sdgTargets",
        "implementsActions",
        "quotesActions",
        "madeAt",
        # the pledge tables' qualifiers (issue 13): how far the objective list can be trusted
        "pledgerNames",
        "objectivesStated",
        "objectivesComplete",
        "objectivesNote",
        "dateMeaning",
        "evidenceStrength",
        "sourceURL",
        *_COMMON_TAIL,
    ),
)
ACTOR = Frame(
    "actor",
    (
        "label",
        "prefLabel",
        "altLabels",
        "acronym",
        "iso3166Alpha3",
        "unMemberSince",
        "roles",
        "memberOf",
        "partOfSystem",
        "statementsAt",
        "voluntaryReportsTo",
        "pledgesMade",
        *_COMMON_TAIL,
    ),
)
LINK = Frame(
    "link",
    ("linkProperty", "linkTarget", "linkBasis", "evidence", "rationale", "derivedFrom"),
)
COMMITMENT_TEXT = Frame(
    "commitment-text", ("label", "text", "checkStatus", "sourceURL", "derivedFrom")
)
COMMITMENT = Frame(
    "commitment",
    (
        "commitmentNumber",
        "label",
        "text",
        "operativePhrase",
        "inParagraph",
        "committedBy",
        "addressedTo",
        "timeFrame",
        "dueBy",
        "targetFigures",
        "baselineFigures",
        "concernsObjectives",
        "fulfilledBy",
        "qualifiedLinks",
        *_COMMON_TAIL,
    ),
)
ACTION = Frame(
    "action",
    (
        "label",
        "notation",
        "actionOf",
        "compactParagraph",
        "actionLetter",
        "text",
        "textComplete",
        "wordingBasis",
        "checkStatus",
        "corrections",
        "realizesCommitment",
        "sdgTargets",
        "implementedBy",
        "quotedBy",
        "qualifiedLinks",
        "textSource",
        "sourceURL",
        "locator",
        "isPartOf",
        "attributedTo",
        *_COMMON_TAIL,
    ),
)
GENERIC = Frame("resource", ("label", "derivedFrom"))

#: the actor classes, most specific first (gcm:Actor last), each served with the actor frame
ACTOR_TYPES = (
    "MemberState",
    "UNEntity",
    "IntergovernmentalOrganization",
    "Observer",
    "Stakeholder",
    "ActorGroup",
    "Actor",
)

#: first matching type wins
BY_TYPE: tuple[tuple[str, Frame], ...] = (
    (GCM + "Objective", OBJECTIVE),
    (GCM + "RoundTable", ROUND_TABLE),
    (GCM + "GuidingPrinciple", PRINCIPLE),
    (GCM + "DeclarationParagraph", PARAGRAPH),
    (GCM + "DeclarationSection", SECTION),
    (GCM + "Pledge", PLEDGE),
    (GCM + "Link", LINK),
    (GCM + "CommitmentText", COMMITMENT_TEXT),
    (GCM + "Request", COMMITMENT),
    (GCM + "Commitment", COMMITMENT),
    (GCM + "Action", ACTION),
    *((GCM + t, ACTOR) for t in ACTOR_TYPES),
)


def frame_for(types: set[str]) -> Frame:
    for iri, frame in BY_TYPE:
        if iri in types:
            return frame
    return GENERIC
