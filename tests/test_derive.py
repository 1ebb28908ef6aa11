"""Stance links and conflicts are computed at build time, per key, and follow document changes."""
from __future__ import annotations

import hashlib

from policykg.graph import derive
from policykg.graph.build import Builder, BuildReport, PreparedDocument
from policykg.graph.entity_layer import refresh_pending
from policykg.graph.mapping import extraction_quads
from policykg.graph.store import open_store
from policykg.loaders.records import Claim, EntityRef, Event, Extraction, Mention, SourceDocument, Span


def make_doc(name: str, text: str) -> SourceDocument:
    return SourceDocument(name, text, hashlib.sha256(text.encode()).hexdigest(), "txt")


def span_of(doc: SourceDocument, words: str) -> Span:
    i = doc.text.index(words)
    return Span(i, i + len(words), words)


def extraction(name: str, text: str, polarity: str, duration: str, actor: str) -> Extraction:
    doc = make_doc(name, text)
    ents = {
        "model/alpha-1": EntityRef("model/alpha-1", "Alpha-1", "AIModel", {"Alpha-1"}),
        "model/beta-2": EntityRef("model/beta-2", "Beta-2", "AIModel", {"Beta-2"}),
        actor: EntityRef(actor, actor.split("/")[1].title(), "GovernmentBody", {actor.split("/")[1].title()}),
    }
    mentions = [Mention("model/alpha-1", span_of(doc, "Alpha-1")), Mention("model/beta-2", span_of(doc, "Beta-2"))]
    sentence = span_of(doc, doc.text.split(". ")[0])
    claim = Claim(quote=sentence, cue="said", speaker_text="analysts", rule="test",
                  about=["model/alpha-1", "model/beta-2"],
                  proposition=("model/beta-2", "comparedWith", "model/alpha-1") if name == "b.txt"
                  else ("model/alpha-1", "comparedWith", "model/beta-2"), polarity=polarity)
    event = Event(kind="shutdown", key="shutdown/model/alpha-1", label="shutdown of Alpha-1",
                  evidence=span_of(doc, "shutdown"), rule="test", participants=["model/alpha-1", actor],
                  duration=duration, duration_text=duration)
    return Extraction(doc, ents, mentions, [], [claim], [event])


def write(builder: Builder, x: Extraction) -> None:
    minter = builder.minter
    quads = extraction_quads(x, minter, builder.rules)
    prepared = PreparedDocument(x.document.source_id, minter.document(x.document.source_id),
                                minter.extraction_graph(x.document), quads,
                                {minter.entity(k) for k in x.entities})
    existing = builder.store.graphs_of_document(prepared.doc_iri)
    builder.write(prepared, existing, BuildReport())
    refresh_pending(builder.store, minter, builder.reference)
    derive.refresh(builder.store, minter)


CONFLICTS = """
PREFIX pkg: <https://w3id.org/policykg/ontology#>
SELECT ?kind (COUNT(DISTINCT ?side) AS ?sides) WHERE { ?c a pkg:Conflict ; pkg:conflictKind ?kind ; pkg:side ?side }
GROUP BY ?kind ORDER BY ?kind
"""


def test_dispute_and_duration_conflicts_then_removal():
    store = open_store(memory=True)
    builder = Builder(store)
    a = extraction("a.txt", "Alpha-1 can match Beta-2 on exploits. The shutdown lasted.", "affirms", "P18D", "gov/agency-one")
    b = extraction("b.txt", "Beta-2 is not comparable with Alpha-1 at all. A shutdown.", "denies", "P14D", "gov/agency-two")
    c = extraction("c.txt", "Alpha-1 matches Beta-2, analysts found. The shutdown.", "affirms", "P18D", "gov/agency-one")
    for x in (a, b, c):
        write(builder, x)
    kinds = {r[0].value: int(r[1].value) for r in store.query(CONFLICTS).rows}
    assert kinds == {"actor": 3, "dispute": 3, "duration": 3}
    links = store.query("""PREFIX pkg: <https://w3id.org/policykg/ontology#>
        SELECT ?x ?rel ?y WHERE { VALUES ?rel { pkg:supports pkg:disputes } ?x ?rel ?y }""").rows
    rels = sorted(r[1].value.rsplit("#")[1] for r in links)
    assert rels == ["disputes", "disputes", "supports", "supports"]
    # Remove the disputing document: its dispute and the duration/actor conflicts go with it.
    graph = store.graphs_of_document(builder.minter.document("b.txt"))
    markers = derive.pending_markers(builder.minter, list(store.quads(graph[0])))
    store.replace_graphs(graph, markers)
    derive.refresh(store, builder.minter)
    assert store.query(CONFLICTS).rows == []
    rels = [r[1].value.rsplit("#")[1] for r in store.query("""PREFIX pkg: <https://w3id.org/policykg/ontology#>
        SELECT ?x ?rel ?y WHERE { VALUES ?rel { pkg:supports pkg:disputes } ?x ?rel ?y }""").rows]
    assert sorted(rels) == ["supports", "supports"]


def test_refresh_is_idempotent_and_leaves_no_markers():
    store = open_store(memory=True)
    builder = Builder(store)
    write(builder, extraction("a.txt", "Alpha-1 can match Beta-2 on exploits. The shutdown lasted.", "affirms", "P18D", "gov/x"))
    before = sorted(map(str, store.quads()))
    assert derive.refresh(store, builder.minter) == 0
    assert sorted(map(str, store.quads())) == before
    pending = f"<{builder.minter.base}graph/pending>"
    assert not [q for q in before if q.endswith(pending)]


def test_conflicts_command_lists_each_side_with_its_words():
    from click.testing import CliRunner
    from policykg.graph.conflicts import list_conflicts
    store = open_store(memory=True)
    builder = Builder(store)
    write(builder, extraction("a.txt", "Alpha-1 can match Beta-2 on exploits. The shutdown lasted.", "affirms", "P18D", "gov/x"))
    write(builder, extraction("b.txt", "Beta-2 is not comparable with Alpha-1 at all. A shutdown.", "denies", "P14D", "gov/x"))
    rows = list_conflicts(store, kind="duration")
    assert sorted((r["value"], r["article"]) for r in rows) == [("P14D", "b.txt"), ("P18D", "a.txt")]
    assert all(r["quote"] == "shutdown" for r in rows)
    disputes = list_conflicts(store, kind="dispute")
    assert {r["value"] for r in disputes} == {"affirms", "denies"}
