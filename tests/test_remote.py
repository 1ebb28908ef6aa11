"""Remote stores: build and query against Virtuoso give the embedded store's answers.

Engine differences (documented in graph/remote.py, checked explicitly below):
* Virtuoso returns xsd:boolean as "1"/"0" and EXISTS(...) as xsd:integer 0/1 (pyoxigraph: true/false);
* COUNT comes back as xsd:int vs xsd:integer (compared by value);
* xsd:duration comes back as seconds ("1.2096e+06"), not the lexical form written ("P14D");
* GROUP_CONCAT order is unspecified (compared as sets);
* the default graph of Virtuoso also holds its system graphs (RemoteStore.quads() lists ours only).
"""
from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode

from policykg.graph.build import build
from policykg.graph.remote import RemoteStore
from policykg.queries.library import load_library, run_named
from tests.conftest import CORPUS
from tests.servers import start_virtuoso
from tests.test_queries import corpus_params

XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {XSD + t for t in ("integer", "int", "long", "decimal", "double", "float", "nonNegativeInteger")}


def norm(term):
    """A term compared across engines: numbers and booleans by value, concatenations as sets."""
    if term is None:
        return ("unbound",)
    if isinstance(term, Literal):
        dt = term.datatype.value
        if dt == XSD + "boolean":  # Virtuoso: "1"/"0", and EXISTS(...) as an integer
            return ("num", 1.0 if term.value in ("true", "1") else 0.0)
        if dt in _NUMERIC:
            return ("num", float(term.value))
        if dt == XSD + "duration":
            return ("duration",)
        if " | " in term.value:
            return ("set", tuple(sorted(term.value.split(" | "))))
        return ("lit", term.value, term.language)
    return ("iri", term.value)


def answers(res):
    return sorted(tuple(norm(t) for t in row) for row in res.rows)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    v = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield v
    v.stop()


@pytest.fixture(scope="module")
def virtuoso_store(virtuoso):
    store = RemoteStore(virtuoso.sparql)
    report = build(store, [CORPUS])
    assert report.ok and len(report.built) == 5
    return store


def test_build_is_incremental_and_complete(virtuoso_store, corpus_store):
    assert len(virtuoso_store) == len(corpus_store)
    again = build(virtuoso_store, [CORPUS])
    assert len(again.unchanged) == 5 and not again.built
    assert set(virtuoso_store.documents()) == set(corpus_store.documents())


@pytest.mark.parametrize("name", sorted(load_library()))
def test_same_answers_as_embedded(virtuoso_store, corpus_store, name):
    remote = run_named(virtuoso_store, name, corpus_params(name))
    local = run_named(corpus_store, name, corpus_params(name))
    assert local.rows, "equal-but-empty must not pass"
    assert remote.variables == local.variables
    assert answers(remote) == answers(local)


def test_engine_difference_booleans_and_durations(virtuoso_store, corpus_store):
    q = ("SELECT ?v WHERE { ?s <https://w3id.org/policykg/ontology#openWeights> ?v } LIMIT 1")
    assert corpus_store.query(q).rows[0][0].value == "true"
    assert virtuoso_store.query(q).rows[0][0].value in ("1", "true")
    d = "SELECT ?d WHERE { ?e <https://w3id.org/policykg/ontology#duration> ?d } ORDER BY ?d LIMIT 1"
    local, remote = corpus_store.query(d).rows, virtuoso_store.query(d).rows
    assert local and remote and local[0][0].value.startswith("P")
    assert remote[0][0].datatype == NamedNode(XSD + "duration")


def test_quads_exclude_virtuoso_system_graphs(virtuoso_store, corpus_store):
    graphs = {q.graph_name.value for q in virtuoso_store.quads()}
    assert graphs == {q.graph_name.value for q in corpus_store.quads()}


def test_injection_is_only_a_value_remotely(virtuoso_store):
    before = len(virtuoso_store)
    for evil in ['x" } DROP ALL #', "x\" } } ; CLEAR ALL #\n", "}}}{{{ DELETE WHERE { ?s ?p ?o }"]:
        assert run_named(virtuoso_store, "quote-search", {"text": evil}).rows == []
    assert len(virtuoso_store) == before


def test_credentials_from_environment_reach_sparql_auth(virtuoso, monkeypatch):
    monkeypatch.setenv("POLICYKG_SPARQL_USER", "dba")
    monkeypatch.setenv("POLICYKG_SPARQL_PASSWORD", "dba")
    from policykg.graph.store import open_store
    store = open_store(virtuoso.sparql_auth)
    assert isinstance(store, RemoteStore)
    assert store.query("ASK { }").boolean is True
