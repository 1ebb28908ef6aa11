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
