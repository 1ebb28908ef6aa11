"""Claim rules (loaders/claims.py): speakers, cues, quotes, article stance."""
from __future__ import annotations

from _kft import corpus, from_text, key_of


def _by(x, speaker_key):
    return [c for c in x.claims if c.speaker == speaker_key]


def test_jie_tang_declared_dq4():
    x = corpus("000")
    cs = _by(x, key_of(x, "Jie Tang"))
    assert cs and cs[0].cue == "declared"
    assert "open to anyone" in cs[0].quote.text


def test_five_eyes_warned_dq8():
    x = corpus("002")
    cs = [c for c in x.claims if c.cue == "warned" and "Five Eyes" in c.speaker_text]
    assert cs and "imminent cyber threat" in cs[0].quote.text
    assert cs[0].speaker is not None


def test_unnamed_sources_001():
    x = corpus("001")
    texts = {(c.speaker_text, c.cue) for c in x.claims}
    for want in [("Security researchers", "reported"), ("researchers", "say"), ("Critics", "counter"),
                 ("Supporters", "argue"), ("Industry analysts", "argue")]:
        assert want in texts, want
    for c in x.claims:
        if c.speaker_text in ("Critics", "Supporters"):
            assert x.entities[c.speaker].type == "UnnamedSource"
    sr = next(c for c in x.claims if c.speaker_text == "Security researchers")
    assert sr.proposition == (key_of(x, "GLM-5.2"), "comparedWith", key_of(x, "Mythos"))
    assert sr.polarity == "affirms"


def test_quotes_with_attribution_after_and_across_sentences_004():
    x = corpus("004")
    yun, casper = key_of(x, "Lin Yun"), key_of(x, "Stephen Casper")
    yun_quotes = _by(x, yun)
    assert any(c.cue == "explained" and c.speaker_text == "he" for c in yun_quotes)
    # the quote continuing over two sentences after "he explained" is his too
    assert any("shared safety principles" in c.quote.text for c in yun_quotes)
    assert any(c.cue == "noted" and c.quote.text.startswith("AI is a global technology") for c in _by(x, casper))
    anon = [c for c in x.claims if c.cue == "revealed"]
    assert anon and anon[0].speaker and x.entities[anon[0].speaker].type == "UnnamedSource"


def test_according_to_and_pronoun_words_003():
    x = corpus("003")
    provos = key_of(x, "Niels Provos")
    cs = _by(x, provos)
    assert any(c.cue.lower() == "according to" for c in cs)
    assert any(c.cue.lower() == "in his words" for c in cs)


def test_article_stance_is_specific_002_003():
    x = corpus("002")
    glm, mythos = key_of(x, "GLM-5.2"), key_of(x, "Mythos")
    hedge = [c for c in x.claims if c.speaker_text == "article" and "overstated" in c.quote.text]
    assert hedge and hedge[0].polarity == "hedges" and hedge[0].proposition == (glm, "comparedWith", mythos)
    # "There is no indication that GLM-5.2 can do that" names no relation: no proposition
    no_ind = [c for c in x.claims if c.quote.text.startswith("There is no indication")]
    assert no_ind and no_ind[0].proposition is None and no_ind[0].speaker is None
    y = corpus("003")
    deny = [c for c in y.claims if c.quote.text.startswith("This does not mean")]
    assert deny and deny[0].polarity == "denies"
    assert deny[0].proposition == (key_of(y, "China"), "comparedWith", key_of(y, "US"))
    surpass = [c for c in y.claims if c.speaker_text == "article" and "surpassed Anthropic" in c.quote.text]
    assert surpass and surpass[0].polarity == "affirms"


def test_spans_exact_and_unique():
    for prefix in ("000", "001", "002", "003", "004"):
        x = corpus(prefix)
        seen = set()
        for c in x.claims:
            assert x.document.text[c.quote.start:c.quote.end] == c.quote.text
            assert (c.quote.start, c.quote.end) not in seen
            seen.add((c.quote.start, c.quote.end))
            assert c.polarity in ("affirms", "denies", "hedges")
            assert c.speaker is None or c.speaker in x.entities


def test_pronoun_and_company_anaphor():
    x = from_text("Anthropic released Claude Opus 4.8 last week. It surpassed GPT-5 on coding, the company claimed. "
                  "Dario Amodei, the CEO of Anthropic, spoke to reporters. “We will keep shipping safer models,” he said.")
    claimed = [c for c in x.claims if c.cue == "claimed"]
    assert claimed and claimed[0].speaker == "org/anthropic"
    said = [c for c in x.claims if c.cue == "said"]
    assert said and said[0].speaker == key_of(x, "Dario Amodei")


# ---------------------------------------------------------------- one claim per assertion
def _claim(start, end, rule, speaker=None, about=(), proposition=None):
    from policykg.loaders.records import Claim, Span
    return Claim(quote=Span(start, end, "x" * (end - start)), cue="said", speaker_text=speaker or "article",
                 rule=rule, speaker=speaker, about=list(about), proposition=proposition)


def _ctx(**types):
    from types import SimpleNamespace

    from policykg.loaders.records import EntityRef
    return SimpleNamespace(entities={k: EntityRef(k, k, t) for k, t in types.items()})


def test_unique_keeps_one_reading_of_same_words_and_speaker():
    from policykg.loaders.claims import _unique
    ctx = _ctx(**{"person/a": "Person", "org/x": "Company"})
    # the same sentence with and without its final period, read by two rules
    a = _claim(10, 51, "claim.speech-speech", "person/a", about=["org/x"])
    b = _claim(10, 50, "claim.quote-after", "person/a")
    out = _unique(ctx, [a, b])
    assert len(out) == 1
    # equal speaker: more 'about' wins over the earlier rule, and 'about' lists merge
    assert out[0] is a and out[0].about == ["org/x"]
    c = _claim(10, 50, "claim.quote-after", "person/a", about=["org/y"])
    out = _unique(ctx, [_claim(10, 51, "claim.speech-speech", "person/a", about=["org/x"]), c])
    # equal 'about' lengths: the earlier rule (quote before speech) wins
    assert len(out) == 1 and out[0].rule == "claim.quote-after" and out[0].about == ["org/x", "org/y"]


def test_unique_prefers_a_speaker_then_rule_order():
    from policykg.loaders.claims import _unique
    ctx = _ctx(**{"person/a": "Person", "source/s": "UnnamedSource"})
    article = _claim(0, 40, "claim.article-stance", None, about=["org/x"])
    said = _claim(5, 40, "claim.speech-that", "person/a")
    out = _unique(ctx, [article, said])
    assert [c.rule for c in out] == ["claim.speech-that"] and out[0].about == ["org/x"]
    # the same words and speaker, nothing else to choose by: the rule order decides (quote < speech)
    out = _unique(ctx, [_claim(0, 40, "claim.speech-speech", "source/s"), _claim(1, 40, "claim.quote-before", "source/s")])
    assert [c.rule for c in out] == ["claim.quote-before"]


def test_unique_keeps_different_speakers_and_distant_quotes():
    from policykg.loaders.claims import _unique
    ctx = _ctx(**{"person/a": "Person", "source/s": "UnnamedSource"})
    nested = [_claim(0, 150, "claim.according-to", "source/s"), _claim(28, 150, "claim.speech-speech", "person/a")]
    assert len(_unique(ctx, nested)) == 2
    # a small overlap is two assertions by one speaker
    apart = [_claim(0, 100, "claim.speech-speech", "person/a"), _claim(90, 200, "claim.participle", "person/a")]
    assert len(_unique(ctx, apart)) == 2


def test_no_near_duplicate_claims_on_corpus():
    for prefix in ("000", "001", "002", "003", "004"):
        x = corpus(prefix)
        for i, a in enumerate(x.claims):
            for b in x.claims[i + 1:]:
                overlap = min(a.quote.end, b.quote.end) - max(a.quote.start, b.quote.start)
                same = not (a.speaker and b.speaker and a.speaker != b.speaker)
                assert not (same and overlap > 0.6 * min(len(a.quote.text), len(b.quote.text))), (a, b)


def test_said_with_a_colon_before_a_quotation_is_one_claim():
    x = from_text("Yusuf Nakamura, a professor at Nordland University, told reporters: “The new licensing "
                  "framework is the most consequential rule our industry has faced.” Others disagreed. "
                  "Julia Pereira said: “We tested the model for months before release, and we stand by it.”")
    framework = [c for c in x.claims if "consequential rule" in c.quote.text]
    assert len(framework) == 1 and framework[0].speaker == key_of(x, "Yusuf Nakamura")
    assert framework[0].quote.text.startswith("The new licensing")
    tested = [c for c in x.claims if "tested the model" in c.quote.text]
    assert len(tested) == 1 and tested[0].speaker == key_of(x, "Julia Pereira")
    assert not tested[0].quote.text.startswith("“")


def test_speaker_after_a_quotation_takes_the_quotation_not_the_words_after_the_verb():
    x = from_text("“We take our obligations seriously and we will appeal,” Camille Durand said in a statement.")
    assert [c.quote.text for c in x.claims] == ["We take our obligations seriously and we will appeal"]
