"""Make docs/map.png for the README from a real map of the bundled sample corpus.

    python scripts/screenshot.py [--focus ENTITY] [--out docs/map.png]

Builds the corpus into a throw-away in-memory store, renders the entities map, opens it in
headless Chromium (policykg.viz.measure), clicks the focus entity so the side panel shows its
quotes, and saves a PNG. Needs chromium + chromium-driver + selenium.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--focus", default="Zhipu AI", help="Entity whose panel is open in the picture.")
    parser.add_argument("--out", default=str(REPO / "docs" / "map.png"), help="PNG to write.")
    parser.add_argument("--corpus", default=str(REPO / "corpus"), help="Articles to build the map from.")
    args = parser.parse_args(argv)

    from policykg.graph.build import build
    from policykg.graph.store import open_store
    from policykg.queries.library import resolve_entity
    from policykg.viz.maps import build_map, render
    from policykg.viz.measure import chromium, open_map

    store = open_store(memory=True)
    report = build(store, [Path(args.corpus)])
    if not report.ok:
        print(f"screenshot: some files were skipped: {report.skipped}", file=sys.stderr)
    node = resolve_entity(store, args.focus).value
    with tempfile.TemporaryDirectory() as tmp, chromium() as driver:
        page = Path(tmp) / "map.html"
        page.write_bytes(render(build_map(store)))
        loaded = open_map(driver, page)
        if loaded.requests or loaded.console_errors:
            print(f"screenshot: the page is not clean: {loaded.requests} {loaded.console_errors}", file=sys.stderr)
            return 1
        # Select through the page's own search, as a reader would, then frame the whole map.
        driver.execute_script("""window.policykgMap.goTo(arguments[0]);
            window.policykgMap.network.fit({animation: false});""", node)
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(out))
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
