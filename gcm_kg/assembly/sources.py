"""The source documents and tables the graph is built from, and how their facts are checked.

Every fact in the shipped graph comes from one of these sources. Curated tables quote the
words a fact rests on; ``check_evidence`` proves those words occur in the source, so a typo
or an invented fact stops the build with the file and line of the offending row.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gcm_kg.assembly.declaration import clean
from gcm_kg.errors import SourceError


@dataclass(frozen=True)
class Source:
    """One source document or table; it gets a document IRI and a named graph of its own."""

    slug: str
    relpath: str  # relative to its root
    root: str  # "shared" or "project"
    title: str
    kind: str  # what sort of document, in words
    date: str | None = None  # ISO date of the document, when known
    url: str | None = None  # where the original was published, when the source says so
    symbol: str | None = None

    @property
    def file(self) -> str:
        """Where a reader finds the file: under ``shared/``, or at its path in the repository."""
        return f"shared/{self.relpath}" if self.root == "shared" else self.relpath


SEED_DECLARATION = Source(
    "imrf-progress-declaration-draft-resolution",
    "seeds/003_7bae42176274279c.txt",
    "shared",
    "Draft resolution submitted by the President of the General Assembly: Progress Declaration "
    "of the International Migration Review Forum",
    "General Assembly draft resolution",
    date="2022-05-26",
)
SEED_PLENARY_2024 = Source(
    "ga-informal-plenary-2024-12-summary",
    "seeds/000_4308de5bde8e0452.txt",
    "shared",
    "Summary of the informal plenary meeting of the General Assembly to consider the biennial "
    "report of the Secretary-General on the implementation of the Global Compact on Migration",
    "meeting summary",
)
SEED_SG_REPORT_2024 = Source(
    "sg-report-gcm-2024-summary",
    "seeds/001_9f33b1ec49a94c26.txt",
    "shared",
    "Secretary-General's Report on the implementation of the Global Compact for Safe, Orderly "
    "and Regular Migration: Summary",
    "report summary",
)
SEED_PRESS_RELEASE_2022 = Source(
    "imrf-2022-closing-press-release",
    "seeds/002_cea77e69fc1e2556.txt",
    "shared",
    "First UN Forum on International Migration wraps up today",
    "press release",
)
SEED_IOM_REGIONAL = Source(
    "iom-imrf-2022-regional-results",
    "seeds/004_c64ac2732195d0a8.txt",
    "shared",
    "IOM regional page on the first International Migration Review Forum: results in Central "
    "America, North America and the Caribbean",
    "web page",
)
SEEDS = (
    SEED_DECLARATION,
    SEED_PLENARY_2024,
    SEED_SG_REPORT_2024,
    SEED_PRESS_RELEASE_2022,
    SEED_IOM_REGIONAL,
)

GCM_OBJECTIVES = Source(
    "gcm-reference-objectives",
    "data/gcm/objectives.csv",
    "shared",
    "GCM objectives: titles, commitment paragraphs and round tables",
    "reference table",
)
GCM_PRINCIPLES = Source(
    "gcm-reference-guiding-principles",
    "data/gcm/guiding_principles.csv",
    "shared",
    "GCM guiding principles with their letters in A/RES/73/195 paragraph 15",
    "reference table",
)
GCM_COMMITMENTS = Source(
    "gcm-reference-commitments",
    "data/gcm/commitments.csv",
    "shared",
    "GCM commitment paragraph texts with their check status",
    "reference table",
)
GCM_SDG_LINKS = Source(
    "gcm-reference-sdg-links",
    "data/gcm/gcm_sdg_links.csv",
    "shared",
    "GCM to SDG target links stated by the GCM text",
    "reference table",
)
GCM_ACTIONS = Source(
    "gcm-reference-actions",
    "data/gcm/actions.csv",
    "shared",
    "GCM actions: the lettered actions under each objective, with their wording basis and their"
    " check against the adopted text",
    "reference table",
)
SDG_KOS = Source(
    "sdg-kos",
    "data/sdg/sdg-kos-goals-targets-indicators.ttl",
    "shared",
    "SDG Knowledge Organization System: goals, targets and indicators (UNStats LOD4Stats)",
    "SKOS taxonomy",
    url="https://github.com/UNStats/LOD4Stats",
)
SDG_ONTOLOGY = Source(
    "sdg-ontology",
    "data/sdg/sdgs-ontology.ttl",
    "shared",
    "SDG ontology (UNStats LOD4Stats)",
    "OWL ontology",
    url="https://github.com/UNStats/LOD4Stats",
)
MEMBER_STATES = Source(
    "curated-un-member-states",
    "data/curated/un-member-states.csv",
    "project",
    "UN Member States: ISO 3166-1 alpha-3 codes, the names the UN uses (UNTERM short and formal "
    "names, M49 names, from OCHA's Countries & Territories Taxonomy in hdx-python-country 4.2.5) "
    "and the year of admission (country_converter 1.3.2, column UNmember); see "
    "data/curated/un-member-states.md",
    "curated table",
    url="https://github.com/OCHA-DAP/hdx-python-country",
)
GCM_PLEDGES = Source(
    "gcm-pledges",
    "data/gcm/pledges.csv",
    "shared",
    "Pledges of the GCM pledging initiative, as stored copies of their published pages show them",
    "reference table",
)
COMPACT_SDG_LINKS = Source(
    "gcm-compact-sdg-links",
    "data/gcm/compact_sdg_links.csv",
    "shared",
    "The Global Compact as a whole and the SDG targets a source frames it as consistent with",
    "reference table",
)


def curated(name: str, title: str) -> Source:
    return Source(
        f"curated-{name.replace('_', '-')}",
        f"data/curated/{name}.csv",
        "project",
        title,
        "curated table",
    )


PARAGRAPH_OBJECTIVE_LINKS = curated(
    "paragraph_objective_links", "Curated links from declaration paragraphs to objectives"
)
PARAGRAPH_SDG_LINKS = curated(
    "paragraph_sdg_links", "Curated links from declaration paragraphs to SDG targets"
)
FIGURES = curated("figures", "Figures stated by the sources")
DOCUMENTS = curated("documents", "Documents cited by the sources")
EVENTS = curated("events", "Events named by the sources")
ACTORS = curated("actors", "Organizations and groups named by the sources")
ACTOR_FACTS = curated(
    "actor_facts", "Roles, statements and reports of actors, as the sources state"
)
PLEDGES = curated("pledges", "Pledges and joint commitments as the sources state them")
PLEDGE_ACTORS = curated(
    "pledge_actors", "Actors that only the pledge pages name, as those pages name them"
)
PARAGRAPH_KINDS = curated(
    "paragraph_kinds", "Reviewed kinds of the declaration's paragraphs, with deciding quotes"
)
DECLARATION_COMMITMENTS = curated(
    "declaration_commitments",
    "Commitment and request clauses of the Progress Declaration: addressees, time frames, "
    "targets and what fulfilled them",
)
OFFICES = curated("offices", "Offices, and groups asked to act, as the sources name them")
PEOPLE = curated("people", "People the sources name, with the offices they held")
STATEMENTS = curated("statements", "Statements of named people, as the sources give them")

ALL_SOURCES = (
    *SEEDS,
    GCM_OBJECTIVES,
    GCM_PRINCIPLES,
    GCM_COMMITMENTS,
    GCM_SDG_LINKS,
    GCM_ACTIONS,
    SDG_KOS,
    SDG_ONTOLOGY,
    MEMBER_STATES,
    PARAGRAPH_OBJECTIVE_LINKS,
    PARAGRAPH_SDG_LINKS,
    FIGURES,
    DOCUMENTS,
    EVENTS,
    ACTORS,
    ACTOR_FACTS,
    PLEDGES,
    PLEDGE_ACTORS,
    GCM_PLEDGES,
    COMPACT_SDG_LINKS,
    PARAGRAPH_KINDS,
    DECLARATION_COMMITMENTS,
    OFFICES,
    PEOPLE,
    STATEMENTS,
)
BY_SLUG = {s.slug: s for s in ALL_SOURCES}


class SourceReader:
    """Reads sources from the shared folder and the project, remembering checksums."""

    def __init__(self, shared_dir: Path, project_dir: Path) -> None:
        self.roots = {"shared": shared_dir, "project": project_dir}
        self.checksums: dict[str, str] = {}
        self._texts: dict[str, str] = {}

    def path(self, source: Source) -> Path:
        return self.roots[source.root] / source.relpath

    def read_bytes(self, source: Source) -> bytes:
        path = self.path(source)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise SourceError("source file is missing", path) from None
        except OSError as exc:
            raise SourceError(f"cannot read source file: {exc.strerror}", path) from None
        self.checksums[source.slug] = hashlib.sha256(data).hexdigest()
        return data

    def text(self, source: Source) -> str:
        if source.slug not in self._texts:
            try:
                self._texts[source.slug] = self.read_bytes(source).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise SourceError(f"not UTF-8 text: {exc.reason}", self.path(source)) from None
        return self._texts[source.slug]

    def rows(self, source: Source, required: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
        """CSV rows with the line each starts on; missing columns stop the build."""
        path = self.path(source)
        reader = csv.DictReader(self.text(source).splitlines(keepends=True))
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise SourceError(f"missing column(s) {', '.join(missing)}", path, 1)
        for row in reader:
            line = reader.line_num
            if None in row or any(v is None for v in row.values()):
                raise SourceError("wrong number of fields", path, line)
            yield line, {k: v.strip() for k, v in row.items()}

    def fail(self, source: Source, line: int | None, message: str) -> SourceError:
        return SourceError(message, self.path(source), line)


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def normalise(text: str) -> str:
    """Text as compared for evidence: markup removed, quotes straightened, white space folded."""
    text = clean(text).translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip().lower()


def check_evidence(evidence: str, within: str) -> bool:
    return bool(evidence.strip()) and normalise(evidence) in normalise(within)


def line_of(evidence: str, text: str) -> int | None:
    """The 1-based line of ``text`` on which the evidence stands (compared as check_evidence does).

    None when no single line holds it (absent, or cut by a line break): quote a shorter passage.
    """
    wanted = normalise(evidence)
    if not wanted:
        return None
    for n, line in enumerate(text.splitlines(), start=1):
        if wanted in normalise(line):
            return n
    return None
