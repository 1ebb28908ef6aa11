"""Scale-out: our N-Quads export loaded into Virtuoso 7 with its bulk loader, then the query library
run against it through ``graph.remote.RemoteStore`` (``open_store("http://…/sparql")``).

    python -m benchmarks.virtuoso STORE_DIR --out DIR [--repeats 3] [--no-queries]

Virtuoso is started on loopback by ``tests.servers.start_virtuoso`` (the test fixture's own
startup), from a copy of the packaged ``virtuoso.ini`` whose buffers are sized for a million
triples (the packaged 10,000 buffers are ~80 MB) and whose ``ResultSetMaxRows`` is raised so a
large answer is not silently cut at 10,000 rows. Loading uses ``ld_dir`` + ``rdf_loader_run`` +
``checkpoint`` through ``isql-vt``. Results: ``DIR/virtuoso.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUFFERS = (340_000, 250_000)   # the ini's own suggestion for 4 GB of free memory (8 KB pages)


def _isql(v, sql: str, timeout: float = 1800) -> str:
    """Run SQL through isql-vt (Virtuoso.isql caps at 60 s; a bulk load needs longer)."""
    out = subprocess.run([shutil.which("isql-vt") or "isql-vt", f"127.0.0.1:{v.sql_port}", "dba", "dba",
                          f"exec={sql}"], capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0 or "*** Error" in out.stdout:
        raise RuntimeError(f"isql failed: {out.stdout[-500:]}{out.stderr[-500:]}")
    return out.stdout


def start_tuned(folder: Path):
    """``tests.servers.start_virtuoso`` with bigger buffers and result limit (see module doc)."""
    sys.path.insert(0, str(REPO))
    import tests.servers as servers
    ini = servers.VIRTUOSO_INI.read_text(encoding="utf-8", errors="replace")
    ini = re.sub(r"(?m)^NumberOfBuffers\s*=.*$", f"NumberOfBuffers = {BUFFERS[0]}", ini)
    ini = re.sub(r"(?m)^MaxDirtyBuffers\s*=.*$", f"MaxDirtyBuffers = {BUFFERS[1]}", ini)
    ini = re.sub(r"(?m)^ResultSetMaxRows\s*=.*$", "ResultSetMaxRows = 10000000", ini)
    tuned = folder.parent / "virtuoso-tuned.ini"
    tuned.write_text(ini, encoding="utf-8")
    saved = servers.VIRTUOSO_INI
    servers.VIRTUOSO_INI = tuned
    try:
        return servers.start_virtuoso(folder)
    finally:
        servers.VIRTUOSO_INI = saved


_NUMERIC = re.compile(r"http://www.w3.org/2001/XMLSchema#(int|integer|long|short|decimal|double|float)$")


def answer_set(result) -> set:
    """Distinct rows, numbers compared by value: Virtuoso returns COUNT as xsd:int (pyoxigraph:
    xsd:integer) and a stored xsd:boolean as 0/1; its union default graph is a set where
    Oxigraph's is a multiset."""
    from benchmarks.run import norm_ox
    if result.boolean is not None:
        return {(result.boolean,)}
    out = set()
    for row in result.rows:
        key = []
        for t in row:
            n = norm_ox(t)
            if n and n[0] == "L" and n[2].endswith("#boolean"):
                n = ("N", "1" if n[1] in ("true", "1") else "0")
            elif n and n[0] == "L" and _NUMERIC.match(n[2]):
                try:
                    n = ("N", f"{float(n[1]):.6g}")
                except ValueError:
                    pass
            key.append(n)
        out.add(tuple(key))
    return out


# Cases whose embedded answer is not computed for the comparison: at 1,000 articles viz-conflicts
# matches a shared Statement once per graph holding it, per triple pattern (a multiset), and
# exhausted 24 GB in pyoxigraph (docs/benchmarks.md). Virtuoso's set semantics answer it.
NO_COMPARE = ("viz-conflicts",)


def _cases(store_dir: str, no_compare=NO_COMPARE, compare: bool = True) -> list[tuple[str, str, dict, str, set | None]]:
    """The harness's query cases with the embedded store's answer to each (distinct rows), or
    without answers when ``compare`` is off (at 10,000 articles computing them all takes longer
    than the Virtuoso run itself)."""
    from benchmarks.run import _param_cases
    from policykg.graph.store import EmbeddedStore
    from policykg.queries.library import load_library, run_named
    with EmbeddedStore(store_dir, read_only=True) as st:
        return [(case, name, values, scope,
                 None if name in no_compare or not compare else answer_set(run_named(st, name, values)))
                for case, name, values, scope in _param_cases(st, load_library())]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.virtuoso", description=__doc__.split("\n\n")[0])
    ap.add_argument("store", help="a built policykg store (on disk)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per query")
    ap.add_argument("--no-queries", action="store_true")
    ap.add_argument("--no-compare", action="store_true",
                    help="time the library on Virtuoso without computing the embedded answers to compare")
    ap.add_argument("--max-memory-gb", type=float, default=8.0,
                    help="address-space cap of this process (a runaway query must not take the shared machine)")
    args = ap.parse_args(argv)
    import resource
    from pyoxigraph import RdfFormat, Store
    from policykg.graph.store import open_store
    from policykg.queries.library import run_named
    args.out.mkdir(parents=True, exist_ok=True)
    res: dict = {"load_avg_start": os.getloadavg()[0]}
    tmp = Path(tempfile.mkdtemp(prefix="pkg-virtuoso-"))
    v = None
    try:
        data_dir = tmp / "db"
        data_dir.mkdir()
        src = Store.read_only(args.store)
        res["triples"] = len(src)
        t0 = time.perf_counter()
        src.dump(str(data_dir / "export.nq"), format=RdfFormat.N_QUADS)
        res["dump_seconds"] = time.perf_counter() - t0
        res["nquads_bytes"] = (data_dir / "export.nq").stat().st_size
        del src
        t0 = time.perf_counter()
        v = start_tuned(data_dir)
        res["startup_seconds"] = time.perf_counter() - t0
        # Capped after Virtuoso has started, so the server does not inherit the limit.
        cap = int(args.max_memory_gb * 1024 ** 3)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        res["buffers"] = BUFFERS
        t0 = time.perf_counter()
        _isql(v, f"ld_dir('{data_dir}', 'export.nq', 'urn:policykg:unused');")
        _isql(v, "rdf_loader_run();")
        t_loaded = time.perf_counter()
        _isql(v, "checkpoint;")
        res["load_seconds"] = t_loaded - t0
        res["load_with_checkpoint_seconds"] = time.perf_counter() - t0
        status = _isql(v, "SELECT ll_state, ll_error FROM DB.DBA.load_list;")
        res["load_list"] = " ".join(status.split())[-300:]
        store = open_store(v.sparql)
        store.timeout = args.timeout
        count = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                            "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/policykg/')) }").rows
        res["loaded_quads_policykg_graphs"] = int(count[0][0].value) if count else None
        res["load_triples_per_s"] = res["triples"] / res["load_seconds"]
        res["load_avg_after_load"] = os.getloadavg()[0]
        (args.out / "virtuoso.json").write_text(json.dumps(res, indent=2, default=str) + "\n")
        if not args.no_queries:
            rows = []
            for case, name, values, scope, expected in _cases(args.store, compare=not args.no_compare):
                row: dict = {"name": case, "scope": scope}
                try:
                    run_named(store, name, values)  # warm-up
                    times = []
                    for _ in range(args.repeats):
                        t0 = time.perf_counter()
                        r = run_named(store, name, values)
                        times.append((time.perf_counter() - t0) * 1000)
                    times.sort()
                    row["median_ms"] = times[len(times) // 2]
                    row["rows"] = len(r.rows) if r.boolean is None else 1
                    got = answer_set(r)
                    row["answers_equal"] = got == expected if expected is not None else "not compared"
                    if expected is not None and got != expected:
                        row["rows_distinct"], row["embedded_rows_distinct"] = len(got), len(expected)
                except Exception as exc:  # an engine difference must not stop the run
                    row["error"] = f"{type(exc).__name__}: {exc}"[:300]
                rows.append(row)
                res["queries"] = rows
                (args.out / "virtuoso.json").write_text(json.dumps(res, indent=2, default=str) + "\n")
        res["load_avg_end"] = os.getloadavg()[0]
        (args.out / "virtuoso.json").write_text(json.dumps(res, indent=2, default=str) + "\n")
    finally:
        if v is not None:
            v.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print(args.out / "virtuoso.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
