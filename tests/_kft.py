"""Helpers for the knowledge-from-text tests: run the pipeline on a corpus file or on a short text."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from policykg.loaders.pipeline import extract
from policykg.loaders.records import Extraction, SourceDocument

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@lru_cache(maxsize=None)
def corpus(prefix: str) -> Extraction:
    """The extraction of the corpus file whose name starts with ``prefix`` ('000')."""
    path = next(CORPUS.glob(prefix + "_*.txt"))
    raw = path.read_bytes()
    doc = SourceDocument(source_id=path.name, text=raw.decode("utf-8"), sha256=hashlib.sha256(raw).hexdigest(),
                         format="txt", path=str(path))
    return extract(doc)


def from_text(text: str, date: str | None = None) -> Extraction:
    """The extraction of a short text (bundled reference data)."""
    raw = text.encode()
    doc = SourceDocument(source_id="t.txt", text=text, sha256=hashlib.sha256(raw).hexdigest(), format="txt",
                         date=date)
    return extract(doc)


def facts(x: Extraction, predicate: str, negated: bool = False) -> set[tuple[str, str]]:
    return {(f.subject, f.object) for f in x.facts if f.predicate == predicate and f.negated == negated}


def key_of(x: Extraction, label: str) -> str:
    """The key of the entity with this label or alias."""
    for k, e in x.entities.items():
        if label.casefold() in {n.casefold() for n in {e.label, *e.aliases}}:
            return k
    raise AssertionError(f"no entity named {label!r} in {sorted(x.entities)}")
