"""Boilerplate detection and sentence segmentation. (Minimal first version.)"""
from __future__ import annotations

import re

from policykg.loaders.records import SourceDocument, Span

_SENTENCE = re.compile(r"[^\n]+?(?:[.!?](?=\s)|$)", re.M)


def find_boilerplate(doc: SourceDocument) -> list[tuple[int, int, str]]:
    """Regions of the text that are not article content."""
    return []


def sentences(doc: SourceDocument) -> list[Span]:
    """Content sentences of the document, outside boilerplate, in order."""
    out = []
    for m in _SENTENCE.finditer(doc.text):
        s, e = m.start(), m.end()
        while s < e and doc.text[s].isspace():
            s += 1
        if s < e:
            out.append(Span(s, e, doc.text[s:e]))
    return out
