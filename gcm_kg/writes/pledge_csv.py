"""Pledge spreadsheets (CSV) → RDF, with every error naming its row and column.

Header: ``id,actor,objectives,sdg_targets,title,description,date,status,source_url`` and,
optionally, ``actions``. ``actor`` is an ISO 3166 alpha-3 code or an actor slug (several joined
by ``;``), ``objectives`` numbers joined by ``;``, ``sdg_targets`` codes such as ``10.c;10.7``,
``actions`` the Compact's actions the pledge implements, objective number and letter such as
``20a;20c``, ``date`` ISO 8601. Whether a named action exists is the graph's to say: the shapes
refuse an action that is not there, naming it.
The result is one graph of pledges; validation and submission happen elsewhere (one path for
every write).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from gcm_kg import iris
from gcm_kg.errors import BadRequest
from gcm_kg.namespaces import GCM

COLUMNS = [
    "id",
    "actor",
    "objectives",
    "sdg_targets",
    "title",
    "description",
    "date",
    "status",
    "source_url",
]
OPTIONAL = ["actions"]
REQUIRED = ["id", "actor", "title"]
#: the column each property of a pledge comes from (as the validation report names properties)
COLUMN_OF = {
    "rdfs:label": "title",
    "dcterms:title": "title",
    "dcterms:description": "description",
    "gcm:pledgedBy": "actor",
    "gcm:supportsObjective": "objectives",
    "gcm:relatedSDGTarget": "sdg_targets",
    "gcm:implementsAction": "actions",
    "dcterms:date": "date",
    "gcm:pledgeStatus": "status",
    "gcm:sourceURL": "source_url",
    "prov:wasDerivedFrom": "source_url",
}
_ACTION = re.compile(r"(\d{1,2})([a-z])")
STATUSES = {"announced", "in progress", "completed", "suspended"}


@dataclass
class RowError:
    row: int  # the spreadsheet's row number, header = 1
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


@dataclass
class ImportResult:
    graph: Graph
    pledges: list[URIRef] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    #: the table row of each pledge, so later errors (the shapes') can name it too
    rows: dict[URIRef, int] = field(default_factory=dict)


class ImportFailed(BadRequest):
    title = "Pledge table has errors"

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def parse_csv(text: str, *, source_name: str = "pledges.csv") -> ImportResult:
    """Convert the table; collect every error instead of stopping at the first."""
    result = ImportResult(Graph())
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS + OPTIONAL]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing column(s): {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s): {', '.join(unknown)}")
        result.errors.append(RowError(1, "header", "; ".join(parts)))
        return result
    seen: dict[str, int] = {}
    for row in reader:
        n = reader.line_num
        if None in row:
            result.errors.append(RowError(n, "-", "more fields than the header has"))
            continue
        values = {k: (v or "").strip() for k, v in row.items()}
        errors_before = len(result.errors)
        _row(result, n, values, seen, source_name)
        if len(result.errors) == errors_before:
            seen[values["id"]] = n
    return result


def _row(result: ImportResult, n: int, v: dict[str, str], seen: dict[str, int], src: str) -> None:
    errors = result.errors
    for col in REQUIRED:
        if not v[col]:
            errors.append(RowError(n, col, "is required"))
    if errors and errors[-1].row == n:
        return
    try:
        pledge = iris.pledge(v["id"])
    except ValueError:
        errors.append(
            RowError(n, "id", f"{v['id']!r} is not a slug (lower-case letters, digits, hyphens)")
        )
        return
    if v["id"] in seen:
        errors.append(RowError(n, "id", f"{v['id']!r} is already used in row {seen[v['id']]}"))
        return
    triples: list[tuple[URIRef, URIRef, object]] = []
    add = triples.append
    add((pledge, RDF.type, GCM.Pledge))
    add((pledge, RDFS.label, Literal(v["title"], lang="en")))
    add((pledge, DCTERMS.title, Literal(v["title"], lang="en")))
    for slug in _split(v["actor"]):
        try:
            add((pledge, GCM.pledgedBy, iris.actor(slug.lower() if len(slug) == 3 else slug)))
        except ValueError:
            errors.append(
                RowError(
                    n, "actor", f"{slug!r} is neither an ISO 3166 alpha-3 code nor an actor slug"
                )
            )
    for item in _split(v["objectives"]):
        if not re.fullmatch(r"\d{1,2}", item) or not 1 <= int(item) <= 23:
            errors.append(RowError(n, "objectives", f"{item!r} is not an objective number (1-23)"))
        else:
            add((pledge, GCM.supportsObjective, iris.objective(int(item))))
    for code in _split(v["sdg_targets"]):
        try:
            add((pledge, GCM.relatedSDGTarget, iris.sdg_target(code)))
        except ValueError:
            errors.append(
                RowError(n, "sdg_targets", f"{code!r} is not an SDG target code such as 10.c")
            )
    for item in _split(v.get("actions", "")):
        found = _ACTION.fullmatch(item)
        if not found or not 1 <= int(found.group(1)) <= 23:
            errors.append(
                RowError(
                    n,
                    "actions",
                    f"{item!r} is not an action: an objective number (1-23) and a"
                    " letter, such as 20a",
                )
            )
        else:
            add((pledge, GCM.implementsAction, iris.action(int(found.group(1)), found.group(2))))
    if v["description"]:
        add((pledge, DCTERMS.description, Literal(v["description"], lang="en")))
    if v["date"]:
        try:
            date.fromisoformat(v["date"])
            add((pledge, DCTERMS.date, Literal(v["date"], datatype=XSD.date)))
        except ValueError:
            errors.append(
                RowError(n, "date", f"{v['date']!r} is not an ISO 8601 date (YYYY-MM-DD)")
            )
    if v["status"]:
        if v["status"] not in STATUSES:
            errors.append(
                RowError(n, "status", f"{v['status']!r}: use one of {', '.join(sorted(STATUSES))}")
            )
        else:
            add((pledge, GCM.pledgeStatus, Literal(v["status"])))
    if v["source_url"]:
        if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", v["source_url"]):
            errors.append(RowError(n, "source_url", f"{v['source_url']!r} is not an http(s) URL"))
        else:
            add((pledge, GCM.sourceURL, Literal(v["source_url"], datatype=XSD.anyURI)))
            add((pledge, PROV.wasDerivedFrom, URIRef(v["source_url"])))
    if errors and errors[-1].row == n:
        return
    add((pledge, GCM.evidence, Literal(f"{src}, row {n}")))
    for t in triples:
        result.graph.add(t)  # type: ignore[arg-type]
    result.pledges.append(pledge)
    result.rows[pledge] = n


def _split(value: str) -> list[str]:
    return [p.strip() for p in value.split(";") if p.strip()]
