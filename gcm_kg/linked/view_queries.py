"""The queries behind the designed pages (``views.py``; which page shows which: ``view_specs``).

Each query binds ``?r`` (the resource) as a term. A listing returns ``?x`` (a resource or a
text), optionally ``?note``, ``?quote`` (evidence, verbatim), ``?order`` and ``?g`` (the graph
of the fact that links ``?x``, so a curator's fact is shown as such). A by-basis listing also
returns ``?basisLabel``, the basis of the qualified link (``gcm:Link``) behind the fact.
Facts return ``?name`` and ``?x``.
"""

from __future__ import annotations

PREFIXES = """PREFIX gcm: <https://w3id.org/gcm-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX sdgo: <http://metadata.un.org/sdg/ontology#>
PREFIX src: <https://w3id.org/gcm-kg/id/graph/>
"""

#: an official resource's text only from a source graph (the trust model, as describe.official_only)
TRUSTED_TEXT = (
    "GRAPH ?tg { ?x gcm:text ?quote } "
    "FILTER (STRSTARTS(STR(?tg), STR(src:)) || NOT EXISTS { GRAPH ?to { ?x ?tp ?tv } "
    "FILTER (STRSTARTS(STR(?to), STR(src:))) })"
)
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


PLEDGES_FOR = """
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
PLEDGERS_FOR = """
SELECT ?x ?g
  (CONCAT(STR(COUNT(DISTINCT ?p)), IF(COUNT(DISTINCT ?p) = 1, " pledge", " pledges")) AS ?note)
WHERE { ?p gcm:supportsObjective ?r . GRAPH ?g { ?p gcm:pledgedBy ?x } } GROUP BY ?x ?g"""
SDG_TARGETS = """
SELECT ?x ?g ?note ?quote ?order WHERE {
  GRAPH ?g { ?r gcm:relatedSDGTarget ?x }
  OPTIONAL { ?x skos:notation ?code FILTER (datatype(?code) = sdgo:SDGCodeCompact) }
  OPTIONAL { ?r gcm:qualifiedLink ?l . ?l gcm:linkTarget ?x ; gcm:evidence ?quote }
  BIND (IF(BOUND(?code), CONCAT("SDG target ", STR(?code)), "") AS ?note)
  BIND (COALESCE(STR(?code), "") AS ?order)
}"""
COMMITMENT_TEXT = """
SELECT ?x ?note WHERE {
  ?r gcm:hasCommitmentText ?c . GRAPH ?g { ?c gcm:text ?x }
  FILTER (STRSTARTS(STR(?g), STR(src:)))
  OPTIONAL { ?c gcm:checkStatus ?status }
  BIND (IF(BOUND(?status), CONCAT("checked: ", STR(?status)), "") AS ?note)
}"""
ACTIONS = """
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
DISCUSSED_UNDER_ITS_ROUND_TABLE = """
SELECT ?x ?g ?order WHERE {
  ?r gcm:coveredByRoundTable ?rt . GRAPH ?g { ?x gcm:discussedUnder ?rt }
  OPTIONAL { ?x gcm:paragraphNumber ?order }
}"""
CLAUSES_IN = (
    """
SELECT ?x ?g ?quote ?note ?order WHERE {
  GRAPH ?g { ?x gcm:inParagraph ?r }
  OPTIONAL { ?x gcm:commitmentNumber ?order }
  OPTIONAL { """
    + TRUSTED_TEXT
    + """ }
  OPTIONAL { ?x gcm:operativePhrase ?note }
}"""
)
SIBLING_CLAUSES = """
SELECT ?x ?g ?order WHERE {
  ?r gcm:inParagraph ?p . GRAPH ?g { ?x gcm:inParagraph ?p } FILTER (?x != ?r)
  OPTIONAL { ?x gcm:commitmentNumber ?order }
}"""
FOOTNOTES = (
    """
SELECT ?x ?g ?quote ?order WHERE {
  GRAPH ?g { ?r gcm:hasFootnote ?x }
  OPTIONAL { """
    + TRUSTED_TEXT
    + """ } OPTIONAL { ?x gcm:footnoteNumber ?order }
}"""
)
SIMPLE = (
    "SELECT ?x ?g ?order WHERE {{ GRAPH ?g {{ {pattern} }} "
    "OPTIONAL {{ ?x gcm:paragraphNumber ?order }} }}"
)
HOLDINGS = """
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
STATEMENTS = (
    """
SELECT ?x ?g ?quote ?note ?order WHERE {
  VALUES ?by { gcm:statedBy gcm:inCapacityOf }
  GRAPH ?g { ?x ?by ?r } ?x a gcm:Statement .
  OPTIONAL { """
    + TRUSTED_TEXT
    + """ }
  OPTIONAL { ?x gcm:deliveredAt ?e . OPTIONAL { ?e gcm:startDate ?start }
             OPTIONAL { GRAPH ?eg { ?e dcterms:title ?event }
                        FILTER (STRSTARTS(STR(?eg), STR(src:))) } }
  OPTIONAL { ?x gcm:reportedAs ?how }
  BIND (COALESCE(STR(?start), "") AS ?order)
  BIND (CONCAT(COALESCE(CONCAT("at ", STR(?event)), ""),
               COALESCE(CONCAT(" (", STR(?start), ")"), ""),
               COALESCE(CONCAT("; reported as ", STR(?how)), "")) AS ?note)
}"""
)
ACTOR_EVENTS = """
SELECT ?x ?g ?note WHERE {
  VALUES (?p ?note) { (gcm:deliveredStatementAt "delivered a statement")
                      (gcm:panelistAt "panelist")
                      (gcm:submittedVoluntaryReportTo "submitted a voluntary national review") }
  GRAPH ?g { ?r ?p ?x }
}"""
ACTOR_PLEDGES = """
SELECT ?x ?g ?note ?order WHERE {
  GRAPH ?g { ?x gcm:pledgedBy ?r }
  OPTIONAL { ?x dcterms:date ?date } OPTIONAL { ?x gcm:dateMeaning ?meaning }
  BIND (COALESCE(STR(?date), "") AS ?order)
  BIND (CONCAT(COALESCE(STR(?date), ""), COALESCE(CONCAT(" (", STR(?meaning), ")"), "")) AS ?note)
}"""
EVENT_STATEMENTS = (
    """
SELECT ?x ?g ?quote ?note WHERE {
  GRAPH ?g { ?x gcm:deliveredAt ?r } OPTIONAL { """
    + TRUSTED_TEXT
    + """ }
  OPTIONAL { ?x gcm:reportedAs ?how }
  BIND (COALESCE(CONCAT("reported as ", STR(?how)), "") AS ?note)
}"""
)
EVENT_PEOPLE = """
SELECT ?x ?g ?note ?quote WHERE {
  GRAPH ?g { ?h gcm:duringEvent ?r ; gcm:holder ?x }
  OPTIONAL { ?h gcm:office ?o . GRAPH ?og { ?o skos:prefLabel ?office }
             FILTER (lang(?office) = "en" && STRSTARTS(STR(?og), STR(src:))) }
  OPTIONAL { ?h gcm:evidence ?quote }
  BIND (COALESCE(STR(?office), "") AS ?note)
}"""
EVENT_ACTORS = """
SELECT ?x ?g ?note WHERE {
  VALUES (?p ?note) { (gcm:deliveredStatementAt "delivered a statement") (gcm:panelistAt "panelist")
                      (gcm:submittedVoluntaryReportTo "submitted a voluntary national review")
                      (gcm:madeAt "pledge made here") }
  GRAPH ?g { ?x ?p ?r }
}"""
EVIDENCE = """
SELECT ?x ?g WHERE { GRAPH ?g { ?r gcm:evidence ?x }
  FILTER (STRSTARTS(STR(?g), STR(src:))) }"""
DERIVED = """
SELECT ?x ?g WHERE {{ GRAPH ?g {{ ?x prov:wasDerivedFrom ?r }} ?x a gcm:{cls} }} LIMIT 300"""
