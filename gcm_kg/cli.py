"""The ``gcm-kg`` command line. Exit status: 0 success, 1 a check failed, 2 bad input or error."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from gcm_kg.config import Settings
from gcm_kg.errors import GcmKgError


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(store=getattr(args, "store", None))


def cmd_build(args: argparse.Namespace) -> int:
    from gcm_kg.build.pipeline import build

    settings = _settings(args)
    result = build(settings, load_store=not args.no_store)
    print(f"built {result.quads} quads in {len(set(result.dataset.graphs())) - 1} named graphs")
    print(f"wrote {result.trig} and {result.nquads}")
    if not args.no_store:
        print(f"loaded into {settings.store}")
    return 0


def _parse_params(pairs: Sequence[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
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
        q = named.get(settings.queries_dir, args.name)
        text, bindings = q.sparql, q.bindings(_parse_params(args.param))
    else:
        if args.param:
            raise GcmKgError("--param goes with --name")
        text = sys.stdin.read() if args.sparql == "-" else args.sparql
        bindings = {}
    fmt = args.format
    with open_store(settings.store, read_only=settings.store.startswith("oxigraph:")) as store:
        result = store.query(text, bindings=bindings, limit=settings.result_limit)
    if fmt == "table" and result.form in {"CONSTRUCT", "DESCRIBE"}:
        fmt = "ntriples"
    out = FORMATTERS[fmt](result)
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from gcm_kg.web.serve import serve

    serve(Settings.from_env(store=args.store, host=args.host, port=args.port, workers=args.workers))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gcm-kg", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build the graph from its sources and load the store")
    b.add_argument("--no-store", action="store_true", help="write data/graph only")
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
