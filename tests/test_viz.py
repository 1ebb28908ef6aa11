"""Map generation without a browser: views, size policy, determinism, escaping, exports, CLI."""
from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from pyoxigraph import Literal, NamedNode, Quad

from policykg.cli import cli
from policykg.errors import UsageError
from policykg.graph.network import entity_graph
from policykg.viz import maps
from policykg.viz.layout import compute_layout, force_layout
from policykg.viz.maps import MapOptions, build_map, render, write_map
from policykg.viz.page import json_for_script, page_data
from policykg.viz.views import date_key, sentence_around

FIXTURES = Path(__file__).resolve().parent / "fixtures_viz"
HOSTILE_LABEL = "<img src=x onerror=\"window.__pwned=9\">Evil</script><script>window.__pwned=10</script>\u2028&amp;"
HOSTILE_QUOTE = "</script><script>window.__pwned=11</script> <a href=\"javascript:window.__pwned=12\">x</a>"


def hostile_store():
    """The hostile fixture article built through the pipeline, plus an entity whose label and an
    edge whose quote are break-out attempts (written straight into the store)."""
    from policykg.graph.build import build
    from policykg.graph.store import open_store
    store = open_store(memory=True)
    report = build(store, [FIXTURES / "hostile.txt"])
    assert report.ok, report.skipped
    add_hostile_entity(store)
    return store


def add_hostile_entity(store) -> str:
    base = "https://w3id.org/policykg/id/"
    pkg = "https://w3id.org/policykg/ontology#"
    doc = next(iter(store.documents()))
    g = NamedNode(base + "graph/hostile-test")
    evil, other = NamedNode(base + "org/evil"), NamedNode(base + "org/anthropic")
    st, span = NamedNode(base + "stmt/hostile"), NamedNode(base + "span/hostile")
    rdf, rdfs = "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#"
    oa = "http://www.w3.org/ns/oa#"
    xsd_int = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    ident = NamedNode("http://purl.org/dc/terms/identifier")
    doc_id = next(store.quads_for_pattern(NamedNode(doc), ident, None, None)).object
    store.extend([
        Quad(NamedNode(doc), ident, doc_id, g),
        Quad(evil, NamedNode(rdf + "type"), NamedNode(pkg + "Company"), g),
        Quad(evil, NamedNode(rdfs + "label"), Literal(HOSTILE_LABEL), g),
        Quad(evil, NamedNode("http://www.w3.org/2004/02/skos/core#altLabel"), Literal("javascript:alert(1)"), g),
        Quad(evil, NamedNode(pkg + "mentionedIn"), NamedNode(doc), g),
        Quad(st, NamedNode(rdf + "type"), NamedNode(pkg + "Statement"), g),
        Quad(st, NamedNode(rdf + "subject"), evil, g),
        Quad(st, NamedNode(rdf + "predicate"), NamedNode(pkg + "memberOf"), g),
        Quad(st, NamedNode(rdf + "object"), other, g),
        Quad(st, NamedNode(pkg + "evidence"), span, g),
        Quad(span, NamedNode(oa + "exact"), Literal(HOSTILE_QUOTE), g),
        Quad(span, NamedNode(oa + "start"), Literal("0", datatype=xsd_int), g),
        Quad(span, NamedNode(oa + "end"), Literal("9", datatype=xsd_int), g),
        Quad(span, NamedNode(oa + "hasSource"), NamedNode(doc), g),
    ])
    return evil.value


@pytest.fixture(scope="module")
def sample_map(corpus_store):
    return build_map(corpus_store)


# -- views -----------------------------------------------------------------------------------
def test_entities_view_has_every_entity_of_the_networkx_projection(corpus_store, sample_map):
    expected = entity_graph(corpus_store, include_negated=True)
    assert set(sample_map.graph) == set(expected)
    assert sample_map.graph.number_of_edges() == expected.number_of_edges()
    for n, d in sample_map.graph.nodes(data=True):
        assert d["label"] == expected.nodes[n]["label"] and d["type"] == expected.nodes[n]["type"]
        assert isinstance(d["x"], int) and isinstance(d["y"], int)


def test_every_quote_is_the_exact_words_of_its_article(corpus_store, sample_map):
    texts = sample_map.corpus.texts
    for _, d in sample_map.graph.nodes(data=True):
        for q in d["evidence"]:
            assert q.text.strip("…") in texts[q.article]
    for _, _, d in sample_map.graph.edges(data=True):
        for q in d["evidence"]:
            assert q.text in texts[q.article]


def test_focus_by_alias_keeps_the_neighbourhood_only(corpus_store):
    data = build_map(corpus_store, MapOptions(focus="Z.ai", depth=1))
    zhipu = data.focus
    assert data.graph.nodes[zhipu]["label"] == "Zhipu AI"
    und = entity_graph(corpus_store, include_negated=True).to_undirected()
    assert set(data.graph) == {zhipu} | set(und[zhipu])
    assert "around Zhipu AI" in data.title


def test_focus_on_an_unknown_name_is_an_error(corpus_store):
    with pytest.raises(Exception, match="no entity"):
        build_map(corpus_store, MapOptions(focus="Nobody Inc"))


def test_claims_and_timeline_views_build(corpus_store):
    claims = build_map(corpus_store, MapOptions(view="claims")).graph
    for n, d in claims.nodes(data=True):
        if d["type"] == "Claim":
            assert d["evidence"] and d["articles"]
    for _, _, d in claims.edges(data=True):
        assert d["relation"] in {"states", "about", "supports", "disputes"}
        if d["relation"] == "disputes":
            assert d["negated"] and d["contested"]
    build_map(corpus_store, MapOptions(view="timeline"))


def test_type_relation_and_article_filters(corpus_store, sample_map):
    companies = build_map(corpus_store, MapOptions(types=("Company",))).graph
    assert companies and {d["type"] for _, d in companies.nodes(data=True)} == {"Company"}
    rels = {d["relation"] for _, _, d in sample_map.graph.edges(data=True)}
    if rels:
        one = sorted(rels)[0]
        only = build_map(corpus_store, MapOptions(relations=(one,))).graph
        assert {d["relation"] for _, _, d in only.edges(data=True)} == {one}
    article = sorted(sample_map.corpus.titles)[0]
    by_article = build_map(corpus_store, MapOptions(articles=(article,))).graph
    assert all(article in d["articles"] for _, d in by_article.nodes(data=True))
    with pytest.raises(UsageError, match="no article"):
        build_map(corpus_store, MapOptions(articles=("missing.txt",)))


def test_sentence_around_and_date_key():
    text = "First one. Zhipu AI released GLM today! Last\nline."
    lo, s = sentence_around(text, 11, 19)
    assert s == "Zhipu AI released GLM today!" and text[lo:].startswith(s)
    assert date_key("2025-06-12", "http://www.w3.org/2001/XMLSchema#date", None) == (2025, 6, 12)
    assert date_key("2025-06", "http://www.w3.org/2001/XMLSchema#gYearMonth", None) == (2025, 6, 0)
    assert date_key("--06-12", "http://www.w3.org/2001/XMLSchema#gMonthDay", "2024-01-02") == (2024, 6, 12)
    assert date_key("--06-12", "http://www.w3.org/2001/XMLSchema#gMonthDay", None) is None


# -- size policy -----------------------------------------------------------------------------
def test_too_big_is_refused_with_advice_unless_insisted(corpus_store, monkeypatch, sample_map):
    total = sample_map.graph.number_of_nodes()
    monkeypatch.setattr(maps, "SAFE_NODES", total - 1)
    with pytest.raises(UsageError, match="--focus.*--max-nodes"):
        build_map(corpus_store)
    capped = build_map(corpus_store, MapOptions(max_nodes=5))
    assert capped.graph.number_of_nodes() == 5 and capped.total_nodes == total and capped.notes
    top = maps.rank_nodes(sample_map.graph)[:5]
    assert set(capped.graph) == set(top)
    quick = build_map(corpus_store, replace(MapOptions(), overflow="top"))
    assert quick.graph.number_of_nodes() == total - 1


# -- determinism and layout --------------------------------------------------------------------
def test_same_store_gives_byte_identical_page(corpus_store, tmp_path):
    a = write_map(corpus_store, tmp_path / "a.html").read_bytes()
    b = write_map(corpus_store, tmp_path / "b.html").read_bytes()
    assert a == b
    from policykg.graph.build import build
    from policykg.graph.store import open_store
    from tests.conftest import CORPUS
    other = open_store(memory=True)
    build(other, [CORPUS])
    assert write_map(other, tmp_path / "c.html").read_bytes() == a


def test_layout_is_seeded_and_stable_under_an_addition():
    g = nx.barabasi_albert_graph(200, 2, seed=3)
    nodes = [f"https://example.org/{i}" for i in g]
    edges = [(nodes[a], nodes[b], 1) for a, b in g.edges]
    first = force_layout(nodes, edges)
    assert force_layout(list(reversed(nodes)), edges) == first
    more = force_layout(nodes + ["https://example.org/new"], edges + [(nodes[0], "https://example.org/new", 1)])
    moves = sorted(abs(first[n][0] - more[n][0]) + abs(first[n][1] - more[n][1]) for n in nodes)
    span = max(x for x, _ in first.values()) - min(x for x, _ in first.values())
    assert moves[len(moves) // 2] < span / 5
    assert compute_layout(nodes, edges, engine="sfdp").keys() == set(nodes)


# -- escaping ----------------------------------------------------------------------------------
def test_json_for_script_is_inert_and_round_trips():
    value = {"a": HOSTILE_LABEL, "b": HOSTILE_QUOTE, "c": "\u2029 & <!-- -->"}
    text = json_for_script(value)
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text
    assert json.loads(text) == value


def test_hostile_text_cannot_leave_the_data_block():
    page = render(build_map(hostile_store())).decode("utf-8")
    data_block = page.split('id="pkg-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data_block and ">" not in data_block and "&" not in data_block
    assert page.lower().count("</script") == 3
    data = json.loads(re.search(r'<script type="application/json" id="pkg-data">(.*?)</script>', page, re.S).group(1))
    labels = {n["label"] for n in data["nodes"]}
    assert HOSTILE_LABEL in labels
    assert any(HOSTILE_QUOTE in t for e in data["edges"] for q in e.get("quotes", []) for t in q[1])
    assert any("</script>" in a["title"] for a in data["articles"])
    # The page's title element holds the escaped title only.
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title


def test_page_is_self_contained_and_scripts_match_the_csp(sample_map):
    page = render(sample_map).decode("utf-8")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    # No attribute or CSS rule that would fetch anything.
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", page)
    assert "cdn" not in page.split('id="pkg-data"')[0].lower()


def test_page_data_matches_the_graph(sample_map):
    data = page_data(sample_map)
    assert data["meta"]["nodes"] == sample_map.graph.number_of_nodes() == len(data["nodes"])
    assert data["meta"]["hash"] == sample_map.graph_hash and len(sample_map.graph_hash) == 64
    assert data["meta"]["articles"] == 5
    assert set(data["types"]) == {d["type"] for _, d in sample_map.graph.nodes(data=True)}


# -- exports and CLI ---------------------------------------------------------------------------
@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_gephi_exports_read_back(sample_map, fmt, reader):
    payload = render(sample_map, fmt)
    assert payload == render(sample_map, fmt)
    g = reader(io.BytesIO(payload))
    assert g.number_of_nodes() == sample_map.graph.number_of_nodes()
    assert g.number_of_edges() == sample_map.graph.number_of_edges()


def test_cli_viz(tmp_path, corpus_dir):
    runner = CliRunner()
    store = str(tmp_path / "store")
    assert runner.invoke(cli, ["--store", store, "build", str(corpus_dir)]).exit_code == 0
    res = runner.invoke(cli, ["--store", store, "viz", "-o", str(tmp_path / "m.html"), "--focus", "Z.ai"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "m.html").read_bytes().startswith(b"<!DOCTYPE html>")
    res = runner.invoke(cli, ["--store", store, "viz", "--format", "graphml", "-o", "-"])
    assert res.exit_code == 0 and res.stdout.startswith("<?xml")
    res = runner.invoke(cli, ["--store", store, "viz", "--max-nodes", "3", "--view", "claims", "-o",
                              str(tmp_path / "c.html")])
    assert res.exit_code == 0 and "3 nodes" in res.output
    res = runner.invoke(cli, ["--store", store, "viz", "--focus", "Nobody Inc", "-o", str(tmp_path / "x.html")])
    assert res.exit_code != 0 and "no entity" in res.output
    res = runner.invoke(cli, ["viz", "--help"])
    assert res.exit_code == 0 and "--focus" in res.output and "--max-nodes" in res.output
