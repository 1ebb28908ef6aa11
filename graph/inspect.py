"""Read-side summaries of a store: counts, and one entity's profile."""
from __future__ import annotations

from dataclasses import dataclass, field

from policykg.queries.library import resolve_entity, run_named

_COUNTS = """
PREFIX pkg: <https://w3id.org/policykg/ontology#>
SELECT ?what (COUNT(DISTINCT ?x) AS ?n) WHERE {
  VALUES (?what ?class) {
    ("documents" pkg:Document) ("statements" pkg:Statement) ("claims" pkg:Claim)
    ("events" pkg:Event) ("spans" pkg:TextSpan) ("conflicts" pkg:Conflict)
  }
  ?x a ?class .
} GROUP BY ?what
"""
_ENTITY_TYPES = """
PREFIX pkg: <https://w3id.org/policykg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE {
  ?e pkg:mentionedIn ?d ; a ?type .
  FILTER(STRSTARTS(STR(?type), STR(pkg:)))
} GROUP BY ?type ORDER BY ?type
"""
_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <https://w3id.org/policykg/ontology>) } }"
_PROFILE = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?e ?p ?o WHERE { VALUES ?p { rdfs:label skos:altLabel <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> } ?e ?p ?o }
"""


def stats(store) -> dict:
    """Counts of triples, documents, statements, claims, events, spans, and entities per type."""
    out: dict = {"triples": int(store.query(_TRIPLES).rows[0][0].value)}
    counts = {row[0].value: int(row[1].value) for row in store.query(_COUNTS).rows}
    for key in ("documents", "statements", "claims", "events", "spans", "conflicts"):
        out[key] = counts.get(key, 0)
    out["entities_by_type"] = {row[0].value.rsplit("#", 1)[1]: int(row[1].value)
                               for row in store.query(_ENTITY_TYPES).rows}
    return out


@dataclass
class EntityProfile:
    iri: str
    label: str
    types: list[str]
    aliases: list[str]
    facts: list[dict] = field(default_factory=list)
    said: list[dict] = field(default_factory=list)       # claims the entity made
    said_about: list[dict] = field(default_factory=list) # claims about it, by anyone
    events: list[dict] = field(default_factory=list)


def profile(store, name: str) -> EntityProfile:
    """Everything the graph knows about one entity (any alias accepted)."""
    entity = resolve_entity(store, name)
    rows = store.query(_PROFILE, substitutions={"e": entity}).rows
    labels = sorted(r[2].value for r in rows if r[1].value.endswith("#label"))
    types = sorted({r[2].value.rsplit("#", 1)[-1] for r in rows if r[1].value.endswith("#type")})
    aliases = sorted({r[2].value for r in rows if r[1].value.endswith("altLabel")})
    def rows(query: str, param: str) -> list[dict]:
        return [{k: v.value for k, v in r.items()} for r in run_named(store, query, {param: entity.value}).dicts()]

    return EntityProfile(entity.value, labels[0] if labels else entity.value, types, aliases,
                         facts=rows("entity-facts", "entity"), said=rows("quotes-by", "speaker"),
                         said_about=rows("who-said-about", "entity"), events=rows("entity-timeline", "entity"))

