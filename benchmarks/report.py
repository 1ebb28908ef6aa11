"""results.json -> results.md: the tables, and each goal of the performance issue met or missed."""
from __future__ import annotations

import statistics


def _f(x, digits: int = 0) -> str:
    """A number for a table (thousands separators); strings (e.g. "> 60 s") pass through."""
    if x is None:
        return "–"
    if isinstance(x, str):
        return x
    if digits == 0:
        return f"{x:,.0f}"
    return f"{x:,.{digits}f}"


def _ms(x) -> str:
    if isinstance(x, (int, float)):
        return f"{x:,.1f}" if x < 100 else f"{x:,.0f}"
    return _f(x)


def _rows_note(q: dict) -> str:
    if "rows_distinct" not in q:
        return ""
    return f" ({q['rows_distinct']}; {q['baseline_rows']})" if q["rows_distinct"] != q["rows"] or q["baseline_rows"] != q["rows"] else ""


def _near_1m(runs: list[dict]) -> dict | None:
    """The run whose store is closest to one million triples (log distance)."""
    import math
    sized = [r for r in runs if r.get("triples")]
    return min(sized, key=lambda r: abs(math.log(r["triples"] / 1e6))) if sized else None


def _num(x) -> float | None:
    if isinstance(x, (int, float)):
        return float(x)
    if isinstance(x, str) and x.startswith(">"):
        return float(x.strip("> s")) * 1000  # a lower bound in ms
    return None


def goals(results: dict) -> list[tuple[str, str, str]]:
    """(goal, measured, verdict) rows; verdict is met / MISSED / not measured."""
    g = results.get("goals", {})
    runs = [r for r in results.get("runs", []) if r.get("build")]
    out: list[tuple[str, str, str]] = []
    if not runs:
        return out
    big = max(runs, key=lambda r: r["articles"])
    b = big["build"]

    def verdict(ok) -> str:
        return "not measured" if ok is None else ("met" if ok else "MISSED")
    aps = b.get("articles_per_s")
    out.append((f"build ≥ {g['build_articles_per_s']:.0f} articles/s, 1 process ({big['articles']:,} articles)",
                _f(aps), verdict(aps >= g["build_articles_per_s"] if aps else None)))
    sp = b.get("jobs2_speedup")
    out.append((f"--jobs 2 ≥ {g['jobs2_speedup']}× ", _f(sp, 2) + "×" if sp else "–",
                verdict(sp >= g["jobs2_speedup"] if sp else None)))
    ratio = b.get("bulk_load_ratio")
    out.append((f"end-to-end triples/s within {g['bulk_load_ratio_max']:.0f}× of pyoxigraph bulk_load",
                f"{ratio:.1f}× slower" if ratio else "–", verdict(ratio <= g["bulk_load_ratio_max"] if ratio else None)))
    near = _near_1m(runs)
    if near and near.get("queries"):
        qs = [q for q in near["queries"] if "median_ms" in q]
        label = f"at {near['triples']:,} triples"
        for scope, key, limit in (("scoped", "scoped_query_ms", g["scoped_query_ms"]),
                                  ("aggregate", "aggregate_query_ms", g["aggregate_query_ms"])):
            sel = [q for q in qs if q["scope"] == scope]
            if sel:
                worst = max(sel, key=lambda q: q["median_ms"])
                worst_mem = max(q["memory_median_ms"] for q in sel)
                out.append((f"{scope} queries median < {limit:.0f} ms ({label}; slowest, on-disk / in-memory)",
                            f"{_ms(worst['median_ms'])} / {_ms(worst_mem)} ms ({worst['name']})",
                            verdict(worst["median_ms"] < limit)))
        speedups = [_num(q.get("baseline_median_ms")) / q["memory_median_ms"] for q in qs
                    if _num(q.get("baseline_median_ms")) and q["memory_median_ms"] > 0]
        if speedups:
            med = statistics.median(speedups)
            out.append((f"≥ {g['rdflib_speedup_min']:.0f}× faster than rdflib (median over the library, memory stores)",
                        f"{med:,.0f}×", verdict(med >= g["rdflib_speedup_min"])))
        else:
            out.append(("≥ 20× faster than rdflib", "–", "not measured"))
        over = [q["median_ms"] / q["raw_median_ms"] for q in qs
                if _num(q.get("raw_median_ms")) and _num(q.get("median_ms")) and q["raw_median_ms"] > 0]
        if over:
            # Ours and raw run the same text one after the other, so a single case's ratio is mostly
            # timing noise on a shared machine; the median over the library is the glue's cost.
            out.append((f"within {g['raw_overhead_max']}× of raw pyoxigraph (median over the library, on-disk; worst case)",
                        f"{statistics.median(over):.2f}× (worst {max(over):.2f}×)",
                        verdict(statistics.median(over) <= g["raw_overhead_max"])))
        if near.get("build", {}).get("peak_rss_mb"):
            rss = near["build"]["peak_rss_mb"]
            out.append((f"peak RSS < {g['peak_rss_mb_1m']:.0f} MB building {label}", f"{rss:,.0f} MB",
                        verdict(rss < g["peak_rss_mb_1m"])))
    ttl = big.get("export", {}).get("turtle_triples_per_s")
    out.append((f"Turtle export ≥ {g['turtle_triples_per_s']:,.0f} triples/s ({big['articles']:,} articles)",
                _f(ttl), verdict(ttl >= g["turtle_triples_per_s"] if ttl else None)))
    return out


def markdown(results: dict) -> str:
    """The whole report as Markdown."""
    m = results.get("machine", {})
    lines = ["# policykg benchmark results", "",
             f"Started {results.get('started')}; finished {results.get('finished', '(running or stopped)')}.",
             f"Machine: {m.get('cores')} cores ({m.get('cpu')}), {m.get('ram_gb')} GB RAM, Python {m.get('python')}, "
             f"pyoxigraph {m.get('pyoxigraph')}, rdflib {m.get('rdflib')}, policykg {m.get('policykg')} @ {m.get('commit')}.",
             ""]
    runs = results.get("runs", [])
    lines += ["## Build (files → persistent store)", "",
              "| articles | triples | articles/s | triples/s | jobs 2 articles/s (speed-up) | one commit per document articles/s "
              "| memory store articles/s "
              "| peak RSS MB (writer / workers) | rdflib baseline triples/s | bulk_load triples/s (ratio) | real-prose articles/s |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in runs:
        b = r.get("build") or {}
        j2 = b.get("jobs2") or {}
        mem = b.get("memory") or {}
        each = b.get("commit_each") or {}
        rec = r.get("build_recombined") or {}
        sp = f" ({b['jobs2_speedup']:.2f}×)" if b.get("jobs2_speedup") else ""
        ratio = f" ({b['bulk_load_ratio']:.1f}×)" if b.get("bulk_load_ratio") else ""
        lines.append(f"| {r['articles']:,} | {_f(r.get('triples'))} | {_f(b.get('articles_per_s'), 1)} | {_f(b.get('triples_per_s'))} "
                     f"| {_f(j2.get('articles_per_s'), 1)}{sp} | {_f(each.get('articles_per_s'), 1)} "
                     f"| {_f(mem.get('articles_per_s'), 1)} "
                     f"| {_f(b.get('peak_rss_mb'))} / {_f(j2.get('peak_rss_workers_mb'))} | {_f(b.get('baseline_triples_per_s'))} "
                     f"| {_f(b.get('bulk_load_triples_per_s'))}{ratio} | {_f(rec.get('articles_per_s'), 1)} |")
    lines += ["", "## Incremental: 10 new articles into a store of N", "",
              "| N | add 10 to N (s) | 10 into empty store (s) | ratio | re-run unchanged N (s) |", "|---:|---:|---:|---:|---:|"]
    for r in runs:
        i = r.get("incremental") or {}
        if "add_seconds" in i:
            lines.append(f"| {r['articles']:,} | {i['add_seconds']:.3f} | {i['fresh_seconds']:.3f} | {i['ratio_to_fresh']:.2f} "
                         f"| {i['unchanged_rebuild_seconds']:.2f} |")
    for r in runs:
        if not r.get("queries"):
            continue
        qs = r.get("query_setup", {})
        lines += ["", f"## Queries at {r['articles']:,} articles ({_f(r.get('triples'))} triples), median ms", "",
                  f"rdflib baseline: {('loaded in %.1f s' % qs['rdflib_load_seconds']) if 'rdflib_load_seconds' in qs else qs.get('rdflib_skipped', '–')}.",
                  "", "| query | scope | rows (distinct; rdflib) | on-disk | in-memory | raw pyoxigraph disk / mem | rdflib | speed-up vs rdflib | answers equal |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---|"]
        for q in r["queries"]:
            if "error" in q:
                lines.append(f"| {q['name']} | {q['scope']} | error: {q['error'][:80]} | | | | | | |")
                continue
            base = _num(q.get("baseline_median_ms"))
            speed = f"{base / q['memory_median_ms']:,.0f}×" if base and q["memory_median_ms"] else "–"
            if isinstance(q.get("baseline_median_ms"), str) and q["baseline_median_ms"].startswith(">"):
                speed = "> " + speed
            lines.append(f"| {q['name']} | {q['scope']} | {q.get('rows')}{_rows_note(q)} | {_ms(q['median_ms'])} | {_ms(q['memory_median_ms'])} "
                         f"| {_ms(q['raw_median_ms'])} / {_ms(q['raw_memory_median_ms'])} | {_ms(q.get('baseline_median_ms'))} "
                         f"| {speed} | {q.get('answers_equal', '–')} |")
    lines += ["", "## Export / import (triples/s)", "",
              "| articles | Turtle write / read | TriG write / read | N-Quads write / read | JSON-LD write / read | rdflib Turtle write / read |",
              "|---:|---:|---:|---:|---:|---:|"]
    for r in runs:
        e = r.get("export")
        if not e:
            continue
        cells = [f"{_f(e.get(f'{k}_write_triples_per_s'))} / {_f(e.get(f'{k}_read_triples_per_s'))}"
                 for k in ("turtle", "trig", "nquads", "jsonld")]
        lines.append(f"| {r['articles']:,} | " + " | ".join(cells)
                     + f" | {_f(e.get('baseline_turtle_triples_per_s'))} / {_f(e.get('baseline_turtle_read_triples_per_s'))} |")
    maps = results.get("maps")
    if maps:
        lines += ["", "## Maps", "", "| nodes | edges | layout s (viz.layout.compute_layout) |", "|---:|---:|---:|"]
        for x in maps.get("layout", []):
            lines.append(f"| {x['nodes']:,} | {_f(x.get('edges'))} | {_f(x.get('layout_seconds'), 2) if 'error' not in x else 'error: ' + x['error']} |")
        br = maps.get("browser") or {}
        if br.get("rows"):
            lines += ["", f"Browser draw (headless Chromium, `python -m {br.get('helper')}`; best of its loads):", "",
                      "| nodes | edges | HTML MB | first paint ms | interactive ms | show all drawn ms | wall s | layout + data s |",
                      "|---:|---:|---:|---:|---:|---:|---:|---:|"]
            for x in br["rows"]:
                lines.append(f"| {x['nodes']:,} | {_f(x.get('edges'))} | {_f((x.get('html_bytes') or 0) / 1e6, 2)} "
                             f"| {_f(x.get('first_paint_ms'))} | {_f(x.get('interactive_ms'))} | {_f(x.get('show_all_ms'))} "
                             f"| {_f(x.get('wall_seconds'), 2)} | {_f(x.get('layout_and_data_s'), 1)} |")
        else:
            lines += ["", f"Browser draw (headless Chromium): **{br.get('status')}** — {br.get('reason', '')}"]
    gl = goals(results)
    if gl:
        lines += ["", "## Goals", "", "| goal | measured | verdict |", "|---|---|---|"]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in gl]
    prof = next((r["profile"] for r in runs if r.get("profile") and "top_own" in r["profile"]), None)
    if prof:
        lines += ["", f"## Profile (cProfile, build of {min(runs[0]['articles'], 300)} articles into memory; "
                  f"{prof['seconds']:.2f} s wall with profiler)", "",
                  "Cumulative seconds by stage: " + ", ".join(f"{k} {v}" for k, v in sorted(
                      prof["stages_cumulative_s"].items(), key=lambda kv: -kv[1])), "",
                  "| function (top by own time) | calls | own s | share |", "|---|---:|---:|---:|"]
        lines += [f"| `{t['function']}` | {t['calls']:,} | {t['own_s']} | {t['own_share']:.0%} |" for t in prof["top_own"][:15]]
    loads = [(r["articles"], k, v) for r in runs for k, v in (r.get("load") or {}).items()]
    if loads:
        lines += ["", "## Load average during each stage (1-minute, start → end; the machine is shared)", "",
                  "| articles | stage | load start → end | stage wall s |", "|---:|---|---|---:|"]
        lines += [f"| {n:,} | {k} | {v['start']:.2f} → {v['end']:.2f} | {v['stage_seconds']:,.1f} |" for n, k, v in loads]
    errs = [(r["articles"], k, v) for r in runs for k, v in (r.get("errors") or {}).items()]
    if errs:
        lines += ["", "## Errors", ""] + [f"- {n:,} articles, {k}: {v}" for n, k, v in errs]
    return "\n".join(lines) + "\n"
