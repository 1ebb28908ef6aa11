"""Every backbone command through click's CliRunner, plus `python -m policykg`."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from policykg.cli import cli
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A store folder built once from the corpus by the CLI itself."""
    tmp = tmp_path_factory.mktemp("cli")
    store = tmp / "store"
    result = CliRunner().invoke(cli, ["--store", str(store), "build", str(CORPUS)])
    assert result.exit_code == 0, result.output
    return store


def run(store, *args):
    return CliRunner().invoke(cli, ["--store", str(store), *args])


def test_every_command_has_help():
    for name, command in cli.commands.items():
        assert command.help and command.help.strip(), f"{name} lacks help text"
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name


def test_help_names_default_store():
    assert ".policykg/store" in CliRunner().invoke(cli, ["--help"]).output


def test_version():
    assert "0.1.0" in CliRunner().invoke(cli, ["--version"]).output


def test_build_default_corpus_and_out(tmp_path):
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "s"), "build", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    for name in ("policykg.ttl", "policykg.trig", "policykg-ontology.ttl"):
        assert (tmp_path / "out" / name).stat().st_size > 1000


def test_build_memory_with_bad_file_exits_1(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    result = CliRunner().invoke(cli, ["--memory", "build", str(CORPUS), str(tmp_path / "bad.txt")])
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ln.startswith("skipped")]
    assert len(lines) == 1 and "bad.txt" in lines[0]
    assert "built 5" in result.output


def test_stats_json(built):
    result = run(built, "stats", "--format", "json")
    data = json.loads(result.output)
    assert data["documents"] == 5 and data["triples"] > 500 and data["spans"] > 50
    assert sum(data["entities_by_type"].values()) >= 10


def test_entities_filter_and_formats(built):
    result = run(built, "entities", "--type", "Country", "--format", "csv")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("entity,label,type")
    assert any("China" in ln for ln in lines[1:])
    assert all("Country" in ln for ln in lines[1:])
    data = json.loads(run(built, "entities", "--format", "json").output)
    assert {"entity", "label", "type", "articles", "aliases"} <= set(data[0])


def test_show_accepts_alias(built):
    result = run(built, "show", "Z.ai", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["label"].startswith("Zhipu") and "Z.ai" in data["aliases"]


def test_show_unknown_entity_is_one_line_error(built):
    result = run(built, "show", "Nonexistent Entity Xyz")
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and result.output.startswith("Error:")


def test_export_to_stdout_and_file(built, tmp_path):
    result = run(built, "export", "--format", "nquads", "-o", "-")
    assert result.exit_code == 0 and result.output.count("\n") > 500
    out = tmp_path / "x.jsonld"
    assert run(built, "export", "--format", "jsonld", "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))


def test_import_good_and_bad(tmp_path):
    good = tmp_path / "good.ttl"
    good.write_text('<http://example.org/a> <http://example.org/p> "x" .\n', encoding="utf-8")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://example.org/a> <http://example.org/p> .\n", encoding="utf-8")
    store = tmp_path / "s"
    assert run(store, "import", str(good)).exit_code == 0
    result = run(store, "import", str(bad))
    assert result.exit_code == 1 and "bad.ttl" in result.output and "syntax" in result.output


def test_validate_corpus(built):
    result = run(built, "validate")
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_store_in_use_message(tmp_path):
    from policykg.graph.store import open_store
    with open_store(tmp_path / "s"):
        result = run(tmp_path / "s", "build", str(CORPUS))
    assert result.exit_code == 1 and "in use" in result.output


def test_python_dash_m(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "policykg", "--help"], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0 and "build" in proc.stdout


def test_show_lists_facts_claims_and_events(built):
    data = json.loads(run(built, "show", "Jie Tang", "--format", "json").output)
    assert any(f["relation"].endswith("affiliatedWith") and f["otherLabel"].startswith("Zhipu") for f in data["facts"])
    assert any("open to anyone" in c["quote"] and c["article"].startswith("000") for c in data["said"])
    text = run(built, "show", "Anthropic").output
    for section in ("Facts (", "Said (", "Said about it (", "Events ("):
        assert section in text
