"""The benchmark harness at a smoke size, so it cannot rot. No timing is asserted here."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks import generator, recombine  # noqa: E402
from benchmarks.run import main  # noqa: E402


def test_synthetic_articles_are_deterministic_and_realistic():
    a = generator.article(7, seed=3)
    assert a == generator.article(7, seed=3)
    assert a != generator.article(8, seed=3)
    assert 4500 <= len(a) <= 7000
    assert "Share this post" in a
    assert re.search(r"“[^”]+,” (said|told|argued|warned|noted|wrote|added)", a) or "said" in a
    assert re.search(r"\b(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, 20\d\d", a)
    corpus = "".join(generator.article(i) for i in range(60))
    assert "Also read:" in corpus and "“" in corpus and ("disputed" in corpus or "denied" in corpus)


def test_pools_are_larger_than_the_reference_data():
    from policykg.loaders.reference import load_reference
    entries = load_reference().entries
    sizes = generator.pools().sizes()
    by_type = lambda *types: sum(1 for e in entries if e.type in types)  # noqa: E731
    assert sizes["people"] > 10 * by_type("Person")
    assert sizes["companies"] > 10 * by_type("Company")
    assert sizes["models"] > 10 * by_type("AIModel")
    assert sizes["policies"] > 10 * by_type("Policy", "Regulation", "ExportControl")
    assert sum(sizes.values()) > 10 * len(entries)


def test_recombined_articles_are_real_paragraphs(tmp_path):
    paths = recombine.write_corpus(tmp_path, 5)
    pool = set(recombine.paragraphs())
    texts = [p.read_text(encoding="utf-8") for p in paths]
    assert len(set(texts)) == 5
    for t in texts:
        assert all(par in pool for par in t.strip().split("\n\n"))
        assert len(t) >= 4000


def test_smoke_run_writes_results(tmp_path):
    out = tmp_path / "bench"
    assert main(["--articles", "4", "--out", str(out), "--repeats", "1", "--build-repeats", "1", "--no-maps"]) == 0
    res = json.loads((out / "results.json").read_text())
    assert {"cores", "ram_gb", "python", "pyoxigraph", "rdflib"} <= res["machine"].keys()
    run = res["runs"][0]
    assert not run.get("errors"), run.get("errors")
    assert run["articles"] == 4 and run["triples"] > 0
    b = run["build"]
    for key in ("articles_per_s", "triples_per_s", "peak_rss_mb", "jobs", "baseline_triples_per_s", "bulk_load_triples_per_s"):
        assert key in b, key
    from policykg.queries.library import load_library
    measured = {q["query"] for q in run["queries"]}
    assert measured == set(load_library())
    for q in run["queries"]:
        assert "error" not in q, q
        assert {"name", "median_ms", "baseline_median_ms"} <= q.keys()
        assert q.get("answers_equal", True), q["name"]
    assert {"turtle_triples_per_s", "baseline_turtle_triples_per_s"} <= run["export"].keys()
    assert run["incremental"]["added_articles"] == 10
    md = (out / "results.md").read_text()
    assert "## Build" in md and "## Goals" in md
