"""The per-document working set every extraction rule reads."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from policykg.loaders.gates import Gate, fold
from policykg.loaders.records import EntityRef, Mention, SourceDocument, Span


def _word_char(c: str) -> bool:
    """A character of ``[\\w-]`` (what the cue regexes' lookarounds reject next to a cue)."""
    return c.isalnum() or c in "_-"


@dataclass
class TextContext:
    """A document with its content sentences and resolved entity mentions.

    ``sentences`` are content sentences only (boilerplate removed), in text order.
    ``mentions`` are sorted by start offset.
    """

    document: SourceDocument
    sentences: list[Span]
    entities: dict[str, EntityRef]
    mentions: list[Mention]
    _starts: list[int] = field(init=False, repr=False)
    # gate -> where its words are in the text (see may_contain)
    _hits: dict[Gate, tuple[list[int], list[int], list[bool]] | None] = field(
        init=False, repr=False, default_factory=dict)
    _folded: str | None = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        self.mentions.sort(key=lambda m: (m.span.start, -m.span.end))
        self._starts = [m.span.start for m in self.mentions]

    def may_contain(self, gate: Gate, start: int, end: int) -> bool:
        """Does ``text[start:end]`` hold one of the gate's words (so that its rule can match there)?"""
        if gate.always:
            return True
        if gate not in self._hits:
            self._hits[gate] = self._gate_hits(gate)
        hits = self._hits[gate]
        if hits is None:
            return True
        starts, ends, closed = hits
        i = bisect_left(starts, start)
        while i < len(starts) and starts[i] < end:
            # A word running on past the range's end is cut there, which a rule sees as a word end.
            if ends[i] < end and closed[i] or ends[i] == end:
                return True
            i += 1
        return False

    def _gate_hits(self, gate: Gate) -> tuple[list[int], list[int], list[bool]] | None:
        """Starts and ends of the gate's words in the text by start, and whether each is followed
        by a word boundary (None: assume the words are everywhere)."""
        if self._folded is None:
            self._folded = fold(self.text) or ""
        if len(self._folded) != len(self.text):
            return None            # folding would shift offsets: let every range through
        t = self.text
        hits = sorted(gate.hits(self._folded))
        if gate.whole_words:
            # (a rule reading a sentence on its own sees a word start at the sentence start)
            firsts = {x.start for x in self.sentences}
            hits = [(s, e) for s, e in hits if s == 0 or not _word_char(t[s - 1]) or s in firsts]
        closed = [not gate.whole_words or e == len(t) or not _word_char(t[e]) for _, e in hits]
        return [s for s, _ in hits], [e for _, e in hits], closed

    @property
    def text(self) -> str:
        return self.document.text

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Mentions lying wholly inside ``[start, end)``, in text order."""
        lo = bisect_left(self._starts, start)
        hi = bisect_right(self._starts, end)
        return [m for m in self.mentions[lo:hi] if m.span.end <= end]

    def span(self, start: int, end: int) -> Span:
        """A Span over ``text[start:end]`` (offsets checked)."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}:{end} outside text of {len(self.text)}")
        return Span(start, end, self.text[start:end])
