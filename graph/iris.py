"""Stable instance IRIs, derived from content (never counters): a diff of two exports is a real change."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import quote

from policykg.loaders.records import SourceDocument, Span
from policykg.ontology.terms import DEFAULT_BASE


def short_hash(*parts: str, length: int = 20) -> str:
    """Hex digest of the parts (joined unambiguously), truncated."""
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:length]


@dataclass(frozen=True)
class IRIMinter:
    """Mints every instance IRI under one base (default ``https://w3id.org/policykg/id/``)."""

    base: str = DEFAULT_BASE

    def entity(self, key: str) -> str:
        """Entities from their canonical key ``category/slug``."""
        return self.base + quote(key, safe="/-._~")

    def document(self, source_id: str) -> str:
        """Documents from their source identifier (relative path or URL)."""
        return self.base + "doc/" + quote(source_id, safe="/-._~")

    def extraction_graph(self, doc: SourceDocument) -> str:
        """A document's extraction graph from its content hash: an edited article gets a new graph."""
        return self.base + "graph/" + doc.sha256[:32]

    @property
    def entities_graph(self) -> str:
        """The shared graph of canonical labels, reference facts and cross-document links."""
        return self.base + "graph/entities"

    def span(self, doc: SourceDocument, span: Span) -> str:
        return f"{self.base}span/{doc.sha256[:16]}-{span.start}-{span.end}"

    def statement(self, subject: str, predicate: str, obj: str, negated: bool) -> str:
        """One node per distinct fact, shared by every document that states it."""
        return self.base + "stmt/" + short_hash(subject, predicate, obj, "neg" if negated else "pos")

    def claim(self, doc: SourceDocument, quote_span: Span) -> str:
        return f"{self.base}claim/{doc.sha256[:16]}-{quote_span.start}-{quote_span.end}"

    def event(self, doc: SourceDocument, key: str, evidence: Span) -> str:
        return self.base + "event/" + short_hash(doc.sha256, key, str(evidence.start))

    def activity(self, version: str, rules_hash: str) -> str:
        return f"{self.base}activity/policykg-{version}-{rules_hash}"

    def conflict(self, kind: str, key: str, sides: list[str]) -> str:
        return self.base + "conflict/" + short_hash(kind, key, *sorted(sides))
