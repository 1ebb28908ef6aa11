"""SPARQL servers for tests, on loopback and free ports, in temporary folders.

* Virtuoso 7 (Debian ``virtuoso-opensource-7``): ``virtuoso-t`` started in the foreground from a
  copy of the packaged virtuoso.ini with every file path and port moved to the test folder. Its
  anonymous ``/sparql`` user is granted SPARQL_UPDATE with ``isql-vt`` (the cleanest way for a
  throw-away server: no credentials to carry); ``/sparql-auth`` keeps dba/dba with Digest auth.
* the oxigraph server comes from policykg's own ``serve`` (graph/remote.SparqlServer).

A missing tool fails the test (tests.conftest.require_tool), never skips it.
"""
from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import require_tool

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, seconds: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                resp.read()
            return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"no answer from {url} within {seconds} s")


@dataclass
class Virtuoso:
    folder: Path
    http_port: int
    sql_port: int
    proc: subprocess.Popen

    @property
    def sparql(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def sparql_auth(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql-auth"

    @property
    def graph_crud(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql-graph-crud"

    def isql(self, sql: str) -> str:
        out = subprocess.run([shutil.which("isql-vt") or "isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba",
                              f"exec={sql}"], capture_output=True, text=True, timeout=60)
        if out.returncode != 0 or "Error" in out.stdout:
            raise RuntimeError(f"isql failed: {out.stdout}{out.stderr}")
        return out.stdout

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_virtuoso(folder: Path) -> Virtuoso:
    """A fresh Virtuoso on loopback with an empty database in ``folder``."""
    binary = require_tool("virtuoso-t")
    require_tool("isql-vt")
    folder.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = VIRTUOSO_INI.read_text(encoding="utf-8", errors="replace")
    ini = ini.replace("/var/lib/virtuoso-opensource-7/db/", str(folder) + "/")
    ini = re.sub(r"(?m)^ServerPort(\s*)=\s*1111", rf"ServerPort\g<1>= 127.0.0.1:{sql_port}", ini)
    ini = re.sub(r"(?m)^ServerPort(\s*)=\s*8890", rf"ServerPort\g<1>= 127.0.0.1:{http_port}", ini)
    ini = re.sub(r"(?m)^DefaultHost(\s*)=.*$", rf"DefaultHost\g<1>= 127.0.0.1:{http_port}", ini)
    ini = re.sub(r"(?m)^DirsAllowed(\s*)=", rf"DirsAllowed\g<1>= {folder}, ", ini)
    # Plugins (wikis, mono) are not needed and may be missing.
    ini = re.sub(r"(?m)^(Load\d+\s*=)", r";\1", ini)
    (folder / "virtuoso.ini").write_text(ini, encoding="utf-8")
    proc = subprocess.Popen([binary, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                            cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    v = Virtuoso(folder, http_port, sql_port, proc)
    try:
        wait_http(v.sparql + "?" + urllib.parse.urlencode({"query": "ASK {}"}), 90, proc)
        v.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
        # Let the anonymous user write any graph (Virtuoso 7.2 graph-level security).
        v.isql("DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);")
    except BaseException:
        v.stop()
        raise
    return v
