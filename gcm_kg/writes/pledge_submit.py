"""``gcm-kg import-pledges``: a pledge table converted, validated and submitted.

The table becomes RDF (``pledge_csv``), then goes through the one write path: locally
``submissions.submit`` on the store of the settings, or ``POST /curate`` on a server with a curator
token. Errors name the row and column of the table: the converter's directly, the shapes' by
the pledge's row and the column its property comes from. Exit status: 0 stored (or, with
``--dry-run``, conforms), 1 the shapes reject it, 2 the table or the request is wrong.
"""

from __future__ import annotations

import getpass
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from gcm_kg.config import Settings
from gcm_kg.errors import GcmKgError, StoreError
from gcm_kg.rdf.terms import ox_triples
from gcm_kg.writes import auth, checks, submissions
from gcm_kg.writes.commit import Rejected
from gcm_kg.writes.pledge_csv import COLUMN_OF, ImportResult, parse_csv


@dataclass
class Answer:
    """What the write path said: the body of ``POST /curate``'s answer, and whether it passed."""

    ok: bool
    body: dict[str, object] = field(default_factory=dict)


def convert(path: Path) -> ImportResult:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise GcmKgError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise GcmKgError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    return parse_csv(text, source_name=path.name)


def submit_local(
    settings: Settings,
    result: ImportResult,
    *,
    token: str | None,
    dry_run: bool,
    source: str | None,
    comment: str | None,
) -> Answer:
    """Through ``submissions.submit`` on the settings' store (read-only for a dry run)."""
    from gcm_kg.store import open_store

    if token:
        curator = auth.authenticate(settings.curator_tokens, f"Bearer {token}", "curate").name
    elif dry_run:
        curator = f"local:{getpass.getuser()}"
    else:
        raise GcmKgError("submitting needs a curator token: --token or GCM_KG_TOKEN")
    kind, _, where = settings.store.partition(":")
    if kind == "oxigraph" and where and not Path(where).exists():
        raise StoreError(f"no store at {where}; build it first (gcm-kg build)")
    store = open_store(settings.store, read_only=dry_run and kind == "oxigraph")
    try:
        sub = submissions.submit(
            store,
            ox_triples(result.graph),  # the table's graph is rdflib's: converted once, here
            curator=curator,
            validator=checks.shacl_validator(settings),
            audit_log=settings.audit_log,
            source=source,
            comment=comment,
            dry_run=dry_run,
        )
    except Rejected as exc:
        return Answer(False, {"report": exc.report.to_json()})
    finally:
        store.close()
    body: dict[str, object] = {"triples": sub.triples, "warnings": sub.warnings}
    body["report"] = sub.report
    if not dry_run:
        body.update(submission=sub.ident, graph=str(sub.graph), curator=sub.curator)
    return Answer(True, body)


def submit_remote(
    url: str,
    result: ImportResult,
    *,
    token: str | None,
    dry_run: bool,
    source: str | None,
    comment: str | None,
    timeout: float = 60.0,
) -> Answer:
    """Through ``POST {url}/curate`` with the token."""
    if not token:
        raise GcmKgError("a server needs a curator token: --token or GCM_KG_TOKEN")
    query = {"dry_run": "true" if dry_run else "false"}
    query |= {k: v for k, v in (("source", source), ("comment", comment)) if v}
    request = urllib.request.Request(
        url.rstrip("/") + "/curate?" + urllib.parse.urlencode(query),
        data=result.graph.serialize(format="turtle").encode("utf-8"),
        method="POST",
        headers={
            "Content-Type": "text/turtle; charset=utf-8",
            "Accept": "application/json",
            "Authorization": f"Bearer {token}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(True, json.loads(response.read()))
    except urllib.error.HTTPError as exc:
        body = _json(exc.read())
        if exc.code == 422 and isinstance(body.get("report"), dict):
            return Answer(False, body)
        detail = body.get("detail") or exc.reason
        raise GcmKgError(f"{url} answered {exc.code}: {detail}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise GcmKgError(f"cannot reach {url}: {reason}") from None


def _json(data: bytes) -> dict[str, object]:
    try:
        found = json.loads(data)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def located(report: dict[str, object], rows: dict[URIRef, int]) -> list[str]:
    """The report's results as lines naming the table's row and column."""
    lines = []
    for group in report.get("focusNodes", []):  # type: ignore[attr-defined]
        focus = str(group["focusNode"])
        row = rows.get(URIRef(focus))
        for r in group["results"]:
            column = COLUMN_OF.get(r["path"] or "", "-")
            where = f"row {row}, column {column}" if row else f"{focus} ({r['path'] or '-'})"
            lines.append(f"{where}: {r['severity']}: {r['message']}")
    return sorted(lines, key=_row_order)


def _row_order(line: str) -> tuple[int, str]:
    head = line.split(",", 1)[0]
    return (int(head[4:]) if head.startswith("row ") and head[4:].isdigit() else 1 << 30, line)


def run(
    settings: Settings,
    path: Path,
    *,
    shown: str,
    server: str | None,
    token: str | None,
    dry_run: bool,
    source: str | None,
    comment: str | None,
    output: str = "text",
) -> int:
    """The command: convert, submit, print what happened (``shown`` names the file)."""
    result = convert(path)
    if result.errors:
        for e in result.errors:
            print(f"{shown}: {e}", file=sys.stderr)
        print(
            f"gcm-kg: {len(result.errors)} error(s) in {shown}; nothing submitted", file=sys.stderr
        )
        return 2
    if not result.pledges:
        raise GcmKgError(f"{shown} has no pledge rows")
    options = {"token": token, "dry_run": dry_run, "source": source, "comment": comment}
    if server:
        answer = submit_remote(server, result, **options)  # type: ignore[arg-type]
    else:
        answer = submit_local(settings, result, **options)  # type: ignore[arg-type]
    if output == "json":
        sys.stdout.write(json.dumps(answer.body, indent=2, ensure_ascii=False) + "\n")
    lines = sys.stderr if output == "json" else sys.stdout
    for line in located(answer.body.get("report") or {}, result.rows):  # type: ignore[arg-type]
        print(f"{shown}: {line}", file=lines)
    n, triples = len(result.pledges), answer.body.get("triples")
    if not answer.ok:
        print(f"{shown}: {n} pledge(s) rejected by the shapes; nothing stored", file=sys.stderr)
        return 1
    if output == "text" and dry_run:
        print(f"{shown}: {n} pledge(s), {triples} triples conform (dry run: nothing stored)")
    elif output == "text":
        print(f"{shown}: {n} pledge(s), {triples} triples stored as {answer.body['graph']}")
    return 0
