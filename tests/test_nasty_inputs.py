"""Nasty inputs through the real CLI: each bad file is skipped with a one-line reason naming it,
the build goes on, exits 1, and the store holds exactly the good documents.

The corpus comes from tests/nasty/make_nasty.py (generated, nothing binary committed). Tests that
document loader bugs not fixed yet are marked in the manifest with ``bug`` and below by name.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from policykg.errors import DocumentError
from policykg.graph.build import build
from policykg.graph.store import EmbeddedStore, open_store
from policykg.loaders import read
from tests.nasty.make_nasty import LONG_LINE_CHARS, broken_turtle, long_line, make_nasty

REPO = Path(__file__).resolve().parent.parent
IDENT = "SELECT ?id WHERE { ?d a <https://w3id.org/policykg/ontology#Document> ; " \
        "<http://purl.org/dc/terms/identifier> ?id }"


def policykg(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run the installed CLI as a user would (a separate process)."""
    return subprocess.run([sys.executable, "-m", "policykg", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=REPO)


class TimeLimitExceeded(BaseException):
    """Not an Exception, so no ``except Exception`` in the code under test can swallow it."""


@contextmanager
def time_limit(seconds: int, what: str):
    """Fail (never hang) when the block runs longer than ``seconds``: a generous bound, not a benchmark."""
    def _alarm(signum, frame):
        raise TimeLimitExceeded(f"{what} took more than {seconds} s")
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(scope="module")
def nasty(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nasty")
    manifest = make_nasty(folder, big=True)
    store = tmp_path_factory.mktemp("store") / "store"
    t0 = time.perf_counter()
    run = policykg("--store", str(store), "build", str(folder))
    seconds = time.perf_counter() - t0
    return folder, manifest, store, run, seconds


def _skip_lines(stderr: str) -> dict[str, str]:
    out = {}
    for line in stderr.splitlines():
        if line.startswith("skipped "):
            where, _, problem = line[len("skipped "):].partition(": ")
            out[where] = problem
    return out


def test_build_of_nasty_corpus_exits_1_and_keeps_going(nasty):
    folder, manifest, store, run, seconds = nasty
    print(f"nasty corpus build: {seconds:.1f} s")
    assert run.returncode == 1, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    assert "built " in run.stderr.splitlines()[-1]


def test_every_bad_file_is_named_once_with_its_problem(nasty):
    folder, manifest, store, run, _ = nasty
    lines = _skip_lines(run.stderr)
    for name, want in manifest.items():
        if want["outcome"] != "skipped" or want.get("bug"):
            continue
        where = str(folder / name).encode("unicode_escape").decode() if not name.isprintable() \
            else str(folder / name)
        assert where in lines, f"no 'skipped' line for {name!r}; got {sorted(lines)}"
        assert want["problem"] in lines[where], (name, lines[where])
    # Files with a known, unfixed bug are still skipped (not built, not fatal), with a reason.
    for name, want in manifest.items():
        if want.get("bug"):
            assert any(name.split("#")[0] in w for w in lines), name


def test_messages_are_one_line_each(nasty):
    _, _, _, run, _ = nasty
    for line in run.stderr.splitlines():
        if line.strip():        # the transient progress bar leaves a blank line
            assert line.startswith(("skipped ", "built ")), f"stray output line: {line!r}"


def test_store_holds_exactly_the_good_documents(nasty):
    folder, manifest, store, run, _ = nasty
    want = {name for name, w in manifest.items() if w["outcome"] == "built"}
    with EmbeddedStore(store, read_only=True) as s:
        got = {row[0].value for row in s.query(IDENT).rows}
        texts = {row[0].value: row[1].value for row in s.query(
            "SELECT ?id ?t WHERE { ?d <http://purl.org/dc/terms/identifier> ?id ; "
            "<https://w3id.org/policykg/ontology#text> ?t }").rows}
    either = {name for name, w in manifest.items() if w["outcome"] == "either"}
    assert want <= got and got - want <= either, (sorted(want - got), sorted(got - want))
    for name, w in manifest.items():
        for payload in w.get("absent", []):
            assert payload not in texts[name], f"{payload} from <script>/<iframe> reached the text of {name}"
        if name in got and "max_text" in w:
            assert len(texts[name]) <= w["max_text"], f"{name}: entity expansion"
    assert "\ufffd" in texts["lone_surrogate.json"]          # unpaired surrogate replaced, not fatal


def test_long_line_without_spaces_is_built_in_bounded_time(tmp_path):
    """A 4.9 M-character line (a minified blob) goes through every rule; finishes well inside the bound."""
    f = tmp_path / "long_line.txt"
    f.write_text(long_line(LONG_LINE_CHARS, quotes=False), encoding="utf-8")
    t0 = time.perf_counter()
    with time_limit(300, "a 4.9 M-character line"):
        report = build(open_store(memory=True), [f])
    print(f"4.9 M-character line without spaces: {time.perf_counter() - t0:.1f} s")
    assert report.built == ["long_line.txt"], report.skipped


def test_five_megabyte_line_with_quotes_is_bounded(tmp_path):
    """Was a bug (loaders/claims.py): many straight double quotes on one line made the quotation
    rule quadratic (a 1.2 M-character line took 418 s); fixed by the loaders' owner (291ad60,
    sentences capped at 1,000 characters): now ~19 s."""
    f = tmp_path / "quotes_line.txt"
    f.write_text(long_line(5_000_000 - 100, quotes=True), encoding="utf-8")
    t0 = time.perf_counter()
    with time_limit(90, "a 5 M-character line holding quotes"):
        report = build(open_store(memory=True), [f])
    print(f"5 M-character line with quotes: {time.perf_counter() - t0:.1f} s")
    assert report.built == ["quotes_line.txt"] or "line" in dict(report.skipped).get(str(f), "")


def test_many_quoted_lines_are_bounded(tmp_path):
    """BUG (loaders/claims.py, not fixed): 20,000 short lines each holding a quotation (1.4 MB)
    cost time quadratic in their number (2,000: 3.8 s, 4,000: 12 s, 8,000: 39 s): per quote,
    _direct_quotes scans every claim found so far. A line-length cap would not help."""
    f = tmp_path / "transcript.txt"
    line = 'The report says "we will not comply with these rules at all" and more.\n'
    f.write_text("OpenAI said it will comply.\n" + line * 20_000, encoding="utf-8")
    t0 = time.perf_counter()
    with time_limit(90, "20,000 quoted lines"):
        report = build(open_store(memory=True), [f])
    print(f"20,000 quoted lines: {time.perf_counter() - t0:.1f} s")
    assert report.built == ["transcript.txt"]


def test_huge_file_is_refused_with_the_limit(tmp_path):
    f = tmp_path / "huge.md"
    with open(f, "wb") as fh:
        fh.write(b"OpenAI said so. " * (6_000_000 // 16 + 1))
    with pytest.raises(DocumentError, match=r"too large .*limit 5000000"):
        read.read_documents(f)


@pytest.mark.parametrize("name, data", [
    ("deep.json", "[" * 100_000 + "]" * 100_000),
    ("deep.jsonl", '{"text": "x", "title": ' + "[" * 100_000 + "]" * 100_000 + "}\n"),
])
def test_deeply_nested_json_is_a_document_error(tmp_path, name, data):
    """Was a bug (loaders/read.py): json.loads raised RecursionError and aborted the whole build."""
    f = tmp_path / name
    f.write_text(data, encoding="utf-8")
    with pytest.raises(DocumentError):
        read.read_documents(f)


def test_broken_symlinks_are_reported(tmp_path):
    """Was a bug (loaders/read.py discover): a dangling or self-referencing symlink named like a
    document was dropped silently (Path.is_file() is False); now it is skipped with a reason."""
    (tmp_path / "good.txt").write_text("OpenAI said it would comply with the EU AI Act.\n", encoding="utf-8")
    os.symlink("self_loop.txt", tmp_path / "self_loop.txt")
    os.symlink("missing.txt", tmp_path / "dangling.txt")
    report = build(open_store(memory=True), [tmp_path])
    assert report.built == ["good.txt"]
    skipped = " ".join(s for s, _ in report.skipped)
    assert "self_loop.txt" in skipped and "dangling.txt" in skipped, report.skipped


def test_jsonl_with_one_bad_line_does_not_silently_drop_good_lines(tmp_path):
    """Was a bug (loaders/read.py): one malformed line rejects the whole JSONL file, but the reason
    named only that line ('file.jsonl#L2'), so line 1's document disappeared without a word. Now
    the reason says the whole file was skipped (reading good lines would need a new interface)."""
    f = tmp_path / "feed.jsonl"
    f.write_text(json.dumps({"text": "OpenAI said it would comply with the EU AI Act."}) + "\n{oops\n",
                 encoding="utf-8")
    report = build(open_store(memory=True), [f])
    reasons = " ".join(p for _, p in report.skipped)
    assert report.built == ["feed.jsonl#L1"] or "file" in reasons, report.skipped


def test_folder_loops_fifos_and_root_readable_files(tmp_path):
    """Folder symlink loops are not followed; a FIFO is never opened (it would block); as root a
    chmod 000 file is readable, so /proc/self/mem (EIO at offset 0) provokes the OSError instead."""
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("OpenAI said it would comply with the EU AI Act.\n", encoding="utf-8")
    os.symlink("..", tmp_path / "d" / "up")
    os.mkfifo(tmp_path / "d" / "pipe.txt")
    os.symlink("/proc/self/mem", tmp_path / "d" / "mem.txt")
    with time_limit(60, "a folder with loops and a FIFO"):
        report = build(open_store(memory=True), [tmp_path])
    assert report.built == ["d/a.txt"]
    assert report.skipped == [(str(tmp_path / "d" / "mem.txt"), "cannot read (Input/output error)")]


def test_turtle_import_with_error_on_line_10000(tmp_path):
    bad, good = tmp_path / "broken.ttl", tmp_path / "good.ttl"
    bad.write_text(broken_turtle(10_000), encoding="utf-8")
    good.write_text('<http://example.org/a> <http://example.org/p> "fine" .\n', encoding="utf-8")
    store = tmp_path / "store"
    run = policykg("--store", str(store), "import", str(bad), str(good))
    assert run.returncode == 1
    lines = run.stderr.splitlines()
    assert any(ln.startswith(f"skipped {bad}: ") and "line 10000" in ln for ln in lines), lines
    assert f"imported {good}: 1 quads" in lines
    with EmbeddedStore(store, read_only=True) as s:
        assert len(s) == 1           # nothing of the broken file, all of the good one
