"""Exports written from sorted dump lines: the same bytes as pyoxigraph's serializers on the same
sorted quads (the way exports were made before), for every format, on awkward terms; independent of
insertion order and of memory vs disk; internal graphs never exported."""
from __future__ import annotations

import subprocess

import pyoxigraph as ox
import pytest
import rdflib
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat

from policykg.graph.entity_layer import pending_graph
from policykg.graph.export import escape_local_name, export, render
from policykg.graph.iris import IRIMinter
from policykg.graph.store import ONTOLOGY_GRAPH, EmbeddedStore
from policykg.ontology.terms import PREFIXES
from tests.conftest import require_tool

PKG = PREFIXES["pkg"]
XSD = PREFIXES["xsd"]
ID = "https://w3id.org/policykg/id/"

# Local names pyoxigraph writes plain, escapes (\~ \/ \% ...), or cannot abbreviate at all.
LOCALS = ["Claim", "a.b", "-dash", "9digit", "_u", ":colon", "a:b", "x~y", "a/b", "a%20b",
          "a#b", "a?b=c&d", "a'b", "a(b)", "a*b", "a+b", "a,b", "a;b", "a@b", "a$b", "a!b", "über", "é",
          "a·b", "·a", "\u0300x", "x\u0300", "a\u203fb", "\u2040x", "a\u2013b", "\u2019s", "×", "😀",
          "a..b", ".a", "~", "", "_", "0"]
LEXICAL = {"integer": ["1", "+1", "-0", "01", "1.0", "abc", ""], "decimal": ["1.5", ".5", "5.", "-0.0", "1e3"],
           "double": ["1e5", "1.0E-3", ".5e1", "5.e+2", "NaN", "INF", "1.5"], "boolean": ["true", "false", "1", "TRUE"],
           "date": ["2024-01-01"], "string": ["typed string"]}
TEXTS = ['plain', 'say "hi"', "back\\slash", "new\nline .\n", "end .", "tab\there", "ctrl\x01\x7f", "ünï©ødé 😀",
         "<https://w3id.org/policykg/ontology#Claim>", "_:b0 a", "", " . ", '"""', "a'b"]


def awkward_quads() -> list[Quad]:
    g1, g2 = NamedNode(ID + "graph/aaa"), NamedNode(ID + "graph/aaa-2")
    g3 = NamedNode(ID + "derived/x")
    s, s2, b = NamedNode(ID + "thing/1"), NamedNode(PKG + "Subject.x"), BlankNode("b1")
    quads = []
    for i, local in enumerate(LOCALS):
        try:
            iri = NamedNode(PKG + local)
        except ValueError:
            continue
        quads += [Quad(s, iri, iri, g1), Quad(iri, NamedNode(PREFIXES["rdf"] + "type"), iri, g2),
                  Quad(s2, NamedNode(PREFIXES["schema"] + local) if local else iri, Literal(str(i)), g3)]
    for dt, forms in LEXICAL.items():
        for form in forms:
            quads.append(Quad(s, NamedNode(PKG + "value"), Literal(form, datatype=NamedNode(XSD + dt)), g1))
    quads.append(Quad(s, NamedNode(PKG + "value"), Literal("7", datatype=NamedNode("http://example.org/dt#x")), g1))
    quads.append(Quad(s, NamedNode(PKG + "value"), Literal("7", datatype=NamedNode(PKG + "dt~x")), g1))
    for text in TEXTS:
        quads += [Quad(s, NamedNode(PKG + "quote"), Literal(text), g1),
                  Quad(s, NamedNode(PKG + "quote"), Literal(text, language="en-us"), g2),
                  Quad(b, NamedNode(PKG + "quote"), Literal(text), g3)]
    quads += [Quad(b, NamedNode(PKG + "about"), s, g2), Quad(s, NamedNode(PKG + "about"), b, g2),
              Quad(s, NamedNode(PKG + "about"), BlankNode("b2"), g3),
              Quad(s, NamedNode("http://example.org/p"), s2, DefaultGraph())]
    return quads


def internal_quads() -> list[Quad]:
    s = NamedNode(ID + "thing/1")
    return [Quad(s, NamedNode(PKG + "pending"), Literal("yes"), pending_graph(IRIMinter())),
            Quad(s, NamedNode(PKG + "label"), Literal("ontology"), ONTOLOGY_GRAPH)]


def stored(store: EmbeddedStore) -> list[Quad]:
    """The quads an export should hold, as the store gives them back (it normalizes "01"^^xsd:integer
    and the like), without internal graphs."""
    internal = {q.graph_name for q in internal_quads()}
    return [q for q in store.quads_for_pattern() if q.graph_name not in internal]


def store_of(quads: list[Quad], path=None) -> EmbeddedStore:
    store = EmbeddedStore(path)
    store.extend(quads)
    return store


def pyoxigraph_export(quads: list[Quad], fmt: str) -> bytes:
    """What the exports were before: sorted N-Quads lines (graph by graph for TriG and JSON-LD, the
    default graph first), parsed back and serialized by pyoxigraph."""
    def key(q: Quad) -> tuple[bytes, bytes]:
        line = ox.serialize([q], format=RdfFormat.N_QUADS)
        if fmt not in ("trig", "jsonld"):
            return b"", line
        return (b"" if q.graph_name == DefaultGraph() else q.graph_name.value.encode() + b">"), line
    data = b"".join(line for _, line in sorted(key(q) for q in set(quads)))
    if fmt == "nquads":
        return data
    parsed = list(ox.parse(data, format=RdfFormat.N_QUADS))
    if fmt == "turtle":
        triples = list(dict.fromkeys(q.triple for q in parsed))
        return ox.serialize(triples, format=RdfFormat.TURTLE, prefixes=dict(PREFIXES))
    if fmt == "jsonld":
        return ox.serialize(parsed, format=RdfFormat.JSON_LD)
    return ox.serialize(parsed, format=RdfFormat.TRIG, prefixes=dict(PREFIXES))


@pytest.fixture(scope="module")
def awkward_store():
    return store_of(awkward_quads() + internal_quads())


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "jsonld"])
def test_same_bytes_as_pyoxigraph_serializers(awkward_store, fmt):
    assert render(awkward_store, fmt) == pyoxigraph_export(stored(awkward_store), fmt)


def test_local_names_escape_like_pyoxigraph():
    assert escape_local_name("a.b") == "a.b" and escape_local_name("a~b") == "a\\~b"
    assert escape_local_name("-a") == "\\-a"
    assert escape_local_name("·a") is None and escape_local_name("a\u2013b") is None
    assert escape_local_name("über") == "über" and escape_local_name("x\u0300") == "x\u0300"


def test_a_local_name_ending_in_a_dot_stays_a_full_iri():
    """pyoxigraph writes pkg:trailing\\. (legal Turtle), which rdflib cannot read."""
    iri = NamedNode(PKG + "trailing.")
    store = store_of([Quad(iri, iri, Literal("x"), NamedNode(ID + "graph/g"))])
    ttl = render(store, "turtle")
    assert f"<{PKG}trailing.> <{PKG}trailing.> ".encode() in ttl
    assert len(rdflib.Graph().parse(data=ttl.decode(), format="turtle")) == 1


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "jsonld"])
def test_exports_parse_back_to_the_exported_quads(awkward_store, fmt):
    data = render(awkward_store, fmt)
    ox_format = {"turtle": RdfFormat.TURTLE, "trig": RdfFormat.TRIG, "nquads": RdfFormat.N_QUADS,
                 "jsonld": RdfFormat.JSON_LD}[fmt]
    parsed = set(ox.parse(data, format=ox_format))
    wanted = set(stored(awkward_store))
    assert len(wanted) > 150
    if fmt == "turtle":
        parsed, wanted = {q.triple for q in parsed}, {q.triple for q in wanted}
    assert parsed == wanted
    rdflib_format = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}[fmt]
    ds = rdflib.Dataset().parse(data=data.decode(), format=rdflib_format)
    # rdflib folds a few of the odd literals together (its literal equality), so only a lower bound.
    assert len(set(ds.quads((None, None, None, None)))) >= len(parsed) - 2
    assert b"pending" not in data and b'"ontology"' not in data


@pytest.mark.parametrize("fmt,syntax", [("turtle", "turtle"), ("trig", "trig"), ("nquads", "nquads")])
def test_rapper_reads_awkward_exports(awkward_store, tmp_path, fmt, syntax):
    rapper = require_tool("rapper")
    path = tmp_path / f"x.{fmt}"
    assert export(awkward_store, fmt, path) == path.stat().st_size
    proc = subprocess.run([rapper, "-i", syntax, "-c", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0 and "error" not in proc.stderr.lower(), proc.stderr
    n = sum(1 for _ in ox.parse(path=str(path), format={"turtle": RdfFormat.TURTLE, "trig": RdfFormat.TRIG,
                                                         "nquads": RdfFormat.N_QUADS}[fmt]))
    assert f"returned {n} triples" in proc.stderr


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "jsonld"])
def test_insertion_order_and_disk_do_not_change_the_bytes(awkward_store, tmp_path, fmt):
    reverse = store_of(list(reversed(internal_quads() + awkward_quads())))
    disk = store_of(awkward_quads()[::2] + internal_quads() + awkward_quads()[1::2], tmp_path / "store")
    try:
        assert render(reverse, fmt) == render(awkward_store, fmt) == render(disk, fmt)
    finally:
        disk.close()


class _DumpOnly:
    """A store whose ``ox`` only dumps (like the remote store's adapter)."""

    def __init__(self, store: EmbeddedStore):
        self.ox = type("Adapter", (), {"dump": lambda _self, *a, **k: store.ox.dump(*a, **k)})()


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "jsonld"])
def test_stores_that_only_dump_export_the_same_bytes(awkward_store, fmt):
    assert render(_DumpOnly(awkward_store), fmt) == render(awkward_store, fmt)


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "jsonld"])
def test_empty_store(fmt):
    assert render(EmbeddedStore(None), fmt) == (b"[]" if fmt == "jsonld" else b"")
    assert render(store_of(internal_quads()), fmt) == (b"[]" if fmt == "jsonld" else b"")
