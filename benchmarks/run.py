"""The benchmark runner: build, queries, export/import, maps, incremental — side by side with
rdflib (the baseline) and pyoxigraph used directly (the physical limit).

Every measurement that allocates much memory runs in a child process (``python -m
benchmarks.run --child TASK``), so peak RSS is per configuration and the parent stays small.
Results are rewritten (JSON + Markdown) after every stage: a stopped run keeps what it measured.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RDFLIB_CAP_S = 60.0
INCREMENT = 10

# Goals from the performance issue (reported against, never asserted).
GOALS = {
    "build_articles_per_s": 200.0,
    "jobs2_speedup": 1.7,
    "bulk_load_ratio_max": 3.0,
    "scoped_query_ms": 50.0,
    "aggregate_query_ms": 500.0,
    "rdflib_speedup_min": 20.0,
    "raw_overhead_max": 1.5,
    "turtle_triples_per_s": 300_000.0,
    "peak_rss_mb_1m": 1500.0,
}


# --------------------------------------------------------------------------------- helpers
def machine_info() -> dict:
    """Cores, RAM, CPU model, Python and library versions of this machine."""
    import pyoxigraph
    import rdflib
    info = {"cores": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "pyoxigraph": pyoxigraph.__version__,
            "rdflib": rdflib.__version__}
    try:
        with open("/proc/meminfo") as fh:
            kb = int(next(line for line in fh if line.startswith("MemTotal")).split()[1])
        info["ram_gb"] = round(kb / 1024 / 1024, 1)
    except (OSError, StopIteration):
        info["ram_gb"] = None
    try:
        with open("/proc/cpuinfo") as fh:
            info["cpu"] = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), None)
    except OSError:
        info["cpu"] = None
    try:
        from policykg import __version__
        info["policykg"] = __version__
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
        info["commit"] = commit.stdout.strip() or None
        if info["commit"] is None and (REPO / "COMMIT").exists():
            # A frozen snapshot (git archive) has no .git: the snapshot script writes COMMIT.
            info["commit"] = (REPO / "COMMIT").read_text().strip()[:12] + " (snapshot)"
    except Exception:
        pass
    return info


def _peak_rss_mb() -> dict:
    """Peak resident set of this process and of its (waited-for) children, in MB (Linux: KB units)."""
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_rss_mb": round(me, 1), "peak_rss_workers_mb": round(kids, 1)}


def _median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def run_child(task: dict, *, timeout: float | None = None) -> dict:
    """Run one measurement in a fresh interpreter; returns its JSON answer (or an error)."""
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-m", "benchmarks.run", "--child", json.dumps(task)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout} s"}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"error": (proc.stderr.strip().splitlines() or ["no output"])[-1][:500]}
    return json.loads(lines[-1])


# ----------------------------------------------------------------------- pyoxigraph -> rdflib
def to_rdflib(term, cache: dict | None = None):
    """A pyoxigraph term as the equivalent rdflib term (plain literals stay plain)."""
    from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode
    from rdflib import BNode, URIRef
    from rdflib import Literal as RLiteral
    if isinstance(term, NamedNode):
        if cache is not None:
            hit = cache.get(term.value)
            if hit is None:
                hit = cache[term.value] = URIRef(term.value)
            return hit
        return URIRef(term.value)
    if isinstance(term, Literal):
        if term.language:
            return RLiteral(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return RLiteral(term.value)
        return RLiteral(term.value, datatype=URIRef(dt))
    if isinstance(term, BlankNode):
        return BNode(term.value)
    if isinstance(term, DefaultGraph):
        return None
    raise TypeError(f"cannot convert {term!r}")


def rdflib_dataset(quads) -> "object":
    """A plain rdflib Dataset (default Memory store, union default graph) holding the quads."""
    from rdflib import Dataset
    ds = Dataset(default_union=True)
    cache: dict = {}
    for q in quads:
        g = to_rdflib(q.graph_name, cache)
        t = (to_rdflib(q.subject, cache), to_rdflib(q.predicate, cache), to_rdflib(q.object, cache))
        ds.add(t + (g,) if g is not None else t)
    return ds


def _norm_value(kind: str, value: str, datatype: str | None, lang: str | None):
    if kind != "L":
        return (kind, value if kind == "I" else "")
    if datatype in ("http://www.w3.org/2001/XMLSchema#double", "http://www.w3.org/2001/XMLSchema#decimal",
                    "http://www.w3.org/2001/XMLSchema#float"):
        try:
            value = f"{float(value):.6g}"
        except ValueError:
            pass
    if " | " in value:  # GROUP_CONCAT order is unspecified in SPARQL
        value = " | ".join(sorted(value.split(" | ")))
    return ("L", value, datatype or "http://www.w3.org/2001/XMLSchema#string", lang or "")


def norm_ox(term):
    """A pyoxigraph result term in a form comparable with :func:`norm_rdflib`."""
    from pyoxigraph import BlankNode, Literal, NamedNode
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return _norm_value("I", term.value, None, None)
    if isinstance(term, BlankNode):
        return _norm_value("B", "", None, None)
    assert isinstance(term, Literal)
    dt = None if term.language else term.datatype.value
    return _norm_value("L", term.value, dt, term.language)


def norm_rdflib(term):
    from rdflib import BNode, Literal, URIRef
    if term is None:
        return None
    if isinstance(term, URIRef):
        return _norm_value("I", str(term), None, None)
    if isinstance(term, BNode):
        return _norm_value("B", "", None, None)
    assert isinstance(term, Literal)
    dt = str(term.datatype) if term.datatype is not None else None
    return _norm_value("L", str(term), None if term.language else dt, term.language)


# --------------------------------------------------------------------------------- child tasks
def child_build(task: dict) -> dict:
    """Build a corpus folder into a store (on disk or memory) with N jobs; time and RSS."""
    from policykg.graph.build import Builder
    from policykg.graph.store import EmbeddedStore
    store = EmbeddedStore(task["store"]) if task.get("store") else EmbeddedStore(None)
    t0 = time.perf_counter()
    report = Builder(store, jobs=task.get("jobs", 1),
                     commit_each=task.get("commit_each", False)).build([Path(task["corpus"])])
    if store.path is not None:
        store.ox.flush()
    seconds = time.perf_counter() - t0
    out = {"seconds": seconds, "built": len(report.built), "skipped": len(report.skipped),
           "quads_written": report.quads_written, "triples": len(store)}
    store.close()
    return out | _peak_rss_mb()


def child_incremental(task: dict) -> dict:
    """Add a few new articles to a copy of a built store; re-run the unchanged build (a no-op)."""
    from policykg.graph.build import Builder
    from policykg.graph.store import EmbeddedStore
    out: dict = {}
    with EmbeddedStore(task["store"]) as store:
        builder = Builder(store)
        before = len(store)
        t0 = time.perf_counter()
        rep = builder.build([Path(task["extra"])])
        store.ox.flush()
        out["add_seconds"] = time.perf_counter() - t0
        out["added_articles"] = len(rep.built)
        out["added_triples"] = len(store) - before
        t0 = time.perf_counter()
        rep = builder.build([Path(task["corpus"])])
        out["unchanged_rebuild_seconds"] = time.perf_counter() - t0
        out["unchanged_articles"] = len(rep.unchanged)
    with EmbeddedStore(task["fresh_store"]) as fresh:
        t0 = time.perf_counter()
        Builder(fresh).build([Path(task["extra"])])
        fresh.ox.flush()
        out["fresh_seconds"] = time.perf_counter() - t0
    return out | _peak_rss_mb()


def child_baseline(task: dict) -> dict:
    """The same extraction written into a plain rdflib Dataset (Memory store), then serialized."""
    from policykg.graph.build import Builder, prepare
    from policykg.graph.build import BuildReport
    from policykg.graph.store import EmbeddedStore
    from rdflib import Dataset
    builder = Builder(EmbeddedStore(None))  # only for its reference data, minter and rules hash
    t0 = time.perf_counter()
    docs = builder.read([Path(task["corpus"])], BuildReport())
    ds = Dataset(default_union=True)
    cache: dict = {}
    n = 0
    for doc in docs:
        p = prepare(doc, builder.minter, builder.reference, builder.rules)
        for q in p.quads:
            ds.add((to_rdflib(q.subject, cache), to_rdflib(q.predicate, cache),
                    to_rdflib(q.object, cache), to_rdflib(q.graph_name, cache)))
        n += len(p.quads)
    t_add = time.perf_counter()
    ds.serialize(destination=task["out"], format="nquads")
    t1 = time.perf_counter()
    return {"seconds": t1 - t0, "serialize_seconds": t1 - t_add, "quads": n, "articles": len(docs)} | _peak_rss_mb()


def child_bulk(task: dict) -> dict:
    """pyoxigraph's own loaders on the same quads: bulk_load to disk and load into memory."""
    from pyoxigraph import RdfFormat, Store
    src = Store.read_only(task["store"])
    data = src.dump(format=RdfFormat.N_QUADS)
    n = len(src)
    del src
    out = {"triples": n, "nquads_bytes": len(data)}
    t0 = time.perf_counter()
    disk = Store(task["target"])
    disk.bulk_load(data, format=RdfFormat.N_QUADS)
    disk.flush()
    out["bulk_load_seconds"] = time.perf_counter() - t0
    del disk
    t0 = time.perf_counter()
    mem = Store()
    mem.load(data, format=RdfFormat.N_QUADS)
    out["memory_load_seconds"] = time.perf_counter() - t0
    return out | _peak_rss_mb()


def _param_cases(store, lib) -> list[tuple[str, str, dict, str]]:
    """(case name, query name, parameter values, scope) for every library query, with parameter
    values present in the data: the entity most is stated or claimed about (the worst case) and a
    median one. (Not the most mentioned: that is a generic quote source such as "critics", for
    which most scoped queries answer nothing.)"""
    from policykg.ontology.terms import PKG
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    rows = store.query(f"""SELECT ?e (COUNT(DISTINCT ?x) AS ?n) WHERE {{
                             {{ ?x <{rdf}subject> ?e }} UNION {{ ?x <{rdf}object> ?e }} UNION {{ ?x <{PKG}about> ?e }}
                             FILTER(isIRI(?e)) }}
                           GROUP BY ?e ORDER BY DESC(?n) ?e""").rows
    ents = [r[0].value for r in rows]
    picks = {"top": ents[0], "median": ents[len(ents) // 2]} if ents else {}
    docs = sorted(store.documents())
    dates = store.query(f"SELECT (MIN(?d) AS ?m) WHERE {{ ?e <{PKG}date> ?d }}").rows
    cases = []
    for name, q in lib.items():
        required = [p for p in q.params if not p.optional]
        scope = "scoped" if any(p.kind in ("entity", "document", "iri") for p in required) else "aggregate"
        variants: list[tuple[str, dict]] = [("", {})]
        for p in required:
            if p.kind == "entity":
                variants = [(f"{suffix}[{tag}]", v | {p.name: iri}) for suffix, v in variants for tag, iri in picks.items()]
            elif p.kind == "document":
                variants = [(s, v | {p.name: docs[0] if docs else p.example}) for s, v in variants]
            elif p.kind == "date":
                d = dates[0][0].value if dates and dates[0][0] is not None else (p.example or "2025-01-01")
                variants = [(s, v | {p.name: d}) for s, v in variants]
            elif p.kind == "class":
                variants = [(s, v | {p.name: p.example or "pkg:Company"}) for s, v in variants]
            elif p.kind == "integer":
                variants = [(s, v | {p.name: p.example or "2"}) for s, v in variants]
            else:
                variants = [(s, v | {p.name: p.example or ""}) for s, v in variants]
        for suffix, values in variants:
            cases.append((name + suffix, name, values, scope))
    return cases


SLOW_CASE_MS = 10_000  # a run this slow is timed once: repeating it would not change the verdict


def _time(fn, repeats: int) -> tuple[float, object]:
    """Median wall time in ms over ``repeats`` runs after one warm-up; returns (ms, last result).
    A case whose warm-up takes over SLOW_CASE_MS reports the warm-up alone."""
    t0 = time.perf_counter()
    res = fn()
    first = (time.perf_counter() - t0) * 1000
    if first > SLOW_CASE_MS:
        return first, res
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        res = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return _median(times), res


_RDFLIB_DS = None  # set before forking, so query children share it copy-on-write


def _rdflib_query_child(conn, sparql: str, bindings: dict, repeats: int, cap: float) -> None:
    times, rows = [], None
    for i in range(max(1, repeats)):
        t0 = time.perf_counter()
        res = _RDFLIB_DS.query(sparql, initBindings=bindings)
        out = [tuple(norm_rdflib(row[v]) if row[v] is not None else None for v in res.vars) for row in res] \
            if res.type == "SELECT" else [(bool(res.askAnswer),)]
        times.append((time.perf_counter() - t0) * 1000)
        rows = out if rows is None else rows
        if sum(times) > cap * 1000 / 3:  # a slow query: one run is enough for the median
            break
    conn.send((times, rows))
    conn.close()


def _rdflib_timed(sparql: str, bindings: dict, repeats: int, cap: float) -> tuple[float | None, list | None]:
    """Median ms of an rdflib query in a forked child, killed after ``cap`` seconds (None, None)."""
    import multiprocessing as mp
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_rdflib_query_child, args=(child, sparql, bindings, repeats, cap))
    proc.start()
    child.close()
    # The child stops repeating once it has spent cap/3, so it never needs more than cap * 4/3.
    deadline = time.monotonic() + cap * 4 / 3 + 5
    result = None
    if parent.poll(max(0.0, deadline - time.monotonic())):
        try:
            result = parent.recv()
        except EOFError:
            result = None
    if result is None:
        proc.kill()
    proc.join()
    if result is None:
        return None, None
    times, rows = result
    if times and times[0] > cap * 1000:
        return None, None
    return _median(times), rows


def child_queries(task: dict) -> dict:
    """Every library query: on-disk store, memory store, raw pyoxigraph, rdflib baseline."""
    global _RDFLIB_DS
    from pyoxigraph import QueryBoolean, RdfFormat
    from policykg.graph.binding import inline_values
    from policykg.graph.store import EmbeddedStore
    from policykg.queries.library import bind, get_query, load_library, run_named
    repeats, cap = task.get("repeats", 5), task.get("cap", RDFLIB_CAP_S)
    if task.get("max_memory_gb"):
        # A query whose answer explodes must not take the shared machine's memory (the kernel's
        # OOM killer may pick another engineer's process): past this the allocation fails and
        # only this child dies; run_queries_stage records the case and carries on without it.
        limit = int(task["max_memory_gb"] * 1024 ** 3)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    partial = Path(task["partial"]) if task.get("partial") else None
    skip = set(task.get("skip_cases", ()))
    disk = EmbeddedStore(task["store"], read_only=True)
    mem = EmbeddedStore(None)
    t0 = time.perf_counter()
    dump = disk.ox.dump(format=RdfFormat.N_QUADS)
    mem.ox.load(dump, format=RdfFormat.N_QUADS)
    del dump  # 2.6 GB at 10,000 articles
    out: dict = {"memory_load_seconds": time.perf_counter() - t0, "triples": len(mem)}
    lib = load_library()
    cases = _param_cases(mem, lib)
    use_rdflib = len(mem) <= task.get("rdflib_max_triples", 0)
    if use_rdflib:
        t0 = time.perf_counter()
        _RDFLIB_DS = rdflib_dataset(mem.ox.quads_for_pattern(None, None, None, None))
        out["rdflib_load_seconds"] = time.perf_counter() - t0
    else:
        out["rdflib_skipped"] = f"{len(mem)} triples > --rdflib-max-triples {task.get('rdflib_max_triples')}"
    results = []
    t_start = time.perf_counter()
    for case, name, values, scope in cases:
        if case in skip:
            continue
        if partial is not None:  # so a crash in this case can be told apart from the others
            with partial.open("a") as fh:
                fh.write(json.dumps({"started": case, "query": name, "scope": scope, "params": values}) + "\n")
        q = get_query(name)
        row: dict = {"name": case, "query": name, "scope": scope, "params": values}
        try:
            row["median_ms"], res = _time(lambda: run_named(disk, name, values), repeats)
            row["memory_median_ms"], res = _time(lambda: run_named(mem, name, values), repeats)
        except Exception as exc:  # a query another engineer is still writing must not stop the run
            row["error"] = f"{type(exc).__name__}: {exc}"[:300]
            results.append(row)
            continue
        row["rows"] = len(res.rows) if res.boolean is None else 1
        terms = bind(mem, q, values)
        # The very text EmbeddedStore sends (parameters as a VALUES block), so the difference is
        # our glue alone, not another query plan.
        sparql = inline_values(q.sparql, terms)

        def raw(ox):
            r = ox.query(sparql, use_default_graph_as_union=True)
            return bool(r) if isinstance(r, QueryBoolean) else [tuple(s) for s in r]
        if max(row["median_ms"], row["memory_median_ms"]) > SLOW_CASE_MS:
            row["raw_median_ms"] = row["raw_memory_median_ms"] = "not measured (slow case)"
        else:
            row["raw_median_ms"], _ = _time(lambda: raw(disk.ox), repeats)
            row["raw_memory_median_ms"], _ = _time(lambda: raw(mem.ox), repeats)
        if use_rdflib and "[median]" in case:
            row["baseline_median_ms"] = "not measured (only the [top] variant runs in rdflib)"
        elif use_rdflib and time.perf_counter() - t_start > task.get("rdflib_budget_s", 1e9):
            row["baseline_median_ms"] = "not measured (rdflib time budget spent)"
        elif use_rdflib:
            ms, rrows = _rdflib_timed(q.sparql, {k: to_rdflib(v) for k, v in terms.items()}, repeats, cap)
            row["baseline_median_ms"] = ms if ms is not None else f"> {cap:g} s"
            if rrows is not None:
                ours = [tuple(norm_ox(t) for t in r) for r in res.rows] if res.boolean is None else [(res.boolean,)]
                # Compare distinct rows: Oxigraph's union default graph is a multiset (a triple
                # stored in k graphs matches k times), rdflib's union is a set.
                row["answers_equal"] = set(ours) == set(rrows)
                row["rows_distinct"] = len(set(ours))
                row["baseline_rows"] = len(rrows)
        else:
            row["baseline_median_ms"] = "not measured"
        results.append(row)
        if partial is not None:
            with partial.open("a") as fh:
                fh.write(json.dumps({"row": row}, default=str) + "\n")
    out["queries"] = results
    return out | _peak_rss_mb()


def child_export(task: dict) -> dict:
    """Our export in every format (write) and pyoxigraph import of it (read); rdflib on the same graph."""
    import tempfile
    from policykg.graph.export import FORMATS, render
    from policykg.graph.importer import import_file
    from policykg.graph.store import EmbeddedStore
    repeats = task.get("repeats", 3)
    store = EmbeddedStore(task["store"], read_only=True)
    out: dict = {"formats": {}}
    tmp = Path(tempfile.mkdtemp(prefix="pkg-export-"))
    turtle = b""
    try:
        for fmt, (_, suffix) in FORMATS.items():
            times = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                data = render(store, fmt)
                times.append(time.perf_counter() - t0)
            path = tmp / f"export{suffix}"
            path.write_bytes(data)
            rtimes, n = [], 0
            for _ in range(repeats):
                target = EmbeddedStore(None)
                t0 = time.perf_counter()
                n = import_file(target, path)
                rtimes.append(time.perf_counter() - t0)
                del target
            out["formats"][fmt] = {"bytes": len(data), "triples": n, "write_seconds": _median(times),
                                   "read_seconds": _median(rtimes),
                                   "write_triples_per_s": n / _median(times), "read_triples_per_s": n / _median(rtimes)}
            if fmt == "turtle":
                turtle = data
            del data
        if task.get("rdflib"):
            from rdflib import Graph
            g = Graph()
            t0 = time.perf_counter()
            g.parse(data=turtle, format="turtle")
            out["rdflib_turtle_read_seconds"] = time.perf_counter() - t0
            n = len(g)
            t0 = time.perf_counter()
            g.serialize(format="turtle")
            out["rdflib_turtle_write_seconds"] = time.perf_counter() - t0
            out["rdflib_turtle_triples"] = n
            out["baseline_turtle_triples_per_s"] = n / out["rdflib_turtle_write_seconds"]
            out["baseline_turtle_read_triples_per_s"] = n / out["rdflib_turtle_read_seconds"]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out | _peak_rss_mb()


def child_profile(task: dict) -> dict:
    """cProfile of a single-process build into memory; the top functions by own and total time."""
    import cProfile
    import io
    import pstats
    from policykg.graph.build import Builder
    from policykg.graph.store import EmbeddedStore
    prof = cProfile.Profile()
    store = EmbeddedStore(None)
    prof.enable()
    t0 = time.perf_counter()
    Builder(store).build([Path(task["corpus"])])
    seconds = time.perf_counter() - t0
    prof.disable()
    stats = pstats.Stats(prof)
    total = sum(v[2] for v in stats.stats.values())  # own time of every function = profiled total

    def top(key: int, limit: int = 25) -> list[dict]:
        rows = sorted(stats.stats.items(), key=lambda kv: kv[1][key], reverse=True)[:limit]
        return [{"function": f"{Path(f).name}:{line}({fn})", "calls": v[1], "own_s": round(v[2], 3),
                 "cumulative_s": round(v[3], 3), "own_share": round(v[2] / total, 3)}
                for (f, line, fn), v in rows]
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(40)
    Path(task["out"]).write_text(buf.getvalue())
    # Where the time goes by pipeline stage (cumulative time of the stage's entry point).
    stages = {}
    wanted = {"find_boilerplate": "text.find_boilerplate", "sentences": "text.sentences",
              "resolve_entities": "entities.resolve_entities", "extract_facts": "relations.extract_facts",
              "extract_claims": "claims.extract_claims", "extract_events": "events.extract_events",
              "extract": "pipeline.extract", "check_spans": "build.check_spans",
              "extraction_quads": "mapping.extraction_quads", "write": "build.write",
              "replace_graphs": "store.replace_graphs", "quad_text": "store.quad_text",
              "refresh_pending": "entity_layer.refresh_pending", "read": "build.read"}
    for (f, line, fn), v in stats.stats.items():
        if fn in wanted and Path(f).stem == wanted[fn].split(".")[0]:
            stages[wanted[fn]] = round(v[3], 3)
    return {"seconds": seconds, "profiled_seconds": round(total, 3), "stages_cumulative_s": stages,
            "top_own": top(2), "top_cumulative": top(3, 15)}


CHILD_TASKS = {"build": child_build, "incremental": child_incremental, "baseline": child_baseline,
               "bulk": child_bulk, "queries": child_queries, "export": child_export, "profile": child_profile}


# --------------------------------------------------------------------------------- the run
class Runner:
    """Runs every stage for every size; rewrites ``results.json`` and ``results.md`` after each."""

    def __init__(self, out: Path, *, repeats: int, build_repeats: int | None, seed: int,
                 rdflib_max_triples: int, rdflib_budget_s: float = 1800.0, log=None, keep_work: bool = False,
                 skip: frozenset[str] = frozenset()):
        self.out = out
        self.repeats = repeats
        self.build_repeats = build_repeats
        self.seed = seed
        self.rdflib_max = rdflib_max_triples
        self.rdflib_budget = rdflib_budget_s
        self.keep_work = keep_work
        self.skip = skip
        self.log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
        self.results: dict = {"machine": machine_info(), "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                              "goals": GOALS, "runs": []}
        out.mkdir(parents=True, exist_ok=True)

    def save(self) -> None:
        from benchmarks.report import markdown
        (self.out / "results.json").write_text(json.dumps(self.results, indent=2, default=str) + "\n")
        (self.out / "results.md").write_text(markdown(self.results))

    def corpus(self, kind: str, n: int, start: int = 0, tag: str | None = None) -> Path:
        from benchmarks import generator, recombine
        folder = self.out / "corpus" / (tag or f"{kind}-{n}")
        if folder.exists():
            shutil.rmtree(folder)
        (generator if kind == "synthetic" else recombine).write_corpus(folder, n, seed=self.seed, start=start)
        return folder

    def stage(self, run: dict, name: str, fn) -> None:
        load0 = os.getloadavg()[0]
        self.log(f"[{run['articles']} articles] {name} ... (load {load0:.2f})")
        t0 = time.perf_counter()
        try:
            fn()
        except Exception as exc:  # keep the rest of the run
            run.setdefault("errors", {})[name] = f"{type(exc).__name__}: {exc}"[:500]
        seconds = time.perf_counter() - t0
        # The machine is shared: the 1-minute load average at the start and end of every stage
        # says how far its absolute figures can be trusted.
        run.setdefault("load", {})[name] = {"start": round(load0, 2), "end": round(os.getloadavg()[0], 2),
                                           "stage_seconds": round(seconds, 1)}
        self.log(f"[{run['articles']} articles] {name} done in {seconds:.1f} s (load {os.getloadavg()[0]:.2f})")
        self.save()

    def run_size(self, n: int, *, profile: bool = False) -> dict:
        run: dict = {"articles": n, "corpus": "synthetic"}
        self.results["runs"].append(run)
        work = self.out / "work" / str(n)
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
        reps = self.build_repeats or (3 if n <= 1000 else 1)
        corpus = self.corpus("synthetic", n)
        main_store = work / "store-j1"

        def build():
            configs = {}
            # jobs1/jobs2: the default build of an empty store (staged, bulk-loaded); commit_each:
            # one transaction per document, what every build into a non-empty store does.
            for label, jobs, disk in (("jobs1", 1, True), ("jobs2", 2, True), ("commit_each_jobs1", 1, True),
                                      ("memory_jobs1", 1, False)):
                flag = {"jobs2": "jobs2", "commit_each_jobs1": "commit-each", "memory_jobs1": "memory-build"}.get(label)
                if flag in self.skip:
                    configs[label] = {"skipped": f"--skip {flag}"}
                    continue
                runs = []
                for r in range(reps if label in ("jobs1", "jobs2") else 1):
                    store = work / f"store-{label}-{r}" if disk else None
                    if store is not None and store.exists():
                        shutil.rmtree(store)
                    res = run_child({"task": "build", "corpus": str(corpus), "jobs": jobs,
                                     "commit_each": label.startswith("commit_each"),
                                     "store": str(store) if store else None})
                    runs.append(res)
                    if "error" in res:
                        break
                    if store is not None and label == "jobs1" and r == reps - 1:
                        store.rename(main_store)
                    elif store is not None:
                        shutil.rmtree(store, ignore_errors=True)
                configs[label] = _summarise_builds(runs, n)
            b = dict(configs["jobs1"])
            run["triples"] = b.get("triples")
            b["jobs"] = 1
            b["repeats"] = reps
            b["jobs2"] = configs["jobs2"]
            b["memory"] = configs["memory_jobs1"]
            b["commit_each"] = configs["commit_each_jobs1"]
            if b.get("seconds") and configs["jobs2"].get("seconds"):
                b["jobs2_speedup"] = b["seconds"] / configs["jobs2"]["seconds"]
            run["build"] = b
        self.stage(run, "build", build)

        def recombined():
            rec = self.corpus("recombined", n)
            store = work / "store-recombined"
            res = run_child({"task": "build", "corpus": str(rec), "jobs": 1, "store": str(store)})
            run["build_recombined"] = _summarise_builds([res], n)
            shutil.rmtree(store, ignore_errors=True)
        if "recombined" not in self.skip:
            self.stage(run, "build (recombined real paragraphs)", recombined)

        def baseline():
            res = run_child({"task": "baseline", "corpus": str(corpus), "out": str(work / "baseline.nq")})
            (work / "baseline.nq").unlink(missing_ok=True)
            run["build"]["baseline"] = res
            if "seconds" in res:
                run["build"]["baseline_triples_per_s"] = res["quads"] / res["seconds"]
                run["build"]["baseline_articles_per_s"] = res["articles"] / res["seconds"]
        if "baseline" in self.skip:
            run.setdefault("build", {})["baseline_triples_per_s"] = "not measured (--skip baseline)"
        elif n * 600 <= self.rdflib_max * 1.2:
            self.stage(run, "baseline build (rdflib)", baseline)
        else:
            run.setdefault("build", {})["baseline_triples_per_s"] = "not measured (size above --rdflib-max-triples)"

        def bulk():
            res = run_child({"task": "bulk", "store": str(main_store), "target": str(work / "bulk")})
            shutil.rmtree(work / "bulk", ignore_errors=True)
            run["build"]["bulk"] = res
            if "bulk_load_seconds" in res:
                run["build"]["bulk_load_triples_per_s"] = res["triples"] / res["bulk_load_seconds"]
                run["build"]["memory_load_triples_per_s"] = res["triples"] / res["memory_load_seconds"]
                if run["build"].get("triples_per_s"):
                    run["build"]["bulk_load_ratio"] = run["build"]["bulk_load_triples_per_s"] / run["build"]["triples_per_s"]
        if "bulk" not in self.skip:
            self.stage(run, "pyoxigraph bulk load", bulk)

        def incremental():
            copy = work / "store-incremental"
            shutil.copytree(main_store, copy)
            extra = self.corpus("synthetic", INCREMENT, start=n, tag=f"extra-{n}")
            res = run_child({"task": "incremental", "store": str(copy), "extra": str(extra),
                             "corpus": str(corpus), "fresh_store": str(work / "store-fresh")})
            shutil.rmtree(copy, ignore_errors=True)
            shutil.rmtree(work / "store-fresh", ignore_errors=True)
            if "add_seconds" in res:
                res["ratio_to_fresh"] = res["add_seconds"] / res["fresh_seconds"]
            run["incremental"] = res
        if "incremental" not in self.skip:
            self.stage(run, f"incremental (+{INCREMENT} articles)", incremental)

        def queries():
            res = run_queries_stage(main_store, work, repeats=self.repeats, rdflib_max=self.rdflib_max,
                                    rdflib_budget=self.rdflib_budget, log=self.log)
            run["queries"] = res.pop("queries", [])
            run["query_setup"] = res
        if "queries" not in self.skip:
            self.stage(run, "queries", queries)

        def export():
            res = run_child({"task": "export", "store": str(main_store), "repeats": 3 if n <= 1000 else 1,
                             "rdflib": (run.get("triples") or 0) <= self.rdflib_max})
            run["export_detail"] = res
            fm = res.get("formats", {})
            run["export"] = {"turtle_triples_per_s": fm.get("turtle", {}).get("write_triples_per_s"),
                             "baseline_turtle_triples_per_s": res.get("baseline_turtle_triples_per_s", "not measured")}
            for fmt, v in fm.items():
                run["export"][f"{fmt}_write_triples_per_s"] = v["write_triples_per_s"]
                run["export"][f"{fmt}_read_triples_per_s"] = v["read_triples_per_s"]
            if "baseline_turtle_read_triples_per_s" in res:
                run["export"]["baseline_turtle_read_triples_per_s"] = res["baseline_turtle_read_triples_per_s"]
        if "export" not in self.skip:
            self.stage(run, "export/import", export)

        if profile:
            def prof():
                pc = self.corpus("synthetic", min(n, 300), tag="profile")
                res = run_child({"task": "profile", "corpus": str(pc), "out": str(self.out / "profile.txt")})
                run["profile"] = res
            self.stage(run, "profile", prof)
        if self.keep_work:  # the built store stays for follow-up experiments (work/N/store-j1)
            run["kept_store"] = str(main_store)
        else:
            shutil.rmtree(work, ignore_errors=True)
        return run

    def maps(self) -> None:
        from benchmarks.maps import measure_maps
        self.results["maps"] = measure_maps()
        self.save()


def run_queries_stage(store: Path, work: Path, *, repeats: int, rdflib_max: int, rdflib_budget: float,
                      max_memory_gb: float = 10.0, log=None) -> dict:
    """The query child, restarted after a crash: a case that kills the child (memory cap, OOM)
    is recorded as an error and the child resumes with the cases not yet measured."""
    partial = work / "queries.partial.jsonl"
    partial.unlink(missing_ok=True)
    done: list[dict] = []
    crashed: list[str] = []
    setup: dict = {}
    for _ in range(5):
        res = run_child({"task": "queries", "store": str(store), "repeats": repeats, "cap": RDFLIB_CAP_S,
                         "rdflib_max_triples": rdflib_max, "rdflib_budget_s": rdflib_budget,
                         "max_memory_gb": max_memory_gb, "partial": str(partial),
                         "skip_cases": [r["name"] for r in done]})
        if "error" not in res:
            setup = {k: v for k, v in res.items() if k != "queries"}
            done += res.get("queries", [])
            break
        lines = [json.loads(x) for x in partial.read_text().splitlines()] if partial.exists() else []
        partial.unlink(missing_ok=True)
        started = [x for x in lines if "started" in x]
        finished = {x["row"]["name"] for x in lines if "row" in x}
        done += [x["row"] for x in lines if "row" in x]
        lost = [x for x in started if x["started"] not in finished]
        if not lost:  # died before the first case: nothing to skip, give up
            setup = {"error": res["error"]}
            break
        x = lost[0]
        crashed.append(x["started"])
        done.append({"name": x["started"], "query": x["query"], "scope": x["scope"], "params": x["params"],
                     "error": f"the query process died (memory cap {max_memory_gb:g} GB or killed): {res['error']}"[:300]})
        if log:
            log(f"query {x['started']} crashed the query process; resuming without it")
    order = {c: i for i, c in enumerate(r["name"] for r in done)}
    setup["queries"] = sorted(done, key=lambda r: order[r["name"]])
    setup["crashed_cases"] = crashed
    return setup


def len_of_store(path: Path) -> int:
    from pyoxigraph import Store
    return len(Store.read_only(str(path)))


def _summarise_builds(runs: list[dict], n: int) -> dict:
    ok = [r for r in runs if "seconds" in r]
    if not ok:
        return {"error": runs[-1].get("error") if runs else "no run"}
    sec = _median([r["seconds"] for r in ok])
    triples = ok[-1]["triples"]
    return {"seconds": sec, "articles_per_s": n / sec, "triples": triples, "triples_per_s": triples / sec,
            "peak_rss_mb": max(r["peak_rss_mb"] for r in ok),
            "peak_rss_workers_mb": max(r["peak_rss_workers_mb"] for r in ok),
            "all_seconds": [r["seconds"] for r in ok], "skipped": ok[-1]["skipped"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, help="one size (number of articles)")
    parser.add_argument("--sizes", help="comma-separated sizes, e.g. 100,1000,10000")
    parser.add_argument("--out", type=Path, help="folder for results.json, results.md, corpora")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per query (median)")
    parser.add_argument("--build-repeats", type=int, help="builds per configuration (default 3 up to 1,000 articles, else 1)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rdflib-max-triples", type=int, default=1_200_000,
                        help="skip the rdflib baseline above this many triples (it needs ~2.4 GB per 1M)")
    parser.add_argument("--rdflib-budget", type=float, default=1800.0,
                        help="seconds of rdflib query time per size; later queries are not measured")
    parser.add_argument("--profile", action="store_true", help="also profile a build (cProfile, first size)")
    parser.add_argument("--no-maps", action="store_true", help="skip the map timing stage")
    parser.add_argument("--skip", default="", help="comma-separated stages to leave out: jobs2, commit-each, "
                        "memory-build, recombined, baseline, bulk, incremental, queries, export")
    parser.add_argument("--keep-work", action="store_true", help="keep OUT/work/N (the built store) after the run")
    parser.add_argument("--queries-store", type=Path, help="run only the query stage on this built store")
    parser.add_argument("--export-store", type=Path, help="run only the export/import stage on this built store")
    parser.add_argument("--query-memory-gb", type=float, default=10.0,
                        help="address-space cap of the query process (the in-memory copy takes ~0.6 GB per 1M triples)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        task = json.loads(args.child)
        print(json.dumps(CHILD_TASKS[task["task"]](task), default=str))
        return 0
    if args.queries_store:  # the query stage alone, on a store built earlier (e.g. --keep-work)
        if args.out is None:
            parser.error("give --out DIR")
        args.out.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        load0 = os.getloadavg()[0]
        res = run_queries_stage(args.queries_store, args.out, repeats=args.repeats, rdflib_max=args.rdflib_max_triples,
                                rdflib_budget=args.rdflib_budget, max_memory_gb=args.query_memory_gb,
                                log=lambda m: print(m, file=sys.stderr, flush=True))
        res["load"] = {"start": round(load0, 2), "end": round(os.getloadavg()[0], 2),
                       "stage_seconds": round(time.perf_counter() - t0, 1)}
        res["machine"] = machine_info()
        (args.out / "queries.json").write_text(json.dumps(res, indent=2, default=str) + "\n")
        print(args.out / "queries.json")
        return 0
    if args.export_store:  # the export stage alone, on a store built earlier (e.g. --keep-work)
        if args.out is None:
            parser.error("give --out DIR")
        args.out.mkdir(parents=True, exist_ok=True)
        load0 = os.getloadavg()[0]
        res = run_child({"task": "export", "store": str(args.export_store), "repeats": 1,
                         "rdflib": len_of_store(args.export_store) <= args.rdflib_max_triples})
        res["load"] = {"start": round(load0, 2), "end": round(os.getloadavg()[0], 2)}
        res["machine"] = machine_info()
        (args.out / "export.json").write_text(json.dumps(res, indent=2, default=str) + "\n")
        print(args.out / "export.json")
        return 0
    if not args.articles and not args.sizes:
        parser.error("give --articles N or --sizes N1,N2,...")
    if args.out is None:
        parser.error("give --out DIR")
    sizes = [args.articles] if args.articles else [int(s) for s in args.sizes.split(",") if s.strip()]
    runner = Runner(args.out, repeats=args.repeats, build_repeats=args.build_repeats, seed=args.seed,
                    rdflib_max_triples=args.rdflib_max_triples, rdflib_budget_s=args.rdflib_budget,
                    keep_work=args.keep_work, skip=frozenset(x.strip() for x in args.skip.split(",") if x.strip()))
    runner.save()
    for i, n in enumerate(sizes):
        runner.run_size(n, profile=args.profile and i == 0)
    if not args.no_maps:
        runner.maps()
    runner.results["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    runner.save()
    print(runner.out / "results.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
