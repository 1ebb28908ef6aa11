"""Reading files into SourceDocuments.

Formats (by suffix): ``.txt``, ``.md`` (the decoded file is the text), ``.html``/``.htm`` (main
text extracted with trafilatura; ``text`` is the extracted text, so offsets index into it),
``.json`` (an object with a ``text`` field and optional title/author|creator/publisher/date/url)
and ``.jsonl`` (one such object per line; source id ``file.jsonl#L<n>``).

Decoding: UTF-8; a UTF-8 BOM is dropped; newlines are never changed, so offsets hold for any
reader that decodes the file as UTF-8 without the BOM. A UTF-16 file with a BOM is refused
with a clear message (re-encode it as UTF-8): accepting it would make offsets depend on a
decoding other tools do not assume.

Metadata: an optional sidecar ``<file>.meta.json`` (url/title/author|creator/publisher/date,
all strings) wins over what the text states; from the text: a headline (first line when short
and title-like), a byline ("Written by" + name, "By Name") and an author bio line.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from policykg.errors import DocumentError
from policykg.loaders.records import SourceDocument

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")
MAX_CHARS = 5_000_000          # one document's text; larger inputs are refused
SIDECAR_SUFFIX = ".meta.json"
_META_FIELDS = ("url", "title", "author", "creator", "publisher", "date")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def discover(paths: list[Path]) -> list[tuple[Path, Path]]:
    """Expand files and folders into (file, corpus root) pairs, sorted, documents only.

    Folders are walked without following symbolic links to folders (no loops); files with an
    unknown suffix and sidecars are skipped there. A file named explicitly is always returned
    (reading it fails if its format is unknown). Sorted by root, then POSIX relative path.
    """
    found: dict[tuple[str, str], tuple[Path, Path]] = {}
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for dirpath, dirnames, filenames in os.walk(p, followlinks=False):
                dirnames.sort()
                for name in filenames:
                    f = Path(dirpath) / name
                    if name.lower().endswith(SIDECAR_SUFFIX) or name.startswith("."):
                        continue
                    # A broken or looping symlink is returned too, so reading it reports why;
                    # FIFOs, sockets and devices are never opened (reading could block).
                    if f.suffix.lower() in SUPPORTED_SUFFIXES and (f.is_file() or _broken_link(f)):
                        found[(str(p), f.relative_to(p).as_posix())] = (f, p)
        else:
            found[(str(p.parent), p.name)] = (p, p.parent)
    return [found[k] for k in sorted(found)]


def _broken_link(path: Path) -> bool:
    """A symlink whose target is missing or loops (``exists()`` follows it and fails)."""
    return path.is_symlink() and not path.exists()


def _json_loads(text: str, where: str, *, line: int | None = None) -> object:
    """json.loads with every failure a DocumentError (deep nesting raises RecursionError)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        at = f"column {exc.colno}" if line is not None else f"line {exc.lineno} column {exc.colno}"
        raise DocumentError(where, f"malformed JSON ({exc.msg}, {at})") from exc
    except RecursionError:
        raise DocumentError(where, "malformed JSON (nested too deeply)") from None


def read_documents(path: Path, root: Path | None = None) -> list[SourceDocument]:
    """Read one file (a JSONL file may hold many documents).

    :raises DocumentError: unreadable, empty, binary, not UTF-8, too large, malformed JSON or
        sidecar, or an unknown format.
    """
    path = Path(path)
    root = Path(root) if root is not None else path.parent
    try:
        source_id = path.relative_to(root).as_posix()
    except ValueError:
        source_id = path.name
    fmt = _format(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(str(path), f"cannot read ({exc.strerror})") from exc
    sidecar = _read_sidecar(path)
    text = decode(raw, str(path))
    if fmt == "jsonl":
        docs = []
        for n, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            where = f"{path}#L{n}"
            try:
                obj = _json_loads(line, where, line=n)
            except DocumentError as exc:   # the file is read whole or not at all: say so
                raise DocumentError(where, f"{exc.problem}; whole file skipped") from exc.__cause__
            docs.append(_from_json(obj, where, f"{source_id}#L{n}",
                                   hashlib.sha256(line.encode("utf-8")).hexdigest(), str(path), sidecar))
        if not docs:
            raise DocumentError(str(path), "empty document (no JSON lines)")
        return docs
    sha = hashlib.sha256(raw).hexdigest()
    if fmt == "json":
        obj = _json_loads(text, str(path))
        return [_from_json(obj, str(path), source_id, sha, str(path), sidecar)]
    if fmt == "html":
        body, meta = _html_text(text, str(path))
        doc = SourceDocument(source_id=source_id, text=body, sha256=sha, format="html", path=str(path))
        _apply(doc, meta)
    else:
        _check_text(text, str(path))
        doc = SourceDocument(source_id=source_id, text=text, sha256=sha, format=fmt, path=str(path))
    _apply(doc, text_metadata(doc.text))
    _apply(doc, sidecar, override=True)
    return [doc]


def decode(raw: bytes, where: str) -> str:
    """Bytes to text: UTF-8 without BOM, refusing binary and UTF-16 clearly."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError(where, "UTF-16 text (byte-order mark found); re-encode the file as UTF-8")
    nul = raw.find(b"\x00")
    if nul != -1:
        raise DocumentError(where, f"binary file (NUL byte at offset {nul})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(where, f"not valid UTF-8 (byte offset {exc.start})") from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(str(path), f"unknown format {suffix or '(no suffix)'!r}; "
                                       f"supported: {', '.join(SUPPORTED_SUFFIXES)}")
    return {".htm": "html"}.get(suffix, suffix[1:])


def _check_text(text: str, where: str) -> None:
    if not text.strip():
        raise DocumentError(where, "empty document")
    if len(text) > MAX_CHARS:
        raise DocumentError(where, f"document too large ({len(text)} characters; limit {MAX_CHARS})")


def _read_sidecar(path: Path) -> dict[str, str]:
    side = path.with_name(path.name + SIDECAR_SUFFIX)
    if not side.exists():
        return {}
    try:
        obj = json.loads(side.read_bytes().decode("utf-8-sig"))
    except RecursionError:
        raise DocumentError(str(side), "malformed sidecar (nested too deeply)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DocumentError(str(side), f"malformed sidecar ({exc.__class__.__name__}: {exc})") from exc
    return _metadata(obj, str(side), "sidecar")


def _metadata(obj: object, where: str, what: str) -> dict[str, str]:
    if not isinstance(obj, dict):
        raise DocumentError(where, f"malformed {what}: expected a JSON object")
    meta: dict[str, str] = {}
    for name in _META_FIELDS:
        value = obj.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise DocumentError(where, f"malformed {what}: {name!r} must be a string, not {type(value).__name__}")
        value = value.strip()
        if name == "date" and value and not _DATE.match(value):
            raise DocumentError(where, f"malformed {what}: date {value!r} is not ISO yyyy-mm-dd")
        if value:
            meta["creator" if name == "author" else name] = value[:10] if name == "date" else value
    return meta


def _from_json(obj: object, where: str, source_id: str, sha: str, path: str,
               sidecar: dict[str, str]) -> SourceDocument:
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        raise DocumentError(where, "JSON document needs an object with a string 'text' field")
    text = obj["text"]
    _check_text(text, where)
    doc = SourceDocument(source_id=source_id, text=text, sha256=sha, format="json", path=path)
    _apply(doc, _metadata(obj, where, "JSON metadata"))
    _apply(doc, text_metadata(text))
    _apply(doc, sidecar, override=True)
    return doc


def _html_text(html: str, where: str) -> tuple[str, dict[str, str]]:
    if not html.strip():
        raise DocumentError(where, "empty document")
    if len(html) > 4 * MAX_CHARS:
        raise DocumentError(where, f"document too large ({len(html)} characters of HTML)")
    try:
        import trafilatura   # optional heavy import, only for HTML
    except ImportError as exc:    # e.g. lxml without lxml_html_clean
        raise DocumentError(where, f"cannot read HTML: trafilatura unavailable ({exc})") from exc
    body = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not body or not body.strip():
        raise DocumentError(where, "no article text found in HTML")
    _check_text(body, where)
    meta: dict[str, str] = {}
    try:
        md = trafilatura.extract_metadata(html)
    except Exception:        # metadata is a bonus; the text is what matters
        md = None
    if md is not None:
        for name, attr in (("title", "title"), ("creator", "author"), ("publisher", "sitename"),
                           ("date", "date"), ("url", "url")):
            value = getattr(md, attr, None)
            if isinstance(value, str) and value.strip():
                meta[name] = value.strip()
        if "date" in meta and not _DATE.match(meta["date"]):
            del meta["date"]
    return body, meta


def _apply(doc: SourceDocument, meta: dict[str, str], override: bool = False) -> None:
    for name, value in meta.items():
        if override or getattr(doc, name) is None:
            setattr(doc, name, value)


_WRITTEN_BY = re.compile(r"^[ \t]*(?:written by|words by|reporting by)[ \t]*:?\s*(?P<name>[A-Z][^\n]{1,60}?)[ \t]*$",
                         re.I | re.M)
_BY_LINE = re.compile(r"^\s*By\s+(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})(?:\s*(?:,|\||\d+\s*min).*)?$", re.M)
_NAME = re.compile(r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}")
_BIO = re.compile(r"^(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})[ \t]*\n\s*(?:(?P=name)\s+is\s+an?\s|"
                  r"An?\s+(?:\w+\s+){0,3}(?:journalist|writer|reporter|editor|correspondent|columnist))", re.M)


def text_metadata(text: str) -> dict[str, str]:
    """Title and author where the text states them (headline, "Written by", "By Name", bio)."""
    meta: dict[str, str] = {}
    nl = text.find("\n")
    first = (text if nl == -1 else text[:nl]).strip()
    if first and nl != -1 and 3 <= len(first.split()) <= 20 and len(first) <= 160 \
            and not first.endswith((".", ",", ";", "!")) and sum(w[:1].isupper() for w in first.split()) >= 2:
        meta["title"] = first
    head = text[:200_000]
    tail = text[-20_000:]
    for pat, where in ((_WRITTEN_BY, tail), (_BY_LINE, head[:3000]), (_BIO, tail), (_BY_LINE, tail)):
        mo = pat.search(where)
        if mo and _NAME.fullmatch(mo.group("name").strip()):
            meta["creator"] = mo.group("name").strip()
            break
    return meta
