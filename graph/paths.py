"""Paths and centrality over the entity graph (graph/network.py), keeping the evidence of every hop.

Both work on the undirected view of the relation graph: a researcher asking how two actors are
connected does not care which way "developedBy" points, but each hop reports its direction.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

import networkx as nx

from policykg.errors import QueryError
from policykg.graph.network import Evidence, entity_graph

# Exact betweenness is O(V·E); above this many nodes it is estimated from a fixed-seed sample.
_EXACT_BETWEENNESS_MAX = 2000


@dataclass(frozen=True)
class Hop:
    """One step of a path: ``source -relation-> target`` as stated (``forward`` False when the
    path walks the relation backwards), with one supporting quote and the number of articles."""

    source: str
    source_label: str
    relation: str
    target: str
    target_label: str
    forward: bool
    quote: str
    article: str
    articles: int


@dataclass(frozen=True)
class Centrality:
    """An entity's degree (distinct neighbours), betweenness and supporting-article count."""

    entity: str
    label: str
    type: str
    degree: int
    betweenness: float
    articles: int


def _undirected(g: nx.MultiDiGraph) -> nx.Graph:
    """One undirected edge per connected pair, holding the best-supported relation between them."""
    u = nx.Graph()
    u.add_nodes_from(g.nodes(data=True))
    for s, o, data in g.edges(data=True):
        cand = (data["articles"], data["relation"], s, o, data)
        if s == o:
            continue
        best = u.edges[s, o]["best"] if u.has_edge(s, o) else None
        # Most articles first; ties broken by relation name so the choice is deterministic.
        if best is None or (cand[0], _neg(cand[1])) > (best[0], _neg(best[1])):
            u.add_edge(s, o, best=cand[:4] + (data,))
    return u


def _neg(text: str) -> tuple:
    return tuple(-ord(c) for c in text)


def shortest_paths(g: nx.MultiDiGraph, a: str, b: str, *, max_paths: int = 5) -> list[list[Hop]]:
    """Up to ``max_paths`` shortest paths between entity IRIs ``a`` and ``b`` (sorted, deterministic).

    :raises QueryError: an entity is not in the graph, or no path connects them.
    """
    for node in (a, b):
        if node not in g:
            raise QueryError(f"{node} takes part in no relation; no path can start or end there")
    u = _undirected(g)
    try:
        paths = sorted(islice(nx.all_shortest_paths(u, a, b), 10_000))
    except nx.NetworkXNoPath:
        raise QueryError(f"no chain of relations connects {g.nodes[a]['label']} and {g.nodes[b]['label']}") from None
    out = []
    for nodes in paths[:max_paths]:
        hops = []
        for x, y in zip(nodes, nodes[1:]):
            articles, relation, s, o, data = u.edges[x, y]["best"]
            ev: Evidence = sorted(data["evidence"], key=lambda e: (e.article, e.start))[0]
            hops.append(Hop(x, g.nodes[x]["label"], relation, y, g.nodes[y]["label"], s == x,
                            ev.quote, ev.article, articles))
        out.append(hops)
    return out


def find_paths(store, a: str, b: str, *, max_paths: int = 5) -> list[list[Hop]]:
    """Shortest evidence paths between two entities named by any alias (or IRI)."""
    from policykg.queries.library import resolve_entity
    ia, ib = resolve_entity(store, a).value, resolve_entity(store, b).value
    if ia == ib:
        raise QueryError(f"{a!r} and {b!r} are the same entity")
    return shortest_paths(entity_graph(store), ia, ib, max_paths=max_paths)


def centrality(g: nx.MultiDiGraph, *, type_: str | None = None, top: int | None = 20) -> list[Centrality]:
    """Entities ranked by betweenness, then degree, over the undirected relation graph.

    ``articles`` counts distinct articles supporting the entity's relations. ``type_`` keeps
    entities of that class (local name, e.g. ``Company``) after computing over the whole graph.
    """
    u = _undirected(g)
    if u.number_of_nodes() > _EXACT_BETWEENNESS_MAX:
        between = nx.betweenness_centrality(u, k=_EXACT_BETWEENNESS_MAX, seed=7)
    else:
        between = nx.betweenness_centrality(u)
    rows = []
    for node, data in g.nodes(data=True):
        if type_ and data.get("type") != type_.removeprefix("pkg:"):
            continue
        arts = {e.article for _, _, d in g.in_edges(node, data=True) for e in d["evidence"]}
        arts |= {e.article for _, _, d in g.out_edges(node, data=True) for e in d["evidence"]}
        rows.append(Centrality(node, data["label"], data["type"], u.degree(node) if node in u else 0,
                               round(between.get(node, 0.0), 6), len(arts)))
    rows.sort(key=lambda c: (-c.betweenness, -c.degree, -c.articles, c.label, c.entity))
    return rows[:top] if top else rows


def central_entities(store, *, type_: str | None = None, top: int | None = 20) -> list[Centrality]:
    """:func:`centrality` over the store's entity graph; ``type_`` must be a policykg class."""
    if type_:
        from policykg.ontology.terms import ENTITY_CLASSES
        if type_.removeprefix("pkg:") not in ENTITY_CLASSES:
            raise QueryError(f"{type_!r} is not an entity class (one of: {', '.join(ENTITY_CLASSES)})")
    return centrality(entity_graph(store), type_=type_, top=top)
