"""One document in, one Extraction out: the order in which the rules run."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources

from policykg import __version__
from policykg.loaders import claims, entities, events, relations, text
from policykg.loaders.context import TextContext
from policykg.loaders.records import Extraction, SourceDocument, Span
from policykg.loaders.reference import ReferenceData, load_reference

# Every file whose content can change what extraction produces (the reference data is hashed
# separately, since a user may pass their own).
_RULE_FILES = tuple(sorted(
    r.name for r in resources.files(__package__).iterdir()
    if r.name.endswith(".py") or (r.name.endswith(".yaml") and r.name != "reference.yaml")))


@lru_cache(maxsize=8)
def rules_hash(reference_digest: str) -> str:
    """Hash of the rule code and the reference data: it changes when extraction could change."""
    h = hashlib.sha256(__version__.encode())
    pkg = resources.files(__package__)
    for name in _RULE_FILES:
        h.update(pkg.joinpath(name).read_bytes())
    h.update(reference_digest.encode())
    return h.hexdigest()[:16]


# Longer "sentences" (a page without punctuation, a pasted table, a run-on line of junk) are cut
# into pieces: every rule reads one sentence at a time, and some look back over it or pair the
# cues inside it, so an unbounded sentence would make extraction time grow with its square.
# Real sentences stay far below it (the longest in the corpus and tests is under 400 characters).
MAX_SENTENCE_CHARS = 1000


def _bounded(doc: SourceDocument, sents: list[Span]) -> list[Span]:
    out: list[Span] = []
    t = doc.text
    for s in sents:
        start = s.start
        while s.end - start > MAX_SENTENCE_CHARS:
            cut = start + MAX_SENTENCE_CHARS
            space = t.rfind(" ", start + MAX_SENTENCE_CHARS // 2, cut)
            cut = space if space > start else cut
            out.append(Span(start, cut, t[start:cut]))
            start = cut
            while start < s.end and t[start].isspace():
                start += 1
        if start < s.end:
            out.append(s if start == s.start else Span(start, s.end, t[start:s.end]))
    return out


def build_context(doc: SourceDocument, reference: ReferenceData) -> TextContext:
    """Segment the document and resolve its entities."""
    doc.boilerplate = text.find_boilerplate(doc)
    sents = _bounded(doc, text.sentences(doc))
    ents, mentions = entities.resolve_entities(doc, sents, reference)
    return TextContext(doc, sents, ents, mentions)


def extract(doc: SourceDocument, reference: ReferenceData | None = None) -> Extraction:
    """Run every rule over one document."""
    reference = reference or load_reference()
    ctx = build_context(doc, reference)
    return Extraction(
        document=doc,
        entities=ctx.entities,
        mentions=ctx.mentions,
        facts=relations.extract_facts(ctx),
        claims=claims.extract_claims(ctx),
        events=events.extract_events(ctx),
    )
