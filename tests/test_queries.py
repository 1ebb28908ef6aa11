"""The named query library: every .rq file is well formed, safe, runs, and answers on the corpus;
the development questions (../shared/dev-eval/questions.json, answers copied here) are answered."""
from __future__ import annotations

import re
import time

import pytest
from pyoxigraph import Literal, NamedNode

from policykg.errors import QueryError
from policykg.queries.library import bind, get_query, load_library, resolve_entity, run_named, run_query

LIBRARY = load_library()

# Parameters that give every library query an answer on the bundled corpus.
CORPUS_PARAMS = {
    "claim-stance": {"entity": "Anthropic"},
    "co-mentions": {"a": "Anthropic", "b": "Zhipu AI"},
    "coalition-members": {"coalition": "Glasswing"},
    "conflicts-about": {"entity": "Anthropic"},
    "document-claims": {"document": "000_d83f0a0c5c666281.txt"},
    "document-facts": {"document": "000_d83f0a0c5c666281.txt"},
    "entities-by-country": {"country": "China", "type": "pkg:Organization"},
    "entity-aliases": {"entity": "Zhipu AI"},
    "entity-articles": {"entity": "Anthropic"},
    "entity-facts": {"entity": "Anthropic"},
    "entity-timeline": {"entity": "Anthropic"},
    "event-durations": {"entity": "Anthropic"},
    "fact-support": {"entity": "Anthropic"},
    "model-release": {"model": "GLM-5.2"},
    "organization-people": {"organization": "Zhipu AI"},
    "policy-details": {"policy": "U.S. Department of Commerce order on Anthropic"},
    "quote-search": {"text": "open to anyone"},
    "quotes-by": {"speaker": "Jie Tang"},
    "restrictions-on": {"target": "Anthropic"},
    "statement-stance": {"entity": "GLM-5.2"},
    "who-said-about": {"entity": "Anthropic"},
}


def corpus_params(name: str) -> dict[str, str]:
    return CORPUS_PARAMS.get(name, {})


def rows(store, name, **params):
    return [{k: v.value for k, v in r.items()} for r in run_named(store, name, params).dicts()]


def iri(store, name: str) -> str:
    return resolve_entity(store, name).value


# ------------------------------------------------------------------------------ the files
def test_library_has_at_least_twenty_named_queries():
    own = [n for n in LIBRARY if not n.startswith("viz-")]
    assert len(own) >= 20, own


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_query_parses_with_pyoxigraph_and_rdflib(name):
    from pyoxigraph import Store
    from rdflib.plugins.sparql import prepareQuery
    q = LIBRARY[name]
    Store().query(q.sparql)  # raises SyntaxError when malformed
    prepareQuery(q.sparql)


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_query_header_summary_params_columns(name):
    q = LIBRARY[name]
    assert len(q.summary) > 20
    select = re.search(r"SELECT\s+(DISTINCT\s+)?(.*?)\bWHERE\b", q.sparql, re.S | re.I)
    assert select, "a SELECT query"
    projected = set(re.findall(r"(?:^|\s|\))\?(\w+)(?=\s|\)|$)", select.group(2)))
    projected |= set(re.findall(r"AS \?(\w+)", select.group(2)))
    for p in q.params:
        # pyoxigraph substitutes only projected variables.
        assert p.name in projected, f"parameter ?{p.name} must be projected"
    if q.columns:
        assert set(q.columns) <= projected, set(q.columns) - projected


def test_no_query_contains_corpus_strings_or_entity_iris(corpus_store):
    names = {r[0].value for r in corpus_store.query(
        "SELECT DISTINCT ?n WHERE { { ?e <https://w3id.org/policykg/ontology#mentionedIn> ?x ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?n } UNION "
        "{ ?e <http://www.w3.org/2004/02/skos/core#altLabel> ?n } UNION "
        "{ ?d <http://purl.org/dc/terms/identifier> ?n } }").rows}
    # Proper names (a capital or a digit): common words like "reports" may name an unnamed source.
    names = {n for n in names if len(n) >= 3 and any(c.isupper() or c.isdigit() for c in n)}
    for name, q in LIBRARY.items():
        assert "w3id.org/policykg/id/" not in q.sparql, f"{name}.rq names an instance IRI"
        for n in names:
            assert not re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", q.sparql), f"{name}.rq contains {n!r}"


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_every_query_runs_and_answers_on_the_corpus(corpus_store, name):
    res = run_named(corpus_store, name, corpus_params(name))
    assert res.variables
    assert res.rows, f"{name} returned no rows on the corpus"
    q = LIBRARY[name]
    if q.columns:
        assert res.variables == list(q.columns)


@pytest.mark.parametrize("name", [n for n in sorted(LIBRARY) if not n.startswith("viz-")])
def test_fact_rows_carry_quote_and_article(corpus_store, name):
    res = run_named(corpus_store, name, corpus_params(name))
    cols = set(res.variables)
    if "quote" in cols and "article" in cols:
        for r in res.dicts():
            assert r.get("quote") is not None and r.get("article") is not None, (name, r)


# ------------------------------------------------------------------------------ parameters
def test_entity_parameters_accept_any_alias(corpus_store):
    a = rows(corpus_store, "entity-aliases", entity="Z.ai")
    b = rows(corpus_store, "entity-aliases", entity="zhipu ai")
    c = rows(corpus_store, "entity-aliases", entity=iri(corpus_store, "Zhipu"))
    assert a and a == b == c


@pytest.mark.parametrize("evil", ['x" } DROP ALL #', "x\" } } ; DELETE WHERE { ?s ?p ?o } #\n",
                                  "open to anyone' } UNION { ?s ?p ?o } #", "}}}{{{", "SELECT * WHERE",
                                  "\\\" ) ) } LIMIT 1 #", "line\nbreak\r\n\"quoted\""])
def test_injection_changes_nothing_but_the_value(corpus_store, evil):
    before = len(corpus_store)
    assert rows(corpus_store, "quote-search", text=evil) == []
    with pytest.raises(QueryError, match="no entity"):
        run_named(corpus_store, "who-said-about", {"entity": evil})
    assert len(corpus_store) == before
    # the same text inlined for a remote endpoint stays one literal token
    from policykg.graph.binding import inline_values
    q = get_query("quote-search")
    text = inline_values(q.sparql, bind(corpus_store, q, {"text": evil}))
    assert text.count("VALUES") == 1
    assert corpus_store.query(text).rows == []
    assert len(corpus_store) == before


def test_typed_parameters(corpus_store):
    q = get_query("entities-by-country")
    terms = bind(corpus_store, q, {"country": "China", "type": "Organization"})
    assert isinstance(terms["country"], NamedNode) and isinstance(terms["type"], NamedNode)
    with pytest.raises(QueryError, match="not a policykg class"):
        bind(corpus_store, q, {"country": "China", "type": "Nonsense"})
    with pytest.raises(QueryError, match="no parameter"):
        bind(corpus_store, q, {"country": "China", "type": "Company", "bogus": "1"})
    with pytest.raises(QueryError, match="needs --param"):
        bind(corpus_store, q, {"type": "Company"})
    assert bind(corpus_store, get_query("quote-search"), {"text": "a"})["text"] == Literal("a")


def test_inline_values_skips_comments_strings_and_iris():
    from policykg.graph.binding import inline_values
    q = '# a { comment\nPREFIX p: <http://x/y#z> SELECT (CONCAT("{", ?a) AS ?b) ?a WHERE { ?s ?p ?a }'
    out = inline_values(q, {"a": Literal('x"}')})
    assert out.startswith('# a { comment\nPREFIX p: <http://x/y#z> SELECT (CONCAT("{", ?a)')
    assert out.endswith('WHERE { VALUES (?a) { ("x\\"}") }  ?s ?p ?a }')


# ------------------------------------------------------------------------------ safety
def test_limit_truncates_with_flag(corpus_store):
    res = run_named(corpus_store, "entities", limit=3)
    assert len(res.rows) == 3 and res.truncated
    full = run_named(corpus_store, "entities")
    assert not full.truncated and len(full.rows) > 3


def test_timeout_stops_a_runaway_query(corpus_store):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    t0 = time.monotonic()
    with pytest.raises(QueryError, match="timed out"):
        run_query(corpus_store, slow, timeout=1)
    assert time.monotonic() - t0 < 5


def test_query_in_worker_gives_the_same_answer(corpus_store):
    name = "model-release"
    direct = run_named(corpus_store, name, corpus_params(name))
    worker = run_named(corpus_store, name, corpus_params(name), timeout=30, limit=10_000)
    assert direct.variables == worker.variables and direct.rows == worker.rows


def test_worker_reports_syntax_errors(corpus_store):
    with pytest.raises(QueryError, match="syntax"):
        run_query(corpus_store, "SELECT WHERE {", timeout=10)


# ------------------------------------------------------------------------------ dev questions
def test_dq1_commerce_department_ordered_anthropic_suspend_models_on_june_12(corpus_store):
    r = rows(corpus_store, "restrictions-on", target="Anthropic")
    commerce = iri(corpus_store, "Commerce Department")
    assert commerce == iri(corpus_store, "U.S. Department of Commerce")
    label = next(x["label"] for x in rows(corpus_store, "entity-aliases", entity=commerce) if "label" in x)
    mine = [x for x in r if x.get("issuerLabel") == label and x["article"].startswith("000")]
    assert {x["restricted"] for x in mine} >= {iri(corpus_store, "Fable 5"), iri(corpus_store, "Mythos 5")}
    assert any("June 12" in x.get("dateText", "") for x in mine)


def test_dq2_zhipu_released_glm_5_2_under_mit(corpus_store):
    r = rows(corpus_store, "model-release", model="GLM-5.2")
    dev = {x["value"] for x in r if x["relation"].endswith("#developedBy")}
    lic = {x["value"] for x in r if x["relation"].endswith("#licensedUnder")}
    assert dev == {iri(corpus_store, "Zhipu AI")}
    assert lic == {iri(corpus_store, "MIT License")}
    assert any(x["article"].startswith("000") for x in r)


def test_dq3_names_of_glm_developer_resolve_to_one_entity(corpus_store):
    ids = {iri(corpus_store, n) for n in ("Zhipu", "Zhipu AI", "Z.ai")}
    assert len(ids) == 1
    aliases = {x["alias"] for x in rows(corpus_store, "entity-aliases", entity="Zhipu AI")}
    assert aliases >= {"Zhipu", "Zhipu AI", "Z.ai"}


def test_dq4_jie_tang_said_ai_should_be_open_to_anyone(corpus_store):
    r = rows(corpus_store, "quote-search", text="open to anyone")
    hits = [x for x in r if x.get("speaker") == iri(corpus_store, "Jie Tang")]
    assert hits and all(x["article"].startswith("000") for x in hits)
    assert any("founder" in x.get("role", "").lower() for x in hits)


def test_dq5_shutdown_duration_differs_between_sources(corpus_store):
    r = rows(corpus_store, "event-durations", entity="Anthropic")
    by_doc = {}
    for x in r:
        by_doc.setdefault(x["article"][:3], set()).add(x["durationText"].lower())
    assert any("eighteen days" in d for d in by_doc.get("000", ()))
    assert any(re.search(r"two[- ]weeks?", d) for d in by_doc.get("002", ()))
    assert any(x.get("conflictKind") == "duration" for x in r), "the sources disagree"


def test_dq6_glasswing_members(corpus_store):
    r = rows(corpus_store, "coalition-members", coalition="Glasswing")
    assert {x["member"] for x in r} == {iri(corpus_store, n) for n in ("Amazon", "Microsoft", "Google")}
    assert all(x["article"].startswith("002") for x in r)


def test_dq7_organizations_presented_as_chinese(corpus_store):
    r = rows(corpus_store, "entities-by-country", country="China", type="pkg:Organization")
    expected = {iri(corpus_store, n) for n in
                ("Zhipu AI", "360 Security Technology", "Moonshot", "Alibaba", "DeepSeek")}
    assert {x["entity"] for x in r} >= expected


def test_dq8_five_eyes_warned_of_cyber_threat(corpus_store):
    r = rows(corpus_store, "quote-search", text="cyber threat")
    five_eyes = iri(corpus_store, "Five Eyes")
    hits = [x for x in r if x.get("speaker") == five_eyes]
    assert hits and all(x["article"].startswith("002") for x in hits)
