"""Map timings: the layout step (``policykg.viz.layout``) at 500 / 2,000 / 10,000 nodes, and the
browser draw measured by the viz helper ``python -m policykg.viz.measure 500 2000 10000``
(headless Chromium: time to first paint, time to interactive, "show all" redraw, HTML size).

The helper runs in its own process; if it fails (no Chromium, a timeout) its entry says
"not measured" with the reason, rather than a number from a different method.
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SIZES = (500, 2000, 10000)
LAYOUT_TIMEOUT_S = 300
BROWSER_TIMEOUT_S = 1200
BROWSER_HELPER = "policykg.viz.measure"


def synthetic_graph(n: int, seed: int = 0) -> tuple[list[str], list[tuple[str, str, float]]]:
    """``n`` nodes with ~2 edges each, attached preferentially (a few hubs, as in the entity graph)."""
    rng = random.Random(f"map:{seed}:{n}")
    nodes = [f"https://w3id.org/policykg/id/org/n{i}" for i in range(n)]
    edges, targets = [], [nodes[0]]
    for i in range(1, n):
        for _ in range(2):
            t = rng.choice(targets)
            if t != nodes[i]:
                edges.append((nodes[i], t, 1.0))
                targets.append(t)
        targets.append(nodes[i])
    return nodes, edges


def browser_timings(sizes=SIZES, *, timeout: float = BROWSER_TIMEOUT_S) -> dict:
    """``python -m policykg.viz.measure SIZES`` in a child process: one row per size (first paint
    and interactive in ms from navigation start, show-all redraw, HTML bytes), or the reason why not."""
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-m", BROWSER_HELPER, *map(str, sizes)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"status": "not measured", "helper": BROWSER_HELPER, "reason": f"timed out after {timeout:g} s"}
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not rows:
        return {"status": "not measured", "helper": BROWSER_HELPER,
                "reason": (proc.stderr.strip().splitlines() or ["no output"])[-1][:300]}
    for row in rows:
        row.pop("requests", None)  # offline pages: listed by the viz tests, not needed here
    return {"status": "measured", "helper": BROWSER_HELPER, "rows": rows}


def _layout_child(n: int) -> dict:
    from policykg.viz.layout import compute_layout
    nodes, edges = synthetic_graph(n)
    t0 = time.perf_counter()
    pos = compute_layout(nodes, edges)
    return {"nodes": n, "edges": len(edges), "layout_seconds": time.perf_counter() - t0, "placed": len(pos)}


def measure_maps() -> dict:
    """Layout seconds per size (each in a child process with a timeout) and the browser entry."""
    out: dict = {"layout": [], "browser": None}
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    for n in SIZES:
        cmd = [sys.executable, "-c", f"import json; from benchmarks.maps import _layout_child; print(json.dumps(_layout_child({n})))"]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO, timeout=LAYOUT_TIMEOUT_S)
            if proc.returncode == 0:
                out["layout"].append(json.loads(proc.stdout.strip().splitlines()[-1]))
            else:
                out["layout"].append({"nodes": n, "error": (proc.stderr.strip().splitlines() or ["?"])[-1][:300]})
        except subprocess.TimeoutExpired:
            out["layout"].append({"nodes": n, "layout_seconds": f"> {LAYOUT_TIMEOUT_S} s"})
    out["browser"] = browser_timings()
    return out


if __name__ == "__main__":  # python -m benchmarks.maps OUT.json: the map stage on its own
    result = measure_maps()
    text = json.dumps(result, indent=2, default=str)
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(text + "\n")
    print(text)
