"""All configuration in one place: a frozen Settings read once from ``GCM_KG_*`` variables.

Every variable is listed in the README's configuration table with its default. Nothing else
in the package reads the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path

from gcm_kg.errors import ConfigError

#: the installed package
PACKAGE_DIR = Path(str(resources.files("gcm_kg")))
#: the folder above the package: the project checkout when run from one
PROJECT_ROOT = PACKAGE_DIR.parent
DEFAULT_BASE = "https://w3id.org/gcm-kg/"


def _is_checkout(root: Path) -> bool:
    """Whether ``root`` is this project's source tree (not site-packages)."""
    try:
        text = (root / "pyproject.toml").read_text(encoding="utf-8")
    except OSError:
        return False
    return 'name = "gcm-kg"' in text


def _user_data_dir() -> Path:
    """The per-user data directory (XDG base directories; ~/.local/share on most systems)."""
    xdg = os.environ.get("XDG_DATA_HOME", "")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "gcm-kg"


IN_CHECKOUT = _is_checkout(PROJECT_ROOT)
#: the ontology, shapes, named queries, curated tables and built graph: the top-level folders
#: of a checkout (the design's fixed layout); installed, the package's ``_data`` folder, where
#: the wheel puts them (in the source tree its entries are links to the top-level folders)
PACKAGE_DATA = PROJECT_ROOT if IN_CHECKOUT else PACKAGE_DIR / "_data"
#: state (store, checkpoints, dumps, audit log, curator tokens): ./var beside the project in a
#: checkout, else a per-user data directory; never site-packages
DEFAULT_DATA_DIR = PROJECT_ROOT / "var" if IN_CHECKOUT else _user_data_dir()
#: the shared sources (``seeds/`` and ``data/``): ../shared beside a checkout; an installed
#: package has no neighbour, so GCM_KG_SHARED_DIR names it (default: DATA_DIR/shared)
DEFAULT_SHARED = PROJECT_ROOT.parent / "shared" if IN_CHECKOUT else DEFAULT_DATA_DIR / "shared"
#: the built graph ships in the package; a checkout rebuilds it in place (it is committed),
#: an installed package builds into its data directory
SHIPPED_GRAPH_DIR = PACKAGE_DATA / "data" / "graph"
DEFAULT_GRAPH_DIR = SHIPPED_GRAPH_DIR if IN_CHECKOUT else DEFAULT_DATA_DIR / "graph"
#: settings whose default lies in the data directory, and where
_IN_DATA_DIR = {
    "store": "store",
    "dump_dir": "dumps",
    "curator_tokens": "curator-tokens",
    "audit_log": "audit.log",
}


@dataclass(frozen=True)
class Settings:
    """Process-wide settings. Defaults are the safe ones (loopback, read-only, finite limits)."""

    #: where state is kept: the store (and its checkpoints), dumps, audit log, curator tokens.
    #: Default: ``./var`` in a checkout, else ``$XDG_DATA_HOME/gcm-kg``; set, it must exist
    data_dir: Path = DEFAULT_DATA_DIR
    #: where the sources live: ``seeds/`` and ``data/`` of the shared folder (``build`` needs
    #: them; ``serve`` loads the shipped graph without them)
    shared_dir: Path = DEFAULT_SHARED
    #: the folder holding ontology/, shapes/, queries/ and data/curated/ (default: the package's
    #: own copy; set it to work on edited copies)
    project_dir: Path = PACKAGE_DATA
    #: where ``build`` writes the graph files (TriG, N-Quads); in a checkout the shipped ones
    graph_dir: Path = DEFAULT_GRAPH_DIR
    #: which store: ``oxigraph:PATH`` | ``memory`` | ``sparql:URL`` (default: DATA_DIR/store)
    store: str = "oxigraph:" + str(DEFAULT_DATA_DIR / "store")
    #: a remote store's SPARQL 1.1 Graph Store Protocol URL, for fast loads (Virtuoso:
    #: ``http://HOST:8890/sparql-graph-crud``); empty = load with SPARQL Update INSERT DATA
    graph_store_url: str = ""
    #: public base of the canonical IRIs
    base_iri: str = DEFAULT_BASE
    host: str = "127.0.0.1"
    port: int = 8080
    #: the server's public URL, for the links it writes (API paging, OpenAPI servers, graphs
    #: named by their URL); empty: http://HOST:PORT/ of these settings. Never the Host header
    public_url: str = ""
    #: waitress request threads: more than query_processes + query_queue, so requests answered
    #: without the engine (kept replies, maintained statistics, pages) are not queued behind
    #: queries waiting for their worker (a waiting thread takes no CPU)
    workers: int = 8
    #: seconds a query may run before it is abandoned
    query_timeout: float = 10.0
    #: rows a SELECT may return before the result is cut
    result_limit: int = 10000
    #: bytes a query answer may hold: the rows (or triples) that fit are sent, the answer is
    #: marked cut like at the row limit (0: no limit)
    result_max_bytes: int = 32_000_000
    #: bytes a request body may carry
    max_body: int = 1_000_000
    #: characters a query may have
    max_query_length: int = 20_000
    #: bytes the request line and headers of one request may carry (waitress answers 431 beyond)
    max_header: int = 16_384
    #: address of the reverse proxy whose X-Forwarded-For names the client (for the rate limit);
    #: empty: the connection's own address is the client, and X-Forwarded-For is ignored
    trusted_proxy: str = ""
    #: connections served at once; more wait in the listen backlog until one closes
    connection_limit: int = 100
    #: connections one client address may hold open; more are answered 503 and closed (0: no
    #: cap; not applied behind GCM_KG_TRUSTED_PROXY, where every connection is the proxy's)
    connections_per_client: int = 24
    #: seconds an idle (or stalled) connection is kept before the server closes it
    channel_timeout: int = 30
    #: seconds clients and proxies may cache linked-data responses (Cache-Control max-age)
    cache_max_age: int = 300
    #: where full-graph downloads (TriG, N-Quads gzip, JSON-LD) are generated and kept
    dump_dir: Path = DEFAULT_DATA_DIR / "dumps"

    #: levels of ``{`` ``(`` ``[`` a query may nest (parsers crash or stall on deep nesting)
    max_nesting: int = 20
    #: ``{`` ``(`` ``[`` a query may hold in all (a bound no lexer trick can get around)
    max_brackets: int = 1000
    #: worker processes that run queries so a runaway one can be killed (0: run in web threads)
    query_processes: int = 2
    #: queries that may wait for a busy query worker, each at most query_queue_wait seconds;
    #: beyond, a query is answered 503 with Retry-After at once
    query_queue: int = 1
    query_queue_wait: float = 0.5
    #: /sparql queries one client (address) may have in progress at once; more get 429 (0: no
    #: cap). Named queries, of known cost, are under the global limits only
    query_per_client: int = 1
    #: megabytes of memory each query worker process may use; a query needing more is stopped
    #: with a 503 (0: no limit)
    query_memory_mb: int = 1024
    #: each query worker answers from an in-memory copy of the store (2-5x faster) when the
    #: store takes at most this many megabytes on disk; the copy takes about 3 times that
    #: in memory per worker, on top of the query memory (0: always read from disk)
    query_copy_mb: int = 256
    #: megabytes of serialized results kept per process (0: no result cache)
    result_cache_mb: int = 64
    #: seconds clients may reuse a /sparql or /queries response without revalidating it
    #: (0: always revalidate; the ETag makes that cheap and a curator write shows at once)
    sparql_max_age: int = 0
    #: requests a minute per client address (0: no limit), and the burst allowed
    rate_limit: int = 600
    rate_burst: int = 100
    #: triples one curator write may hold (a submission, a graph, what an update adds)
    max_write_triples: int = 20_000
    #: members an RDF list (rdf:first/rdf:rest chain) of a curator write may have
    max_list_length: int = 1_000
    #: seconds the SHACL validation of one curator write may run before it is stopped (503)
    write_timeout: float = 30.0
    #: megabytes of memory the validation of one curator write may use (503 beyond; 0: no limit)
    write_memory_mb: int = 1024
    #: curator token hashes, one curator a line (keep it outside the repository)
    curator_tokens: Path = DEFAULT_DATA_DIR / "curator-tokens"
    #: append-only log of every write attempt
    audit_log: Path = DEFAULT_DATA_DIR / "audit.log"
    #: a curator token for the command line's writes (import-pledges); empty: give --token
    token: str = ""

    @property
    def site_url(self) -> str:
        """``public_url``, or the address served; always ending in ``/``."""
        url = self.public_url or f"http://{self.host}:{self.port}/"
        return url if url.endswith("/") else url + "/"

    @property
    def queries_dir(self) -> Path:
        return self.project_dir / "queries"

    @property
    def ontology_file(self) -> Path:
        return self.project_dir / "ontology" / "gcm.ttl"

    @property
    def ontology_imports_file(self) -> Path:
        """Axioms of the reused vocabularies (SKOS, PROV-O, FOAF, ORG) for the OWL check."""
        return self.project_dir / "ontology" / "imports.ttl"

    @property
    def shapes_file(self) -> Path:
        return self.project_dir / "shapes" / "gcm-shapes.ttl"

    @property
    def curated_dir(self) -> Path:
        return self.project_dir / "data" / "curated"

    @property
    def graph_file(self) -> Path:
        """The built graph (N-Quads): the one ``build`` wrote, else the one shipped."""
        built = self.graph_dir / "gcm-kg.nq"
        return built if built.is_file() else SHIPPED_GRAPH_DIR / "gcm-kg.nq"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read ``GCM_KG_<FIELD>`` for every field; overrides (e.g. CLI flags) win. The state
        files not set on their own follow ``data_dir``."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get("GCM_KG_" + f.name.upper())
            if raw is None or raw == "":
                continue
            values[f.name] = _coerce(f.name, raw, f.default)
        values.update({k: v for k, v in overrides.items() if v is not None})
        data_dir = values.get("data_dir")
        if isinstance(data_dir, Path):
            for name, leaf in _IN_DATA_DIR.items():
                if name not in values:
                    path = data_dir / leaf
                    values[name] = "oxigraph:" + str(path) if name == "store" else path
        return replace(cls(), **values)  # type: ignore[arg-type]

    def require_data_dir(self) -> Path:
        """The data directory, made if it is the default; a data directory that was set must
        exist (a typo should not scatter state in a new folder)."""
        if self.data_dir.is_dir():
            return self.data_dir
        if self.data_dir != DEFAULT_DATA_DIR:
            raise ConfigError(
                f"the data directory {self.data_dir} (GCM_KG_DATA_DIR) does not exist; "
                "create it or unset GCM_KG_DATA_DIR for the default"
            )
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot create the data directory {self.data_dir}: {exc}") from None
        return self.data_dir


def _coerce(name: str, raw: str, default: object) -> object:
    try:
        if isinstance(default, Path):
            return Path(raw).expanduser()
        if isinstance(default, bool):
            return raw.lower() in {"1", "true", "yes", "on"}
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except ValueError as exc:
        raise ConfigError(f"GCM_KG_{name.upper()}={raw!r} is not a valid value: {exc}") from exc
    return raw
