"""Shared fixtures. Tests that need an external tool fail (never skip) when it is missing."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"


def require_tool(name: str) -> str:
    """Path of an executable the test needs; fails the test with the install hint when absent."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: run tests/run.sh as root (it installs the Debian packages)")
    return path


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def corpus_store():
    """An in-memory store built once from the bundled corpus (read-only use, please)."""
    from policykg.graph.build import build
    from policykg.graph.store import open_store
    store = open_store(memory=True)
    report = build(store, [CORPUS])
    assert report.ok and len(report.built) == 5
    return store


@pytest.fixture
def fresh_store():
    """An empty in-memory store."""
    from policykg.graph.store import open_store
    return open_store(memory=True)
