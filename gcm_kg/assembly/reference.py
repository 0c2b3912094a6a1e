"""Objectives, guiding principles, commitment texts and the SDG taxonomy, from reference data.

Objective titles are read from the declaration's footnotes and cross-checked against the
reference table; any disagreement stops the build.
"""

from __future__ import annotations

import hashlib

from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from gcm_kg import iris
from gcm_kg.assembly.assemble import Assembly, en, integer
from gcm_kg.assembly.declaration import Declaration
from gcm_kg.assembly.declaration_rdf import add_link
from gcm_kg.assembly.sources import (
    GCM_COMMITMENTS,
    GCM_OBJECTIVES,
    GCM_PRINCIPLES,
    GCM_SDG_LINKS,
    SDG_KOS,
    SDG_ONTOLOGY,
    SEED_DECLARATION,
    SourceReader,
)
from gcm_kg.errors import SourceError
from gcm_kg.namespaces import GCM

GENID = iris.BASE + ".well-known/genid/"


def objectives(asm: Assembly, reader: SourceReader, decl: Declaration) -> None:
    src = GCM_OBJECTIVES
    seen: set[int] = set()
    rows = reader.rows(
        src, ["objective", "title", "commitment_paragraph_a_res_73_195", "imrf2022_round_table"]
    )
    for line, row in rows:
        try:
            n = int(row["objective"])
            o = iris.objective(n)
        except ValueError as exc:
            raise reader.fail(
                src, line, f"bad objective number {row['objective']!r}: {exc}"
            ) from None
        if n in seen:
            raise reader.fail(src, line, f"objective {n} listed twice")
        seen.add(n)
        title = decl.objective_titles.get(n)
        if title is None:
            raise reader.fail(
                src, line, f"objective {n} has no title in the declaration's footnotes"
            )
        if title != row["title"]:
            raise reader.fail(
                src,
                line,
                f"objective {n}: title differs from the declaration's footnote ({title!r})",
            )
        rt = next((s.round_table for s in decl.sections if n in s.objectives), None)
        if str(rt) != row["imrf2022_round_table"]:
            raise reader.fail(
                src,
                line,
                f"objective {n}: round table {row['imrf2022_round_table']}"
                f" but the declaration puts it in round table {rt}",
            )
        # title and round table: the declaration's facts; the paragraph number: the table's
        asm.describe(SEED_DECLARATION, o, GCM.Objective, f"Objective {n}: {title}")
        asm.add(SEED_DECLARATION, o, SKOS.prefLabel, en(title))
        asm.add(SEED_DECLARATION, o, DCTERMS.title, en(title))
        asm.add(SEED_DECLARATION, o, SKOS.notation, Literal(str(n)))
        asm.add(SEED_DECLARATION, o, GCM.objectiveNumber, integer(n))
        asm.derived(SEED_DECLARATION, o, iris.footnote(_footnote_for(decl, n)), title)
        asm.add(
            src, o, GCM.commitmentParagraph, integer(int(row["commitment_paragraph_a_res_73_195"]))
        )
        asm.add(src, o, DCTERMS.isPartOf, iris.document_for_symbol("A/RES/73/195"))
    if seen != set(range(1, 24)):
        raise SourceError(
            f"objectives missing: {sorted(set(range(1, 24)) - seen)}", reader.path(src)
        )


def _footnote_for(decl: Declaration, n: int) -> int:
    for s in decl.sections:
        if n in s.objectives:
            return s.footnotes[0]
    raise SourceError(f"objective {n} is in no round table")


def principles(asm: Assembly, reader: SourceReader, decl: Declaration) -> None:
    src = GCM_PRINCIPLES
    para3 = decl.paragraphs[2].text.lower()
    for line, row in reader.rows(src, ["letter", "name", "slug_derived", "source_url"]):
        name, slug = row["name"], row["slug_derived"]
        if name.lower() not in para3:
            raise reader.fail(src, line, f"principle {name!r} is not named in paragraph 3")
        try:
            p = iris.principle(slug)
        except ValueError as exc:
            raise reader.fail(src, line, str(exc)) from None
        asm.describe(src, p, GCM.GuidingPrinciple, name)
        asm.add(src, p, SKOS.prefLabel, en(name))
        asm.add(src, p, GCM.principleLetter, Literal(row["letter"]))
        asm.add(src, p, SKOS.notation, Literal(f"({row['letter']})"))
        asm.add(src, p, DCTERMS.isPartOf, iris.document_for_symbol("A/RES/73/195"))
        if row["source_url"].startswith("http"):
            asm.add(src, p, GCM.sourceURL, Literal(row["source_url"], datatype=XSD.anyURI))
        asm.derived(src, p, asm.document_iri(src), row.get("letter_evidence"))


def commitments(asm: Assembly, reader: SourceReader) -> None:
    src = GCM_COMMITMENTS
    for line, row in reader.rows(
        src, ["objective", "paragraph", "commitment_text", "text_source_url", "check_status"]
    ):
        if not row["commitment_text"]:
            continue  # the reference table found no text for this objective
        try:
            n = int(row["objective"])
            o = iris.objective(n)
        except ValueError as exc:
            raise reader.fail(src, line, f"bad objective number: {exc}") from None
        c = iris.commitment_text(n)
        asm.describe(
            src,
            c,
            GCM.CommitmentText,
            f"Commitment of objective {n} (A/RES/73/195, paragraph {row['paragraph']})",
        )
        asm.add(src, o, GCM.hasCommitmentText, c)
        asm.add(src, c, GCM.text, en(row["commitment_text"]))
        asm.add(src, c, GCM.checkStatus, Literal(row["check_status"]))
        asm.add(src, c, GCM.sourceURL, Literal(row["text_source_url"], datatype=XSD.anyURI))
        asm.derived(src, c, asm.document_iri(src))


def objective_sdg_links(asm: Assembly, reader: SourceReader, sdg_targets: set[URIRef]) -> None:
    src = GCM_SDG_LINKS
    for line, row in reader.rows(src, ["objective", "sdg_target", "sdg_target_iri", "evidence"]):
        target = URIRef(row["sdg_target_iri"])
        if target not in sdg_targets:
            raise reader.fail(src, line, f"{target} is not an SDG target of the SDG KOS")
        if target != iris.sdg_target(row["sdg_target"]):
            raise reader.fail(src, line, "sdg_target and sdg_target_iri disagree")
        try:
            o = iris.objective(int(row["objective"]))
        except ValueError as exc:
            raise reader.fail(src, line, f"bad objective: {exc}") from None
        add_link(
            asm,
            src,
            o,
            GCM.relatedSDGTarget,
            target,
            "sdg-" + row["sdg_target"].replace(".", "-"),
            "stated-by-source",
            evidence=row["evidence"],
            rationale=row.get("relation"),
        )


def sdg(asm: Assembly, reader: SourceReader) -> set[URIRef]:
    """Load the SDG KOS unchanged but for blank nodes, which get stable skolem IRIs."""
    targets: set[URIRef] = set()
    for src in (SDG_ONTOLOGY, SDG_KOS):
        g = Graph()
        try:
            g.parse(data=reader.read_bytes(src), format="turtle")
        except Exception as exc:
            raise SourceError(f"cannot parse Turtle: {exc}", reader.path(src)) from None
        names = _skolem_names(g)
        for s, p, o in g:
            asm.add(src, names.get(s, s), p, names.get(o, o))  # type: ignore[arg-type]
        targets |= {
            t
            for t in g.subjects(RDF.type, URIRef(iris.SDG + "ontology#Target"))
            if isinstance(t, URIRef)
        }
    return targets


def _skolem_names(g: Graph) -> dict[object, URIRef]:
    """Name each blank node by a hash of what it holds, so rebuilds are byte-identical."""
    memo: dict[BNode, str] = {}

    def digest(b: BNode, depth: int = 0) -> str:
        if b in memo:
            return memo[b]
        if depth > 500:
            raise SourceError("blank-node structure too deep or cyclic")
        parts = sorted(
            f"{p.n3()} {digest(o, depth + 1) if isinstance(o, BNode) else o.n3()}"
            for p, o in g.predicate_objects(b)
        )
        memo[b] = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]
        return memo[b]

    nodes = {n for t in g for n in (t[0], t[2]) if isinstance(n, BNode)}
    return {b: URIRef(GENID + digest(b)) for b in nodes}
