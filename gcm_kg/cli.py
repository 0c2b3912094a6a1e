"""The ``gcm-kg`` command line. Exit status: 0 success, 1 a check failed, 2 bad input or error."""

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
    from gcm_kg.build.pipeline import build

    settings = _settings(args)
    result = build(settings, load_store=not args.no_store)
    print(f"built {result.quads} quads in {len(set(result.dataset.graphs())) - 1} named graphs")
    print(f"wrote {_rel(result.trig)} and {_rel(result.nquads)}")
    if not args.no_store:
        kind, _, where = settings.store.partition(":")
        print(f"loaded into {kind}:{_rel(where)}" if where else f"loaded into {kind}")
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


def cmd_token(args: argparse.Namespace) -> int:
    from gcm_kg import auth

    settings = _settings(args)
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
            store.load(data, fmt.media_type)
        print(
            f"loaded {path} into {settings.store}; the store holds {store.count()} quads",
            file=sys.stderr,
        )
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

    t = sub.add_parser("token", help="manage curator tokens (only hashes are stored)")
    t.add_argument("action", choices=["add", "revoke", "list"])
    t.add_argument("name", nargs="?", default="", help="the curator's name")
    t.add_argument("--rights", default="curate,update", help="comma-separated: curate, update")
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
    lo.add_argument("--store", help="store to load (default: GCM_KG_STORE)")
    lo.set_defaults(func=cmd_load)
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
