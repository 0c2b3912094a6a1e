"""Coverage figures for ``/stats``, each computed by a named query the page links to.

Running the linked query reproduces every number on the page: the page asks for exactly those
queries' answers (``rows``: in the web app, the query path of ``/sparql``, with its limits and the
maintained tables of ``sparql.maintained``) and draws what they return.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gcm_kg.linked.charts import Bar, bar_chart
from gcm_kg.sparql import named
from gcm_kg.store import Store

#: a query's answer as rows of plain values (variable name -> lexical form or IRI)
Rows = Callable[[named.NamedQuery], list[dict[str, str]]]


@dataclass
class Figure:
    key: str
    title: str
    query: named.NamedQuery
    bars: list[Bar] = field(default_factory=list)
    svg: str = ""
    notes: list[str] = field(default_factory=list)
    items: list[Bar] = field(default_factory=list)  # a list (of objectives, targets…) to show


def _int(row: dict, key: str) -> int:  # type: ignore[type-arg]
    return int(str(row.get(key, 0)))


def store_rows(store: Store) -> Rows:
    """Answers straight from a store, in the calling thread (for scripts and tests)."""
    return lambda q: [{k: str(v) for k, v in row.items()} for row in store.query(q.sparql).rows]


def coverage(rows: Rows, queries_dir: Path, href: object) -> list[Figure]:
    """All figures of the page; ``href`` maps a resource IRI to a local link."""
    link = href if callable(href) else (lambda iri: iri)
    q_obj = named.get(queries_dir, "cq06-pledges-per-objective")
    q_rt = named.get(queries_dir, "cq06-pledges-per-round-table")
    q_cov = named.get(queries_dir, "cq06-objective-coverage")
    q_sdg = named.get(queries_dir, "cq04-sdg-targets-reached")

    per_objective = Figure("pledges-per-objective", "Pledges per objective", q_obj)
    partial = []
    for row in rows(q_obj):
        if _int(row, "pledgesFromIncompleteLists"):
            partial.append(str(row["number"]))
        per_objective.bars.append(
            Bar(
                f"{row['number']}. {row['title']}",
                _int(row, "pledges"),
                link(str(row["objective"])),
            )
        )

    if partial:
        per_objective.notes.append(
            "A pledge counts only for the objectives its source states. For objectives "
            f"{', '.join(partial)} some counts come from objective lists the stored copy cut "
            "off, so they are minimums."
        )

    per_round_table = Figure("pledges-per-round-table", "Pledges per round table", q_rt)
    for row in rows(q_rt):
        per_round_table.bars.append(
            Bar(f"Round table {row['number']}", _int(row, "pledges"), link(str(row["roundTable"])))
        )

    paragraphs = Figure(
        "paragraphs-per-objective", "Declaration paragraphs addressing each objective", q_cov
    )
    unaddressed = Figure(
        "objectives-not-addressed", "Objectives no paragraph or no pledge addresses", q_cov
    )
    no_paragraph, no_pledge = [], []
    bases: set[str] = set()
    for row in rows(q_cov):
        bases |= {b.strip() for b in str(row.get("bases", "")).split(",") if b.strip()}
        bar = Bar(
            f"{row['number']}. {row['title']}", _int(row, "paragraphs"), link(str(row["objective"]))
        )
        paragraphs.bars.append(bar)
        if _int(row, "paragraphs") == 0:
            no_paragraph.append(bar)
        if _int(row, "pledges") == 0:
            no_pledge.append(bar)
    total = len(paragraphs.bars)
    paragraphs.notes.append(
        "Counted: paragraphs that address the objective in substance, each link with the words "
        f"it rests on (bases: {', '.join(sorted(bases)) or 'none'}). Standing in a round "
        "table's section (gcm:discussedUnder) is not counted as addressing its objectives."
    )
    unaddressed.notes.append(
        f"{len(no_paragraph)} of {total} objectives are addressed by no paragraph of the "
        f"Progress Declaration; {len(no_pledge)} of {total} are supported by no pledge in "
        "the graph."
    )
    unaddressed.items = [Bar("No paragraph: " + b.label, 0, b.href) for b in no_paragraph]
    unaddressed.items += [Bar("No pledge: " + b.label, 0, b.href) for b in no_pledge]

    sdg = Figure("sdg-targets", "SDG targets the objectives reach", q_sdg)
    for row in rows(q_sdg):
        label = f"{row['code']} {row.get('label', '')}".strip()
        sdg.bars.append(Bar(label, _int(row, "objectives"), str(row["target"])))
        sdg.notes.append(f"Target {row['code']}: objective(s) {row['objectiveNumbers']}")
    if not sdg.bars:
        sdg.notes.append("No objective is related to an SDG target in the graph.")

    figures = [per_objective, per_round_table, paragraphs, sdg, unaddressed]
    for fig in figures:
        if fig.bars:
            fig.svg = bar_chart(fig.bars, fig.title)
    if all(b.value == 0 for b in per_objective.bars):
        per_objective.notes.append(
            "No pledge in the graph names the objectives it supports yet, so every count is 0."
        )
    return figures
