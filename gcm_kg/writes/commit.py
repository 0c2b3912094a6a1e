"""How every write commits: validate without the lock, commit under it if nothing moved.

Submissions, retractions, Graph Store writes and SPARQL Update all go through ``unchanged``
and raise ``Rejected`` when the shapes refuse them; the lock itself is the store layer's
``write_lock`` (the maintained statistics recompute under it too).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

import pyoxigraph as ox

from gcm_kg.errors import ValidationFailed
from gcm_kg.store import Store
from gcm_kg.store.base import write_lock

T = TypeVar("T")
R = TypeVar("R")


class WriteReport(Protocol):
    """What the validator returns (see gcm_kg.validate)."""

    @property
    def conforms(self) -> bool: ...

    def warnings(self) -> list[str]: ...

    def to_json(self) -> dict[str, object]: ...


#: validates a submission: (its triples, the store before it); the triples are the ones written
Validator = Callable[[Sequence[ox.Triple], Store], WriteReport]
#: validates a change: (triples added, triples gone from every graph, the store before it)
ChangeValidator = Callable[[Sequence[ox.Triple], Sequence[ox.Triple], Store], WriteReport]


class Rejected(ValidationFailed):
    """The write violates the shapes; ``report`` is the full validation report."""

    def __init__(
        self,
        report: WriteReport,
        detail: str = "the submission does not conform to the shapes; nothing was stored",
    ) -> None:
        super().__init__(detail)
        self.report = report


#: times a write is validated without the lock before it is validated holding it
ATTEMPTS = 2


def unchanged(store: Store, prepare: Callable[[], T], commit: Callable[[T], R]) -> R:
    """``commit(prepare())``, holding the write lock only to commit when it can.

    ``prepare`` (reading the store, validating) runs without the lock, so a slow validation does
    not hold up other writes; every write takes the lock and changes the store's version, so an
    unchanged version means ``prepare`` saw the store ``commit`` writes to. If another write
    moved it meanwhile, ``prepare`` runs again; after ATTEMPTS such races (busy writers) it
    runs once more holding the lock, so every write ends, within the validation time limit.
    """
    for _ in range(ATTEMPTS):
        version = store.version()
        prepared = prepare()
        with write_lock:
            if store.version() == version:
                return commit(prepared)
    with write_lock:
        return commit(prepare())
