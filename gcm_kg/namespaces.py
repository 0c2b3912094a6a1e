"""Vocabulary as code. GENERATED from ontology/gcm.ttl: do not edit.

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

    Action: URIRef
    Actor: URIRef
    ActorGroup: URIRef
    Commitment: URIRef
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
    Office: URIRef
    OfficeHolding: URIRef
    ParagraphKind: URIRef
    Person: URIRef
    Pledge: URIRef
    Request: URIRef
    Retraction: URIRef
    Role: URIRef
    RoundTable: URIRef
    Stakeholder: URIRef
    Statement: URIRef
    Submission: URIRef
    TableRow: URIRef
    UNEntity: URIRef
    Unit: URIRef
    WordingBasis: URIRef
    acronym: URIRef
    actionLetter: URIRef
    actionOf: URIRef
    addressedTo: URIRef
    addressesObjective: URIRef
    adoptedAt: URIRef
    appliesPrinciple: URIRef
    baselineFigure: URIRef
    checkStatus: URIRef
    commitmentNumber: URIRef
    commitmentParagraph: URIRef
    committedBy: URIRef
    compactParagraph: URIRef
    concernsObjective: URIRef
    consistentWithSDGTarget: URIRef
    correction: URIRef
    coveredByRoundTable: URIRef
    coversObjective: URIRef
    dateMeaning: URIRef
    deliveredAt: URIRef
    deliveredStatementAt: URIRef
    discussedUnder: URIRef
    documentSymbol: URIRef
    dueBy: URIRef
    duringEvent: URIRef
    endDate: URIRef
    endorsedAt: URIRef
    evidence: URIRef
    evidenceStrength: URIRef
    figureValue: URIRef
    footnoteNumber: URIRef
    fulfilledBy: URIRef
    hasAction: URIRef
    hasCommitmentText: URIRef
    hasFootnote: URIRef
    hasPart: URIRef
    hasRole: URIRef
    holder: URIRef
    implementsAction: URIRef
    inCapacityOf: URIRef
    inDeclaration: URIRef
    inParagraph: URIRef
    inSection: URIRef
    inTable: URIRef
    invokesPrinciple: URIRef
    isPartOf: URIRef
    isTarget: URIRef
    iso3166Alpha3: URIRef
    kindCue: URIRef
    lineNumber: URIRef
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
    objectivesComplete: URIRef
    objectivesNote: URIRef
    objectivesStated: URIRef
    office: URIRef
    operativePhrase: URIRef
    otherSourceURL: URIRef
    panelistAt: URIRef
    paragraphKind: URIRef
    paragraphNumber: URIRef
    partOfSystem: URIRef
    pledgeNature: URIRef
    pledgeStatus: URIRef
    pledgeType: URIRef
    pledgedBy: URIRef
    pledgerKind: URIRef
    pledgerName: URIRef
    principleLetter: URIRef
    qualifiedLink: URIRef
    qualifier: URIRef
    quotedFrom: URIRef
    quotesAction: URIRef
    rationale: URIRef
    realizesCommitment: URIRef
    referencePeriod: URIRef
    referenceYear: URIRef
    relatedSDGTarget: URIRef
    reportedAs: URIRef
    reportsOnRoundTable: URIRef
    retractedAt: URIRef
    retractedBy: URIRef
    roundTableNumber: URIRef
    sectionOrder: URIRef
    session: URIRef
    sha256: URIRef
    sourceFile: URIRef
    sourceLine: URIRef
    sourceURL: URIRef
    startDate: URIRef
    statedBy: URIRef
    statesFigure: URIRef
    submissionSource: URIRef
    submittedAt: URIRef
    submittedBy: URIRef
    submittedVoluntaryReportTo: URIRef
    supportsObjective: URIRef
    targetFigure: URIRef
    text: URIRef
    textComplete: URIRef
    timeFrame: URIRef
    tripleCount: URIRef
    unMemberSince: URIRef
    unit: URIRef
    warning: URIRef
    wordingBasis: URIRef
    year: URIRef
