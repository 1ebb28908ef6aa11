"""Reading files into SourceDocuments: formats, metadata, offsets, and clear errors."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from policykg.errors import DocumentError
from policykg.loaders import read

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = Path(__file__).parent.parent / "corpus"


def _raw_text(path: Path) -> str:
    """The file decoded independently of the loader: UTF-8 minus a BOM."""
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8")


def test_corpus_text_is_the_file_exactly():
    pairs = read.discover([CORPUS])
    assert [p.name for p, _ in pairs] == sorted(p.name for p in CORPUS.glob("*.txt"))
    for path, root in pairs:
        (doc,) = read.read_documents(path, root)
        assert doc.text == _raw_text(path)
        assert doc.source_id == path.name
        assert doc.format == "txt"
        assert len(doc.sha256) == 64


def test_text_metadata_from_corpus():
    docs = {p.name[:3]: read.read_documents(p, r)[0] for p, r in read.discover([CORPUS])}
    assert docs["001"].creator == "Olga Nesterova"           # "Written by" block
    assert docs["003"].creator == "Vyom Ramani"              # name line + bio
    assert docs["002"].title.startswith("Anthropic's Models Are Back Online")
    assert docs["003"].title.startswith("US-China AI race")
    assert docs["000"].title is None                          # first line is a paragraph


def test_bom_is_dropped_and_newlines_kept(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes(b"\xef\xbb\xbfTitle Line Here\r\nBody text \xe2\x80\x94 more.\r\n")
    (doc,) = read.read_documents(f, tmp_path)
    assert doc.text == "Title Line Here\r\nBody text \u2014 more.\r\n"
    assert doc.text == _raw_text(f)


@pytest.mark.parametrize("content, problem", [
    (b"", "empty"),
    (b"  \n\t\n", "empty"),
    (b"abc\x00def", "binary"),
    (b"caf\xc3 ok", "byte offset 3"),
    (b"\xff\xfeh\x00i\x00", "UTF-16"),
])
def test_bad_text_files(tmp_path, content, problem):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    with pytest.raises(DocumentError) as err:
        read.read_documents(f, tmp_path)
    assert problem in err.value.problem
    assert str(f) in str(err.value)


def test_size_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(read, "MAX_CHARS", 100)
    f = tmp_path / "big.txt"
    f.write_text("word " * 50, encoding="utf-8")
    with pytest.raises(DocumentError, match="too large"):
        read.read_documents(f, tmp_path)


def test_unknown_format_named_explicitly_is_an_error_but_discover_skips_it(tmp_path):
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "a.txt").write_text("Some text here.", encoding="utf-8")
    assert [p.name for p, _ in read.discover([tmp_path])] == ["a.txt"]
    with pytest.raises(DocumentError, match="unknown format"):
        read.read_documents(tmp_path / "notes.docx", tmp_path)


def test_discover_sorted_relative_posix_and_no_symlink_loops(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Zed text.", encoding="utf-8")
    (tmp_path / "a" / "y.md").write_text("Why text.", encoding="utf-8")
    (tmp_path / "a" / "y.md.meta.json").write_text("{}", encoding="utf-8")
    (tmp_path / "top.json").write_text('{"text": "Top."}', encoding="utf-8")
    os.symlink(tmp_path, tmp_path / "a" / "loop")          # a loop back to the root
    pairs = read.discover([tmp_path])
    ids = [p.relative_to(r).as_posix() for p, r in pairs]
    assert ids == ["a/y.md", "b/z.txt", "top.json"]
    docs = [d for p, r in pairs for d in read.read_documents(p, r)]
    assert [d.source_id for d in docs] == ids


def test_markdown_keeps_text():
    f = FIXTURES / "sample.md"
    (doc,) = read.read_documents(f, FIXTURES)
    assert doc.format == "md" and doc.text == _raw_text(f)


def test_html_main_text_without_markup():
    (doc,) = read.read_documents(FIXTURES / "sample.html", FIXTURES)
    assert doc.format == "html"
    assert "Corvid Labs licenses its Kestrel-2 model" in doc.text
    assert "<p>" not in doc.text and "Home" not in doc.text.split("\n")[0]
    assert "Copyright 2026" not in doc.text
    assert doc.title == "Regulator Opens Inquiry Into Model Licensing"


def test_json_document_and_metadata():
    (doc,) = read.read_documents(FIXTURES / "sample.json", FIXTURES)
    raw = json.loads(_raw_text(FIXTURES / "sample.json"))
    assert doc.text == raw["text"]
    assert (doc.title, doc.creator, doc.publisher, doc.date, doc.url) == (
        "Council Delays Vote on Compute Rules", "Ada Writer", "Example Wire", "2026-03-04",
        "https://example.org/compute-rules")


def test_jsonl_one_document_per_line():
    docs = read.read_documents(FIXTURES / "sample.jsonl", FIXTURES)
    assert [d.source_id for d in docs] == ["sample.jsonl#L1", "sample.jsonl#L3"]
    assert docs[1].date == "2026-05-01"
    assert docs[0].sha256 != docs[1].sha256
    lines = _raw_text(FIXTURES / "sample.jsonl").split("\n")
    assert docs[1].text == json.loads(lines[2])["text"]


@pytest.mark.parametrize("name, content, problem", [
    ("x.json", '{"text": "a", ', "malformed JSON"),
    ("x.json", '["no", "object"]', "'text' field"),
    ("x.json", '{"text": "ok text", "date": 2026}', "'date' must be a string"),
    ("x.jsonl", '{"text": "fine"}\n{broken\n', "malformed JSON"),
])
def test_bad_json(tmp_path, name, content, problem):
    f = tmp_path / name
    f.write_text(content, encoding="utf-8")
    with pytest.raises(DocumentError) as err:
        read.read_documents(f, tmp_path)
    assert problem in err.value.problem
    if name.endswith(".jsonl"):
        assert err.value.source.endswith("#L2")


def test_sidecar_overrides_and_validates(tmp_path):
    (doc,) = read.read_documents(FIXTURES / "with_sidecar.txt", FIXTURES)
    assert (doc.url, doc.title, doc.creator, doc.date) == (
        "https://example.org/kestrel-delay", "Kestrel-3 Delayed", "Ada Writer", "2026-06-01")
    f = tmp_path / "a.txt"
    f.write_text("Some text.", encoding="utf-8")
    side = tmp_path / "a.txt.meta.json"
    for content, problem in (("{not json", "malformed sidecar"), ('{"title": ["x"]}', "'title' must be a string"),
                             ('{"date": "June 1"}', "not ISO")):
        side.write_text(content, encoding="utf-8")
        with pytest.raises(DocumentError) as err:
            read.read_documents(f, tmp_path)
        assert err.value.source == str(side)
        assert problem in err.value.problem


def test_byline_forms():
    assert read.text_metadata("Body text here.\n\nWritten by\n\nJane Doe\nJane Doe is a writer.")["creator"] == "Jane Doe"
    assert read.text_metadata("A Headline For Tests\nBy Jane Doe\nBody text.")["creator"] == "Jane Doe"
    assert read.text_metadata("A Headline For Tests\nBody.")["title"] == "A Headline For Tests"
