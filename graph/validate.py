"""Validation: HermiT (via owlready2) checks the ontology plus the entity layer for OWL
consistency; pySHACL checks the provenance shapes in ontology/shapes.ttl on the whole graph."""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import RdfFormat, Triple, parse, serialize

from policykg.errors import ValidationFailed
from policykg.ontology import ontology_text, shapes_text
from policykg.ontology import terms as T

_ENTITY_LAYER = """
PREFIX pkg: <https://w3id.org/policykg/ontology#>
SELECT ?s ?p ?o WHERE {
  { ?s pkg:mentionedIn ?d . ?s a ?o . BIND(<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> AS ?p)
    FILTER(STRSTARTS(STR(?o), STR(pkg:))) }
  UNION
  { VALUES ?p { %s } ?s ?p ?o . }
}
""" % " ".join(f"pkg:{r}" for r in T.ENTITY_RELATIONS)


_NON_OWL2_DATATYPES = {T.XSD + n for n in ("duration", "gYear", "gYearMonth", "gMonthDay", "date")}


@dataclass
class ValidationReport:
    ok: bool
    checks: list[tuple[str, bool, str]] = field(default_factory=list)   # (name, passed, detail)

    @property
    def text(self) -> str:
        lines = [f"{'ok  ' if passed else 'FAIL'} {name}: {detail}" for name, passed, detail in self.checks]
        lines.append("conforms" if self.ok else "does not conform")
        return "\n".join(lines)


def entity_layer_triples(store) -> list[Triple]:
    """Entity types and relations between entities: small even for large corpora."""
    return [Triple(*row) for row in store.query(_ENTITY_LAYER).rows]


def check_owl(triples: list[Triple]) -> tuple[bool, str]:
    """Load ontology + triples into a fresh owlready2 world and run HermiT. Needs Java."""
    if shutil.which("java") is None:
        raise ValidationFailed("the OWL reasoner needs Java (install a JRE, e.g. apt-get install default-jre-headless)")
    import owlready2
    # HermiT knows only the OWL 2 datatype map; xsd:duration and the gregorian types are not in
    # it, and data values are not reasoned over here, so those range axioms are left out.
    onto_triples = [t for t in parse(ontology_text(), format=RdfFormat.TURTLE)
                    if not (t.predicate.value == T.RDFS + "range" and t.object.value in _NON_OWL2_DATATYPES)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "entity-layer.nt"
        path.write_bytes(serialize(onto_triples + triples, format=RdfFormat.N_TRIPLES))
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load(format="ntriples")
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            bad = [c.iri for c in world.inconsistent_classes()] if hasattr(world, "inconsistent_classes") else []
            return False, "inconsistent" + (f" (unsatisfiable: {', '.join(bad)})" if bad else "")
        finally:
            world.close()
    return True, f"HermiT found the ontology and {len(triples)} entity-layer triples consistent"


def _shacl(nquads: bytes, *, skip_shapes: tuple[str, ...] = ()) -> tuple[bool, int, list[str]]:
    """Validate the union of N-Quads against the shapes; returns (conforms, triples, messages)."""
    import pyshacl
    import rdflib
    ds = rdflib.Dataset()
    ds.parse(data=nquads.decode("utf-8"), format="nquads")
    union = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    shapes = rdflib.Graph().parse(data=shapes_text(), format="turtle")
    for local in skip_shapes:
        shapes.remove((rdflib.URIRef(T.PKG + local), None, None))
    conforms, _, text = pyshacl.validate(union, shacl_graph=shapes, inference="none", advanced=True)
    messages = sorted({ln.strip()[len("Message:"):].strip() for ln in text.splitlines()
                       if ln.strip().startswith("Message:")})
    return conforms, len(union), messages


def check_shacl(store) -> tuple[bool, str]:
    """Run the SHACL shapes over the union graph (data only)."""
    from policykg.graph.export import render
    conforms, n, messages = _shacl(render(store, "nquads"))
    if conforms:
        return True, f"{n} triples conform to the shapes"
    return False, f"{len(messages)} kinds of violation: " + "; ".join(messages[:10])


def document_violations(quads) -> list[str]:
    """SHACL messages for one document's extraction graph (canonical labels live in the shared
    entity graph, so the label shape is left to the whole-graph check)."""
    conforms, _, messages = _shacl(serialize(quads, format=RdfFormat.N_QUADS), skip_shapes=("EntityLabelShape",))
    return [] if conforms else messages


def validate(store, *, reasoner: bool = True) -> ValidationReport:
    """Run every check; ``ok`` only when all pass."""
    checks = []
    if reasoner:
        ok, detail = check_owl(entity_layer_triples(store))
        checks.append(("owl-consistency", ok, detail))
    ok, detail = check_shacl(store)
    checks.append(("shacl", ok, detail))
    return ValidationReport(all(c[1] for c in checks), checks)

