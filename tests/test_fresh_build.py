"""A build into an empty on-disk store is staged and bulk-loaded (graph/build.py ``build_fresh``):
it must give exactly the graph the per-document path gives, and a failure or a kill must leave
the empty store, not part of a build."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policykg.graph import build as build_module
from policykg.graph.build import Builder, build
from policykg.graph.export import render
from policykg.graph.store import open_store
from tests.conftest import CORPUS


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".staging", ".old")))


def test_fresh_build_equals_document_by_document(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    files = sorted(corpus.iterdir())
    with open_store(tmp_path / "fresh") as store:
        assert store.holds_no_data()
        report = build(store, [corpus])
        assert len(report.built) == 5 and report.ok and not store.holds_no_data()
        fresh = render(store, "nquads")
    # The same corpus one document at a time: the first goes into an empty store, the other four
    # take the per-document path (one transaction each, pending markers, refresh).
    with open_store(tmp_path / "stepwise") as store:
        for i in range(1, len(files) + 1):
            build(store, files[:i])
        stepwise = render(store, "nquads")
        assert build(store, [corpus]).built == []
    assert fresh == stepwise
    # --commit-each takes the per-document path even into an empty store.
    from click.testing import CliRunner
    from policykg.cli import cli
    res = CliRunner().invoke(cli, ["--store", str(tmp_path / "each"), "build", "--commit-each", str(corpus)])
    assert res.exit_code == 0, res.output
    with open_store(tmp_path / "each") as store:
        assert render(store, "nquads") == fresh
    assert leftovers(tmp_path) == []


def test_failed_fresh_build_leaves_the_empty_store(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
        yield  # pragma: no cover

    monkeypatch.setattr(build_module.derive, "derived_quads", broken)
    with open_store(tmp_path / "store") as store:
        with pytest.raises(RuntimeError, match="disk full"):
            build(store, [CORPUS])
        assert store.holds_no_data() and store.documents() == {}
    assert leftovers(tmp_path) == []
    monkeypatch.undo()
    with open_store(tmp_path / "store") as store:
        assert len(build(store, [CORPUS]).built) == 5


def test_writer_discards_what_a_killed_fresh_build_left(tmp_path):
    with open_store(tmp_path / "store"):
        pass
    # What kill -9 during a staged build leaves: a half-written staging store beside the real one.
    with open_store(tmp_path / "store.staging") as half:
        half.extend([])
    (tmp_path / "store.old").mkdir()
    with open_store(tmp_path / "store") as store:
        assert store.holds_no_data()
    assert leftovers(tmp_path) == []


def test_staged_store_replaces_the_store_only_on_success(tmp_path):
    builder_store = open_store(tmp_path / "store")
    with builder_store:
        with pytest.raises(KeyError):
            with builder_store.staged_replacement() as staged:
                Builder(staged).build([CORPUS])
                raise KeyError("interrupted")
        assert builder_store.holds_no_data()
        with builder_store.staged_replacement() as staged:
            Builder(staged).build([CORPUS])
        assert len(builder_store.documents()) == 5
    assert leftovers(tmp_path) == []
