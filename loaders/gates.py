"""Keyword gates: which stretches of a document can match a rule at all, from one pass over it.

Most sentences contain none of a rule's cue words, yet a case-insensitive regex alternation costs
a failed attempt at every position of every sentence. A gate lists words that every match of a
rule contains; one Aho-Corasick pass over the case-folded document finds where they are
(``TextContext.may_contain``), and the rule runs only on sentences holding one. A gate only
skips work, it never changes a match: a gate word must be in every match (a superset is fine).
"""
from __future__ import annotations

import re
from typing import Iterable

import ahocorasick

_META = re.compile(r"[\\.^$*+?{}\[\]|()]")
_OPTIONAL_GROUP = re.compile(r"\(\?:[^()]*\)\?\??")


def literals(pattern: str) -> list[str]:
    """For each top-level branch of ``pattern``, literal text that every match of it contains:
    what follows its leading optional groups, up to the first regex syntax (a character made
    optional by a quantifier is left out). Empty when a branch has none."""
    return [_branch_literal(b) for b in _branches(pattern)]


def _branches(pattern: str) -> list[str]:
    out, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1
        elif c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*out, pattern[start:]]


def _branch_literal(branch: str) -> str:
    while (g := _OPTIONAL_GROUP.match(branch)) is not None:
        branch = branch[g.end():]
    m = _META.search(branch)
    if m is None:
        return branch
    return branch[:m.start() - 1] if branch[m.start()] in "?*{" else branch[:m.start()]


def cue_words(phrases: Iterable[str]) -> list[str]:
    """The longest word of each cue phrase (cue lists match their words joined by any whitespace,
    so every word of a phrase is in its match; the longest is the rarest, roughly)."""
    return [max(str(p).split(), key=len) for p in phrases if str(p).split()]


# Non-ASCII characters that ``re.I`` matches to an ASCII letter, mapped to that letter, so that
# folding keeps every case-insensitive match of an ASCII word. Derived once (it depends only on
# Unicode) by matching each ASCII letter with re.I against every code point above 127.
_FOLD_CHARS = "\u0130\u0131\u212a\u017f"  # İ ı KELVIN SIGN ſ
_FOLD = str.maketrans(dict.fromkeys(map(ord, "\u0130\u0131"), "i") | {0x212A: "k", 0x017F: "s"})


def fold(text: str) -> str | None:
    """``text`` lower-cased the way ``re.I`` compares it, offset for offset (None when lower-casing
    would change the length, as it does for a few rare letters)."""
    if any(c in text for c in _FOLD_CHARS):
        text = text.translate(_FOLD)          # slow, and these letters are rare
    folded = text.lower()
    return folded if len(folded) == len(text) else None


class Gate:
    """A rule's necessary words (ASCII, matched case-insensitively).

    With ``whole_words`` the rule only matches them as whole words (its regex puts ``(?<![\\w-])``
    before and ``(?![\\w-])`` after each, or whitespace), so a hit inside a longer word is no hit.
    """

    def __init__(self, words: Iterable[str], whole_words: bool = False):
        words = sorted({w.lower() for w in words})
        self.always = not words or "" in words
        self.whole_words = whole_words
        self._automaton = ahocorasick.Automaton()
        for w in words:
            if w:
                self._automaton.add_word(w, len(w))
        if not self.always:
            self._automaton.make_automaton()

    def hits(self, folded: str) -> list[tuple[int, int]]:
        """``(start, end)`` of every occurrence of a word in the folded text, by end."""
        return [(end + 1 - n, end + 1) for end, n in self._automaton.iter(folded)]
