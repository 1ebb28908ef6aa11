"""A frozen copy of the policykg code for tests that run the CLI many times.

Subprocess tests compare runs minutes apart; when the working tree changes in between (someone
editing a rule), the rules hash and the extractions change too and the comparison means nothing.
``snapshot`` copies the packages once (same layout as pyproject's package-dir mapping) and
returns an environment whose PYTHONPATH puts the copy ahead of the editable install.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
PACKAGES = {"core": "policykg", "ontology": "policykg/ontology", "graph": "policykg/graph",
            "loaders": "policykg/loaders", "queries": "policykg/queries", "viz": "policykg/viz"}


def snapshot(dest: Path) -> dict[str, str]:
    """Copy the packages under ``dest``; return an environment that imports them from there."""
    for src, rel in PACKAGES.items():
        if (REPO / src).is_dir():
            shutil.copytree(REPO / src, dest / rel, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(dest), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


class FrozenCli:
    """Runs ``python -m policykg`` from a snapshot of the code."""

    def __init__(self, dest: Path):
        self.env = snapshot(dest)

    def argv(self, *args: str) -> list[str]:
        import sys
        return [sys.executable, "-m", "policykg", *args]

    def run(self, *args: str, timeout: float = 600):
        import subprocess
        return subprocess.run(self.argv(*args), capture_output=True, timeout=timeout, cwd=REPO, env=self.env)

    def popen(self, *args: str, **kw):
        import subprocess
        kw.setdefault("stdout", subprocess.PIPE)
        kw.setdefault("stderr", subprocess.PIPE)
        return subprocess.Popen(self.argv(*args), cwd=REPO, env=self.env, **kw)
