"""Cross-document links computed when documents are added, so asking for them is a lookup.

Keys: a *stance key* is (subject, relation, object) of a Statement (object and subject sorted for
symmetric relations), shared by the positive and the negated form; an *event key* is the
``pkg:eventKey`` of reported events. Every key's derived quads (pkg:supports / pkg:disputes
between claims, pkg:Conflict nodes) live in one named graph ``graph/derived/<hash of key>``;
refreshing a key replaces that graph in one transaction. A build marks the keys its documents
touch (old and new versions) in the pending graph, in the same transaction as the document, so
only those keys are recomputed — and a crash between the two steps is repaired by the next build.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import product
from urllib.parse import unquote

from pyoxigraph import Literal, NamedNode, Quad

from policykg.graph.entity_layer import pending_graph
from policykg.graph.iris import IRIMinter, short_hash
from policykg.ontology import terms as T
from policykg.ontology.terms import PKG, pkg

PENDING_STANCE = (NamedNode("urn:policykg:pending-stance-subject"),
                  NamedNode("urn:policykg:pending-stance-relation"),
                  NamedNode("urn:policykg:pending-stance-object"))
PENDING_EVENT = NamedNode("urn:policykg:pending-event")
MAX_LINKS_PER_KEY = 200      # a key cited by hundreds of claims gets a bounded number of links

_TYPE = NamedNode(T.RDF_TYPE)
_STATEMENT = NamedNode(pkg("Statement"))
_SUBJ, _PRED, _OBJ = NamedNode(T.RDF_SUBJECT), NamedNode(T.RDF_PREDICATE), NamedNode(T.RDF_OBJECT)
_NEGATED = NamedNode(pkg("negated"))
_ASSERTS = NamedNode(pkg("asserts"))
_POLARITY = NamedNode(pkg("polarity"))
_REPORTED_IN = NamedNode(pkg("reportedIn"))
_EVIDENCE = NamedNode(pkg("evidence"))
_HAS_SOURCE = NamedNode(T.OA_HAS_SOURCE)
_EVENT_KEY = NamedNode(pkg("eventKey"))
_DATE = NamedNode(pkg("date"))
_DURATION = NamedNode(pkg("duration"))
_PARTICIPANT = NamedNode(pkg("participant"))
_SYMMETRIC = {pkg("comparedWith")}
_ACTOR_TYPES = {NamedNode(pkg(c)) for c in ("GovernmentBody", "Person")}


def normalize_key(s, p, o) -> tuple:
    """Symmetric relations have one key for both directions."""
    if p.value in _SYMMETRIC and str(o) < str(s):
        s, o = o, s
    return s, p, o


def key_text(key) -> str:
    s, p, o = key
    return f"{s.value}|{p.value}|{getattr(o, 'value', str(o))}"


def touched_keys(quads: Iterable[Quad]) -> tuple[set[tuple], set[Literal]]:
    """The stance keys and event keys a document graph touches."""
    parts: dict = {}
    events = set()
    for q in quads:
        if q.predicate in (_SUBJ, _PRED, _OBJ):
            parts.setdefault(q.subject, {})[q.predicate] = q.object
        elif q.predicate == _EVENT_KEY:
            events.add(q.object)
    stances = {normalize_key(t[_SUBJ], t[_PRED], t[_OBJ]) for t in parts.values() if len(t) == 3}
    return stances, events


def pending_markers(minter: IRIMinter, quads: Iterable[Quad]) -> list[Quad]:
    """Markers for every stance key and event key a document graph touches. A stance marker is
    the key's derived-graph IRI with the key's three terms, so it outlives the statements."""
    pg = pending_graph(minter)
    stances, events = touched_keys(quads)
    out = {Quad(pg, PENDING_EVENT, key, pg) for key in events}
    for key in stances:
        dg = derived_graph(minter, "stance", key_text(key))
        out.update(Quad(dg, marker, term, pg) for marker, term in zip(PENDING_STANCE, key))
    return sorted(out, key=str)


def derived_graph(minter: IRIMinter, kind: str, key: str) -> NamedNode:
    return NamedNode(minter.base + "graph/derived/" + short_hash(kind, key))


def _one(store, s, p):
    q = next(store.quads_for_pattern(s, p, None, None), None)
    return q.object if q is not None else None


def _docs_of(store, node) -> set[str]:
    """Documents behind a node: its pkg:reportedIn, or the sources of its evidence spans."""
    docs = {q.object.value for q in store.quads_for_pattern(node, _REPORTED_IN, None, None)}
    if not docs:
        for ev in store.quads_for_pattern(node, _EVIDENCE, None, None):
            docs |= {q.object.value for q in store.quads_for_pattern(ev.object, _HAS_SOURCE, None, None)}
    return docs


def statements_for(store, minter: IRIMinter, key) -> list[NamedNode]:
    """Every Statement (either polarity, either direction if symmetric) with this key.

    Statement IRIs are minted from (subject, predicate, object, polarity), so they are computed
    and checked rather than searched for: looking them up by subject walked every statement of a
    busy entity, once per key (most of a 1,000-article build's derive time)."""
    s, p, o = key
    if not p.value.startswith(PKG):
        return []
    pairs = [(s, o)] + ([(o, s)] if p.value in _SYMMETRIC else [])
    found = set()
    for subj, obj in pairs:
        if not subj.value.startswith(minter.base):
            continue
        subject_key = unquote(subj.value[len(minter.base):])
        for negated in (False, True):
            st = NamedNode(minter.statement(subject_key, p.value[len(PKG):], obj.value, negated))
            if (_one(store, st, _SUBJ) == subj and _one(store, st, _PRED) == p
                    and _one(store, st, _OBJ) == obj):
                found.add(st)
    return sorted(found, key=str)


def _conflict(minter, g, kind: str, key: str, sides: list) -> list[Quad]:
    node = NamedNode(minter.conflict(kind, key, [str(x) for x in sides]))
    out = [Quad(node, _TYPE, NamedNode(pkg("Conflict")), g),
           Quad(node, NamedNode(pkg("conflictKind")), Literal(kind), g),
           Quad(node, NamedNode(pkg("conflictKey")), Literal(key), g)]
    out += [Quad(node, NamedNode(pkg("side")), side, g) for side in sides]
    return out


def stance_quads(store, minter: IRIMinter, key) -> tuple[NamedNode, list[Quad]]:
    """supports/disputes links and conflicts for one stance key."""
    text = key_text(key)
    g = derived_graph(minter, "stance", text)
    affirm, doubt, positive, negated = [], [], [], []
    for st in statements_for(store, minter, key):
        is_neg = next(store.quads_for_pattern(st, _NEGATED, None, None), None) is not None
        (negated if is_neg else positive).append(st)
        for q in store.quads_for_pattern(None, _ASSERTS, st, None):
            claim = q.subject
            polarity = _one(store, claim, _POLARITY)
            docs = _docs_of(store, claim)
            (affirm if polarity is not None and polarity.value == "affirms" else doubt).append((claim, docs))
    out: list[Quad] = []
    links = 0
    for (a, da), (b, db) in product(affirm, affirm):
        if str(a) < str(b) and da != db and links < MAX_LINKS_PER_KEY:
            out += [Quad(a, NamedNode(pkg("supports")), b, g), Quad(b, NamedNode(pkg("supports")), a, g)]
            links += 1
    for (d, _), (a, _) in product(doubt, affirm):
        if links < MAX_LINKS_PER_KEY:
            out.append(Quad(d, NamedNode(pkg("disputes")), a, g))
            links += 1
    if doubt and affirm:
        out += _conflict(minter, g, "dispute", text, sorted({c for c, _ in doubt + affirm}, key=str))
    elif positive and negated:
        pos_docs = set().union(*(_docs_of(store, st) for st in positive))
        neg_docs = set().union(*(_docs_of(store, st) for st in negated))
        if pos_docs and neg_docs:
            out += _conflict(minter, g, "yes-no", text, positive + negated)
    return g, out


def event_quads(store, minter: IRIMinter, key: Literal,
                actor_cache: dict | None = None) -> tuple[NamedNode, list[Quad]]:
    """Date, duration and actor conflicts between reports of the same event key.
    ``actor_cache`` remembers which participants are actors across keys (a busy entity's types
    are restated in every article's graph)."""
    actor_cache = {} if actor_cache is None else actor_cache
    g = derived_graph(minter, "event", key.value)
    events = sorted((q.subject for q in store.quads_for_pattern(None, _EVENT_KEY, key, None)), key=str)
    out: list[Quad] = []
    for kind, prop in (("date", _DATE), ("duration", _DURATION)):
        values: dict[str, list] = {}
        for ev in events:
            v = _one(store, ev, prop)
            if v is not None:
                values.setdefault(str(v), []).append(ev)
        if len(values) > 1:
            out += _conflict(minter, g, kind, key.value, sorted({e for evs in values.values() for e in evs}, key=str))
    actors = {}
    for ev in events:
        named = {q.object for q in store.quads_for_pattern(ev, _PARTICIPANT, None, None)
                 if _is_actor(store, q.object, actor_cache)}
        if named:
            actors[ev] = named
    # Each event's documents once: the pairs are quadratic in the reports of a key (hundreds at
    # 10,000 articles), and looking the documents up per pair took 17 s of a 19 s incremental add.
    docs = {ev: _docs_of(store, ev) for ev in actors}
    in_conflict = set()
    ordered = list(actors)  # events are sorted already
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if docs[a] != docs[b] and not actors[a] & actors[b]:
                in_conflict.update((a, b))
    if in_conflict:
        out += _conflict(minter, g, "actor", key.value, sorted(in_conflict, key=str))
    return g, out


def _is_actor(store, node, cache: dict) -> bool:
    if node not in cache:
        cache[node] = any(t.object in _ACTOR_TYPES for t in store.quads_for_pattern(node, _TYPE, None, None))
    return cache[node]


def derived_quads(store, minter: IRIMinter, stance_keys: Iterable[tuple],
                  event_keys: Iterable[Literal]) -> Iterator[tuple[object, NamedNode, list[Quad]]]:
    """(key, derived graph, its quads) for every key, as the current document graphs imply them."""
    for key in stance_keys:
        yield (key, *stance_quads(store, minter, key))
    actor_cache: dict = {}
    for key in event_keys:
        yield (key, *event_quads(store, minter, key, actor_cache))


def refresh(store, minter: IRIMinter) -> int:
    """Recompute derived graphs for every pending stance and event key; returns keys refreshed."""
    pg = pending_graph(minter)
    marks: dict = {}
    for mark in list(store.quads_for_pattern(None, PENDING_STANCE[0], None, pg)):
        parts = [mark] + [next(store.quads_for_pattern(mark.subject, m, None, pg)) for m in PENDING_STANCE[1:]]
        marks[tuple(m.object for m in parts)] = parts
    event_marks = {q.object: [q] for q in store.quads_for_pattern(None, PENDING_EVENT, None, pg)}
    done = 0
    for key, g, quads in derived_quads(store, minter, marks, event_marks):
        store.replace_graphs([g.value], quads)
        store.remove(marks[key] if key in marks else event_marks[key])  # a crash before this only repeats the work
        done += 1
    return done
