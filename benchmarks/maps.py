"""Map timings: the layout step (``policykg.viz.layout``) at 500 / 2,000 / 10,000 nodes, and the
browser draw when a headless-Chromium timing helper exists (``viz/`` or ``tests/browser.py``).

The browser helper is another engineer's work in progress; until it exists its entry says
"not measured" with the reason, rather than a number from a different method.
"""
from __future__ import annotations

import importlib
import importlib.util
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
# Names a browser timing helper might have; the first callable found is reported.
_HELPER_NAMES = ("time_map", "time_render", "map_timing", "render_timing", "measure_map", "time_page")


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


def find_browser_helper() -> str | None:
    """``module:function`` of a map timing helper in headless Chromium, if one exists yet."""
    candidates = []
    browser = REPO / "tests" / "browser.py"
    if browser.exists():
        candidates.append(("tests.browser", browser))
    viz = REPO / "viz"
    candidates += [(f"policykg.viz.{p.stem}", p) for p in sorted(viz.glob("*.py"))]
    for modname, path in candidates:
        text = path.read_text(encoding="utf-8", errors="replace")
        for name in _HELPER_NAMES:
            if f"def {name}(" in text:
                return f"{modname}:{name}"
    return None


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
    helper = find_browser_helper()
    if helper is None:
        out["browser"] = {"status": "not measured",
                          "reason": "no headless-Chromium map timing helper in viz/ or tests/browser.py yet"}
    else:
        out["browser"] = {"status": "not measured", "helper": helper,
                          "reason": "helper found; wire its signature into benchmarks/maps.py"}
    return out
