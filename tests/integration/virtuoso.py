"""A real Virtuoso for tests and benchmarks: own temporary database, loopback, free ports.

Debian's ``virtuoso-opensource-7-bin`` provides ``virtuoso-t`` and ``isql-vt``. The server runs
in the foreground as a child process (its own session, so nothing outlives the tests), with a
generated ``virtuoso.ini``; once it answers, the SPARQL user is granted SPARQL_UPDATE in this
throw-away database only, so the endpoint and its Graph Store Protocol accept writes.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"
INSTALL_HINT = (
    "Virtuoso is not installed: apt-get install -y --no-install-recommends "
    "virtuoso-opensource-7-bin"
)

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
ServerThreads = 10
CheckpointInterval = 0
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
; one transaction may write this much (the default 50 MB aborts a million-pledge COPY)
TransactionAfterImageLimit = 1500000000
DirsAllowed = ., {dir}
CaseMode = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 8
MaxClientConnections = 8
KeepAliveTimeout = 10

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class VirtuosoServer:
    """One ``virtuoso-t`` child process over a database directory it may own."""

    def __init__(self, directory: Path, buffers: int = 20_000) -> None:
        """``buffers``: Virtuoso's page cache in 8 KB pages (its guide: about 85,000 per GB)."""
        if shutil.which(VIRTUOSO) is None or shutil.which(ISQL) is None:
            raise RuntimeError(INSTALL_HINT)
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self.sql_port = free_port()
        self.http_port = free_port()
        self.ini = self.dir / "virtuoso.ini"
        self.ini.write_text(
            INI.format(
                dir=self.dir,
                sql_port=self.sql_port,
                http_port=self.http_port,
                buffers=buffers,
                dirty=buffers * 3 // 4,
            )
        )
        self.proc: subprocess.Popen[bytes] | None = None
        self._granted = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def graph_store_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql-graph-crud"

    def start(self, timeout: float = 60.0) -> float:
        """Start and wait until the SPARQL endpoint answers; returns the seconds it took."""
        began = time.monotonic()
        with (self.dir / "stdout.log").open("ab") as log:
            self.proc = subprocess.Popen(
                [VIRTUOSO, "+foreground", "+configfile", str(self.ini)],
                cwd=self.dir,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        atexit.register(self.stop)
        while not self._answers():
            if self.proc.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited {self.proc.returncode}: {self.log_tail()}")
            if time.monotonic() - began > timeout:
                self.stop()
                raise RuntimeError(f"virtuoso-t not ready in {timeout:g} s: {self.log_tail()}")
            time.sleep(0.1)
        if not self._granted:
            self.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
            self._granted = True
        return time.monotonic() - began

    def _answers(self) -> bool:
        req = urllib.request.Request(self.url + "?query=ASK%7B%7D")
        try:
            with urllib.request.urlopen(req, timeout=2) as resp:
                return bool(resp.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def isql(self, sql: str) -> str:
        out = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={sql}"],
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        if out.returncode != 0 or "*** Error" in out.stdout + out.stderr:
            raise RuntimeError(f"isql failed: {out.stdout}{out.stderr}")
        return out.stdout

    def stop(self, *, kill: bool = False) -> None:
        """Stop the server (SIGTERM: Virtuoso checkpoints and exits; ``kill``: a crash)."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL if kill else signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def log_tail(self, lines: int = 15) -> str:
        path = self.dir / "virtuoso.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])
