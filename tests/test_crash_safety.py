"""Crash safety: ``kill -9`` a real ``policykg build`` / ``policykg export`` at seeded random moments.

After every kill the store must open, hold whole documents only (every document graph present
equals, quad for quad, what a clean build makes of that document version), and the next build
must finish the job: its export is byte-identical to a clean build's. An export killed mid-way
leaves the previous file or the complete new one, never a partial file.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, serialize

from policykg.graph.entity_layer import PENDING_PREDICATE, pending_graph
from policykg.graph.iris import IRIMinter
from policykg.graph.store import ONTOLOGY_GRAPH, EmbeddedStore
from tests.nasty.make_nasty import article
from tests.nasty.snapshot import snapshot

N_ARTICLES = 300
MIN_KILLS = 20
SEED = 20240611
REPO = Path(__file__).resolve().parent.parent


_ENV: dict[str, str] = {}


@pytest.fixture(scope="module", autouse=True)
def frozen_code(tmp_path_factory):
    """Every process of this module runs one frozen copy of the code (see tests/nasty/snapshot.py)."""
    _ENV.update(snapshot(tmp_path_factory.mktemp("code")))
    yield
    _ENV.clear()


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "policykg", *args]


def run_cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(cli(*args), capture_output=True, timeout=timeout, cwd=REPO, env=_ENV)


def popen(*args: str) -> subprocess.Popen:
    return subprocess.Popen(cli(*args), cwd=REPO, env=_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


_REFERENCE_SCRIPT = """
import json, sys
from pathlib import Path
from pyoxigraph import RdfFormat, serialize
from policykg.graph.build import Builder, prepare
from policykg.graph.store import open_store
from policykg.loaders.read import discover, read_documents
builder = Builder(open_store(memory=True))
out = {}
for folder in sys.argv[2:]:
    for path, root in discover([Path(folder)]):
        (doc,) = read_documents(path, root)
        p = prepare(doc, builder.minter, builder.reference, builder.rules)
        out[p.graph_iri] = serialize(p.quads, format=RdfFormat.N_QUADS).decode()
Path(sys.argv[1]).write_text(json.dumps(out), encoding="utf-8")
"""


def nq_lines(quads) -> set[str]:
    return {ln for ln in serialize(list(quads), format=RdfFormat.N_QUADS).decode().split("\n") if ln}


def write_corpus(folder: Path, versions: list[int]) -> None:
    """Article i at version versions[i]; files already holding those bytes are left alone."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, v in enumerate(versions):
        p = folder / f"article_{i:03d}.txt"
        data = article(i, version=v).encode("utf-8")
        if not p.exists() or p.read_bytes() != data:
            p.write_bytes(data)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """Per document version: the quads a clean build writes into its graph (graph IRI -> N-Quads)."""
    root = tmp_path_factory.mktemp("ref")
    for v in (0, 1):
        write_corpus(root / f"v{v}", [v] * N_ARTICLES)
    subprocess.run([sys.executable, "-c", _REFERENCE_SCRIPT, str(root / "ref.json"), str(root / "v0"),
                    str(root / "v1")], check=True, env=_ENV, cwd=REPO, timeout=600)
    raw = json.loads((root / "ref.json").read_text(encoding="utf-8"))
    return {g: {ln for ln in nq.split("\n") if ln} for g, nq in raw.items()}


def clean_export(tmp_path: Path, versions: list[int]) -> bytes:
    corpus, store = tmp_path / "clean-corpus", tmp_path / "clean-store"
    write_corpus(corpus, versions)
    assert run_cli("--store", str(store), "build", str(corpus)).returncode == 0
    out = run_cli("--store", str(store), "export", "--format", "nquads", "-o", "-")
    assert out.returncode == 0
    return out.stdout


def check_whole_documents(store_path: Path, reference: dict[str, set[str]]) -> dict:
    """The store opens; every document graph in it is exactly a clean build's graph of that version."""
    minter = IRIMinter()
    allowed = {minter.entities_graph, pending_graph(minter).value, ONTOLOGY_GRAPH.value}
    with EmbeddedStore(store_path, read_only=True) as store:
        docs = store.documents()
        per_doc: dict[str, int] = {}
        for g in store.ox.named_graphs():
            iri = g.value
            if iri in allowed or iri.startswith(minter.base + "graph/derived/"):
                continue
            assert iri in reference, f"unknown graph {iri} after a kill"
            got = nq_lines(store.quads(iri))
            assert got == reference[iri], f"graph {iri}: {len(got ^ reference[iri])} quads differ (half a document?)"
        for doc_iri, g in docs.items():
            per_doc[doc_iri] = len(store.graphs_of_document(doc_iri))
        assert all(n == 1 for n in per_doc.values()), "a document with two graphs"
        pending = next(store.quads_for_pattern(None, PENDING_PREDICATE, None, pending_graph(minter)), None)
        return {"documents": len(docs), "graphs": set(docs.values()), "pending": pending is not None}


def test_kill_build_at_random_moments(tmp_path, reference):
    rng = random.Random(SEED)
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    versions = [0] * N_ARTICLES
    write_corpus(corpus, versions)
    kills, finished, log = 0, 0, []
    t_start = time.perf_counter()
    while kills < MIN_KILLS and kills + finished < 3 * MIN_KILLS:
        # Each round changes all, half or a handful of articles, so kills land while writing
        # documents, while reading, and in the entity/derived refresh after the writes.
        mode = rng.choice(["all", "half", "few"])
        flip = {"all": range(N_ARTICLES), "half": rng.sample(range(N_ARTICLES), N_ARTICLES // 2),
                "few": rng.sample(range(N_ARTICLES), 5)}[mode]
        for i in flip:
            versions[i] = 1 - versions[i]
        write_corpus(corpus, versions)
        delay = rng.uniform(0.5, 9.0)
        proc = popen("--store", str(store), "build", str(corpus))
        try:
            proc.wait(timeout=delay)
            finished += 1
            outcome = f"finished (rc {proc.returncode})"
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            kills += 1
            outcome = "killed"
        state = check_whole_documents(store, reference)
        target = {IRIMinter().base + "graph/" + hashlib.sha256(p.read_bytes()).hexdigest()[:32]
                  for p in corpus.iterdir()}
        log.append(f"{mode:4s} delay {delay:4.1f} s {outcome:14s} docs {state['documents']:3d}, "
                   f"{len(state['graphs'] & target):3d} at the new version; pending markers {state['pending']}")
    print("\n".join(log))
    print(f"{kills} kills, {finished} builds finished before their kill, {time.perf_counter() - t_start:.0f} s")
    assert kills >= MIN_KILLS
    # Re-running the build completes the job, exactly as a clean build would.
    done = run_cli("--store", str(store), "build", "--prune", str(corpus))
    assert done.returncode == 0, done.stderr[-2000:]
    check_whole_documents(store, reference)
    after = run_cli("--store", str(store), "export", "--format", "nquads", "-o", "-")
    assert after.stdout == clean_export(tmp_path, versions), "export after recovery differs from a clean build"


def test_kill_export_leaves_old_or_complete_file(tmp_path):
    rng = random.Random(SEED + 1)
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    write_corpus(corpus, [0] * 120)
    assert run_cli("--store", str(store), "build", str(corpus)).returncode == 0
    target = tmp_path / "out" / "graph.trig"
    target.parent.mkdir()
    full = tmp_path / "full.trig"
    t0 = time.perf_counter()
    assert run_cli("--store", str(store), "export", "--format", "trig", "-o", str(full)).returncode == 0
    seconds = time.perf_counter() - t0
    complete = full.read_bytes()
    previous = b"# the previous export\n<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"
    seen = {"previous": 0, "complete": 0, "absent": 0}
    kills = 0
    for round_ in range(MIN_KILLS):
        if round_ % 4 == 0:
            target.unlink(missing_ok=True)          # sometimes there is no previous file at all
        else:
            target.write_bytes(previous)
        before = target.read_bytes() if target.exists() else None
        proc = popen("--store", str(store), "export", "--format", "trig", "-o", str(target))
        try:
            proc.wait(timeout=rng.uniform(0.2, seconds * 1.1))
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            kills += 1
        now = target.read_bytes() if target.exists() else None
        assert now in (before, complete), f"partial export: {len(now)} of {len(complete)} bytes"
        seen["absent" if now is None else "complete" if now == complete else "previous"] += 1
    leftovers = [p.name for p in target.parent.iterdir() if p.name != target.name]
    print(f"export: {seconds:.1f} s, {kills} kills; outcomes {seen}; temporary files left: {len(leftovers)}")
    assert kills >= MIN_KILLS // 2


def test_kill_staged_first_build_leaves_empty_or_complete_store(tmp_path, reference):
    """A first build (empty store) is bulk-loaded beside the store and swapped in: a kill at any
    moment leaves the empty store or the complete one, and the next writer cleans up."""
    rng = random.Random(SEED + 2)
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    write_corpus(corpus, [0] * N_ARTICLES)
    t0 = time.perf_counter()
    assert run_cli("--store", str(tmp_path / "timing"), "build", str(corpus)).returncode == 0
    seconds = time.perf_counter() - t0
    outcomes = {"empty": 0, "complete": 0}
    for _ in range(8):
        shutil.rmtree(store, ignore_errors=True)
        proc = popen("--store", str(store), "build", str(corpus))
        try:
            proc.wait(timeout=rng.uniform(0.3, seconds * 1.1))
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        if not store.exists():      # killed before the store was created
            outcomes["empty"] += 1
            continue
        state = check_whole_documents(store, reference)
        assert state["documents"] in (0, N_ARTICLES), f"{state['documents']} of {N_ARTICLES} documents after a kill"
        outcomes["empty" if state["documents"] == 0 else "complete"] += 1
    print(f"staged build {seconds:.1f} s; outcomes after kills: {outcomes}")
    assert outcomes["empty"] >= 1
    done = run_cli("--store", str(store), "build", str(corpus))
    assert done.returncode == 0, done.stderr[-2000:]
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith((".staging", ".old"))]
    after = run_cli("--store", str(store), "export", "--format", "nquads", "-o", "-")
    assert after.stdout == clean_export(tmp_path, [0] * N_ARTICLES)
