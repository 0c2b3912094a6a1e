"""A result cache keyed by the store's version: data changes only on writes, portals repeat.

Every entry belongs to one store version. A lookup with any other version empties the cache
first, so an answer computed before a write is never served after it; an answer computed while a
write happened is stored under the old version and so never served either.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Protocol


class Entry(Protocol):
    """What the cache holds: anything with a serialized body (counted against its bytes)."""

    body: bytes


class ResultCache:
    """Least-recently-used serialized answers, bounded in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, Entry] = OrderedDict()
        self._bytes = 0
        self._version: str | None = None
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def _adopt(self, version: str) -> None:
        if version != self._version:
            self._entries.clear()
            self._bytes = 0
            self._version = version

    def get(self, version: str, key: Hashable) -> Entry | None:
        with self._lock:
            self._adopt(version)
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found

    def put(self, version: str, key: Hashable, answer: Entry) -> None:
        size = len(answer.body)
        if size > self.max_bytes // 4:
            return
        with self._lock:
            if version != self._version:
                return
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._entries[key] = answer
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)
