"""The self-contained HTML page: our template, CSS and script, vis-network inlined from the
installed pyvis package, and the map data as one JSON block.

Safety: every text from articles travels only inside the JSON block, where ``<``, ``>``, ``&``
and U+2028/U+2029 are written as ``\\uXXXX`` escapes, so no quote can close the block or open
a tag; the script puts text into the page with ``textContent`` only. A Content-Security-Policy
allows exactly our two inline scripts (by hash) and no network access of any kind.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
from functools import lru_cache
from importlib import resources

from policykg import __version__
from policykg.errors import UsageError
from policykg.viz.maps import OVERVIEW_NODES, MapData
from policykg.viz.style import CONFLICT_COLOUR, EDGE_COLOUR, SUPPORT_COLOUR, node_style

_MAX_PANEL_ARTICLES = 25      # quotes kept per node: the panel stays readable, the page small
PHYSICS_MAX = 300             # the physics button is offered only below this many nodes
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_for_script(value) -> str:
    """JSON that is inert inside an HTML ``<script>`` element whatever strings it holds."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return text


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """vis-network's standalone build, read from the pyvis package (no CDN, no copy in our tree)."""
    import importlib.util
    from pathlib import Path
    # find_spec locates pyvis without importing it (its import pulls in jinja2 and IPython).
    spec = importlib.util.find_spec("pyvis")
    try:
        if spec is None or not spec.submodule_search_locations:
            raise FileNotFoundError("pyvis is not installed")
        lib = Path(list(spec.submodule_search_locations)[0]) / "templates" / "lib"
        candidates = sorted((p for p in lib.iterdir() if p.name.startswith("vis-")),
                            key=lambda p: tuple(int(x) for x in p.name[4:].split(".") if x.isdigit()))
        text = (candidates[-1] / "vis-network.min.js").read_text(encoding="utf-8")
    except (FileNotFoundError, IndexError) as exc:
        raise UsageError(f"cannot read vis-network from the pyvis package ({exc}); pip install pyvis") from None
    if "</script" in text.lower() or "<!--" in text:
        raise UsageError("the vis-network file would end its <script> element early; check the pyvis install")
    return text


def _asset(name: str) -> str:
    return (resources.files("policykg.viz") / "assets" / name).read_text(encoding="utf-8")


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def page_data(data: MapData) -> dict:
    """Everything the page script needs, with article ids replaced by indices."""
    g, corpus = data.graph, data.corpus
    used = sorted({a for _, d in g.nodes(data=True) for a in d["articles"]}
                  | {a for _, _, d in g.edges(data=True) for a in d["articles"]})
    index = {a: i for i, a in enumerate(used)}

    def quotes(evidence):
        by_article: dict[int, list[str]] = {}
        for q in sorted(evidence):
            by_article.setdefault(index.setdefault(q.article, len(index)), []).append(q.text)
        return [[a, texts] for a, texts in list(by_article.items())[:_MAX_PANEL_ARTICLES]]

    nodes = []
    for n in sorted(g):
        d = g.nodes[n]
        item = {"id": n, "label": d["label"], "type": d["type"], "x": d["x"], "y": d["y"], "rank": d["rank"],
                "articles": sorted(index[a] for a in d["articles"])}
        if d["aliases"]:
            item["aliases"] = sorted(d["aliases"])
        if d["evidence"]:
            item["quotes"] = quotes(d["evidence"])
        if d["contested"]:
            item["contested"] = True
        if d["detail"]:
            item["detail"] = [list(x) for x in d["detail"]]
        nodes.append(item)
    edges = []
    for s, o, k, d in sorted(g.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        item = {"from": s, "to": o, "relation": d["relation"], "label": d["label"],
                "articles": sorted(index[a] for a in d["articles"])}
        if d["negated"]:
            item["negated"] = True
        if d["contested"]:
            item["contested"] = True
        if d["evidence"]:
            item["quotes"] = quotes(d["evidence"])
        edges.append(item)
    articles = [{"id": a, "title": corpus.titles.get(a, a), **({"date": corpus.dates[a]} if a in corpus.dates else {})}
                for a in sorted(index, key=index.get)]
    types = sorted({d["type"] for _, d in g.nodes(data=True)})
    focus_note = []
    overview = len(nodes) if data.focus else OVERVIEW_NODES
    return {
        "meta": {
            "title": data.title, "view": data.options.view, "version": __version__,
            "articles": len(corpus.titles), "newest": corpus.newest, "hash": data.graph_hash,
            "nodes": len(nodes), "edges": len(edges), "total": data.total_nodes, "overview": overview,
            "focus": data.focus, "notes": data.notes + focus_note, "physics": len(nodes) <= PHYSICS_MAX,
        },
        "types": {t: dict(zip(("label", "color", "shape"), node_style(t))) for t in types},
        "colors": {"edge": EDGE_COLOUR, "support": SUPPORT_COLOUR, "conflict": CONFLICT_COLOUR},
        "articles": articles,
        "nodes": nodes,
        "edges": edges,
    }


def render_page(data: MapData) -> str:
    """The whole page as text; the same MapData always gives the same bytes."""
    vis = vis_network_js()
    app = _asset("map.js")
    page = _asset("map.html")
    csp = ("default-src 'none'; script-src " + _csp_hash(vis) + " " + _csp_hash(app)
           + "; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")
    parts = {
        "{{TITLE}}": html.escape(data.title),
        "{{CSP}}": html.escape(csp, quote=False).replace('"', "&quot;"),
        "{{STYLE}}": _asset("map.css"),
        "{{DATA}}": json_for_script(page_data(data)),
        "{{VIS}}": vis,
        "{{APP}}": app,
    }
    # One pass over the template, so text inserted for one placeholder is never searched again.
    out, rest = [], page
    while "{{" in rest:
        head, _, tail = rest.partition("{{")
        name, _, rest = tail.partition("}}")
        out.append(head)
        out.append(parts["{{" + name + "}}"])
    out.append(rest)
    return "".join(out)
