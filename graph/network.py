"""networkx projection of the entity graph: typed nodes, relation edges carrying their evidence.

Paths, centrality and maps all start from here, so the evidence behind every edge travels with it.
"""
from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from policykg.ontology.terms import PKG

_NODES = """
PREFIX pkg: <https://w3id.org/policykg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?e ?label ?type ?articles ?aliases ?docs WHERE {
  { SELECT ?e (COUNT(DISTINCT ?doc) AS ?articles)
           (GROUP_CONCAT(DISTINCT ?docId; separator="\\u001f") AS ?docs)
    WHERE { ?e pkg:mentionedIn ?doc . ?doc <http://purl.org/dc/terms/identifier> ?docId } GROUP BY ?e }
  ?e rdfs:label ?label .
  # Aliases and types reduced per entity on their own: joined with the mentions first, an entity
  # that k articles mention would make k times the rows.
  { SELECT ?e (GROUP_CONCAT(DISTINCT ?alias; separator="\\u001f") AS ?aliases)
    WHERE { ?e skos:altLabel ?alias } GROUP BY ?e }
  # Most specific pkg: type, checked once per (entity, type) pair rather than once per row.
  { SELECT DISTINCT ?e ?type WHERE { ?e a ?type . FILTER(STRSTARTS(STR(?type), STR(pkg:))) } }
  FILTER NOT EXISTS { ?e a ?sub . ?sub rdfs:subClassOf+ ?type . FILTER(?sub != ?type) }
}
"""


@dataclass(frozen=True)
class Evidence:
    """One supporting quote of an edge."""

    article: str
    title: str
    quote: str
    start: int
    end: int


def _local(iri: str) -> str:
    return iri[len(PKG):] if iri.startswith(PKG) else iri


def entity_graph(store, *, include_negated: bool = False) -> nx.MultiDiGraph:
    """Entities as nodes (label, type, aliases, articles) and relations as edges keyed by relation,
    each with ``evidence`` (list of Evidence) and ``articles`` (distinct supporting articles)."""
    from policykg.queries.library import run_named
    g = nx.MultiDiGraph()
    for e, label, type_, articles, aliases, docs in store.query(_NODES).rows:
        if e.value in g:  # several most-specific types: keep the first, alphabetically
            if _local(type_.value) < g.nodes[e.value]["type"]:
                g.nodes[e.value]["type"] = _local(type_.value)
            continue
        g.add_node(e.value, label=label.value, type=_local(type_.value), articles=int(articles.value),
                   aliases=sorted(a for a in aliases.value.split("\x1f") if a),
                   documents=sorted(d for d in docs.value.split("\x1f") if d))
    for row in run_named(store, "relation-evidence").dicts():
        negated = row["negated"].value == "true"
        if negated and not include_negated:
            continue
        s, o, rel = row["subject"].value, row["object"].value, _local(row["relation"].value)
        if s not in g or o not in g:
            continue
        key = rel + (" (negated)" if negated else "")
        if not g.has_edge(s, o, key):
            g.add_edge(s, o, key=key, relation=rel, negated=negated, evidence=[], articles=0)
        data = g.edges[s, o, key]
        ev = Evidence(row["article"].value, row.get("title").value if row.get("title") else row["article"].value,
                      row["quote"].value, int(row["start"].value), int(row["end"].value))
        if ev not in data["evidence"]:
            data["evidence"].append(ev)
            data["articles"] = len({x.article for x in data["evidence"]})
    return g
