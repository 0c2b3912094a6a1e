"""All configuration in one place: a frozen Settings read once from ``GCM_KG_*`` variables.

Every variable is listed in the README's configuration table with its default. Nothing else
in the package reads the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

from gcm_kg.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASE = "https://w3id.org/gcm-kg/"


DEFAULT_SHARED = PROJECT_ROOT.parent / "shared"


@dataclass(frozen=True)
class Settings:
    """Process-wide settings. Defaults are the safe ones (loopback, read-only, finite limits)."""

    #: where the sources live: ``seeds/`` and ``data/`` of the shared folder
    shared_dir: Path = DEFAULT_SHARED
    #: the project's own folders (ontology, shapes, curated tables, queries)
    project_dir: Path = PROJECT_ROOT
    #: generated graph files (TriG, N-Quads)
    graph_dir: Path = PROJECT_ROOT / "data" / "graph"
    #: which store: ``oxigraph:PATH`` | ``memory`` | ``sparql:URL``
    store: str = "oxigraph:" + str(PROJECT_ROOT / "var" / "store")
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
    dump_dir: Path = PROJECT_ROOT / "var" / "dumps"

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
    curator_tokens: Path = PROJECT_ROOT / "var" / "curator-tokens"
    #: append-only log of every write attempt
    audit_log: Path = PROJECT_ROOT / "var" / "audit.log"
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

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read ``GCM_KG_<FIELD>`` for every field; overrides (e.g. CLI flags) win."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get("GCM_KG_" + f.name.upper())
            if raw is None or raw == "":
                continue
            values[f.name] = _coerce(f.name, raw, f.default)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)  # type: ignore[arg-type]


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
