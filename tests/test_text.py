"""Boilerplate regions and sentence segmentation."""
from __future__ import annotations

from pathlib import Path

import pytest

from policykg.loaders import text
from policykg.loaders.records import SourceDocument

CORPUS = Path(__file__).parent.parent / "corpus"
FIXTURES = Path(__file__).parent / "fixtures"


def _doc(t: str) -> SourceDocument:
    d = SourceDocument(source_id="t", text=t, sha256="", format="txt")
    d.boilerplate = text.find_boilerplate(d)
    return d


def _file_doc(path: Path) -> SourceDocument:
    raw = path.read_bytes().decode("utf-8")      # decoded here, not by the loader
    return _doc(raw)


def _sents(t: str) -> list[str]:
    return [s.text for s in text.sentences(_doc(t))]


@pytest.fixture(scope="module")
def corpus():
    return {p.name[:3]: _file_doc(p) for p in sorted(CORPUS.glob("*.txt"))}


def test_offsets_exact_against_raw_file(corpus):
    for doc in corpus.values():
        for s in text.sentences(doc):
            assert doc.text[s.start:s.end] == s.text
            assert s.text == s.text.strip() and s.text
        for s, e, reason in doc.boilerplate:
            assert 0 <= s < e <= len(doc.text) and reason


@pytest.mark.parametrize("noise", [
    "Also read:", "Share this post", "Written by", "Olga Nesterova is a journalist", "ONEST Brief",
    "Screenshot from", "6 min read", "Connect On", "A journalist with a soft spot", "Rubik",
    "Motorola Edge", "Zepto co-founder", '" }',
])
def test_boilerplate_never_in_sentences(corpus, noise):
    for doc in corpus.values():
        for s in text.sentences(doc):
            assert noise not in s.text, (doc.source_id, s.text)


def test_boilerplate_regions_cover_the_noise(corpus):
    def covered(doc, needle):
        i = doc.text.index(needle)
        return any(s <= i < e for s, e, _ in doc.boilerplate)
    assert covered(corpus["001"], "Comments")
    assert covered(corpus["001"], "President Donald Trump meets NATO")      # teaser photo caption
    assert covered(corpus["002"], '" }')
    assert covered(corpus["003"], "Also read: Anthropic, OpenAI model restriction")
    assert covered(corpus["003"], "Vyom Ramani")
    # the article's own last sentences are content
    assert not covered(corpus["001"], "ONEST will be reporting from the United Nations")
    assert not covered(corpus["003"], "a self-inflicted wound")
    assert not covered(corpus["004"], "doesn’t destroy the track")


def test_fixture_boilerplate():
    doc = _file_doc(FIXTURES / "aurora_fine.txt")
    joined = " ".join(s.text for s in text.sentences(doc))
    assert "Ten phones" not in joined and "Jane Example" not in joined and "Share this" not in joined
    assert "Nordhaven Cloud, which hosts Aurora-3" in joined


def test_general_rules_on_other_pages():
    t = ("Lead paragraph of the story. It has two sentences.\n"
         "Read more: Something else entirely\n"
         "Related: Another link\n"
         "The story goes on here.\n"
         "A lab at dawn | Photo: Jane Roe/Getty Images\n"
         "},\n"
         "Final content sentence of a long enough article body to make the tail late.\n"
         "Share this article\n"
         "Teaser: Unrelated Headline About Sports\n"
         "By Someone Else 4 min read\n")
    got = _sents(t)
    assert got == ["Lead paragraph of the story.", "It has two sentences.", "The story goes on here.",
                   "Final content sentence of a long enough article body to make the tail late."]


@pytest.mark.parametrize("t, expected", [
    ("The U.S. Commerce Department acted. Then it stopped.",
     ["The U.S. Commerce Department acted.", "Then it stopped."]),
    ("Zhipu, which operates as Z.ai, released GLM-5.2 today. It is open.",
     ["Zhipu, which operates as Z.ai, released GLM-5.2 today.", "It is open."]),
    ("OpenAI shipped GPT-5.6 at 3.5 times the speed. Users noticed.",
     ["OpenAI shipped GPT-5.6 at 3.5 times the speed.", "Users noticed."]),
    ("It ranked No. 1 in the list. Dr. Jane Q. Public agreed.",
     ["It ranked No. 1 in the list.", "Dr. Jane Q. Public agreed."]),
    ("Mr. Smith of Acme Inc. said so. He left.",
     ["Mr. Smith of Acme Inc. said so.", "He left."]),
    ("“AI doesn’t need a Chernobyl moment.” Casper said it twice.",
     ["“AI doesn’t need a Chernobyl moment.”", "Casper said it twice."]),
    ("“It works,” she said. “But not always.”",
     ["“It works,” she said.", "“But not always.”"]),
    ("Growth was fast — very fast. Then it slowed.",
     ["Growth was fast — very fast.", "Then it slowed."]),
    ("Why now? Because the rules changed!", ["Why now?", "Because the rules changed!"]),
    ("It is used in the U.S. and Europe. Nobody objects.",
     ["It is used in the U.S. and Europe.", "Nobody objects."]),
    ("Different Approaches to AI\nChina has taken a different path.",
     ["Different Approaches to AI", "China has taken a different path."]),
    ("Steps are clear:\n- First step: do this.\n- Second step without a period\n1. Numbered item.",
     ["Steps are clear:", "First step: do this.", "Second step without a period", "Numbered item."]),
    ("The startup published a card for its\nmodel on Monday. It lists risks.",
     ["The startup published a card for its\nmodel on Monday.", "It lists risks."]),
])
def test_sentence_splitting(t, expected):
    assert _sents(t) == expected


def test_headings_flagged():
    assert text.is_heading("Different Approaches to AI")
    assert text.is_heading("Why Is U.S. AI Policy Creating a Crisis of Confidence?")
    assert not text.is_heading("That is a commercial and safety choice.")
    assert not text.is_heading("The next steps for the international community are clear:")
    assert not text.is_heading("The shift toward open-source models raises a critical question: which ones?")


def test_no_quadratic_blowup_on_long_lines():
    import time
    long_line = "x" * 2_000_000 + ". " + "a." * 500_000 + "\n" + "-" * 1_000_000
    t0 = time.perf_counter()
    d = _doc(long_line)
    text.sentences(d)
    assert time.perf_counter() - t0 < 5
