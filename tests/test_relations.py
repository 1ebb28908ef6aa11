"""Relation rules (loaders/relations.py): corpus dev questions and small general cases."""
from __future__ import annotations

from _kft import corpus, facts, from_text, key_of

from policykg.ontology.terms import ENTITY_RELATIONS, LITERAL_FACTS


def test_commerce_department_restricts_fable_and_mythos_dq1():
    x = corpus("000")
    commerce = key_of(x, "Commerce Department")
    policies = {s for s, o in facts(x, "issuedBy") if o == commerce}
    assert policies
    restricted = {o for s, o in facts(x, "restricts") if s in policies}
    assert {key_of(x, "Fable 5"), key_of(x, "Mythos 5")} <= restricted


def test_zhipu_released_glm_under_mit_license_dq2():
    x = corpus("000")
    glm, zhipu = key_of(x, "GLM-5.2"), key_of(x, "Zhipu")
    assert (glm, zhipu) in facts(x, "developedBy")
    lic = [o for s, o in facts(x, "licensedUnder") if s == glm]
    assert lic and x.entities[lic[0]].type == "License" and "MIT" in x.entities[lic[0]].label
    assert (glm, "true") in facts(x, "openWeights")


def test_jie_tang_is_founder_of_zhipu_dq4():
    x = corpus("000")
    tang, zhipu = key_of(x, "Jie Tang"), key_of(x, "Zhipu")
    aff = [f for f in x.facts if f.predicate == "affiliatedWith" and f.subject == tang and f.object == zhipu]
    assert aff and aff[0].qualifiers["role"] == "founder"
    assert (tang, "founder") in facts(x, "role")


def test_glasswing_members_and_openai_not_included_dq6():
    x = corpus("002")
    glasswing = key_of(x, "Glasswing")
    members = {s for s, o in facts(x, "memberOf") if o == glasswing}
    assert {key_of(x, n) for n in ("Amazon", "Microsoft", "Google")} == members
    assert (key_of(x, "OpenAI"), glasswing) in facts(x, "memberOf", negated=True)


def test_chinese_organizations_based_in_china_dq7():
    expected = {"000": ["Zhipu", "Moonshot", "Alibaba", "DeepSeek"], "001": ["Zhipu AI", "360 Security Technology"],
                "003": ["Zhipu AI"], "004": ["360 Security Technologies"]}
    for prefix, names in expected.items():
        x = corpus(prefix)
        china = key_of(x, "China")
        based = {s for s, o in facts(x, "basedIn") if o == china}
        for n in names:
            assert key_of(x, n) in based, (prefix, n)
    # and nothing American is put in China
    for prefix in ("000", "001", "002", "003", "004"):
        x = corpus(prefix)
        if "org/anthropic" in x.entities:
            assert ("org/anthropic", key_of(x, "China")) not in facts(x, "basedIn")


def test_rescinds_and_roles_000():
    x = corpus("000")
    assert facts(x, "rescinds")
    lutnick = key_of(x, "Howard Lutnick")
    assert (lutnick, "Commerce Secretary") in facts(x, "role")


def test_comparisons_and_hedged_sentences_002():
    x = corpus("002")
    glm, mythos = key_of(x, "GLM-5.2"), key_of(x, "Mythos")
    assert (glm, mythos) in facts(x, "comparedWith")
    # "the G7, which does not include China" never becomes a membership
    assert not any(o == key_of(x, "G7") for s, o in facts(x, "memberOf"))


def test_apposition_roles_004():
    x = corpus("004")
    casper, mit = key_of(x, "Stephen Casper"), key_of(x, "MIT")
    aff = [f for f in x.facts if f.predicate == "affiliatedWith" and (f.subject, f.object) == (casper, mit)]
    assert aff and aff[0].qualifiers["role"] == "computer scientist"
    yun = key_of(x, "Lin Yun")
    assert (yun, key_of(x, "Shanghai Jiao Tong University")) in facts(x, "affiliatedWith")


def test_who_clause_and_founder_of_003():
    x = corpus("003")
    assert (key_of(x, "Niels Provos"), key_of(x, "Google")) in facts(x, "affiliatedWith")
    zhou = key_of(x, "Zhou Hongyi")
    assert (zhou, "founder") in facts(x, "role")
    assert (key_of(x, "GLM-5.2"), key_of(x, "Claude Opus 4.8")) in facts(x, "comparedWith")


def test_only_ontology_predicates_and_exact_evidence():
    for prefix in ("000", "001", "002", "003", "004"):
        x = corpus(prefix)
        for f in x.facts:
            assert f.predicate in ENTITY_RELATIONS + LITERAL_FACTS
            assert x.document.text[f.evidence.start:f.evidence.end] == f.evidence.text
            assert f.rule and f.subject in x.entities
            if not f.object_is_literal:
                assert f.object in x.entities


def test_general_patterns_on_unseen_text():
    x = from_text("Mistral AI released Magistral-2 under an Apache 2.0 license. "
                  "The French startup Mistral AI said the model is strong.")
    mistral, mag = key_of(x, "Mistral AI"), key_of(x, "Magistral-2")
    assert (mag, mistral) in facts(x, "developedBy")
    assert any(x.entities[o].type == "License" and "Apache" in x.entities[o].label
               for s, o in facts(x, "licensedUnder") if s == mag)
    assert (mistral, key_of(x, "France")) in facts(x, "basedIn")


def test_negation_gives_no_positive_fact():
    x = from_text("OpenAI CEO Sam Altman spoke. Anthropic was not included in the Frontier Model Forum coalition.")
    assert not any(s == "org/anthropic" for s, o in facts(x, "memberOf"))
