"""CLI: queries, query, sparql, path, central, serve (click's CliRunner)."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from policykg.cli import cli
from tests.conftest import CORPUS, require_tool


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("cliq") / "store"
    res = CliRunner().invoke(cli, ["--store", str(d), "build", str(CORPUS)])
    assert res.exit_code == 0, res.output
    return d


def run(store_dir, *args, input=None):
    return CliRunner().invoke(cli, ["--store", str(store_dir), *args], input=input)


@pytest.mark.parametrize("cmd", ["queries", "query", "sparql", "path", "central", "serve"])
def test_every_command_has_help(cmd):
    res = CliRunner().invoke(cli, [cmd, "--help"])
    assert res.exit_code == 0 and len(res.output) > 100


def test_queries_lists_name_summary_params(store_dir):
    res = run(store_dir, "queries", "--format", "json")
    rows = json.loads(res.output)
    byname = {r["name"]: r for r in rows}
    assert byname["who-said-about"]["params"] == "entity:entity" and byname["who-said-about"]["summary"]


def test_query_with_alias_param_all_formats(store_dir):
    for fmt in ("table", "json", "csv", "markdown"):
        res = run(store_dir, "query", "entity-aliases", "--param", "entity=Z.ai", "--format", fmt)
        assert res.exit_code == 0, res.output
        assert "Zhipu" in res.output


def test_query_errors_are_one_line(store_dir):
    res = run(store_dir, "query", "no-such-query")
    assert res.exit_code == 1 and "unknown query" in res.output
    res = run(store_dir, "query", "who-said-about", "-p", "entity")
    assert res.exit_code == 2
    res = run(store_dir, "query", "who-said-about", "-p", 'entity=x" } DROP ALL #')
    assert res.exit_code == 1 and "no entity" in res.output


def test_query_limit_message(store_dir):
    res = run(store_dir, "query", "entities", "--limit", "2", "--format", "csv")
    assert res.exit_code == 0
    assert len(list(csv.reader(io.StringIO(res.stdout)))) == 3
    assert "--limit" in res.stderr


def test_query_timeout_message(store_dir, tmp_path):
    q = tmp_path / "slow.rq"
    q.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    res = run(store_dir, "sparql", str(q), "--timeout", "1")
    assert res.exit_code == 1 and "timed out" in res.output


def test_sparql_standard_json_and_csv(store_dir):
    q = "SELECT ?d ?id WHERE { ?d <http://purl.org/dc/terms/identifier> ?id } ORDER BY ?id"
    res = run(store_dir, "sparql", "-", "--format", "json", input=q)
    doc = json.loads(res.output)
    assert doc["head"]["vars"] == ["d", "id"]
    assert doc["results"]["bindings"][0]["d"]["type"] == "uri"
    res = run(store_dir, "sparql", "-", "--format", "csv", input=q)
    raw = res.stdout_bytes.decode()  # CliRunner's .output folds CRLF; SPARQL CSV uses CRLF
    assert raw.startswith("d,id\r\n") and raw.count("\r\n") == 6
    res = run(store_dir, "sparql", "-", "--format", "json", input="ASK { ?s ?p ?o }")
    assert json.loads(res.output)["boolean"] is True


def test_path_and_central(store_dir):
    res = run(store_dir, "path", "Zhipu AI", "Anthropic", "--format", "json")
    assert res.exit_code == 0, res.output
    hops = json.loads(res.output)
    assert hops and all(h["quote"] and h["article"] for h in hops)
    res = run(store_dir, "central", "--type", "Company", "--format", "json")
    assert res.exit_code == 0 and json.loads(res.output)[0]["type"] == "Company"


def test_serve_answers_then_stops(store_dir, monkeypatch):
    require_tool("oxigraph")
    import urllib.parse
    import urllib.request
    from policykg.graph import remote
    from tests.servers import free_port
    seen = {}

    def fake_wait(self):  # instead of blocking until Ctrl-C: ask one question, then return
        url = self.url + "?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
        with urllib.request.urlopen(url) as r:
            seen["answer"] = r.read()
        return 0
    monkeypatch.setattr(remote.SparqlServer, "wait", fake_wait)
    res = run(store_dir, "serve", "--port", str(free_port()))
    assert res.exit_code == 0, res.output
    assert b"true" in seen["answer"] and "127.0.0.1" in res.stderr
