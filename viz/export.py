"""GraphML and GEXF of a map view, for Gephi: the same nodes, edges, colours and positions as the
page, with list values flattened to text (both formats take scalars only)."""
from __future__ import annotations

import io

import networkx as nx

from policykg.viz.maps import MapData
from policykg.viz.style import CONFLICT_COLOUR, EDGE_COLOUR, hex_rgb, node_style


def flat_graph(data: MapData, *, gexf: bool = False) -> nx.MultiDiGraph:
    """The view with scalar attributes only; with ``gexf`` also Gephi's ``viz`` position/colour/size."""
    g = data.graph
    out = nx.MultiDiGraph()
    for n in sorted(g):
        d = g.nodes[n]
        attrs = {"label": d["label"], "type": d["type"], "aliases": " | ".join(d["aliases"]),
                 "articles": len(d["articles"]), "article_ids": " | ".join(d["articles"]),
                 "quotes": " | ".join(q.text for q in sorted(d["evidence"])), "contested": bool(d["contested"]),
                 "x": float(d["x"]), "y": float(d["y"])}
        if gexf:
            r, gr, b = hex_rgb(node_style(d["type"])[1])
            attrs["viz"] = {"position": {"x": float(d["x"]), "y": float(-d["y"]), "z": 0.0},
                            "color": {"r": r, "g": gr, "b": b, "a": 1.0},
                            "size": float(5 + 3 * len(d["articles"]))}
        out.add_node(n, **attrs)
    for s, o, k, d in sorted(g.edges(keys=True, data=True), key=lambda e: e[:3]):
        attrs = {"relation": d["relation"], "label": d["label"], "negated": bool(d["negated"]),
                 "contested": bool(d["contested"]), "articles": len(d["articles"]),
                 "weight": float(max(1, len(d["articles"]))),
                 "quotes": " | ".join(q.text for q in sorted(d["evidence"]))}
        if gexf:
            r, gr, b = hex_rgb(CONFLICT_COLOUR if d["negated"] or d["contested"] else EDGE_COLOUR)
            attrs["viz"] = {"color": {"r": r, "g": gr, "b": b, "a": 1.0},
                            "thickness": float(max(1, len(d["articles"])))}
        out.add_edge(s, o, key=k, **attrs)
    out.graph.update({"title": data.title, "graph_sha256": data.graph_hash})
    return out


def render_export(data: MapData, fmt: str) -> bytes:
    """GraphML or GEXF bytes; deterministic (GEXF's modification date is the newest article's)."""
    if fmt == "graphml":
        lines = ['<?xml version="1.0" encoding="utf-8"?>', *nx.generate_graphml(flat_graph(data))]
        return ("\n".join(lines) + "\n").encode("utf-8")
    from networkx.readwrite.gexf import GEXFWriter
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    # networkx stamps today's date; the newest article date keeps rebuilds byte-identical.
    writer.xml.find("meta").set("lastmodifieddate", (data.corpus.newest or "1970-01-01")[:10])
    writer.add_graph(flat_graph(data, gexf=True))
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()
