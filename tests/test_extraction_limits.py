"""Extraction stays near-linear on hostile input: no rule may go quadratic on a huge line.

Generous time limits (signal.alarm) catch an O(n^2) pattern, which would take hours here (today
5 MB of punctuated junk takes ~100 s, a 2 MB run of "Anthropic said" ~30 s: not quadratic, but slow);
they are not performance assertions.
"""
from __future__ import annotations

import random
import signal

import pytest

from policykg.loaders.pipeline import extract
from policykg.loaders.records import SourceDocument

LIMIT_S = 150


def _extract_within(text: str, seconds: int = LIMIT_S):
    def _timeout(signum, frame):
        raise TimeoutError(f"extraction of {len(text)} characters took over {seconds} s")
    old = signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(seconds)
    try:
        return extract(SourceDocument(source_id="huge.txt", text=text, sha256="0", format="txt"))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


_LINES = {
    "letters": lambda: "a" * 5_000_000,
    "digits": lambda: "1" * 5_000_000,
    "punctuation": lambda: "".join(random.Random(7).choices("abcXYZ019-.,'’“”\"", k=5_000_000)),
}


@pytest.mark.parametrize("name", sorted(_LINES))
def test_five_megabyte_line_without_spaces(name):
    x = _extract_within(_LINES[name]())
    assert all(x.document.text[m.span.start:m.span.end] == m.span.text for m in x.mentions)


@pytest.mark.parametrize("word", ["word", "said", "Anthropic said"])
def test_two_megabytes_of_one_repeated_word(word):
    text = (word + " ") * (2_000_000 // (len(word) + 1))
    x = _extract_within(text)
    assert all(x.document.text[c.quote.start:c.quote.end] == c.quote.text for c in x.claims)
