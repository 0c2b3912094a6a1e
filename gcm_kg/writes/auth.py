"""Curator tokens: only SHA-256 hashes are kept, in a file outside the repository.

The tokens file (setting ``GCM_KG_CURATOR_TOKENS``) has one curator a line:
``name<TAB>sha256:<hex><TAB>rights<TAB>created``; rights are comma-separated: ``curate``
(submit, retract one's own submissions), ``update`` (Graph Store Protocol, SPARQL Update),
``admin`` (also retract other curators' submissions; never granted by default). Names are
unique once normalised (see ``same_curator``). A token is 32 random bytes, shown once by
``gcm-kg token add`` and never stored. Checking compares against every entry in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from gcm_kg.errors import GcmKgError
from gcm_kg.iris import slugify

RIGHTS = ("curate", "update")
#: rights granted only when asked for: admin may retract any curator's submission
EXTRA_RIGHTS = ("admin",)
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
log = logging.getLogger("gcm_kg.writes.auth")


class Unauthorized(GcmKgError):
    status = 401
    title = "Unauthorized"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, {"WWW-Authenticate": 'Bearer realm="gcm-kg curators"'})


class Forbidden(GcmKgError):
    status = 403
    title = "Forbidden"
    #: who was refused, when the token was valid (for the audit log)
    curator: str | None = None


@dataclass(frozen=True)
class Curator:
    name: str
    digest: str
    rights: frozenset[str]
    created: str


def digest(token: str) -> str:
    return "sha256:" + hashlib.sha256(token.encode("utf-8")).hexdigest()


def same_curator(name: str) -> str:
    """What two names must not share: a curator's IRI is made from this (``iris.curator``)."""
    return slugify(name)


def read_tokens(path: Path | None) -> list[Curator]:
    """The curators of the tokens file. A name that collides with an earlier one once
    normalised (``ana.x`` after ``ana-x``, ``Ana`` after ``ana``) would own the same graphs:
    that entry is refused (left out, with a warning in the log), so its token opens nothing."""
    if path is None or not path.exists():
        return []
    curators = []
    seen: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.reason if isinstance(exc, UnicodeDecodeError) else exc.strerror or str(exc)
        raise GcmKgError(
            f"cannot read the curator tokens file {path}: {why}; fix it (gcm-kg token list "
            "reads it) or point GCM_KG_CURATOR_TOKENS at another file"
        ) from None
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 4 or not parts[1].startswith("sha256:"):
            raise GcmKgError(f"{path}:{lineno}: malformed tokens line")
        key = same_curator(parts[0])
        if key in seen or not _NAME.fullmatch(parts[0]):
            log.warning(
                "%s:%d: curator %r refused: %s",
                path,
                lineno,
                parts[0],
                f"it collides with {seen[key]!r}" if key in seen else "not a valid name",
            )
            continue
        seen[key] = parts[0]
        rights = frozenset(r for r in parts[2].split(",") if r)
        curators.append(Curator(parts[0], parts[1], rights, parts[3]))
    return curators


def _write(path: Path, curators: list[Curator]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# gcm-kg curator tokens: name, token hash, rights, created (tokens are never stored)"]
    lines += [f"{c.name}\t{c.digest}\t{','.join(sorted(c.rights))}\t{c.created}" for c in curators]
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def add_token(path: Path, name: str, rights: tuple[str, ...] = RIGHTS) -> str:
    """Create a token for ``name``; returns it (the only time it exists in clear)."""
    if not _NAME.fullmatch(name):
        raise GcmKgError(f"curator name {name!r}: use letters, digits and . _ @ - (max 64)")
    unknown = set(rights) - set(RIGHTS) - set(EXTRA_RIGHTS)
    if unknown:
        known = ", ".join((*RIGHTS, *EXTRA_RIGHTS))
        raise GcmKgError(f"unknown right(s) {', '.join(sorted(unknown))}; known: {known}")
    curators = read_tokens(path)
    if any(c.name == name for c in curators):
        raise GcmKgError(f"curator {name!r} already has a token; revoke it first")
    clash = [c.name for c in curators if same_curator(c.name) == same_curator(name)]
    if clash:
        raise GcmKgError(
            f"curator name {name!r} collides with {clash[0]!r}: names are compared lower-case "
            "with . _ @ - alike, and would share one curator IRI; choose another name"
        )
    token = secrets.token_urlsafe(32)
    while token.startswith("-"):  # a leading "-" would read as an option on a command line
        token = secrets.token_urlsafe(32)
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    _write(path, [*curators, Curator(name, digest(token), frozenset(rights), created)])
    return token


def revoke_token(path: Path, name: str) -> None:
    curators = read_tokens(path)
    kept = [c for c in curators if c.name != name]
    if len(kept) == len(curators):
        raise GcmKgError(f"no curator {name!r} in {path}")
    _write(path, kept)


def authenticate(path: Path | None, header: str | None, right: str) -> Curator:
    """The curator behind an ``Authorization: Bearer`` header, if it holds ``right``."""
    if not header or not header.startswith("Bearer ") or not header[7:].strip():
        raise Unauthorized("this operation needs a curator token: Authorization: Bearer <token>")
    presented = digest(header[7:].strip())
    found: Curator | None = None
    for c in read_tokens(path):  # compare with every entry: no early exit that timing could reveal
        if hmac.compare_digest(c.digest, presented):
            found = c
    if found is None:
        raise Unauthorized("the token is not valid (unknown or revoked)")
    if right not in found.rights:
        refused = Forbidden(f"curator {found.name!r} does not have the {right!r} right")
        refused.curator = found.name
        raise refused
    return found
