"""Plain extraction records: what loaders hand to the graph layer.

These dataclasses are the contract between ``policykg.loaders`` (text -> records) and
``policykg.graph`` (records -> RDF). They hold no RDF. Offsets are Unicode code points into
``SourceDocument.text`` and always satisfy ``text[start:end] == exact``.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Span:
    """Exact words of a document: ``document.text[start:end] == text``."""

    start: int
    end: int
    text: str


@dataclass
class SourceDocument:
    """One loaded article. ``text`` is what offsets index into (for .txt/.md the decoded file)."""

    source_id: str                 # path relative to the corpus root (POSIX), or a URL
    text: str
    sha256: str                    # hex SHA-256 of the file bytes (of the record, for JSONL)
    format: str                    # txt | md | html | json
    path: str | None = None        # local file path it came from, if any
    title: str | None = None
    creator: str | None = None     # author as written
    publisher: str | None = None
    date: str | None = None        # ISO yyyy-mm-dd when known (sidecar or text)
    url: str | None = None
    # Regions of ``text`` that are not article content (link lines, widgets, bios, teasers):
    # (start, end, reason). Nothing inside them may become knowledge.
    boilerplate: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass
class EntityRef:
    """An entity as the extractor resolved it. ``key`` is ``category/slug`` and makes the IRI."""

    key: str                       # e.g. "org/zhipu-ai", "person/lin-yun", "model/glm-5-2"
    label: str                     # canonical label (reference label, or the fullest form seen)
    type: str                      # pkg: class local name, one of terms.ENTITY_CLASSES
    aliases: set[str] = field(default_factory=set)   # surface forms seen in this document
    country: str | None = None     # key of a Country entity, from reference data only
    wikidata: str | None = None
    in_reference: bool = False


@dataclass(frozen=True)
class Mention:
    """One place where an entity is mentioned."""

    entity: str                    # EntityRef.key
    span: Span


@dataclass
class Fact:
    """A relation or attribute read from text. ``predicate`` is a pkg: local name
    (terms.ENTITY_RELATIONS or terms.LITERAL_FACTS)."""

    subject: str                   # entity key
    predicate: str
    object: str                    # entity key, or the literal value when object_is_literal
    evidence: Span
    rule: str                      # rule id, recorded as pkg:extractedBy
    object_is_literal: bool = False
    negated: bool = False
    qualifiers: dict[str, str] = field(default_factory=dict)   # e.g. {"role": "Commerce Secretary"}


@dataclass
class Claim:
    """Something a source asserts in this document."""

    quote: Span                    # the asserted words
    cue: str                       # 'said', 'warned', 'according to', 'article', ...
    speaker_text: str              # as written; 'article' for the article's own assertion
    rule: str
    speaker: str | None = None     # entity key when identifiable
    about: list[str] = field(default_factory=list)             # entity keys
    # The proposition it bears on, for stance: (subject key, predicate, object key) and how.
    proposition: tuple[str, str, str] | None = None
    polarity: str = "affirms"      # affirms | denies | hedges
    evidence: Span | None = None   # the whole attribution sentence(s), if wider than the quote


@dataclass
class Event:
    """A dated (or datable) happening as this document reports it."""

    kind: str                      # order | shutdown | release | reversal | restoration | announcement | conference | directive
    key: str                       # kind + main participants: same key across documents = same happening
    label: str
    evidence: Span
    rule: str
    participants: list[str] = field(default_factory=list)      # entity keys
    date_text: str | None = None   # exactly as written
    date: str | None = None        # xsd lexical form
    date_type: str | None = None   # date | gYearMonth | gYear | gMonthDay
    date_basis: str | None = None  # explicit | document-date | relative-to-event | ...
    duration: str | None = None    # xsd:duration lexical, e.g. P18D
    duration_text: str | None = None


@dataclass
class Extraction:
    """Everything read from one document."""

    document: SourceDocument
    entities: dict[str, EntityRef] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
