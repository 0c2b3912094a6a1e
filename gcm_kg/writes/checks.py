"""The SHACL check of a write, seen through the ``WriteReport`` protocol of ``writes.commit``."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pyoxigraph as ox
from rdflib import Literal

from gcm_kg.config import Settings
from gcm_kg.store import Store
from gcm_kg.validate.report import Report as ValidationReport
from gcm_kg.writes.commit import ChangeValidator, Validator, WriteReport


class ShaclReport:
    """gcm_kg.validate's report seen through the ``WriteReport`` protocol of ``writes.commit``."""

    def __init__(self, inner: ValidationReport) -> None:
        self.inner = inner

    @property
    def conforms(self) -> bool:
        return self.inner.conforms

    def warnings(self) -> list[str]:
        """One line per warning: the resource, the path and the message."""
        return [
            " ".join(x for x in (_text(r.focus), r.path or "", r.message) if x)
            for r in self.inner.warnings
        ]

    def to_json(self) -> dict[str, object]:
        """The JSON of ``gcm-kg validate --output json``."""
        return json.loads(self.inner.json())  # type: ignore[no-any-return]


def shacl_change_validator(settings: Settings | None = None) -> ChangeValidator:
    """The SHACL check of a change in the context of the store, in a child process under the
    write time and memory limits (``gcm_kg.validate.bounded``)."""

    chosen = settings or Settings.from_env()

    def check(added: Sequence[ox.Triple], gone: Sequence[ox.Triple], store: Store) -> WriteReport:
        from gcm_kg.validate import bounded

        return ShaclReport(
            bounded.validate_change(
                added,
                gone,
                store,
                chosen.shapes_file,
                timeout=chosen.write_timeout,
                memory_mb=chosen.write_memory_mb,
            )
        )

    return check


def shacl_validator(settings: Settings | None = None) -> Validator:
    """The SHACL check of a submission: the graph as it would be with the submission added."""
    change = shacl_change_validator(settings)
    return lambda triples, store: change(triples, (), store)


def _text(term: object) -> str:
    return term.n3() if isinstance(term, Literal) else str(term)
