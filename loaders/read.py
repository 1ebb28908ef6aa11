"""Reading files into SourceDocuments. (Minimal first version: .txt only; see loaders issue.)"""
from __future__ import annotations

import hashlib
from pathlib import Path

from policykg.errors import DocumentError
from policykg.loaders.records import SourceDocument

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")


def discover(paths: list[Path]) -> list[tuple[Path, Path]]:
    """Expand files and folders into (file, corpus root) pairs, sorted, documents only."""
    found: list[tuple[Path, Path]] = []
    for p in paths:
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES:
                    found.append((f, p))
        else:
            found.append((p, p.parent))
    return found


def read_documents(path: Path, root: Path) -> list[SourceDocument]:
    """Read one file (a JSONL file may hold many documents). Raises DocumentError."""
    source_id = path.relative_to(root).as_posix()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(str(path), f"cannot read ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(str(path), f"not valid UTF-8 (byte {exc.start})") from exc
    if not text.strip():
        raise DocumentError(str(path), "empty document")
    return [SourceDocument(source_id=source_id, text=text, sha256=hashlib.sha256(raw).hexdigest(),
                           format="txt", path=str(path))]
