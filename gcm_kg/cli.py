"""The gcm-kg command line. Exit status: 0 success, 1 a check failed, 2 bad input or error."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from gcm_kg.config import Settings
from gcm_kg.errors import GcmKgError


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(store=getattr(args, "store", None))


def _rel(path: object) -> str:
    """A path as the user would type it: relative when under the working directory."""
    import os

    text = str(path)
    try:
        rel = os.path.relpath(text)
    except ValueError:
        return text
    return text if rel.startswith("..") else rel


def cmd_build(args: argparse.Namespace) -> int:
    from gcm_kg.assembly.pipeline import build

    settings = _settings(args)
    if not args.no_store:
        settings.require_data_dir()
    result = build(settings, load_store=not args.no_store)
    print(f"built {result.quads} quads in {len(set(result.dataset.graphs())) - 1} named graphs")
    print(f"wrote {_rel(result.trig)} and {_rel(result.nquads)}")
    if not args.no_store:
        kind, _, where = settings.store.partition(":")
        if kind == "oxigraph" and where:
            where = _rel(where)  # a path; a remote store's URL is shown as given
        print(f"loaded into {kind}:{where}" if where else f"loaded into {kind}")
    return 0


def _utf8(what: str, value: str) -> str:
    """``value`` if it came as UTF-8; else a one-line error. Python hands undecodable bytes of
    the command line over as lone surrogates, which no engine can take."""
    for i, c in enumerate(value):
        if "\udc80" <= c <= "\udcff":
            raise GcmKgError(f"{what} is not UTF-8 (byte 0x{ord(c) - 0xDC00:02x} at {i + 1})")
    return value


def _parse_params(pairs: Sequence[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = _utf8("--param", pair).partition("=")
        if not sep or not key:
            raise GcmKgError(f"--param wants key=value, got {pair!r}")
        if key in values:
            raise GcmKgError(f"parameter {key!r} given twice")
        values[key] = value
    return values


def cmd_query(args: argparse.Namespace) -> int:
    from gcm_kg.sparql import named
    from gcm_kg.sparql.results import FORMATTERS
    from gcm_kg.store import open_store

    settings = _settings(args)
    if args.list:
        for q in named.catalogue(settings.queries_dir).values():
            params = ", ".join(f"{p.name}:{p.type}{'?' if p.optional else ''}" for p in q.params)
            print(f"{q.name}  ({params})\n    {q.title}")
        return 0
    if bool(args.name) == bool(args.sparql):
        raise GcmKgError("give either a SPARQL query or --name NAME (see --list)")
    if args.name:
        q = named.get(settings.queries_dir, _utf8("--name", args.name))
        text, bindings = q.sparql, q.bindings(_parse_params(args.param))
    else:
        if args.param:
            raise GcmKgError("--param goes with --name")
        if args.sparql == "-":
            try:
                text = sys.stdin.buffer.read().decode("utf-8")
            except UnicodeDecodeError as exc:
                raise GcmKgError(f"the query on stdin is not UTF-8 (byte {exc.start})") from None
        else:
            text = _utf8("the query", args.sparql)
        bindings = {}
    fmt = args.format
    read_only = settings.store.startswith("oxigraph:")
    _require_store(settings.store)
    with open_store(
        settings.store, read_only=read_only, graph_store_url=settings.graph_store_url
    ) as store:
        if args.name:
            q.check_resources(store, bindings)
        result = store.query(text, bindings=bindings, limit=settings.result_limit)
    if fmt == "table" and result.form in {"CONSTRUCT", "DESCRIBE"}:
        fmt = "ntriples"
    out = FORMATTERS[fmt](result)
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 0


def _require_store(spec: str) -> None:
    """An embedded store that does not exist yet would answer every query with nothing."""
    from pathlib import Path

    kind, _, where = spec.partition(":")
    if kind == "oxigraph" and where and not Path(where).exists():
        raise GcmKgError(
            f"no store at {_rel(where)}: run gcm-kg build (or gcm-kg serve, which fills it)"
        )


def cmd_serve(args: argparse.Namespace) -> int:
    from gcm_kg.serving import serve

    serve(Settings.from_env(store=args.store, host=args.host, port=args.port, workers=args.workers))
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    from gcm_kg.writes import auth

    settings = _settings(args)
    settings.require_data_dir()
    path = settings.curator_tokens
    if args.action in ("add", "revoke") and not args.name:
        raise GcmKgError(f"token {args.action} needs a curator name")
    if args.action == "add":
        rights = tuple(r for r in args.rights.split(",") if r)
        token = auth.add_token(path, args.name, rights)
        print(token)
        print(
            f"token for {args.name} ({', '.join(rights)}) stored as a hash in {_rel(path)}; "
            "this is the only time it is shown",
            file=sys.stderr,
        )
    elif args.action == "revoke":
        auth.revoke_token(path, args.name)
        print(f"revoked the token of {args.name}", file=sys.stderr)
    else:
        for c in auth.read_tokens(path):
            print(f"{c.name}\t{','.join(sorted(c.rights))}\t{c.created}")
    return 0


def cmd_dump(args: argparse.Namespace) -> int:
    from gcm_kg.store import open_store

    settings = _settings(args)
    _require_store(settings.store)
    with open_store(settings.store, read_only=settings.store.startswith("oxigraph:")) as store:
        data = store.dump()
    if args.file in (None, "-"):
        sys.stdout.buffer.write(data)
    else:
        from pathlib import Path

        Path(args.file).write_bytes(data)
        print(f"wrote {len(data.splitlines())} quads to {args.file}", file=sys.stderr)
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from pathlib import Path

    from gcm_kg import formats
    from gcm_kg.store import open_store

    settings = _settings(args)
    settings.require_data_dir()
    path = Path(args.file)
    fmt = formats.lookup(args.format or path.suffix)
    if fmt is None or fmt.serves != formats.GRAPH:
        raise GcmKgError(f"{path}: unknown RDF format; give --format (e.g. nquads, trig)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GcmKgError(f"{path}: {exc.strerror}") from None
    with open_store(settings.store) as store:
        if args.replace:
            if fmt.name != "nquads":
                raise GcmKgError("--replace takes an N-Quads dump (as written by gcm-kg dump)")
            store.replace_all(data)
        else:
            if not fmt.quads and not args.graph:
                raise GcmKgError(f"{path} holds triples without a graph: give --graph IRI")
            from rdflib import URIRef

            store.load(data, fmt.media_type, URIRef(args.graph) if args.graph else None)
        print(
            f"loaded {path} into {settings.store}; the store holds {store.count()} quads",
            file=sys.stderr,
        )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Exit 0 conforms (warnings allowed), 1 violations; unreadable input raises (exit 2)."""
    from pathlib import Path

    from gcm_kg import validate as v

    settings = _settings(args)
    shapes = v.load_shapes(settings)
    if args.files and args.graph:
        raise GcmKgError("give FILE... or --graph, not both")
    if not args.files:
        report = v.validate_dataset(v.load_dataset(settings.graph_file), shapes)
    else:
        submission = v.read_files([Path(f) for f in args.files], args.format)
        with _context_store(settings, explicit=args.store is not None) as context:
            report = v.validate(submission, context, shapes)
    out = {"text": report.text, "json": report.json, "turtle": report.turtle}[args.output]()
    sys.stdout.write(out)
    return 0 if report.conforms else 1


def _context_store(settings: Settings, *, explicit: bool):  # type: ignore[no-untyped-def]
    """The store to validate against, opened read-only; the built dataset if there is none."""
    from pathlib import Path

    from gcm_kg.store import open_store

    kind, _, arg = settings.store.partition(":")
    if kind == "oxigraph" and arg and not Path(arg).exists():
        if explicit:
            raise GcmKgError(f"no store at {arg}")
        built = settings.graph_file
        print(f"gcm-kg: no store at {arg}; validating against {built}", file=sys.stderr)
        store = open_store("oxigraph:")
        try:
            store.replace_all(built.read_bytes())
        except OSError as exc:
            raise GcmKgError(f"cannot read {built}: {exc.strerror}") from None
        return store
    return open_store(settings.store, read_only=kind == "oxigraph")


def cmd_check(args: argparse.Namespace) -> int:
    """Exit 0 when HermiT finds the graph consistent, 1 when not, 2 when it cannot run."""
    from pathlib import Path

    from rdflib import Graph

    from gcm_kg.assembly.pipeline import PREFIXES
    from gcm_kg.reasoning import consistency as reasoning

    settings = _settings(args)
    nquads = None
    data = [Path(p) for p in args.data]
    if args.store:
        from gcm_kg.store import open_store

        with open_store(args.store, read_only=args.store.startswith("oxigraph:")) as store:
            nquads = store.dump()
    elif not data:
        data = [settings.graph_file]
        if not data[0].is_file():
            raise GcmKgError(f"no built graph at {data[0]}; run gcm-kg build first")
    names = Graph()
    for prefix, ns in PREFIXES.items():
        names.bind(prefix, ns, override=True)
    graph = reasoning.gather(settings, data, nquads)
    report = reasoning.check(graph, explain=not args.no_explain, nsm=names.namespace_manager)
    print(report.render())
    return 0 if report.ok else 1


def cmd_import_pledges(args: argparse.Namespace) -> int:
    """Exit 0 stored (dry run: conforms), 1 rejected by the shapes, 2 a wrong table or request."""
    from pathlib import Path

    from gcm_kg.writes import pledge_submit

    settings = _settings(args)
    return pledge_submit.run(
        settings,
        Path(args.file),
        shown=_rel(args.file),
        server=args.server,
        token=args.token or settings.token or None,
        dry_run=args.dry_run,
        source=args.source,
        comment=args.comment,
        output=args.output,
    )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gcm-kg", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build the graph from its sources and load the store")
    b.add_argument(
        "--no-store", action="store_true", help="write the graph files only; leave the store alone"
    )
    b.add_argument("--store", help="store to load (default: GCM_KG_STORE)")
    b.set_defaults(func=cmd_build)

    q = sub.add_parser("query", help="run SPARQL or a named query against the store")
    q.add_argument("sparql", nargs="?", help="the query text, or - to read it from stdin")
    q.add_argument("--name", help="a named query from queries/ (see --list)")
    q.add_argument("--param", action="append", default=[], metavar="KEY=VALUE")
    q.add_argument("--format", choices=["table", "csv", "json"], default="table")
    q.add_argument("--list", action="store_true", help="list the named queries")
    q.add_argument("--store", help="store to query (default: GCM_KG_STORE)")
    q.set_defaults(func=cmd_query)

    s = sub.add_parser("serve", help="serve /sparql, /queries (and the rest of the app) over HTTP")
    s.add_argument("--host", help="interface to bind (default: GCM_KG_HOST or 127.0.0.1)")
    s.add_argument("--port", type=int, help="port (default: GCM_KG_PORT or 8080)")
    s.add_argument("--workers", type=int, help="request threads (default: GCM_KG_WORKERS)")
    s.add_argument("--store", help="store to serve (default: GCM_KG_STORE)")
    s.set_defaults(func=cmd_serve)
    t = sub.add_parser("token", help="manage curator tokens (only hashes are stored)")
    t.add_argument("action", choices=["add", "revoke", "list"])
    t.add_argument("name", nargs="?", default="", help="the curator's name")
    t.add_argument(
        "--rights",
        default="curate,update",
        help="comma-separated: curate, update, admin (retract any submission)",
    )
    t.set_defaults(func=cmd_token)

    d = sub.add_parser("dump", help="write the whole store as N-Quads (backup)")
    d.add_argument("file", nargs="?", help="output file (default: standard output)")
    d.add_argument("--store", help="store to dump (default: GCM_KG_STORE)")
    d.set_defaults(func=cmd_dump)

    lo = sub.add_parser("load", help="load RDF into the store; --replace restores a dump")
    lo.add_argument("file")
    lo.add_argument("--format", help="RDF format name or extension (default: from the file name)")
    lo.add_argument(
        "--replace", action="store_true", help="replace everything with this N-Quads dump"
    )
    lo.add_argument("--graph", help="named graph for a file of triples (Turtle, N-Triples…)")
    lo.add_argument("--store", help="store to load (default: GCM_KG_STORE)")
    lo.set_defaults(func=cmd_load)

    v = sub.add_parser(
        "validate",
        help="check RDF against the SHACL shapes (exit 0 conforms, 1 violations, 2 unreadable)",
        description="Validate FILE... in the context of the current graph, or with no FILE "
        "(or --graph) the shipped graph itself. Nothing is written anywhere.",
    )
    v.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML, by extension or --format; "
        "a folder stands for the RDF files in it",
    )
    v.add_argument(
        "--graph",
        action="store_true",
        help="validate the shipped graph (the default when no FILE is given)",
    )
    v.add_argument(
        "--format",
        help="syntax of every FILE: turtle, trig, ntriples, nquads, "
        "jsonld, rdfxml (default: from the extension)",
    )
    v.add_argument(
        "--output",
        choices=["text", "json", "turtle"],
        default="text",
        help="report as text grouped by resource, JSON, or a Turtle sh:ValidationReport",
    )
    v.add_argument(
        "--store",
        help="context store (default: GCM_KG_STORE, or the built graph "
        "if that store does not exist)",
    )
    v.set_defaults(func=cmd_validate)

    ip = sub.add_parser(
        "import-pledges",
        help="convert a pledge table (CSV), validate it and submit it (exit 0/1/2 like validate)",
        description="Header: id,actor,objectives,sdg_targets,title,description,date,status,"
        "source_url. The pledges are submitted to the store of GCM_KG_STORE, or with --server "
        "to a running gcm-kg; every error names its row and column.",
    )
    ip.add_argument("file", metavar="FILE.csv")
    ip.add_argument("--dry-run", action="store_true", help="validate only; store nothing")
    ip.add_argument("--server", metavar="URL", help="submit to this gcm-kg server (POST /curate)")
    ip.add_argument("--token", help="curator token (default: GCM_KG_TOKEN)")
    ip.add_argument("--source", help="where the pledges come from (kept in the PROV record)")
    ip.add_argument("--comment", help="a note kept in the submission's PROV record")
    ip.add_argument("--output", choices=["text", "json"], default="text")
    ip.add_argument("--store", help="local store (default: GCM_KG_STORE)")
    ip.set_defaults(func=cmd_import_pledges)

    c = sub.add_parser("check", help="OWL consistency check of ontology and graph with HermiT")
    c.add_argument(
        "--data",
        action="append",
        default=[],
        metavar="FILE",
        help="RDF file(s) to check with the ontology instead of the built graph (repeatable)",
    )
    c.add_argument("--store", help="check the content of this store instead (e.g. oxigraph:PATH)")
    c.add_argument(
        "--no-explain", action="store_true", help="only decide; do not localise a contradiction"
    )
    c.set_defaults(func=cmd_check)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except GcmKgError as exc:
        print(f"gcm-kg: error: {exc.detail}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
