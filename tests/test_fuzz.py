"""Fuzzing with hypothesis: the reader and the extractor never crash with anything but
DocumentError, every span is exact, and the mapped quads survive serialization, re-parsing and
the store's SPARQL update path unchanged.

About 10,000 generated inputs per run (EXAMPLES below); the count is printed at the end.
"""
from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pyoxigraph import RdfFormat, parse, serialize

from policykg.errors import DocumentError
from policykg.graph.build import check_spans
from policykg.graph.iris import IRIMinter
from policykg.graph.mapping import extraction_quads
from policykg.graph.store import open_store
from policykg.loaders.pipeline import extract
from policykg.loaders.read import read_documents
from policykg.loaders.records import SourceDocument
from policykg.loaders.reference import load_reference

EXAMPLES = {"read_text": 2500, "read_json": 2500, "read_html": 400, "extract": 3000, "mapping": 1600}
RAN: Counter = Counter()
REFERENCE = load_reference()
MINTER = IRIMinter()


def fuzz(name: str):
    return settings(max_examples=EXAMPLES[name], deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    print(f"\nfuzz: {sum(RAN.values())} generated inputs: {dict(RAN)}")


_DIR = tempfile.TemporaryDirectory(prefix="policykg-fuzz-")

# Words that wake the rules up, plus the characters that trip offsets and quoting.
WORDS = ["OpenAI", "Anthropic", "the European Commission", "EU AI Act", "said", "told reporters",
         "according to", "denied", "released", "fined", "GPT-5", "Marta Kowalczyk", "on Tuesday",
         "March 3, 2025", "U.S.", "Dr.", "“", "”", "\"", "'", "‘", "’", "—", "–", "…", ",", ".", ":",
         "\n", "\r\n", "\r", "\n\n", "\t", "\u00a0", "\u200b", "\ufeff", "é", "ß", "中国", "🙂", "\\", "<b>",
         "&amp;", "\x01", "\x7f", "\u2028", "\u2029", "\ufffd", "\ufffe"]
NO_SURROGATES = st.characters(blacklist_categories=("Cs",))
TOKEN = st.one_of(st.sampled_from(WORDS), st.text(NO_SURROGATES, max_size=12),
                  st.text(st.sampled_from("aZ0-_.\"'"), min_size=200, max_size=3000))   # very long tokens
TEXT = st.lists(TOKEN, max_size=80).map(" ".join)


def _write(suffix: str, data: bytes) -> Path:
    path = Path(_DIR.name) / f"doc{suffix}"
    path.write_bytes(data)
    return path


def _read(path: Path):
    try:
        return read_documents(path, path.parent)
    except DocumentError as exc:
        assert exc.problem and "\n" not in exc.problem
        return []


@fuzz("read_text")
@given(suffix=st.sampled_from([".txt", ".md"]),
       data=st.one_of(st.binary(max_size=400), TEXT.map(lambda t: t.encode("utf-8")),
                      TEXT.map(lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"))))
def test_read_text_formats(suffix, data):
    RAN["read_text"] += 1
    for doc in _read(_write(suffix, data)):
        raw = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        assert doc.text == raw.decode("utf-8")       # offsets index the file as decoded, exactly


JSON_VALUE = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                          lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=5), kids, max_size=3),
                          max_leaves=8)
JSON_DOC = st.fixed_dictionaries({"text": st.one_of(TEXT, st.text(), JSON_VALUE)},
                                 optional={"title": JSON_VALUE, "date": st.one_of(st.text(max_size=12), JSON_VALUE),
                                           "url": st.text(max_size=30), "author": JSON_VALUE})


@fuzz("read_json")
@given(suffix=st.sampled_from([".json", ".jsonl"]),
       data=st.one_of(st.binary(max_size=300),
                      JSON_DOC.map(lambda d: json.dumps(d).encode()),
                      JSON_DOC.map(lambda d: json.dumps(d, ensure_ascii=False).encode("utf-8", "surrogatepass")),
                      st.lists(JSON_DOC, max_size=4).map(lambda ds: "\n".join(json.dumps(d) for d in ds).encode()),
                      st.text().map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_read_json_formats(suffix, data):
    RAN["read_json"] += 1
    for doc in _read(_write(suffix, data)):
        assert isinstance(doc.text, str) and doc.text.strip()


@fuzz("read_html")
@given(data=st.one_of(st.binary(max_size=300),
                      st.lists(st.one_of(TOKEN, st.sampled_from(["<p>", "</p>", "<script>", "</script>", "<iframe>",
                                                                 "<article>", "</article>", "<!--", "-->", "<![CDATA[",
                                                                 "&#0;", "&#xD800;", "&lol;", "<!DOCTYPE x [", "]>"])),
                               max_size=60).map(lambda ts: "".join(ts).encode("utf-8"))))
def test_read_html(data):
    RAN["read_html"] += 1
    for doc in _read(_write(".html", data)):
        assert doc.text.strip()


def _doc(text: str) -> SourceDocument:
    import hashlib
    return SourceDocument(source_id="fuzz.txt", text=text, format="txt",
                          sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())


@fuzz("extract")
@given(text=TEXT.filter(lambda t: t.strip()))
def test_extract_spans_are_exact(text):
    RAN["extract"] += 1
    try:
        x = extract(_doc(text), REFERENCE)
    except DocumentError:
        return
    check_spans(x)     # raises DocumentError on any span with text[start:end] != exact
    for c in x.claims:
        assert text[c.quote.start:c.quote.end] == c.quote.text
    for start, end, _ in x.document.boilerplate:
        assert 0 <= start <= end <= len(text)


@fuzz("mapping")
@given(text=st.one_of(TEXT, st.text(min_size=1)).filter(lambda t: t.strip()),   # st.text() includes lone surrogates
       title=st.one_of(st.none(), st.text(max_size=40)), url=st.one_of(st.none(), st.text(max_size=40),
                                                                      st.text(max_size=20).map(lambda s: "http://x/" + s)))
def test_mapping_round_trips(text, title, url):
    RAN["mapping"] += 1
    doc = _doc(text)
    doc.title, doc.url = title or None, url or None
    try:
        x = extract(doc, REFERENCE)
    except DocumentError:
        return
    quads = extraction_quads(x, MINTER, "fuzzhash")
    nq = serialize(quads, format=RdfFormat.N_QUADS)
    back = list(parse(nq, format=RdfFormat.N_QUADS))
    assert set(back) == set(quads)
    store = open_store(memory=True)
    store.replace_graphs([], quads)              # the SPARQL INSERT DATA path every build uses
    assert set(store.quads()) == set(quads)
