"""The extraction snapshot behind ``tests/test_extraction_golden.py``.

Every document of ``corpus/``, ``tests/annotated/`` and ``tests/fixtures/`` is read and extracted with
the bundled reference data; the records are written as canonical JSON (sorted keys, sets sorted,
document text replaced by its SHA-256, no local paths) to ``tests/golden/extraction.json``.

Regenerate only for an intended change of extraction output, and read the diff::

    python tests/golden_extraction.py --write
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SNAPSHOT = REPO / "tests" / "golden" / "extraction.json"
SOURCES = ("corpus", "tests/annotated", "tests/fixtures")
_SUFFIXES = {".txt", ".md", ".html", ".htm", ".json", ".jsonl"}


def documents():
    """(name, SourceDocument) for every document in ``SOURCES``, in a fixed order."""
    from policykg.loaders.read import read_documents
    out = []
    for folder in SOURCES:
        root = REPO / folder
        for path in sorted(root.iterdir()):
            if path.suffix not in _SUFFIXES or path.name.endswith(".meta.json") or path.name == "README.md":
                continue
            for doc in read_documents(path, root):
                out.append((f"{folder}/{doc.source_id}", doc))
    return out


def _plain(value):
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def serialize(extraction) -> dict:
    """An Extraction as plain JSON data (what the snapshot compares)."""
    data = _plain(extraction)
    doc = data["document"]
    doc["text_sha256"] = hashlib.sha256(doc.pop("text").encode("utf-8")).hexdigest()
    doc.pop("path", None)
    return data


def snapshot() -> dict:
    """The extraction of every snapshot document, by name."""
    from policykg.loaders.pipeline import extract
    return {name: serialize(extract(doc)) for name, doc in documents()}


def dumps(data: dict) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        SNAPSHOT.write_text(dumps(snapshot()), encoding="utf-8")
        print(f"wrote {SNAPSHOT}")
    else:
        sys.exit("usage: python tests/golden_extraction.py --write")
