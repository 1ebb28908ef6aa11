"""policykg serve: oxigraph's read-only endpoint over a snapshot gives the library's answers."""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from policykg.graph.remote import RemoteStore, SparqlServer
from policykg.queries.library import load_library, run_named
from tests.conftest import require_tool
from tests.servers import free_port
from tests.test_queries import corpus_params
from tests.test_remote import answers


@pytest.fixture(scope="module")
def server(corpus_store):
    require_tool("oxigraph")
    with SparqlServer(corpus_store, port=free_port()) as s:
        yield s


def test_get_and_post_query(server):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    with urllib.request.urlopen(server.url + "?" + urllib.parse.urlencode({"query": q})) as r:
        n_get = json.load(r)["results"]["bindings"][0]["n"]["value"]
    req = urllib.request.Request(server.url, data=q.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req) as r:
        assert json.load(r)["results"]["bindings"][0]["n"]["value"] == n_get
    assert int(n_get) > 1000


def test_updates_are_refused(server):
    base = server.url.rsplit("/", 1)[0]
    req = urllib.request.Request(base + "/update", data=b"CLEAR ALL",
                                 headers={"Content-Type": "application/sparql-update"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req)
    assert err.value.code in (403, 404, 405)


def test_listens_on_loopback_by_default(server):
    assert server.host == "127.0.0.1"


@pytest.mark.parametrize("name", sorted(load_library()))
def test_same_answers_as_embedded(server, corpus_store, name):
    remote = run_named(RemoteStore(server.url, read_only=True), name, corpus_params(name))
    local = run_named(corpus_store, name, corpus_params(name))
    assert local.rows, "equal-but-empty must not pass"
    assert answers(remote) == answers(local)
