"""Full downloads of the graph (TriG, gzipped N-Quads, JSON-LD) with sizes and SHA-256 sums.

Dumps are generated from the store, so they include whatever the store holds now (curated
additions too), and kept on disk in a folder named after a hash of the store's content: the
same data gives byte-identical files and the same checksums in every process and after a
restart. A process remembers which folder matches the store version it last saw.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import tempfile
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox

from gcm_kg.linked.context import load
from gcm_kg.linked.rdf import EXTRA_PREFIXES
from gcm_kg.store import Store

MANIFEST = "manifest.json"
KEEP = 2  # content folders kept on disk (the current one and the one before)


@dataclass(frozen=True)
class Dump:
    name: str  # file name, also the last segment of its URL
    title: str
    media_type: str  # of the RDF inside
    compress: str | None  # media type of the compression, if any
    size: int
    sha256: str
    quads: int


SPECS = (
    ("gcm-kg.trig", "TriG", "application/trig", None),
    ("gcm-kg.nq.gz", "N-Quads (gzip)", "application/n-quads", "application/gzip"),
    ("gcm-kg.jsonld", "JSON-LD", "application/ld+json", None),
)


def canonical_nquads(store: Store) -> bytes:
    """The store's quads, one per line, sorted and deduplicated: a stable basis for hashing."""
    lines = sorted(set(store.dump().splitlines()))
    return b"\n".join(line for line in lines if line.strip()) + b"\n"


def _write(folder: Path, nquads: bytes) -> list[Dump]:
    mem = ox.Store()
    mem.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    count = len(mem)
    prefixes = {**load().prefixes, **EXTRA_PREFIXES}
    bodies = {
        "gcm-kg.trig": mem.dump(format=ox.RdfFormat.TRIG, prefixes=prefixes),
        "gcm-kg.nq.gz": gzip.compress(nquads, compresslevel=9, mtime=0),
        "gcm-kg.jsonld": mem.dump(format=ox.RdfFormat.JSON_LD),
    }
    dumps = []
    for name, title, media, compress in SPECS:
        data = bodies[name]
        assert isinstance(data, bytes)
        (folder / name).write_bytes(data)
        digest = hashlib.sha256(data).hexdigest()
        dumps.append(Dump(name, title, media, compress, len(data), digest, count))
    (folder / MANIFEST).write_text(json.dumps([asdict(d) for d in dumps], indent=2))
    return dumps


class DumpCache:
    """Dumps of the store's current content, generated once per content."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._by_version: dict[str, Path] = {}

    def folder(self, store: Store) -> Path:
        with self._lock:
            version = store.version()
            cached = self._by_version.get(version)
            if cached is not None and (cached / MANIFEST).exists():
                return cached
            nquads = canonical_nquads(store)
            folder = self.root / hashlib.sha256(nquads).hexdigest()[:24]
            if not (folder / MANIFEST).exists():
                self._generate(folder, nquads)
            self._by_version = {version: folder}
            return folder

    def _generate(self, folder: Path, nquads: bytes) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=self.root, prefix=".staging-"))
        staging.chmod(0o755)
        try:
            _write(staging, nquads)
            try:
                os.rename(staging, folder)  # atomic: another process may have won the race
            except OSError:
                shutil.rmtree(staging, ignore_errors=True)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        self._prune(keep=folder)

    def _prune(self, keep: Path) -> None:
        folders = [p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith(".")]
        folders.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in [p for p in folders if p != keep][KEEP - 1 :]:
            shutil.rmtree(old, ignore_errors=True)

    def dumps(self, store: Store) -> list[Dump]:
        folder = self.folder(store)
        return [Dump(**d) for d in json.loads((folder / MANIFEST).read_text())]

    def path(self, store: Store, name: str) -> Path | None:
        folder = self.folder(store)
        return folder / name if any(name == s[0] for s in SPECS) else None
