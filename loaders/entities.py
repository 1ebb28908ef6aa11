"""Entity recognition and resolution. (Minimal first version: reference names only.)"""
from __future__ import annotations

import re

from policykg.loaders.records import EntityRef, Mention, SourceDocument, Span
from policykg.loaders.reference import ReferenceData


def resolve_entities(doc: SourceDocument, sents: list[Span], reference: ReferenceData
                     ) -> tuple[dict[str, EntityRef], list[Mention]]:
    """Find entity mentions in the sentences and resolve them to entities."""
    entities: dict[str, EntityRef] = {}
    mentions: list[Mention] = []
    for sent in sents:
        for entry in reference.entries:
            for name in entry.names:
                for m in re.finditer(r"\b" + re.escape(name) + r"\b", sent.text):
                    s = sent.start + m.start()
                    span = Span(s, s + len(name), name)
                    ref = entities.setdefault(entry.key, EntityRef(
                        key=entry.key, label=entry.label, type=entry.type, country=entry.country,
                        wikidata=entry.wikidata, in_reference=True))
                    ref.aliases.add(name)
                    mentions.append(Mention(entry.key, span))
    return entities, mentions
