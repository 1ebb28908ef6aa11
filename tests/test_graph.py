"""Building, replacing and exporting: idempotent, deterministic, per-document, and exact spans."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from policykg.graph.build import build
from policykg.graph.export import export, render
from policykg.graph.iris import IRIMinter
from policykg.graph.store import open_store
from policykg.ontology import terms as T
from tests.conftest import CORPUS, require_tool

OA = rdflib.Namespace(T.OA)


def copy_corpus(tmp_path: Path) -> Path:
    dst = tmp_path / "corpus"
    shutil.copytree(CORPUS, dst)
    return dst


def test_build_is_idempotent_and_export_deterministic(tmp_path):
    corpus = copy_corpus(tmp_path)
    with open_store(tmp_path / "store") as store:
        first = build(store, [corpus])
        assert len(first.built) == 5 and first.ok
        ttl1, n1 = render(store, "turtle"), len(store)
        again = build(store, [corpus])
        assert again.built == [] and len(again.unchanged) == 5
        assert len(store) == n1 and render(store, "turtle") == ttl1
    # A second store, built from scratch in memory, exports the very same bytes.
    other = open_store(memory=True)
    build(other, [corpus])
    assert render(other, "turtle") == ttl1


def test_changed_document_replaces_only_its_own_facts(tmp_path):
    corpus = copy_corpus(tmp_path)
    store = open_store(memory=True)
    build(store, [corpus])
    minter = IRIMinter()
    docs_before = store.documents()
    target = sorted(corpus.iterdir())[0]
    target.write_text(target.read_text(encoding="utf-8") + "\nOpenAI said nothing new.\n", encoding="utf-8")
    report = build(store, [corpus])
    assert report.built == [target.name] and len(report.unchanged) == 4
    docs_after = store.documents()
    changed = minter.document(target.name)
    assert docs_after[changed] != docs_before[changed]
    assert {k: v for k, v in docs_after.items() if k != changed} == \
           {k: v for k, v in docs_before.items() if k != changed}
    # The old graph is gone entirely.
    assert list(store.quads(docs_before[changed])) == []


def test_bad_documents_are_skipped_and_good_ones_built(tmp_path):
    corpus = copy_corpus(tmp_path)
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    (corpus / "latin1.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    store = open_store(memory=True)
    report = build(store, [corpus, tmp_path / "missing-folder"])
    problems = dict(report.skipped)
    assert len(report.built) == 5
    assert "empty" in problems[str(corpus / "empty.txt")]
    assert "UTF-8" in problems[str(corpus / "latin1.txt")]
    assert "no such file" in problems[str(tmp_path / "missing-folder")]
    assert not report.ok
    idents = {str(r[0].value) for r in store.query(
        "SELECT ?id WHERE { ?d <http://purl.org/dc/terms/identifier> ?id }").rows}
    assert idents == {p.name for p in CORPUS.iterdir()}


def test_folder_without_documents_is_reported(tmp_path):
    (tmp_path / "empty-dir").mkdir()
    report = build(open_store(memory=True), [tmp_path / "empty-dir"])
    assert report.skipped and "no documents" in report.skipped[0][1]


def test_every_span_matches_the_raw_file(corpus_store):
    """Offsets index into the file decoded as UTF-8 (BOM removed, newlines untouched)."""
    raw = {p.name: p.read_bytes().decode("utf-8-sig") for p in CORPUS.iterdir()}
    rows = corpus_store.query("""
        PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?id ?exact ?s ?e WHERE {
          ?span oa:hasSource ?d ; oa:exact ?exact ; oa:start ?s ; oa:end ?e .
          ?d <http://purl.org/dc/terms/identifier> ?id }""").rows
    assert len(rows) > 50
    for ident, exact, s, e in rows:
        assert raw[ident.value][int(s.value):int(e.value)] == exact.value


def test_round_trip_turtle_and_trig(corpus_store, tmp_path):
    ttl = render(corpus_store, "turtle")
    trig = render(corpus_store, "trig")
    union = rdflib.Graph().parse(data=ttl.decode(), format="turtle")
    ds = rdflib.Dataset().parse(data=trig.decode(), format="trig")
    from_trig = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        from_trig.add((s, p, o))
    assert len(union) > 500
    assert isomorphic(union, from_trig)
    # Import the TriG into a fresh store and export again: same bytes.
    path = tmp_path / "g.trig"
    path.write_bytes(trig)
    from policykg.graph.importer import import_file
    other = open_store(memory=True)
    import_file(other, path)
    assert render(other, "trig") == trig


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "jsonld"])
def test_exports_parse_in_rdflib_and_pyoxigraph(corpus_store, fmt):
    data = render(corpus_store, fmt)
    rdflib_fmt = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}[fmt]
    ds = rdflib.Dataset().parse(data=data.decode(), format=rdflib_fmt)
    ox_fmt = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG,
              "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    quads = set(ox.parse(data, format=ox_fmt))
    assert len(quads) > 500
    assert len(set(ds.quads((None, None, None, None)))) == len(quads)


@pytest.mark.parametrize("fmt,syntax", [("turtle", "turtle"), ("trig", "trig"), ("nquads", "nquads")])
def test_exports_parse_in_rapper(corpus_store, tmp_path, fmt, syntax):
    rapper = require_tool("rapper")
    path = tmp_path / f"export.{fmt}"
    export(corpus_store, fmt, path)
    proc = subprocess.run([rapper, "-i", syntax, "-c", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "Parsing returned" in proc.stderr and "error" not in proc.stderr.lower()


def test_statements_have_evidence_and_truthy_triples(corpus_store):
    rows = corpus_store.query("""
        PREFIX pkg: <https://w3id.org/policykg/ontology#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?st ?s ?p ?o (EXISTS { ?st pkg:evidence ?sp } AS ?ev)
               (EXISTS { ?s ?p ?o } AS ?truthy) (EXISTS { ?st pkg:negated true } AS ?neg)
        WHERE { ?st a pkg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }""").rows
    for st, s, p, o, ev, truthy, neg in rows:
        assert ev.value == "true", st
        if neg.value == "false":
            assert truthy.value == "true", (s, p, o)


def test_document_metadata_and_generation(corpus_store):
    rows = corpus_store.query("""
        PREFIX pkg: <https://w3id.org/policykg/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?g ?sha ?rules WHERE {
          GRAPH ?g { ?g pkg:extractionOf ?d ; prov:wasGeneratedBy ?a . ?d pkg:sha256 ?sha . ?a pkg:rulesHash ?rules } }""").rows
    assert len(rows) == 5
    for g, sha, rules in rows:
        assert g.value.endswith(sha.value[:32]) and len(rules.value) == 16


def test_interrupted_export_leaves_no_partial_file(corpus_store, tmp_path, monkeypatch):
    import os
    target = tmp_path / "out.ttl"
    target.write_text("previous", encoding="utf-8")

    def boom(*_a, **_k):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        export(corpus_store, "turtle", target)
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_second_writer_gets_store_in_use(tmp_path):
    from policykg.errors import StoreInUseError
    with open_store(tmp_path / "s"):
        with pytest.raises(StoreInUseError, match="in use"):
            open_store(tmp_path / "s")


def test_networkx_projection_carries_evidence(corpus_store):
    from policykg.graph.network import entity_graph
    g = entity_graph(corpus_store)
    assert g.number_of_nodes() >= 10
    for s, o, data in g.edges(data=True):
        assert data["evidence"], (s, o)
        assert all(ev.quote for ev in data["evidence"])


def test_validate_rejects_a_document_with_broken_provenance(tmp_path, monkeypatch):
    """With build --validate, a graph whose span text does not match its document is not stored."""
    from pyoxigraph import Literal, Quad
    import policykg.graph.build as build_module
    real = build_module.extraction_quads

    def corrupt(extraction, minter, rules):
        quads = real(extraction, minter, rules)
        exact = T.OA_EXACT
        return [Quad(q.subject, q.predicate, Literal("tampered"), q.graph_name)
                if q.predicate.value == exact else q for q in quads]

    monkeypatch.setattr(build_module, "extraction_quads", corrupt)
    doc = tmp_path / "one.txt"
    doc.write_text("Anthropic said the U.S. Commerce Department acted.\n", encoding="utf-8")
    store = open_store(memory=True)
    report = build(store, [doc], validate=True)
    assert report.built == [] and "SHACL" in report.skipped[0][1] and "span" in report.skipped[0][1]
    assert store.documents() == {}


def test_exports_are_readable_by_others(corpus_store, tmp_path):
    import os
    old = os.umask(0o022)
    try:
        export(corpus_store, "turtle", tmp_path / "x.ttl")
    finally:
        os.umask(old)
    assert (tmp_path / "x.ttl").stat().st_mode & 0o777 == 0o644


def test_in_memory_copy_answers_like_the_disk_store_and_is_detached(tmp_path):
    from policykg.queries.library import run_named
    corpus = copy_corpus(tmp_path)
    with open_store(tmp_path / "store") as store:
        build(store, [corpus])
    with open_store(tmp_path / "store", read_only=True) as disk:
        mem = disk.in_memory_copy()
        assert mem.path is None and len(mem) == len(disk) > 1000
        assert set(mem.quads_for_pattern()) == set(disk.quads_for_pattern())
        for name in ("entities", "quoted-people", "viz-claims"):
            # GROUP_CONCAT has no order in SPARQL: the stores list an entity's aliases in their
            # own storage order, so a concatenated cell is compared as a set of its parts.
            def cells(store):
                return [tuple(sorted(t.value.split(" | ")) if t is not None and " | " in t.value else t for t in row)
                        for row in run_named(store, name).rows]
            assert cells(mem) == cells(disk)
        assert render(mem, "turtle") == render(disk, "turtle")
    mem.update("CLEAR ALL")  # the copy is its own store: clearing it leaves the disk store whole
    assert len(mem) == 0
    with open_store(tmp_path / "store", read_only=True) as disk:
        assert len(disk) > 1000 and len(disk.in_memory_copy().in_memory_copy()) == len(disk)
