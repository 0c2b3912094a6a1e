"""The settings tables in README.md and docs/ are checked against config.py (#14): every
setting documented, no variable that does not exist, every stated default the real one."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from gcm_kg.config import DEFAULT_DATA_DIR, PACKAGE_DATA, PROJECT_ROOT, Settings

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DEFAULTS = {f.name: getattr(Settings(), f.name) for f in fields(Settings)}


def rows() -> list[tuple[str, int, str, str]]:
    """(file, line, variable, documented default) of every settings-table row."""
    out = []
    for doc in DOCS:
        for n, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.startswith("| `GCM_KG_"):
                continue
            cells = [c.strip() for c in line.strip("|").split("|")]
            names = re.findall(r"`(GCM_KG_[A-Z0-9_]+)`", cells[0])
            empty = cells[1].startswith("empty")  # "empty (`http://HOST:PORT/`)": what it means
            values = ["empty"] if empty else re.findall(r"`([^`]*)`", cells[1]) or [cells[1]]
            if len(values) < len(names):
                values += [values[-1]] * (len(names) - len(values))
            for name, value in zip(names, values, strict=False):
                out.append((doc.name, n, name, value))
    return out


def accepted(name: str, value: object) -> set[str]:
    """The ways a default may be written: numbers as numbers, paths by where they lie."""
    if isinstance(value, bool):
        return {str(value).lower()}
    if isinstance(value, int | float):
        return {f"{value:g}" if isinstance(value, float) else str(value)}
    if name == "store":
        return {
            "oxigraph:" + p for p in accepted("data_dir_path", Path(str(value)[len("oxigraph:") :]))
        }
    if isinstance(value, Path):
        forms = {str(value)}
        # the project data: the checkout's top-level folders, else the installed package's
        project = (".",) if PACKAGE_DATA == PROJECT_ROOT else ("gcm_kg/_data",)
        for base, shown in ((DEFAULT_DATA_DIR, ("DATA_DIR", "var")), (PACKAGE_DATA, project)):
            if value == base:
                forms |= set(shown)
            elif value.is_relative_to(base):
                rel = value.relative_to(base).as_posix()
                forms |= {rel if s == "." else f"{s}/{rel}" for s in shown}
        if value.is_relative_to(PROJECT_ROOT.parent) and not value.is_relative_to(PROJECT_ROOT):
            forms.add("../" + value.relative_to(PROJECT_ROOT.parent).as_posix())
        return forms
    return {str(value)} if value else {"empty"}


def test_every_documented_variable_is_a_setting() -> None:
    unknown = [
        f"{f}:{n}: {v}" for f, n, v, _ in rows() if v[len("GCM_KG_") :].lower() not in DEFAULTS
    ]
    assert not unknown, unknown


def test_the_readme_documents_every_setting() -> None:
    documented = {v for f, _, v, _ in rows() if f == "README.md"}
    missing = sorted(
        "GCM_KG_" + n.upper() for n in DEFAULTS if "GCM_KG_" + n.upper() not in documented
    )
    assert not missing, f"README.md's configuration table lacks {missing}"


@pytest.mark.parametrize(
    ("where", "variable", "documented"), [(f"{f}:{n}", v, d) for f, n, v, d in rows()]
)
def test_each_documented_default_is_the_real_one(
    where: str, variable: str, documented: str
) -> None:
    name = variable[len("GCM_KG_") :].lower()
    forms = accepted(name, DEFAULTS[name])
    # a default written with a note after it ("`var` in a checkout, else ...") counts by its value
    assert documented in forms or documented.split(" ")[0] in forms, (
        f"{where}: {variable} documented as {documented!r}; config.py says one of {sorted(forms)}"
    )
