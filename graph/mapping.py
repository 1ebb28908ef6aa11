"""Extraction records -> RDF quads in the document's own named graph.

Lean provenance: the plain (truthy) triple for every positive relation, one Statement node per
distinct fact, and span nodes shared by every item drawn from the same words.
"""
from __future__ import annotations

import re

from pyoxigraph import Literal, NamedNode, Quad

from policykg import __version__
from policykg.graph.iris import IRIMinter
from policykg.loaders.records import Extraction, Span
from policykg.ontology import terms as T
from policykg.ontology.terms import pkg

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TYPES = {"date", "gYearMonth", "gYear", "gMonthDay"}

# pyoxigraph term constructors are cheap but not free; build the fixed ones once.
_N = {name: NamedNode(iri) for name, iri in {
    "type": T.RDF_TYPE, "label": T.RDFS_LABEL, "alt": T.SKOS_ALT_LABEL,
    "subject": T.RDF_SUBJECT, "predicate": T.RDF_PREDICATE, "object": T.RDF_OBJECT,
    "hasSource": T.OA_HAS_SOURCE, "exact": T.OA_EXACT, "start": T.OA_START, "end": T.OA_END,
    "generatedBy": T.PROV_GENERATED_BY, "Activity": T.PROV_ACTIVITY,
    "identifier": T.DCT_IDENTIFIER, "title": T.DCT_TITLE, "creator": T.DCT_CREATOR,
    "publisher": T.DCT_PUBLISHER, "date": T.DCT_DATE, "source": T.DCT_SOURCE,
}.items()}
_P = {name: NamedNode(pkg(name)) for name in T.ALL_PKG_TERMS}
_NNI = NamedNode(T.XSD_INTEGER)  # Oxigraph stores xsd:nonNegativeInteger as xsd:integer anyway
_BOOL = NamedNode(T.XSD_BOOLEAN)
_TRUE = Literal("true", datatype=_BOOL)


# Unpaired surrogates cannot be encoded at all; raptor (rapper) refuses U+FFFE/U+FFFF and cuts a
# literal short at NUL (none of the three is an XML/xsd:string character either).
_UNSAFE = re.compile("[\x00\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """RDF literals cannot hold unpaired surrogates, and NUL, U+FFFE and U+FFFF break other
    parsers (raptor): replace each with one U+FFFD, so lengths and offsets stay as they were."""
    return _UNSAFE.sub("\ufffd", value)


def _has_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def _lit(value: str) -> Literal:
    return Literal(clean_text(value))


def _iri_or_literal(value: str) -> NamedNode | Literal:
    """A URL as an IRI when it is a valid absolute IRI; otherwise (spaces, ``<>"``...) as a plain
    literal, so a malformed URL in metadata costs the link, not the document."""
    if "://" in value and not _has_surrogate(value):
        try:
            return NamedNode(value)
        except ValueError:
            pass
    return _lit(value)


def typed(value: str, xsd_local: str) -> Literal:
    """A literal typed ``xsd:<xsd_local>``."""
    return Literal(value, datatype=NamedNode(T.XSD + xsd_local))


class DocumentMapper:
    """Maps one Extraction into quads; keeps span nodes shared within the document."""

    def __init__(self, extraction: Extraction, minter: IRIMinter, rules_hash: str):
        self.x = extraction
        self.doc = extraction.document
        self.m = minter
        self.g = NamedNode(minter.extraction_graph(self.doc))
        self.doc_node = NamedNode(minter.document(self.doc.source_id))
        self.rules_hash = rules_hash
        self.quads: list[Quad] = []
        self._spans: dict[tuple[int, int], NamedNode] = {}
        self._entities: dict[str, NamedNode] = {}

    # -- helpers -----------------------------------------------------------------------------
    def add(self, s, p, o) -> None:
        self.quads.append(Quad(s, p, o, self.g))

    def entity(self, key: str) -> NamedNode:
        node = self._entities.get(key)
        if node is None:
            node = self._entities[key] = NamedNode(self.m.entity(key))
        return node

    def span(self, span: Span) -> NamedNode:
        """The span node for these words, created once per document."""
        node = self._spans.get((span.start, span.end))
        if node is None:
            node = self._spans[(span.start, span.end)] = NamedNode(self.m.span(self.doc, span))
            self.add(node, _N["type"], _P["TextSpan"])
            self.add(node, _N["hasSource"], self.doc_node)
            self.add(node, _N["exact"], _lit(span.text))
            self.add(node, _N["start"], Literal(str(span.start), datatype=_NNI))
            self.add(node, _N["end"], Literal(str(span.end), datatype=_NNI))
        return node

    def statement(self, subject: str, predicate: str, obj: NamedNode | Literal, negated: bool) -> NamedNode:
        node = NamedNode(self.m.statement(subject, predicate, obj.value, negated))
        self.add(node, _N["type"], _P["Statement"])
        self.add(node, _N["subject"], self.entity(subject))
        self.add(node, _N["predicate"], _P[predicate])
        self.add(node, _N["object"], obj)
        if negated:
            self.add(node, _P["negated"], _TRUE)
        return node

    # -- parts ---------------------------------------------------------------------------------
    def map(self) -> list[Quad]:
        self._document()
        self._entities_and_mentions()
        self._facts()
        self._claims()
        self._events()
        return self.quads

    def _document(self) -> None:
        d, node = self.doc, self.doc_node
        self.add(self.g, _P["extractionOf"], node)
        activity = NamedNode(self.m.activity(__version__, self.rules_hash))
        self.add(self.g, _N["generatedBy"], activity)
        self.add(activity, _N["type"], _N["Activity"])
        self.add(activity, _P["softwareVersion"], _lit(__version__))
        self.add(activity, _P["rulesHash"], _lit(self.rules_hash))
        self.add(node, _N["type"], _P["Document"])
        self.add(node, _N["identifier"], _lit(d.source_id))
        self.add(node, _P["sha256"], _lit(d.sha256))
        self.add(node, _P["format"], _lit(d.format))
        self.add(node, _P["text"], _lit(d.text))
        for pred, value in (("title", d.title), ("creator", d.creator), ("publisher", d.publisher)):
            if value:
                self.add(node, _N[pred], _lit(value))
        if d.date:
            self.add(node, _N["date"], typed(d.date, "date") if _ISO_DATE.match(d.date) else _lit(d.date))
        if d.url:
            self.add(node, _N["source"], _iri_or_literal(d.url))

    def _entities_and_mentions(self) -> None:
        for key in sorted(self.x.entities):
            ref = self.x.entities[key]
            node = self.entity(key)
            self.add(node, _N["type"], _P[ref.type])
            self.add(node, _P["mentionedIn"], self.doc_node)
            for form in sorted(ref.aliases | {ref.label}):
                self.add(node, _N["alt"], _lit(form))
        for mention in self.x.mentions:
            if mention.entity in self.x.entities:
                self.add(self.entity(mention.entity), _P["mention"], self.span(mention.span))

    def _facts(self) -> None:
        for fact in self.x.facts:
            obj = _lit(fact.object) if fact.object_is_literal else self.entity(fact.object)
            if fact.predicate == "openWeights":
                obj = typed(fact.object, "boolean")
            st = self.statement(fact.subject, fact.predicate, obj, fact.negated)
            self.add(st, _P["evidence"], self.span(fact.evidence))
            self.add(st, _P["extractedBy"], _lit(fact.rule))
            for name, value in sorted(fact.qualifiers.items()):
                self.add(st, _P[name], _lit(value))
            if not fact.negated:
                self.add(self.entity(fact.subject), _P[fact.predicate], obj)

    def _claims(self) -> None:
        for claim in self.x.claims:
            node = NamedNode(self.m.claim(self.doc, claim.quote))
            self.add(node, _N["type"], _P["Claim"])
            self.add(node, _P["quote"], _lit(claim.quote.text))
            self.add(node, _P["evidence"], self.span(claim.quote))
            if claim.evidence is not None and claim.evidence != claim.quote:
                self.add(node, _P["evidence"], self.span(claim.evidence))
            self.add(node, _P["speakerText"], _lit(claim.speaker_text))
            self.add(node, _P["cue"], _lit(claim.cue))
            self.add(node, _P["reportedIn"], self.doc_node)
            self.add(node, _P["extractedBy"], _lit(claim.rule))
            self.add(node, _P["polarity"], _lit(claim.polarity))
            if claim.speaker:
                self.add(node, _P["statedBy"], self.entity(claim.speaker))
            for key in sorted(set(claim.about)):
                self.add(node, _P["about"], self.entity(key))
            if claim.proposition:
                subj, pred, obj = claim.proposition
                # Denials and hedges bear on the negated statement; only affirmations back the fact.
                st = self.statement(subj, pred, self.entity(obj), claim.polarity != "affirms")
                self.add(st, _P["evidence"], self.span(claim.evidence or claim.quote))
                self.add(st, _P["extractedBy"], _lit(claim.rule))
                self.add(node, _P["asserts"], st)

    def _events(self) -> None:
        for ev in self.x.events:
            node = NamedNode(self.m.event(self.doc, ev.key, ev.evidence))
            self.add(node, _N["type"], _P["Event"])
            self.add(node, _N["label"], _lit(ev.label))
            self.add(node, _P["eventType"], _lit(ev.kind))
            self.add(node, _P["eventKey"], _lit(ev.key))
            self.add(node, _P["reportedIn"], self.doc_node)
            self.add(node, _P["evidence"], self.span(ev.evidence))
            self.add(node, _P["extractedBy"], _lit(ev.rule))
            for key in sorted(set(ev.participants)):
                self.add(node, _P["participant"], self.entity(key))
            if ev.date_text:
                self.add(node, _P["dateText"], _lit(ev.date_text))
            if ev.date and ev.date_type in _DATE_TYPES:
                self.add(node, _P["date"], typed(ev.date, ev.date_type))
                self.add(node, _P["dateBasis"], _lit(ev.date_basis or "explicit"))
            if ev.duration:
                self.add(node, _P["duration"], typed(ev.duration, "duration"))
            if ev.duration_text:
                self.add(node, _P["durationText"], _lit(ev.duration_text))


def extraction_quads(extraction: Extraction, minter: IRIMinter, rules_hash: str) -> list[Quad]:
    """All quads of one document's extraction, in its own named graph."""
    return DocumentMapper(extraction, minter, rules_hash).map()
