"""The per-document working set every extraction rule reads."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from policykg.loaders.gates import Gate, fold
from policykg.loaders.records import EntityRef, Mention, SourceDocument, Span


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
    _touched: dict[Gate, frozenset[int] | None] = field(init=False, repr=False, default_factory=dict)
    _folded: str | None = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        self.mentions.sort(key=lambda m: (m.span.start, -m.span.end))
        self._starts = [m.span.start for m in self.mentions]

    def may_contain(self, gate: Gate, sent: Span) -> bool:
        """Does ``sent`` contain one of the gate's words (so that its rule can match there)?"""
        if gate.always:
            return True
        if gate not in self._touched:
            self._touched[gate] = self._sentences_with(gate)
        touched = self._touched[gate]
        return touched is None or sent.start in touched

    def _sentences_with(self, gate: Gate) -> frozenset[int] | None:
        """Starts of the sentences holding a gate word (None: every sentence may)."""
        if self._folded is None:
            self._folded = fold(self.text) or ""
        if len(self._folded) != len(self.text):
            return None            # folding would shift offsets: let every sentence through
        starts = [s.start for s in self.sentences]
        out: set[int] = set()
        for s, e in gate.hits(self._folded):
            i = bisect_right(starts, s) - 1
            if i >= 0 and e <= self.sentences[i].end:
                out.add(starts[i])
        return frozenset(out)

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
