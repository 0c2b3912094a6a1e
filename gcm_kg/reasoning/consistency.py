"""``gcm-kg check``: is the graph, read with its ontology, logically consistent under OWL 2 DL?

The ontology (``ontology/gcm.ttl``), the axioms of the vocabularies it reuses
(``ontology/imports.ttl``) and the data are loaded into an isolated Owlready2 world and handed
to the HermiT reasoner that Owlready2 ships (it needs Java). This is the only module that
imports owlready2. On an inconsistency the report names the individuals involved and the
statements every explanation needs (see ``gcm_kg.reasoning.owl_localise``); unsatisfiable
classes are named as HermiT reports them. What had to be adapted for HermiT is counted in the report
(``gcm_kg.reasoning.owl_input``).
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import owlready2
from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from gcm_kg.config import Settings
from gcm_kg.errors import GcmKgError, ReasonerError, SourceError
from gcm_kg.reasoning.owl_input import Prepared, Triple, prepare
from gcm_kg.reasoning.owl_localise import CHECK_NS, ABox, encode_individuals, encode_variants

HERMIT = "HermiT 1.3.8 (bundled with Owlready2)"
#: culprits whose statements are explained one by one; more are only named
MAX_EXPLAINED = 20


@dataclass
class _Run:
    consistent: bool
    unsatisfiable: list[str]
    seconds: float


def hermit(graph: Graph) -> _Run:
    """One HermiT run over ``graph`` (which must already be HermiT-ready) in its own world."""
    data = graph.serialize(format="nt", encoding="utf-8")
    world = owlready2.World()
    start = time.perf_counter()
    try:
        onto = world.get_ontology(CHECK_NS.rstrip("#"))
        onto.load(fileobj=io.BytesIO(data), format="ntriples")
        owlready2.sync_reasoner_hermit(world, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return _Run(False, [], time.perf_counter() - start)
    except owlready2.OwlReadyJavaError as exc:
        raise ReasonerError(f"HermiT failed: {str(exc).strip()[:2000]}") from None
    except FileNotFoundError:
        raise ReasonerError(
            f"Java not found ({owlready2.JAVA_EXE!r}); HermiT needs a Java runtime, "
            "e.g. apt-get install -y default-jre-headless"
        ) from None
    else:
        return _Run(True, _unsatisfiable(world), time.perf_counter() - start)
    finally:
        world.close()


def _unsatisfiable(world: owlready2.World) -> list[str]:
    """IRIs of the classes HermiT found equivalent to owl:Nothing, exactly as loaded.

    ``world.inconsistent_classes()`` returns Python entities whose ``.iri`` Owlready2
    rebuilds from its own namespaces, so the stored IRIs are read instead.
    """
    nothing = owlready2.owl_nothing
    storids = world._get_obj_triples_transitive_sym(nothing, owlready2.owl_equivalentclass)
    return sorted(world._unabbreviate(s) for s in storids if s > 0 and s != nothing)


@dataclass
class Culprit:
    """An individual whose statements contradict the ontology."""

    individual: URIRef
    #: statements without which it is consistent (empty: no single one is to blame)
    core: list[Triple] = field(default_factory=list)
    #: all statements the explanation looked at
    statements: list[Triple] = field(default_factory=list)


@dataclass
class CheckReport:
    """The outcome of ``gcm-kg check``; ``ok`` decides the exit status."""

    consistent: bool
    triples: int
    seconds: float
    unsatisfiable: list[str] = field(default_factory=list)
    culprits: list[Culprit] = field(default_factory=list)
    #: individuals inconsistent only because they link to a culprit
    echoes: list[URIRef] = field(default_factory=list)
    localised: bool = True
    ill_typed: list[Triple] = field(default_factory=list)
    undeclared: list[URIRef] = field(default_factory=list)
    conversions: dict[str, int] = field(default_factory=dict)
    nsm: NamespaceManager | None = None

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable and not self.ill_typed

    def _n(self, term: Node | str) -> str:
        node = term if isinstance(term, Node) else URIRef(term)
        return node.n3(self.nsm) if self.nsm else node.n3()

    def _t(self, t: Triple) -> str:
        return " ".join(self._n(x) for x in t)

    def render(self) -> str:
        head = "consistent" if self.ok else "NOT consistent"
        if self.consistent and not self.ok:
            head = "consistent, but with errors"
        lines = [f"gcm-kg check: {head} ({HERMIT}, {self.triples} triples, {self.seconds:.1f} s)"]
        if not self.consistent:
            lines.append("HermiT: the graph and the ontology contradict each other.")
            for c in self.culprits:
                types = [t[2] for t in c.statements if t[0] == c.individual and t[1] == RDF.type]
                lines.append(f"  individual {self._n(c.individual)}")
                lines.append(f"    asserted types: {', '.join(self._n(t) for t in types) or '-'}")
                if c.core:
                    lines.append("    the contradiction goes away if any one of these is removed:")
                    lines += [f"      {self._t(t)}" for t in c.core]
                else:
                    lines.append("    no single statement is to blame; together these do:")
                    lines += [f"      {self._t(t)}" for t in c.statements]
            if self.echoes:
                lines.append(f"  ({len(self.echoes)} more individuals only link to these)")
            if not self.localised:
                lines.append(
                    "  HermiT could not pin the contradiction to single individuals: it needs "
                    "identity between individuals (owl:sameAs, functional or inverse-functional "
                    "properties, cardinalities)."
                )
        if self.unsatisfiable:
            lines.append("Unsatisfiable classes (no individual can belong to them):")
            lines += [f"  {self._n(c)}" for c in self.unsatisfiable]
        if self.ill_typed:
            lines.append("Ill-typed literals (not valid for their datatype):")
            lines += [f"  {self._t(t)}" for t in self.ill_typed]
        if self.undeclared:
            lines.append("Undeclared predicates (OWL tools treat them as annotations):")
            lines += [f"  {self._n(p)}" for p in self.undeclared]
        if self.conversions:
            lines.append("Read for HermiT (OWL 2 datatype map; the data is unchanged):")
            lines += [f"  {n:6d}  {what}" for what, n in sorted(self.conversions.items())]
        return "\n".join(lines)


def _localise(prepared: Prepared, report: CheckReport) -> None:
    """Name the individuals (run 2) and their decisive statements (run 3)."""
    box = ABox.split(prepared.graph, prepared.kinds)
    graph, by_c, by_t = encode_individuals(box)
    run = hermit(graph)
    if not run.consistent:
        report.localised = False
        return
    unsat = set(run.unsatisfiable)
    bad_types = {by_t[c] for c in unsat if c in by_t}
    flagged = sorted(by_c[c] for c in unsat if c in by_c)
    primary = [
        x
        for x in flagged
        if x in bad_types or not any(y in bad_types for _, y in box.edges.get(x, ()))
    ]
    report.echoes = [x for x in flagged if x not in primary]
    report.localised = bool(flagged)
    explained = primary[:MAX_EXPLAINED]
    variants, which = encode_variants(box, explained)
    freed = set(which) - set(hermit(variants).unsatisfiable)
    for x in primary:
        core = [t for iri, (who, t) in sorted(which.items()) if who == x and iri in freed]
        report.culprits.append(Culprit(x, _ordered(core, box.statements(x)), box.statements(x)))


def _ordered(subset: list[Triple], order: list[Triple]) -> list[Triple]:
    return [t for t in order if t in subset]


def check(
    graph: Graph, *, explain: bool = True, nsm: NamespaceManager | None = None
) -> CheckReport:
    """Reason over ``graph`` (ontology and data together) and report."""
    start = time.perf_counter()
    prepared = prepare(graph)
    run = hermit(prepared.graph)
    report = CheckReport(
        consistent=run.consistent,
        triples=len(prepared.graph),
        seconds=0.0,
        unsatisfiable=run.unsatisfiable,
        ill_typed=prepared.ill_typed,
        undeclared=prepared.undeclared,
        conversions=dict(prepared.conversions),
        nsm=nsm,
    )
    if not run.consistent and explain:
        _localise(prepared, report)
    report.seconds = time.perf_counter() - start
    return report


def read_rdf(path: Path) -> Graph:
    """All triples of an RDF file (any graphs merged), the format taken from its extension."""
    from gcm_kg.formats import lookup

    fmt = lookup(path.suffix)
    if fmt is None or fmt.rdflib is None or fmt.serves != "graph":
        raise SourceError(f"unknown RDF file extension {path.suffix!r}", path)
    if not path.is_file():
        raise SourceError("no such file", path)
    data = path.read_bytes()
    # rdflib logs a traceback for each ill-typed literal; the report lists them instead.
    term_log = logging.getLogger("rdflib.term")
    level = term_log.level
    term_log.setLevel(logging.CRITICAL)
    try:
        return _parse(data, fmt.rdflib, fmt.quads)
    except GcmKgError:
        raise
    except Exception as exc:  # rdflib raises many parser-specific types
        raise SourceError(f"cannot parse: {exc}", path) from None
    finally:
        term_log.setLevel(level)


def _parse(data: bytes, rdflib_format: str, quads: bool) -> Graph:
    if not quads:
        return Graph().parse(data=data, format=rdflib_format)
    ds = Dataset()
    ds.parse(data=data, format=rdflib_format)
    g = Graph()
    for s, p, o, _ in ds.quads():
        g.add((s, p, o))
    return g


def gather(settings: Settings, data: Sequence[Path] = (), nquads: bytes | None = None) -> Graph:
    """The ontology, the reused vocabularies' axioms and the data, as one graph."""
    g = read_rdf(settings.ontology_file) + read_rdf(settings.ontology_imports_file)
    if nquads is not None:
        g += _parse(nquads, "nquads", True)
    for path in data:
        g += read_rdf(path)
    return g
