"""waitress's own error answers (413 body too large, 431 headers too large, 400 malformed
request) as problem documents, like every answer of the app.

waitress refuses such requests before the app sees them, with a plain-text body; a client of
``/curate`` or ``/sparql`` reading ``application/problem+json`` would get a body it cannot read.
``install`` makes a waitress server write them as RFC 9457 problems, with the security headers.
"""

from __future__ import annotations

import json
from typing import Any

from waitress.channel import HTTPChannel
from waitress.task import ErrorTask

from gcm_kg.web.hardening import HEADERS

_DETAILS = {
    413: "the request body is larger than the server accepts (setting GCM_KG_MAX_BODY)",
    431: "the request line and headers are larger than the server accepts "
    "(setting GCM_KG_MAX_HEADER)",
}


class ProblemErrorTask(ErrorTask):  # type: ignore[misc]
    def execute(self) -> None:
        error = self.request.error
        detail = _DETAILS.get(error.code, str(error.body))
        body = json.dumps(
            {"type": "about:blank", "title": error.reason, "status": error.code, "detail": detail}
        ).encode("utf-8")
        self.status = f"{error.code} {error.reason}"
        self.response_headers.append(("Content-Type", "application/problem+json"))
        self.response_headers.extend(HEADERS.items())
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class ProblemChannel(HTTPChannel):  # type: ignore[misc]
    error_task_class = ProblemErrorTask


def create_server(app: Any, **options: Any) -> Any:
    """``waitress.server.create_server`` with problem-document errors (``waitress.serve``'s
    ``_server`` hook)."""
    from waitress.server import create_server as plain

    return install(plain(app, **options))


def install(server: Any) -> Any:
    """Make ``server`` (from ``waitress.server.create_server``) answer its errors as problems."""
    server.channel_class = ProblemChannel
    return server
