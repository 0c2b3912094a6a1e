"""The README's tour, run: every ``$ command`` of its console blocks against a fresh build, its
output compared with what the README shows (``python -m tests.readme_tour`` checks,
``--write`` rewrites the outputs that differ).

Rules of the comparison: a line ``…`` in the README stands for any number of lines; a command
the README shows without output only has to succeed; the build writes to a temporary folder
and the server listens on a free port, so those are written back as the README's defaults
(``data/graph``, ``var/store``, ``127.0.0.1:8080``) before comparing.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
GCM_KG = Path(sys.executable).parent / "gcm-kg"
ELIDED = "…"


@dataclass
class Step:
    command: str  # as written, continuation lines included
    expected: list[str]
    start: int  # line index of the first output line in README (for --write)
    end: int  # one past the last output line
    actual: list[str] = field(default_factory=list)

    def matches(self) -> bool:
        if not self.expected:
            return True
        return _match(self.expected, self.actual)


def _match(expected: list[str], actual: list[str]) -> bool:
    """``expected`` equals ``actual`` where each ``…`` line may stand for any lines."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head == ELIDED:
        return any(_match(rest, actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and actual[0] == head and _match(rest, actual[1:])


def steps(text: str) -> list[Step]:
    """The console blocks' commands, with their shown output, in order."""
    lines = text.split("\n")
    out: list[Step] = []
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```console":
            i += 1
            continue
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            if not lines[i].startswith("$ "):
                i += 1
                continue
            command = [lines[i][2:]]
            i += 1
            # continuation: a trailing backslash, or an open single quote
            while i < len(lines) and (
                command[-1].endswith("\\") or "\n".join(command).count("'") % 2
            ):
                command.append(lines[i])
                i += 1
            start = i
            while i < len(lines) and lines[i].strip() != "```" and not lines[i].startswith("$ "):
                i += 1
            out.append(Step("\n".join(command), lines[start:i], start, i))
        i += 1
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _server(env: dict[str, str], port: int) -> Iterator[None]:
    proc = subprocess.Popen(
        [str(GCM_KG), "serve", "--port", str(port)],
        env=env | {"GCM_KG_QUERY_PROCESSES": "0"},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 300
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError("gcm-kg serve ended before serving")
            if "serving" in line:
                break
        urllib.request.urlopen(f"http://127.0.0.1:{port}/dataset", timeout=60).close()
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        if proc.stdout is not None:
            proc.stdout.close()


def run(text: str) -> list[Step]:
    """Run every step of ``text`` (the README) and fill in its actual output."""
    todo = steps(text)
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GCM_KG_")}
        store, graph = Path(tmp) / "store", Path(tmp) / "graph"
        env |= {
            "GCM_KG_DATA_DIR": tmp,
            "GCM_KG_GRAPH_DIR": str(graph),
            "COLUMNS": "200",
            "PATH": f"{GCM_KG.parent}:{env.get('PATH', '')}",
        }
        port = _free_port()
        replacements = [
            (os.path.relpath(graph, ROOT), "data/graph"),
            (str(graph), "data/graph"),
            (os.path.relpath(store, ROOT), "var/store"),
            (str(store), "var/store"),
            (f"127.0.0.1:{port}", "127.0.0.1:8080"),
        ]
        server = None
        try:
            for step in todo:
                if "127.0.0.1:8080" in step.command and server is None:
                    server = _server(env, port)
                    server.__enter__()
                command = step.command.replace(".venv/bin/gcm-kg", str(GCM_KG)).replace(
                    "127.0.0.1:8080", f"127.0.0.1:{port}"
                )
                done = subprocess.run(
                    ["bash", "-c", command],
                    cwd=ROOT,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=600,
                )
                output = done.stdout
                for real, written in replacements:
                    output = output.replace(real, written)
                # the README keeps no trailing spaces
                step.actual = [x.rstrip() for x in output.rstrip("\n").split("\n")]
                if not output.strip():
                    step.actual = []
                if not step.expected and done.returncode != 0:
                    step.actual = [f"exit {done.returncode}: {done.stderr.strip()}"]
                    step.expected = ["(success)"]
        finally:
            if server is not None:
                server.__exit__(None, None, None)
    return todo


def write(text: str, done: list[Step]) -> str:
    """``text`` with the outputs that differ replaced (outputs with ``…`` are left to a person)."""
    lines = text.split("\n")
    for step in reversed(done):
        if step.expected and not step.matches() and ELIDED not in step.expected:
            lines[step.start : step.end] = step.actual
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help="rewrite the outputs that differ")
    args = ap.parse_args()
    text = README.read_text(encoding="utf-8")
    done = run(text)
    bad = [s for s in done if not s.matches()]
    for s in bad:
        print(
            f"$ {s.command}\n--- README\n"
            + "\n".join(s.expected)
            + "\n--- now\n"
            + "\n".join(s.actual)
            + "\n"
        )
    if args.write and bad:
        README.write_text(write(text, done), encoding="utf-8")
        print(f"rewrote {len([s for s in bad if ELIDED not in s.expected])} outputs in README.md")
    print(f"{len(done) - len(bad)} of {len(done)} tour commands match the README")
    return 0 if not bad or args.write else 1


if __name__ == "__main__":
    sys.exit(main())
