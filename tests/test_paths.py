"""Evidence paths and centrality over the entity graph."""
from __future__ import annotations

import networkx as nx
import pytest

from policykg.errors import QueryError
from policykg.graph.network import Evidence
from policykg.graph.paths import central_entities, centrality, find_paths, shortest_paths


def toy() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for n, t in (("a", "Company"), ("b", "AIModel"), ("c", "Company"), ("d", "Person")):
        g.add_node(n, label=n.upper(), type=t)
    def edge(s, o, rel, *arts):
        ev = [Evidence(a, a, f"{s} {rel} {o} in {a}", 0, 5) for a in arts]
        g.add_edge(s, o, key=rel, relation=rel, negated=False, evidence=ev, articles=len(set(arts)))
    edge("b", "a", "developedBy", "x.txt", "y.txt")
    edge("b", "c", "comparedWith", "x.txt")
    edge("d", "c", "affiliatedWith", "z.txt")
    return g


def test_shortest_path_hops_carry_direction_and_evidence():
    (path,) = shortest_paths(toy(), "a", "d")
    assert [(h.source, h.relation, h.target, h.forward) for h in path] == [
        ("a", "developedBy", "b", False), ("b", "comparedWith", "c", True), ("c", "affiliatedWith", "d", False)]
    assert path[0].quote == "b developedBy a in x.txt" and path[0].articles == 2


def test_no_path_is_an_error():
    g = toy()
    g.add_node("e", label="E", type="Person")
    with pytest.raises(QueryError):
        shortest_paths(g, "a", "e")


def test_centrality_ranks_the_bridge_first():
    rows = centrality(toy())
    assert rows[0].entity in ("b", "c") and rows[0].betweenness > 0
    assert {r.entity: r.articles for r in rows}["b"] == 2
    assert [r.entity for r in centrality(toy(), type_="Company")] == ["c", "a"]


def test_corpus_path_and_centrality(corpus_store):
    paths = find_paths(corpus_store, "Zhipu AI", "Anthropic")
    assert paths and all(h.quote and h.article for p in paths for h in p)
    top = central_entities(corpus_store, type_="Company", top=5)
    assert top and all(c.type == "Company" for c in top) and top[0].articles >= 1
