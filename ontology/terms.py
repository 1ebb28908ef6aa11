"""IRIs of every vocabulary term policykg writes. Code refers to terms only through here;
tests/test_ontology.py checks that every ``pkg:`` term below is declared in policykg.ttl."""
from __future__ import annotations

from typing import Final

PKG: Final = "https://w3id.org/policykg/ontology#"
DEFAULT_BASE: Final = "https://w3id.org/policykg/id/"
RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS: Final = "http://www.w3.org/2000/01/rdf-schema#"
XSD: Final = "http://www.w3.org/2001/XMLSchema#"
OWL: Final = "http://www.w3.org/2002/07/owl#"
SKOS: Final = "http://www.w3.org/2004/02/skos/core#"
PROV: Final = "http://www.w3.org/ns/prov#"
DCTERMS: Final = "http://purl.org/dc/terms/"
OA: Final = "http://www.w3.org/ns/oa#"
SCHEMA: Final = "https://schema.org/"
WIKIDATA: Final = "http://www.wikidata.org/entity/"

PREFIXES: Final = {
    "pkg": PKG, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL, "skos": SKOS,
    "prov": PROV, "dcterms": DCTERMS, "oa": OA, "schema": SCHEMA,
}

# Classes an extracted entity may have (local names in pkg:). Order = specificity is not implied.
ENTITY_CLASSES: Final = (
    "Person", "Organization", "Company", "GovernmentBody", "ResearchInstitution", "Coalition",
    "UnnamedSource", "Country", "AIModel", "Product", "Policy", "Regulation", "ExportControl", "License",
)
# Every other pkg: class.
OTHER_CLASSES: Final = (
    "Agent", "Jurisdiction", "Event", "Evidenced", "Statement", "Claim", "Conflict", "Document", "TextSpan",
)
# Object properties between entities; the plain triple is asserted for these.
ENTITY_RELATIONS: Final = (
    "developedBy", "issuedBy", "restricts", "rescinds", "affiliatedWith", "memberOf", "basedIn",
    "licensedUnder", "comparedWith",
)
LITERAL_FACTS: Final = ("role", "openWeights")
OTHER_PROPERTIES: Final = (
    "mentionedIn", "mention", "sha256", "text", "format", "wikidata", "inReferenceData",
    "evidence", "extractedBy", "negated", "rulesHash", "softwareVersion", "extractionOf",
    "quote", "statedBy", "speakerText", "reportedIn", "about", "cue", "asserts", "polarity",
    "supports", "disputes", "participant", "eventType", "eventKey", "dateText", "date",
    "dateBasis", "duration", "durationText", "conflictKind", "conflictKey", "side",
)
ALL_PKG_TERMS: Final = ENTITY_CLASSES + OTHER_CLASSES + ENTITY_RELATIONS + LITERAL_FACTS + OTHER_PROPERTIES


def pkg(local: str) -> str:
    """Full IRI of a ``pkg:`` term, refusing names the ontology does not declare."""
    if local not in _KNOWN:
        raise KeyError(f"pkg:{local} is not an ontology term")
    return PKG + local


_KNOWN = frozenset(ALL_PKG_TERMS)

RDF_TYPE: Final = RDF + "type"
RDF_SUBJECT: Final = RDF + "subject"
RDF_PREDICATE: Final = RDF + "predicate"
RDF_OBJECT: Final = RDF + "object"
RDFS_LABEL: Final = RDFS + "label"
SKOS_ALT_LABEL: Final = SKOS + "altLabel"
SKOS_EXACT_MATCH: Final = SKOS + "exactMatch"
OA_HAS_SOURCE: Final = OA + "hasSource"
OA_EXACT: Final = OA + "exact"
OA_START: Final = OA + "start"
OA_END: Final = OA + "end"
PROV_GENERATED_BY: Final = PROV + "wasGeneratedBy"
PROV_ACTIVITY: Final = PROV + "Activity"
PROV_ENDED: Final = PROV + "endedAtTime"
DCT_IDENTIFIER: Final = DCTERMS + "identifier"
DCT_TITLE: Final = DCTERMS + "title"
DCT_CREATOR: Final = DCTERMS + "creator"
DCT_PUBLISHER: Final = DCTERMS + "publisher"
DCT_DATE: Final = DCTERMS + "date"
DCT_SOURCE: Final = DCTERMS + "source"
XSD_STRING: Final = XSD + "string"
XSD_BOOLEAN: Final = XSD + "boolean"
XSD_INTEGER: Final = XSD + "integer"
XSD_NNI: Final = XSD + "nonNegativeInteger"
XSD_DATE: Final = XSD + "date"
XSD_DURATION: Final = XSD + "duration"
