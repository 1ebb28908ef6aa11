"""The per-document working set every extraction rule reads."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

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

    def __post_init__(self) -> None:
        self.mentions.sort(key=lambda m: (m.span.start, -m.span.end))
        self._starts = [m.span.start for m in self.mentions]

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
