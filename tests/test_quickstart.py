"""The README's quick start works as written (the pip step is what tests/run.sh already did)."""
from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def quickstart_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- quickstart -->\s*```(?:bash|sh)?\n(.*?)```", text, re.S)
    assert block, "README lacks the quick-start block"
    return [ln.strip() for ln in block.group(1).splitlines() if ln.strip() and not ln.strip().startswith("#")]


def test_readme_has_two_commands():
    cmds = quickstart_commands()
    assert len(cmds) == 2
    assert "policykg build" in cmds[0] and "pip install" in cmds[0]
    assert cmds[1] == "bash tests/run.sh"
    assert (REPO / ".ci" / "run").read_text().strip().endswith("exec bash tests/run.sh")


def test_build_command_writes_exports_and_map(tmp_path):
    build = quickstart_commands()[0].split("&&")[-1].strip()
    argv = shlex.split(build)
    assert argv[0] == "policykg"
    proc = subprocess.run([sys.executable, "-m", "policykg", *argv[1:]], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "out"
    for name in ("policykg.ttl", "policykg.trig", "policykg-ontology.ttl", "map.html"):
        assert (out / name).is_file() and (out / name).stat().st_size > 1000, name
    assert (tmp_path / ".policykg" / "store").is_dir()
