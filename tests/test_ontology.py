"""The ontology is the public contract: every term code uses is declared, labelled and commented,
owlready2 loads it, and HermiT catches an individual that is both a Person and an Organization."""
from __future__ import annotations

import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from policykg.ontology import ontology_text, shapes_text
from policykg.ontology import terms as T
from tests.conftest import require_tool

PKG = rdflib.Namespace(T.PKG)


def ontology_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(data=ontology_text(), format="turtle")


def test_every_term_in_code_is_declared_with_label_and_comment():
    g = ontology_graph()
    declared = {s for s in g.subjects(RDF.type, None) if str(s).startswith(T.PKG)}
    for local in T.ALL_PKG_TERMS:
        term = PKG[local]
        assert term in declared, f"pkg:{local} used in code but not declared"
        assert g.value(term, RDFS.label) is not None, f"pkg:{local} lacks rdfs:label"
        assert g.value(term, RDFS.comment) is not None, f"pkg:{local} lacks rdfs:comment"


def test_every_declared_term_is_known_to_code():
    g = ontology_graph()
    declared = {str(s)[len(T.PKG):] for s in g.subjects(RDF.type, None) if str(s).startswith(T.PKG)}
    assert declared - set(T.ALL_PKG_TERMS) <= {"ShapePrefixes"}


def test_required_subclass_axioms():
    g = ontology_graph()
    closure = lambda c: set(g.transitive_objects(PKG[c], RDFS.subClassOf))  # noqa: E731
    assert {PKG.Organization, PKG.Agent} <= closure("Company")
    assert {PKG.Regulation, PKG.Policy} <= closure("ExportControl")
    assert PKG.Jurisdiction in closure("Country")
    assert PKG.Evidenced in closure("Claim") and PKG.Evidenced in closure("Statement")
    assert rdflib.URIRef(T.PROV + "Agent") in closure("Person")


def test_disjointness_declared():
    g = ontology_graph()
    groups = [set(rdflib.collection.Collection(g, g.value(b, OWL.members)))
              for b in g.subjects(RDF.type, OWL.AllDisjointClasses)]
    assert any({PKG.Person, PKG.Organization} <= grp for grp in groups)
    assert (PKG.Document, OWL.disjointWith, PKG.Agent) in g


def test_shapes_parse():
    shapes = rdflib.Graph().parse(data=shapes_text(), format="turtle")
    assert len(list(shapes.subjects(RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#NodeShape")))) >= 5


def test_hermit_rejects_person_that_is_also_organization():
    from pyoxigraph import NamedNode, Triple
    from policykg.graph.validate import check_owl
    require_tool("java")
    x = NamedNode("https://w3id.org/policykg/id/person/someone")
    typ = NamedNode(T.RDF_TYPE)
    ok, _ = check_owl([Triple(x, typ, NamedNode(T.pkg("Person")))])
    assert ok
    ok, detail = check_owl([Triple(x, typ, NamedNode(T.pkg("Person"))),
                            Triple(x, typ, NamedNode(T.pkg("Organization")))])
    assert not ok and "inconsistent" in detail


def test_hermit_finds_corpus_entity_layer_consistent(corpus_store):
    from policykg.graph.validate import check_owl, entity_layer_triples
    require_tool("java")
    triples = entity_layer_triples(corpus_store)
    assert len(triples) > 20
    ok, detail = check_owl(triples)
    assert ok, detail


def test_owlready2_loads_ontology(tmp_path):
    import owlready2
    from pyoxigraph import RdfFormat, parse, serialize
    path = tmp_path / "onto.nt"
    path.write_bytes(serialize(parse(ontology_text(), format=RdfFormat.TURTLE), format=RdfFormat.N_TRIPLES))
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load(format="ntriples")
    names = {c.name for c in onto.classes()}
    assert {"Person", "Company", "ExportControl", "Claim", "TextSpan"} <= names
