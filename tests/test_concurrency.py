"""Concurrent use of one store: a second writer fails fast and clearly, nothing corrupts; rebuilds
of an unchanged corpus change nothing; --prune removes exactly the facts of a removed article."""
from __future__ import annotations

import time

import pytest

from policykg.graph.store import EmbeddedStore
from tests.nasty.make_nasty import make_articles
from tests.nasty.snapshot import FrozenCli

N = 120


@pytest.fixture(scope="module")
def pk(tmp_path_factory):
    return FrozenCli(tmp_path_factory.mktemp("code"))


def export_all(pk, store) -> dict[str, bytes]:
    out = {}
    for fmt in ("nquads", "trig", "turtle"):
        run = pk.run("--store", str(store), "export", "--format", fmt, "-o", "-")
        assert run.returncode == 0, run.stderr
        out[fmt] = run.stdout
    return out


@pytest.fixture(scope="module")
def built(pk, tmp_path_factory):
    """A corpus, and a store built by a first writer while a second one tried to get in."""
    root = tmp_path_factory.mktemp("conc")
    corpus, store = root / "corpus", root / "store"
    make_articles(corpus, N)
    first = pk.popen("--store", str(store), "build", str(corpus))
    deadline = time.monotonic() + 60
    while not store.exists():               # the store folder appears once the lock is held
        assert first.poll() is None and time.monotonic() < deadline, "first build did not start"
        time.sleep(0.05)
    time.sleep(0.5)
    t0 = time.perf_counter()
    second = pk.run("--store", str(store), "build", str(corpus), timeout=60)
    second_seconds = time.perf_counter() - t0
    reader = pk.run("--store", str(store), "stats", "--format", "json", timeout=60)
    still_running = first.poll() is None
    out, err = first.communicate(timeout=600)
    return dict(root=root, corpus=corpus, store=store, first_rc=first.returncode, first_err=err.decode(),
                second=second, second_seconds=second_seconds, reader=reader, overlapped=still_running)


def test_second_writer_fails_fast_with_store_in_use(built):
    second = built["second"]
    assert built["overlapped"], "the first build ended before the second started: no overlap tested"
    print(f"second writer refused in {built['second_seconds']:.2f} s (process start included)")
    assert second.returncode == 1
    lines = [ln for ln in second.stderr.decode().splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "store in use" in lines[0], lines
    assert built["second_seconds"] < 15


def test_first_writer_is_undisturbed(built, pk):
    assert built["first_rc"] == 0, built["first_err"][-2000:]
    assert f"built {N}," in built["first_err"]
    with EmbeddedStore(built["store"], read_only=True) as s:
        assert len(s.documents()) == N


def test_reader_during_a_build_gets_an_answer_or_a_clear_error(built):
    """Read-only commands open the store beside the writer (RocksDB read-only): they answer with a
    consistent snapshot or fail with one Error line; never a traceback."""
    r = built["reader"]
    err = r.stderr.decode()
    assert "Traceback" not in err
    assert r.returncode == 0 or (r.returncode == 1 and err.startswith("Error: ")), err
    print(f"stats during a build: exit {r.returncode}")


def test_rebuild_of_unchanged_corpus_changes_nothing(built, pk):
    before = export_all(pk, built["store"])
    again = pk.run("--store", str(built["store"]), "build", str(built["corpus"]))
    assert again.returncode == 0
    assert f"built 0, unchanged {N}," in again.stderr.decode()
    assert export_all(pk, built["store"]) == before


def test_prune_removes_exactly_the_removed_article(built, pk):
    store, corpus = built["store"], built["corpus"]
    victim = corpus / "article_007.txt"
    victim.unlink()
    run = pk.run("--store", str(store), "build", "--prune", str(corpus))
    assert run.returncode == 0 and "removed 1," in run.stderr.decode(), run.stderr
    clean = built["root"] / "clean-store"
    assert pk.run("--store", str(clean), "build", str(corpus)).returncode == 0
    assert export_all(pk, store) == export_all(pk, clean)
