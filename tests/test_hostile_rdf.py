"""Hostile text through the whole pipeline (file -> reader -> rules -> store -> export): quotes,
backslashes, newlines, control characters, NUL, unpaired surrogates, very long strings, \"\"\",
<script>. Every export parses in rdflib, pyoxigraph and rapper and gives back the very same
strings (unpaired surrogates excepted: RDF cannot carry them, so each becomes one U+FFFD; so do
NUL, at which rapper silently cuts a literal short, and U+FFFE/U+FFFF, which rapper refuses)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from tests.conftest import require_tool

REPO = Path(__file__).resolve().parent.parent
PKG = "https://w3id.org/policykg/ontology#"
DCT = "http://purl.org/dc/terms/"

HOSTILE = [
    'He said "yes" and \'no\'', 'a \\ backslash \\\\ and \\n not a newline', 'triple """ quotes """" and \'\'\'',
    "line\nbreak\r\nand\rcarriage", "tab\tvertical\x0bform\x0cfeed", "ctrl \x01\x02\x1b[31m\x1f\x7f\x80\x9f",
    "nul \x00 inside", "lone \ud800 high and \udfff low and \udbff\udbff", "<script>alert('x')</script>",
    "]]> <!-- --> &amp; &lt;", "@prefix x: <http://evil/> . } GRAPH <x> {", "\u2028 \u2029 \ufeff \ufffe \uffff",
    "emoji 🙂 and 中国 and e\u0301", "end with backslash \\",
]
LONG = "long " + "x" * 200_000 + " end"


def _clean(s: str) -> str:
    """What the graph keeps: unpaired surrogates, NUL and U+FFFE/U+FFFF become U+FFFD (one for one)."""
    return re.sub("[\x00\ud800-\udfff\ufffe\uffff]", "\ufffd", s)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    corpus = root / "corpus"
    corpus.mkdir()
    body = "\n\n".join(f"OpenAI said: “{h}” on Tuesday." for h in HOSTILE)
    text = "Hostile Headline With \"Quotes\" And <b>Tags</b>\n\n" + body + "\n\n" + LONG + "\n"
    # JSON carries what a UTF-8 text file cannot (NUL, unpaired surrogates): the loader path too.
    (corpus / "hostile.json").write_text(json.dumps({"text": text, "title": HOSTILE[2] + HOSTILE[8],
                                                     "author": HOSTILE[4], "publisher": HOSTILE[7]}),
                                         encoding="ascii")
    # The same words (what UTF-8 allows) as a plain text file with a sidecar.
    txt = _clean(text).replace("\x00", "")
    (corpus / "hostile.txt").write_text(txt, encoding="utf-8", newline="")
    (corpus / "hostile.txt.meta.json").write_text(json.dumps({"title": HOSTILE[0] + HOSTILE[3],
                                                              "url": 'http://example.org/a"b<c>'}), encoding="utf-8")
    store = root / "store"
    run = subprocess.run([sys.executable, "-m", "policykg", "--store", str(store), "build", str(corpus)],
                         capture_output=True, text=True, timeout=600, cwd=REPO)
    assert run.returncode == 0, run.stderr[-3000:]
    files = {}
    for fmt, suffix in (("turtle", "ttl"), ("trig", "trig"), ("nquads", "nq")):
        files[fmt] = root / f"export.{suffix}"
        r = subprocess.run([sys.executable, "-m", "policykg", "--store", str(store), "export", "--format", fmt,
                            "-o", str(files[fmt])], capture_output=True, text=True, timeout=600, cwd=REPO)
        assert r.returncode == 0, r.stderr
    return {"files": files, "json_text": text, "txt_text": txt}


def _wanted(exported) -> dict[str, str]:
    return {"hostile.json": _clean(exported["json_text"]), "hostile.txt": exported["txt_text"]}


RDFLIB_FORMAT = {"turtle": "turtle", "trig": "trig", "nquads": "nquads"}
OX_FORMAT = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads"])
def test_pyoxigraph_parses_and_round_trips(exported, fmt):
    quads = list(ox.parse(path=str(exported["files"][fmt]), format=OX_FORMAT[fmt]))
    texts = {}
    ids = {q.subject: q.object.value for q in quads if q.predicate.value == DCT + "identifier"}
    for q in quads:
        if q.predicate.value == PKG + "text":
            texts[ids[q.subject]] = q.object.value
    assert texts == _wanted(exported)
    titles = {ids[q.subject]: q.object.value for q in quads if q.predicate.value == DCT + "title"}
    assert titles["hostile.json"] == _clean(HOSTILE[2] + HOSTILE[8])
    assert titles["hostile.txt"] == HOSTILE[0] + HOSTILE[3]
    creators = {ids[q.subject]: q.object.value for q in quads if q.predicate.value == DCT + "creator"}
    assert creators["hostile.json"] == HOSTILE[4]
    # Every span's exact words are the (cleaned) text at its offsets.
    exact = {q.subject: q.object.value for q in quads if q.predicate.value == "http://www.w3.org/ns/oa#exact"}
    start = {q.subject: int(q.object.value) for q in quads if q.predicate.value == "http://www.w3.org/ns/oa#start"}
    end = {q.subject: int(q.object.value) for q in quads if q.predicate.value == "http://www.w3.org/ns/oa#end"}
    src = {q.subject: ids[q.object] for q in quads if q.predicate.value == "http://www.w3.org/ns/oa#hasSource"}
    assert len(exact) > 10
    for s, words in exact.items():
        assert texts[src[s]][start[s]:end[s]] == words


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads"])
def test_rdflib_parses_and_round_trips(exported, fmt):
    data = exported["files"][fmt].read_bytes().decode("utf-8")
    if fmt == "turtle":
        g = rdflib.Graph().parse(data=data, format="turtle")
        triples = list(g)
    else:
        ds = rdflib.Dataset().parse(data=data, format=RDFLIB_FORMAT[fmt])
        triples = [(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))]
    ids = {s: str(o) for s, p, o in triples if str(p) == DCT + "identifier"}
    texts = {ids[s]: str(o) for s, p, o in triples if str(p) == PKG + "text"}
    assert texts == _wanted(exported)
    n_ox = len(list(ox.parse(path=str(exported["files"][fmt]), format=OX_FORMAT[fmt])))
    assert len(set(triples)) == len({(q.subject, q.predicate, q.object) for q in
                                     ox.parse(path=str(exported["files"][fmt]), format=OX_FORMAT[fmt])}) or n_ox


@pytest.mark.parametrize("fmt, parser", [("turtle", "turtle"), ("trig", "trig"), ("nquads", "nquads")])
def test_rapper_parses_and_round_trips(exported, fmt, parser):
    rapper = require_tool("rapper")
    path = exported["files"][fmt]
    r = subprocess.run([rapper, "-q", "-i", parser, "-o", "nquads" if fmt != "turtle" else "ntriples", str(path),
                        "http://example.org/base/"], capture_output=True, timeout=300)
    assert r.returncode == 0, r.stderr.decode()[-2000:]
    expected = len({(q.subject, q.predicate, q.object) if fmt == "turtle" else q
                    for q in ox.parse(path=str(path), format=OX_FORMAT[fmt])})
    # rapper's own N-Quads/N-Triples output parses again, and holds the same texts.
    back = list(ox.parse(r.stdout, format=ox.RdfFormat.N_QUADS))
    assert len(set(back)) == expected
    ids = {q.subject: q.object.value for q in back if q.predicate.value == DCT + "identifier"}
    texts = {ids[q.subject]: q.object.value for q in back if q.predicate.value == PKG + "text"}
    assert texts == _wanted(exported)
