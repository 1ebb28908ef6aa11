"""The shared entity graph: one canonical label per entity, reference facts (type, country,
Wikidata). It is derived from the document graphs, so it is refreshed for exactly the entities a
build touched; a pending marker written in the same transaction as each document makes this
survive a crash between the two steps."""
from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import unquote

from pyoxigraph import Literal, NamedNode, Quad

from policykg.graph.iris import IRIMinter
from policykg.graph.mapping import typed
from policykg.graph.store import EmbeddedStore, quad_text
from policykg.loaders.reference import ReferenceData
from policykg.ontology import terms as T
from policykg.ontology.terms import pkg

PENDING_PREDICATE = NamedNode("urn:policykg:pending-refresh")
_ALT = NamedNode(T.SKOS_ALT_LABEL)
_LABEL = NamedNode(T.RDFS_LABEL)
_TYPE = NamedNode(T.RDF_TYPE)
_MENTIONED_IN = NamedNode(pkg("mentionedIn"))
_CHUNK = 500


def pending_graph(minter: IRIMinter) -> NamedNode:
    """Internal graph listing entities whose shared layer must be recomputed; never exported."""
    return NamedNode(minter.base + "graph/pending")


def pending_quads(minter: IRIMinter, entity_iris: Iterable[str]) -> list[Quad]:
    g = pending_graph(minter)
    return [Quad(NamedNode(e), PENDING_PREDICATE, g, g) for e in sorted(set(entity_iris))]


def touched_entities(quads: Iterable[Quad]) -> set[str]:
    """Entities a document graph mentions (their shared layer depends on it)."""
    return {q.subject.value for q in quads if q.predicate == _MENTIONED_IN}


def choose_label(form_counts: dict[str, int]) -> str:
    """The form most documents use, then the fullest (longest), then alphabetical: the choice
    never depends on build order."""
    return min(form_counts, key=lambda f: (-form_counts[f], -len(f), f))


def entity_layer_quads(store: EmbeddedStore, minter: IRIMinter, reference: ReferenceData,
                       entity: NamedNode) -> list[Quad]:
    """The shared-graph quads of one entity as the current document graphs imply them."""
    eg = NamedNode(minter.entities_graph)
    if next(store.quads_for_pattern(entity, _MENTIONED_IN, None, None), None) is None:
        return []
    key = unquote(entity.value[len(minter.base):])
    entry = reference.by_key(key)
    out = []
    if entry is not None:
        out += [Quad(entity, _LABEL, Literal(entry.label), eg),
                Quad(entity, _TYPE, NamedNode(pkg(entry.type)), eg),
                Quad(entity, NamedNode(pkg("inReferenceData")), typed("true", "boolean"), eg)]
        if entry.wikidata:
            out += [Quad(entity, NamedNode(pkg("wikidata")), Literal(entry.wikidata), eg),
                    Quad(entity, NamedNode(T.SKOS_EXACT_MATCH), NamedNode(T.WIKIDATA + entry.wikidata), eg)]
        if entry.country:
            country = reference.by_key(entry.country)
            c = NamedNode(minter.entity(entry.country))
            out.append(Quad(entity, NamedNode(pkg("basedIn")), c, eg))
            if country is not None:
                out += [Quad(c, _LABEL, Literal(country.label), eg),
                        Quad(c, _TYPE, NamedNode(pkg(country.type)), eg)]
    else:
        forms: dict[str, int] = {}
        for q in store.quads_for_pattern(entity, _ALT, None, None):   # one quad per document graph
            forms[q.object.value] = forms.get(q.object.value, 0) + 1
        if forms:
            out.append(Quad(entity, _LABEL, Literal(choose_label(forms)), eg))
        out.append(Quad(entity, NamedNode(pkg("inReferenceData")), typed("false", "boolean"), eg))
    return out


def refresh_pending(store: EmbeddedStore, minter: IRIMinter, reference: ReferenceData) -> int:
    """Recompute the shared layer of every pending entity; returns how many were refreshed."""
    pg = pending_graph(minter)
    eg = NamedNode(minter.entities_graph)
    pending = sorted({q.subject.value for q in store.quads_for_pattern(None, PENDING_PREDICATE, None, pg)})
    # A reference entity's country gets its label and type written with the citing entity, so a
    # country no article mentions still has one label.
    for i in range(0, len(pending), _CHUNK):
        chunk = [NamedNode(e) for e in pending[i:i + _CHUNK]]
        drop = [q for e in chunk for q in store.quads_for_pattern(e, None, None, eg)]
        add = [q for e in chunk for q in entity_layer_quads(store, minter, reference, e)]
        done = [Quad(e, PENDING_PREDICATE, pg, pg) for e in chunk]
        _swap(store, drop + done, add)
    return len(pending)


def _swap(store: EmbeddedStore, remove: list[Quad], add: list[Quad]) -> None:
    """Remove and add quads in one transaction (quads present in both stay)."""
    keep = set(remove) & set(add)
    ops = []
    rm = [q for q in remove if q not in keep]
    ad = [q for q in add if q not in keep]
    if rm:
        ops.append("DELETE DATA { " + quad_text(rm) + " }")
    if ad:
        ops.append("INSERT DATA { " + quad_text(ad) + " }")
    if ops:
        store.update(" ;\n".join(ops))
