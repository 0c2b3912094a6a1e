"""Vocabulary as code. GENERATED from ontology/gcm.ttl: do not edit.

Regenerate with ``python -m gcm_kg.build.namespace_gen``.

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

    Action: URIRef
    Actor: URIRef
    ActorGroup: URIRef
    CommitmentText: URIRef
    Curator: URIRef
    Declaration: URIRef
    DeclarationParagraph: URIRef
    DeclarationSection: URIRef
    Document: URIRef
    Event: URIRef
    Figure: URIRef
    Footnote: URIRef
    GuidingPrinciple: URIRef
    IntergovernmentalOrganization: URIRef
    Link: URIRef
    LinkBasis: URIRef
    MemberState: URIRef
    Objective: URIRef
    Observer: URIRef
    ParagraphKind: URIRef
    Pledge: URIRef
    Retraction: URIRef
    Role: URIRef
    RoundTable: URIRef
    Stakeholder: URIRef
    Submission: URIRef
    UNEntity: URIRef
    Unit: URIRef
    WordingBasis: URIRef
    acronym: URIRef
    actionLetter: URIRef
    actionOf: URIRef
    addressesObjective: URIRef
    adoptedAt: URIRef
    checkStatus: URIRef
    commitmentParagraph: URIRef
    compactParagraph: URIRef
    correction: URIRef
    coveredByRoundTable: URIRef
    coversObjective: URIRef
    deliveredStatementAt: URIRef
    documentSymbol: URIRef
    endDate: URIRef
    endorsedAt: URIRef
    evidence: URIRef
    figureValue: URIRef
    footnoteNumber: URIRef
    hasAction: URIRef
    hasCommitmentText: URIRef
    hasFootnote: URIRef
    hasPart: URIRef
    hasRole: URIRef
    implementsAction: URIRef
    inDeclaration: URIRef
    inSection: URIRef
    invokesPrinciple: URIRef
    isPartOf: URIRef
    isTarget: URIRef
    iso3166Alpha3: URIRef
    kindCue: URIRef
    linkBasis: URIRef
    linkProperty: URIRef
    linkTarget: URIRef
    location: URIRef
    locator: URIRef
    madeAt: URIRef
    measure: URIRef
    memberOfGroup: URIRef
    mentionsSDGTarget: URIRef
    objectiveNumber: URIRef
    paragraphKind: URIRef
    paragraphNumber: URIRef
    partOfSystem: URIRef
    pledgeStatus: URIRef
    pledgedBy: URIRef
    principleLetter: URIRef
    qualifiedLink: URIRef
    qualifier: URIRef
    quotesAction: URIRef
    rationale: URIRef
    realizesCommitment: URIRef
    referencePeriod: URIRef
    referenceYear: URIRef
    relatedSDGTarget: URIRef
    reportsOnRoundTable: URIRef
    retractedAt: URIRef
    retractedBy: URIRef
    roundTableNumber: URIRef
    sectionOrder: URIRef
    sha256: URIRef
    sourceFile: URIRef
    sourceURL: URIRef
    startDate: URIRef
    statesFigure: URIRef
    submissionSource: URIRef
    submittedAt: URIRef
    submittedBy: URIRef
    submittedVoluntaryReportTo: URIRef
    supportsObjective: URIRef
    text: URIRef
    textComplete: URIRef
    tripleCount: URIRef
    unMemberSince: URIRef
    unit: URIRef
    warning: URIRef
    wordingBasis: URIRef
    year: URIRef
