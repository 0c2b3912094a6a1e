"""``gcm-kg build``: sources → one dataset → deterministic TriG and N-Quads → the store.

Everything is built and serialized in memory first; files are replaced atomically only when
the whole build succeeded, so a bad source leaves the previous build intact.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

from gcm_kg import iris
from gcm_kg.assembly import (
    action_links,
    actions,
    commitments,
    curated,
    declaration,
    declaration_rdf,
    inference,
    paragraph_kinds,
    people,
    reference,
)
from gcm_kg.assembly.assemble import Assembly
from gcm_kg.assembly.sources import SEED_DECLARATION, Source, SourceReader
from gcm_kg.config import Settings
from gcm_kg.errors import SourceError
from gcm_kg.namespaces import ORG, SDGO, VANN

TRIG_NAME = "gcm-kg.trig"
NQUADS_NAME = "gcm-kg.nq"
ONTOLOGY_SOURCE = Source(
    "ontology", "ontology/gcm.ttl", "project", "gcm-kg ontology", "OWL ontology"
)

PREFIXES = {
    "gcm": iris.GCM,
    "id": iris.ID,
    "objective": iris.ID + "objective/",
    "paragraph": iris.ID + "declaration/imrf-2022/paragraph/",
    "actor": iris.ID + "actor/",
    "graph": iris.ID + "graph/",
    "doc": iris.ID + "document/",
    "sdg": iris.SDG,
    "sdgo": str(SDGO),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "owl": str(OWL),
    "rdfs": str(RDFS),
    "rdf": str(RDF),
    "xsd": str(XSD),
    "org": str(ORG),
    "foaf": str(FOAF),
    "vann": str(VANN),
    "role": iris.ID + "vocab/role/",
    "unit": iris.ID + "vocab/unit/",
    "kind": iris.ID + "vocab/paragraph-kind/",
    "basis": iris.ID + "vocab/link-basis/",
    "vocab": iris.ID + "vocab/",
    "pledge": iris.ID + "pledge/",
    "event": iris.ID + "event/",
}


@dataclass
class BuildResult:
    dataset: Dataset
    trig: Path
    nquads: Path
    quads: int


def assemble(settings: Settings) -> Dataset:
    """Read every source and return the dataset; raises SourceError on any bad input."""
    if not (settings.shared_dir / "seeds").is_dir():
        raise SourceError(
            f"no shared sources at {settings.shared_dir} (it needs seeds/ and data/): "
            "set GCM_KG_SHARED_DIR to the shared folder"
        )
    reader = SourceReader(settings.shared_dir, settings.project_dir)
    asm = Assembly()
    text = reader.text(SEED_DECLARATION)
    decl = declaration.parse(text, reader.path(SEED_DECLARATION))
    if len(decl.paragraphs) != 77:
        raise SourceError(
            f"{len(decl.paragraphs)} paragraphs, expected 77", reader.path(SEED_DECLARATION)
        )
    _ontology(asm, reader)
    sdg_targets = reference.sdg(asm, reader)
    try:
        declaration_rdf.build(asm, decl)
    except ValueError as exc:
        raise SourceError(str(exc), reader.path(SEED_DECLARATION)) from None
    reference.objectives(asm, reader, decl)
    reference.principles(asm, reader, decl)
    reference.commitments(asm, reader)
    reference.objective_sdg_links(asm, reader, sdg_targets)
    gcm_actions = actions.build(asm, reader)
    action_links.sdg_citations(asm, reader, gcm_actions, sdg_targets)
    action_links.paragraph_quotes(asm, decl, gcm_actions)
    curated.CuratedTables(asm, reader, decl, sdg_targets, curated.sdg_labels(asm)).run()
    action_links.pledge_quotes(asm, reader, gcm_actions)
    kinds = paragraph_kinds.build(asm, reader, decl)
    people.build(asm, reader, decl)
    commitments.build(asm, reader, decl, kinds)
    for seed in (s for s in _all_seeds() if s.slug not in reader.checksums):
        reader.read_bytes(seed)
    return asm.finish(reader.checksums)


def _all_seeds() -> tuple[Source, ...]:
    from gcm_kg.assembly.sources import SEEDS

    return SEEDS


def _ontology(asm: Assembly, reader: SourceReader) -> None:
    g = Graph()
    try:
        g.parse(data=reader.read_bytes(ONTOLOGY_SOURCE), format="turtle")
    except SourceError:
        raise
    except Exception as exc:
        raise SourceError(
            f"cannot parse the ontology: {exc}", reader.path(ONTOLOGY_SOURCE)
        ) from None
    for s, p, o in g:
        asm.add(ONTOLOGY_SOURCE, s, p, o)  # type: ignore[arg-type]


def serialize_nquads(ds: Dataset) -> bytes:
    from gcm_kg.rdf.nquads import quads_of, to_nquads

    return to_nquads(quads_of(ds))


def serialize_trig(ds: Dataset) -> bytes:
    """TriG by Oxigraph's serializer: quads sorted (graph, subject, predicate, object), so the
    bytes are deterministic; every prefix the output uses is declared once at the top."""
    import pyoxigraph as ox

    nquads = serialize_nquads(ds)
    quads = sorted(
        ox.parse(nquads, format=ox.RdfFormat.N_QUADS),
        key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)),
    )
    out = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=dict(sorted(PREFIXES.items())))
    assert out is not None  # no output file given: the bytes are returned
    return out


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build(settings: Settings, *, load_store: bool = True) -> BuildResult:
    ds = assemble(settings)
    inference.materialise(ds)  # the inferred named graph (docs/reasoning.md)
    nquads = serialize_nquads(ds)
    trig = serialize_trig(ds)
    out = settings.graph_dir
    _atomic_write(out / NQUADS_NAME, nquads)
    _atomic_write(out / TRIG_NAME, trig)
    if load_store:
        from gcm_kg.store import open_store

        with open_store(settings.store, graph_store_url=settings.graph_store_url) as store:
            store.replace_all(nquads)
    return BuildResult(ds, out / TRIG_NAME, out / NQUADS_NAME, nquads.count(b"\n"))
