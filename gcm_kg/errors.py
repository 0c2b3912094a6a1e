"""Typed errors. Each carries an HTTP status and a title so one boundary can report it.

Messages of 4xx errors are safe to show to users; 5xx errors hide their details.
"""

from __future__ import annotations


class GcmKgError(Exception):
    """Base of every error the package raises on purpose."""

    status = 500
    title = "Internal error"

    def __init__(self, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        #: extra response headers (Retry-After, WWW-Authenticate, Allow…)
        self.headers: dict[str, str] = dict(headers or {})


class ConfigError(GcmKgError):
    title = "Configuration error"


class SourceError(GcmKgError):
    """A source file is missing or malformed; ``location`` is ``file:line``."""

    title = "Source error"

    def __init__(self, detail: str, path: object = None, line: int | None = None) -> None:
        where = f"{path}:{line}: " if path is not None and line else (f"{path}: " if path else "")
        super().__init__(where + detail)
        self.path = path
        self.line = line


class ReasonerError(GcmKgError):
    """The OWL reasoner could not run (no Java, a Java error, input it cannot read)."""

    title = "Reasoner error"


class StoreError(GcmKgError):
    status = 503
    title = "Store unavailable"


class BadRequest(GcmKgError):
    status = 400
    title = "Bad request"


class QuerySyntaxError(BadRequest):
    title = "Query syntax error"


class UpdateFailed(BadRequest):
    """A well-formed update that could not be applied (e.g. CREATE GRAPH of an existing graph)."""

    title = "Update failed"


class QueryRejected(BadRequest):
    """A well-formed query that the endpoint refuses to run (SERVICE, LOAD, remote FROM…)."""

    title = "Query not allowed"


class ReadOnly(GcmKgError):
    """A write (SPARQL Update, LOAD…) sent to an endpoint that only answers queries."""

    status = 403
    title = "Read-only endpoint"


class UnknownQuery(GcmKgError):
    status = 404
    title = "Unknown named query"


class ParameterError(BadRequest):
    title = "Invalid parameter"


class NotFound(GcmKgError):
    status = 404
    title = "Not found"


class UnknownResource(NotFound):
    """A named-query parameter that names nothing in the graph (the query would answer no
    rows without a word)."""

    title = "Unknown resource"


class MethodNotAllowed(GcmKgError):
    status = 405
    title = "Method not allowed"


class NotAcceptable(GcmKgError):
    status = 406
    title = "Not acceptable"


class PayloadTooLarge(GcmKgError):
    status = 413
    title = "Payload too large"


class UnsupportedMediaType(GcmKgError):
    status = 415
    title = "Unsupported media type"


class ValidationFailed(GcmKgError):
    status = 422
    title = "Validation failed"


class QueryTimeout(GcmKgError):
    status = 503
    title = "Query time limit reached"


class QueryMemoryLimit(GcmKgError):
    status = 503
    title = "Query memory limit reached"


class ValidationTimeout(GcmKgError):
    """Validating a curator write took longer than its time limit; it was stopped."""

    status = 503
    title = "Validation time limit reached"


class ValidationMemoryLimit(GcmKgError):
    """Validating a curator write needed more memory than its limit; it was stopped."""

    status = 503
    title = "Validation memory limit reached"


class UnreadableRDF(BadRequest):
    """An RDF document that cannot be parsed; ``line`` and ``column`` are 1-based when known."""

    title = "Unreadable RDF"

    def __init__(
        self,
        detail: str,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        where = source or "input"
        if line is not None:
            where += f":{line}" + (f":{column}" if column is not None else "")
        super().__init__(f"{where}: {detail}")
        self.source = source
        self.line = line
        self.column = column
