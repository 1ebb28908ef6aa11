"""Open map pages in headless Chromium and measure them: time to first paint, time to
interactive, requests the page made, console errors. Used by the browser tests
(tests/browser.py), the README screenshot (scripts/screenshot.py) and the size benchmark::

    python -m policykg.viz.measure 500 2000 10000

Needs Debian ``chromium`` and ``chromium-driver`` and the ``selenium`` package (test extra).
"""
from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from policykg.errors import UsageError

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,900")


@contextmanager
def chromium(*, chromium_path: str | None = None, driver_path: str | None = None):
    """A headless Chromium driven by Selenium, with a fresh profile removed afterwards.

    Browser console and DevTools network events are logged, so callers can check that a page
    made no request and raised no error.
    :raises UsageError: when Chromium, ChromeDriver or selenium is missing.
    """
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ModuleNotFoundError:
        raise UsageError("selenium is not installed: pip install -e '.[test]'") from None
    browser = chromium_path or shutil.which("chromium") or CHROMIUM
    driver_exe = driver_path or shutil.which("chromedriver") or CHROMEDRIVER
    for exe in (browser, driver_exe):
        if not Path(exe).exists():
            raise UsageError(f"{exe} is missing: apt-get install chromium chromium-driver")
    profile = tempfile.mkdtemp(prefix="policykg-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={profile}")
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_exe), options=opts)
    try:
        driver.set_page_load_timeout(300)
        driver.set_script_timeout(300)
        driver.get("about:blank")  # let the start page finish before anything is measured
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@dataclass
class PageReport:
    """What one page load did."""

    url: str
    wall_seconds: float                 # driver.get until the map said it is ready
    first_paint_ms: float | None        # Chrome's first-contentful-paint, from navigation start
    interactive_ms: float | None        # our 'policykg-interactive' mark (map drawn, handlers on)
    requests: list[str] = field(default_factory=list)         # every URL the page fetched
    console_errors: list[str] = field(default_factory=list)
    html_bytes: int = 0
    show_all_ms: float | None = None    # redraw after ticking "show all" (every node drawn)


def network_requests(driver, document_url: str | None = None) -> list[str]:
    """URLs requested since the last call (by the page ``document_url`` only, when given), from
    the DevTools performance log."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            params = message["params"]
            if document_url is None or params.get("documentURL") == document_url:
                urls.append(params["request"]["url"])
    return urls


def console_errors(driver) -> list[str]:
    """SEVERE browser console messages since the last call."""
    return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def open_map(driver, path: str | Path, *, timeout: float = 300.0) -> PageReport:
    """Load a map page and wait until it is interactive; report timings, requests and errors."""
    path = Path(path).resolve()
    url = path.as_uri()
    network_requests(driver), console_errors(driver)     # drop what earlier pages logged
    t0 = time.perf_counter()
    driver.get(url)
    deadline = time.monotonic() + timeout
    while not driver.execute_script("return window.policykgReady === true"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path}: the map was not interactive after {timeout:.0f} s")
        time.sleep(0.02)
    wall = time.perf_counter() - t0
    # Chrome reports first-contentful-paint asynchronously: give it a moment to arrive.
    paint_deadline = time.monotonic() + 5
    while (not driver.execute_script("return performance.getEntriesByName('first-contentful-paint').length")
           and time.monotonic() < paint_deadline):
        time.sleep(0.02)
    timing = driver.execute_script("""
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        const ready = performance.getEntriesByName('policykg-interactive')[0];
        return {paint: paint ? paint.startTime : null, ready: ready ? ready.startTime : null,
                resources: performance.getEntriesByType('resource').map(r => r.name)};
    """)
    requests = sorted(set(network_requests(driver, url) + timing["resources"]) - {url})
    return PageReport(url, wall, timing["paint"], timing["ready"], requests, console_errors(driver),
                      path.stat().st_size)


def show_all(driver) -> float:
    """Tick "show all" and return the milliseconds until the map has redrawn every node."""
    return driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const net = window.policykgMap.network, box = document.getElementById('showall');
        const t0 = performance.now();
        net.once('afterDrawing', () => requestAnimationFrame(() => done(performance.now() - t0)));
        box.checked = true;
        box.dispatchEvent(new Event('change'));
    """)


def synthetic_map(n: int, *, seed: int = 7):
    """A MapData of ``n`` entities with ~2 relations each (preferential attachment), quotes and
    aliases like real ones: the benchmark's input."""
    import random

    import networkx as nx

    from policykg.viz.maps import MapData, MapOptions, rank_nodes
    from policykg.viz.views import Corpus, Quote
    from policykg.viz.layout import compute_layout
    rnd = random.Random(seed)
    types = ["Company", "Person", "GovernmentBody", "Country", "AIModel", "Policy", "Regulation", "Coalition"]
    relations = ["developedBy", "issuedBy", "restricts", "affiliatedWith", "memberOf", "basedIn"]
    articles = [f"synthetic/{i:05d}.txt" for i in range(max(5, n // 4))]
    base = nx.barabasi_albert_graph(n, 2, seed=seed)
    g = nx.MultiDiGraph()
    for i in base:
        arts = sorted(rnd.sample(articles, rnd.randint(1, 4)))
        g.add_node(f"https://example.org/e/{i}", label=f"Entity {i}", type=rnd.choice(types),
                   aliases=[f"E{i}"], articles=arts, contested=False, detail=[],
                   evidence=[Quote(a, 0, f"Entity {i} was named in a sentence of {a}.") for a in arts[:2]])
    for a, b in base.edges:
        s, o = f"https://example.org/e/{a}", f"https://example.org/e/{b}"
        rel = rnd.choice(relations)
        arts = sorted(set(g.nodes[s]["articles"][:1] + g.nodes[o]["articles"][:1]))
        g.add_edge(s, o, key=rel, relation=rel, label=rel, negated=rnd.random() < 0.03, contested=False,
                   articles=arts, evidence=[Quote(x, 0, f"Entity {a} {rel} Entity {b}.") for x in arts])
    for i, node in enumerate(rank_nodes(g)):
        g.nodes[node]["rank"] = i
    for node, (x, y) in compute_layout(list(g), [(s, o, 1) for s, o in g.edges()]).items():
        g.nodes[node]["x"], g.nodes[node]["y"] = x, y
    corpus = Corpus({a: f"Article {a}" for a in articles}, {}, {}, {})
    return MapData(g, corpus, MapOptions(), f"synthetic map, {n} nodes", "0" * 64, n)


def benchmark(sizes: list[int], out_dir: str | Path, *, repeats: int = 2) -> list[dict]:
    """Render synthetic maps of each size and load each ``repeats`` times in one browser; the
    best load is kept (the first load of a session pays the browser's warm-up)."""
    from policykg.viz.maps import render
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    with chromium() as driver:
        for n in sizes:
            t0 = time.perf_counter()
            data = synthetic_map(n)
            layout_s = time.perf_counter() - t0
            path = out_dir / f"synthetic-{n}.html"
            t0 = time.perf_counter()
            path.write_bytes(render(data))
            render_s = time.perf_counter() - t0
            runs = []
            for _ in range(repeats):
                report = open_map(driver, path)
                report.show_all_ms = show_all(driver)
                runs.append(report)
            best = min(runs, key=lambda r: r.interactive_ms or 1e12)
            rows.append({"nodes": n, "edges": data.graph.number_of_edges(), "layout_and_data_s": round(layout_s, 2),
                         "render_s": round(render_s, 2), **asdict(best)})
    return rows


def main(argv: list[str] | None = None) -> int:
    """``python -m policykg.viz.measure [SIZES...]``: print one JSON line per size."""
    sizes = [int(a) for a in (argv if argv is not None else sys.argv[1:])] or [500, 2000, 10000]
    with tempfile.TemporaryDirectory() as tmp:
        for row in benchmark(sizes, tmp):
            row.pop("url")
            print(json.dumps(row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
