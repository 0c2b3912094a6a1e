"""Guard, cache, run: the one path from a query to serialized bytes, for /sparql and /queries.

Where a query runs depends on the store. On the on-disk Oxigraph store (the default) it runs in
worker processes that are killed at the time limit (``pool``); on an in-memory store it runs in
the calling thread, where the limit is checked only while results are read (a blocking
aggregate cannot be stopped there: those stores are for tests and small uses); a remote store
enforces its own limit on its own server.
"""

from __future__ import annotations

import time

from gcm_kg.config import Settings
from gcm_kg.errors import QuerySyntaxError
from gcm_kg.sparql import guard as guard_mod
from gcm_kg.sparql import native, serialize
from gcm_kg.sparql.cache import ResultCache
from gcm_kg.sparql.jobs import Job, Outcome
from gcm_kg.sparql.pool import QueryPool
from gcm_kg.store import Store
from gcm_kg.store.oxigraph import OxigraphStore


class Executor:
    """Runs jobs against one store under the settings' limits."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.guard = guard_mod.Guard(
            max_nesting=settings.max_nesting, max_brackets=settings.max_brackets
        )
        self.cache = ResultCache(settings.result_cache_mb * 1_000_000)
        self.pool: QueryPool | None = None
        if (
            isinstance(store, OxigraphStore)
            and store.path is not None
            and settings.query_processes > 0
        ):
            self.pool = QueryPool(store.path, settings.query_processes)

    def job(self, query: str, **kw: object) -> Job:
        """A job with the server's limits; a client's own timeout may only shorten them."""
        asked = kw.pop("timeout", None)
        limit = self.settings.query_timeout
        timeout = min(float(asked), limit) if isinstance(asked, int | float) else limit
        return Job(query, limit=self.settings.result_limit, timeout=timeout, **kw)  # type: ignore[arg-type]

    def cache_key(self, job: Job) -> tuple[object, ...]:
        return (
            job.query,
            job.bindings,
            job.default_graphs,
            job.named_graphs,
            job.wanted.key,
            job.limit,
        )

    def run(self, job: Job) -> Outcome:
        """Check, then answer from the cache or the store; raises typed errors only."""
        self.guard.check(job.query, self._graphs)
        version = self.store.version()
        key = self.cache_key(job)
        hit = self.cache.get(version, key)
        if hit is not None:
            return hit
        try:
            outcome = self._execute(job, version)
        except QuerySyntaxError as exc:
            raise guard_mod.explain(job.query, exc) from None
        self.cache.put(version, key, outcome)
        return outcome

    def _graphs(self) -> list[str]:
        return [str(g) for g in self.store.named_graphs()]

    def _execute(self, job: Job, version: str) -> Outcome:
        if self.pool is not None:
            return self.pool.run(job, version)
        deadline = time.monotonic() + job.timeout
        if isinstance(self.store, OxigraphStore):
            return native.execute(self.store, job, deadline)
        from rdflib import URIRef

        result = self.store.query(
            job.query,
            bindings=dict(job.bindings),
            default_graphs=None
            if job.default_graphs is None
            else [URIRef(g) for g in job.default_graphs],
            named_graphs=None
            if job.named_graphs is None
            else [URIRef(g) for g in job.named_graphs],
            limit=job.limit,
        )
        fmt = job.wanted.for_form(result.form)
        if len(result.triples) > job.limit:
            result.triples, result.truncated = result.triples[: job.limit], True
        body = serialize.serialize(result, fmt)
        size = len(result.rows) if result.form == "SELECT" else len(result.triples)
        form = result.form if result.form in ("SELECT", "ASK") else "GRAPH"
        return Outcome(body, fmt.media_type, form, result.truncated, size)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
