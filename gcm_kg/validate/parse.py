"""Reading a submission: any RDF syntax of the format table, parsed by pyoxigraph.

pyoxigraph reports the line and column of a syntax error and never touches the network;
``gcm_kg.rdf.screen`` screens every document first (no DOCTYPE, no remote JSON-LD context, bounded
nesting).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from gcm_kg import formats
from gcm_kg.errors import UnreadableRDF, UnsupportedMediaType
from gcm_kg.rdf import screen

#: every submitted triple is put in this graph, whatever graph the document named: a submission
#: cannot write into the ontology's graph (the check for unknown terms reads that graph)
SUBMISSION_GRAPH = ox.NamedNode("urn:gcm-kg:graph:submission")


@dataclass
class Submission:
    """The triples to validate, flattened into one graph, and where they came from."""

    triples: list[ox.Triple] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def quads(self) -> Iterable[ox.Quad]:
        for t in self.triples:
            yield ox.Quad(t.subject, t.predicate, t.object, SUBMISSION_GRAPH)

    def __len__(self) -> int:
        return len(self.triples)


def rdf_format(name: str) -> formats.Format:
    """A graph format of the format table by short name, media type or file extension."""
    fmt = formats.lookup(name)
    if fmt is None or fmt.serves != formats.GRAPH or fmt.oxigraph is None:
        known = ", ".join(sorted(f.name for f in formats.for_graphs()))
        raise UnsupportedMediaType(f"unknown RDF format {name!r}; use one of {known}")
    return fmt


def format_for_path(path: Path, fmt: str | None = None) -> formats.Format:
    if fmt:
        return rdf_format(fmt)
    suffix = path.suffix.lstrip(".")
    if not suffix:
        raise UnsupportedMediaType(f"{path}: no file extension; say the format with --format")
    return rdf_format(suffix)


def parse_bytes(data: bytes, fmt: formats.Format, source: str = "input") -> list[ox.Triple]:
    """Parse one document; UnreadableRDF names line and column where the parser knows them."""
    quads = screen.parse(data, getattr(ox.RdfFormat, str(fmt.oxigraph)), source)
    return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]


#: extensions taken from a folder (.json and .xml are too often something else)
FOLDER_SUFFIXES = (".ttl", ".trig", ".nt", ".nq", ".jsonld", ".rdf", ".owl")


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder as the RDF files inside it (sorted, subfolders included)."""
    out: list[Path] = []
    for path in paths:
        if not path.is_dir():
            out.append(path)
            continue
        found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in FOLDER_SUFFIXES)
        if not found:
            raise UnsupportedMediaType(
                f"{path} is a folder without RDF files ({', '.join(FOLDER_SUFFIXES)}); "
                "give RDF files, or a folder holding some"
            )
        out.extend(found)
    return out


def read_files(paths: Iterable[Path], fmt: str | None = None) -> Submission:
    """Read and merge several files (or the RDF files of folders) into one submission."""
    sub = Submission()
    for path in expand(paths):
        chosen = format_for_path(path, fmt)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableRDF(f"cannot read the file: {exc.strerror}", str(path)) from None
        sub.triples.extend(parse_bytes(data, chosen, str(path)))
        sub.sources.append(str(path))
    return sub
