"""Date and duration expressions: found as written, normalized only as far as the text and the
document's own date allow (xsd:date, gYearMonth, gYear, gMonthDay)."""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from policykg.loaders import cues as C
from policykg.loaders.gates import fold

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MON = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_Y = r"(?:19|20)\d{2}"
_DASH = r"\s*[–—-]\s*"


@dataclass(frozen=True)
class DateExpr:
    """A date expression as written. ``kind`` tells how to normalize it."""

    start: int
    end: int
    text: str
    kind: str                      # md | mdy | md-range | my | m | y | y-range | y-part | weekday | day-rel | month-rel | relative | within
    month: int | None = None
    day: int | None = None
    year: int | None = None
    weekday: int | None = None
    offset: int = 0                # days (day-rel, relative), months (month-rel)
    anchor: str | None = None      # for relative: the noun it is relative to ("shutdown"), or None for "later"
    amount_text: str | None = None  # "Eighteen days"


@dataclass(frozen=True)
class Normalized:
    value: str
    type: str                      # date | gYearMonth | gYear | gMonthDay
    basis: str


def _month(name: str) -> int:
    n = name.lower().rstrip(".")
    for i, m in enumerate(MONTHS):
        if m.startswith(n[:3]):
            return i + 1
    raise ValueError(name)


@lru_cache(maxsize=1)
def _number_words() -> dict[str, int]:
    return {str(k).lower(): int(v) for k, v in (C.patterns().raw.get("number_words") or {}).items()}


def _num(word: str) -> int | None:
    w = word.lower()
    if w.isdigit():
        return int(w)
    return _number_words().get(w)


@lru_cache(maxsize=1)
def _rx() -> list[tuple[str, re.Pattern[str]]]:
    nums = C.alternation(_number_words().keys())
    num = r"(?:\d+|" + nums + r")"
    unit = r"(?:days?|weeks?|months?|years?|hours?)"
    return [
        ("wd-md", re.compile(r"(?P<wd>" + _WD + r"),\s+(?P<mon>" + _MON + r")\s+(?P<d>\d{1,2})(?:,\s+(?P<y>" + _Y + r"))?(?![\d–—-])")),
        ("md-range", re.compile(r"(?P<mon>" + _MON + r")\s+(?P<d>\d{1,2})" + _DASH + r"(?P<d2>\d{1,2})(?:,\s+(?P<y>" + _Y + r"))?(?!\d)")),
        ("md", re.compile(r"(?P<mon>" + _MON + r")\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:,\s+(?P<y>" + _Y + r"))?(?![\d–-])")),
        ("dm", re.compile(r"(?<!\d)(?P<d>\d{1,2})\s+(?P<mon>" + _MON + r")(?:,?\s+(?P<y>" + _Y + r"))?")),
        ("my", re.compile(r"(?P<mon>" + _MON + r")\s+(?P<y>" + _Y + r")")),
        ("y-range", re.compile(r"(?<![\d.])(?P<y>" + _Y + r")" + _DASH + r"(?P<y2>" + _Y + r")(?![\d.])")),
        ("y-part", re.compile(r"(?<![\w-])(?P<q>[Ee]arly|[Mm]id|[Ll]ate)[- ](?P<y>" + _Y + r")(?!\d)")),
        ("relative", re.compile(
            r"(?<![\w-])(?i:(?P<q>about|around|roughly|just|only|nearly|almost|some|more\s+than|less\s+than)\s+)?"
            r"(?<![\w-])(?P<n>(?i:" + num + r"))\s+(?P<unit>(?i:" + unit + r"))\s+(?P<dir>(?i:after|before|later|earlier))"
            r"(?:\s+(?P<anchor>(?i:the|its|this|that)\s+[\w-]+))?")),
        ("within", re.compile(r"(?i:(?<![\w-])(?:within|in)\s+(?:(?P<n>a|an|one|\d+)\s+)?(?P<unit>hours?|days?|a\s+day)\b|\balmost\s+immediately\b)")),
        ("m", re.compile(r"(?:^|(?<=\n)|(?<![\w-])(?i:in|since|until|by|early|late)\s+)"
                         r"(?P<x>(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December))(?![\w-])", re.M)),
        ("m-any", re.compile(r"(?P<mon>January|February|March|April|June|July|August|September|October|November|December)(?![\w-])")),
        ("y", re.compile(r"(?<![\w-])(?:[Ii]n|of|[Bb]y|[Ss]ince|[Dd]uring|[Uu]ntil)\s+(?P<x>(?P<y>" + _Y + r"))(?![\d–-])")),
        ("weekday", re.compile(r"\b(?:(?P<pre>[Oo]n|[Ll]ate|[Ee]arly|[Ll]ast|[Tt]his|[Pp]revious)\s+)?(?P<wd>" + _WD + r")(?:\s+(?:morning|afternoon|evening|night))?")),
        ("day-rel", re.compile(r"(?i:(?<![\w-])(?P<w>yesterday|today|tomorrow)(?![\w-]))")),
        ("month-rel", re.compile(r"(?i:(?<![\w-])(?:(?:earlier|later)\s+)?(?P<w>last|this|next)\s+month(?![\w-]))")),
    ]


_MONTH_KEYS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAY_KEYS = tuple(WEEKDAYS)


@dataclass(frozen=True)
class _Scope:
    """Where a date pattern can match, so that it runs only on small stretches of the text.

    Every match contains one of ``keys`` (lower case) and none of the ``barrier`` characters, and
    the pattern's lookaheads accept a barrier character as they accept the end of the text. Then
    the matches in the whole text are the matches inside the barrier-free stretches that hold a
    key: a failed attempt at every position of a 5,000-character article is what costs.
    """

    keys: tuple[str, ...]
    barrier: re.Pattern[str]


# Barriers are punctuation that no match contains; '.' and ',' only where a pattern cannot hold
# them ("Sept. 4, 2025") and its lookahead treats them like the end ("2024-2025." is no range).
_PUNCT = re.compile(r'[.,;:!?“”"()\[\]]')
_SCOPES: dict[str, _Scope] = {
    "dm": _Scope(_MONTH_KEYS, re.compile(r'[;:!?“”"()\[\]]')),
    "y-range": _Scope(("-", "–", "—"), re.compile(r'[,;:!?“”"()\[\]]')),
    "y-part": _Scope(("early", "mid", "late"), _PUNCT),
    "relative": _Scope(("after", "before", "later", "earlier"), _PUNCT),
    "within": _Scope(("hour", "day", "immediately"), _PUNCT),
    "m": _Scope(tuple(MONTHS), _PUNCT),
    "y": _Scope(("19", "20"), _PUNCT),
    "weekday": _Scope(_WEEKDAY_KEYS, _PUNCT),
    "day-rel": _Scope(("yesterday", "today", "tomorrow"), _PUNCT),
    "month-rel": _Scope(("month",), _PUNCT),
}


def _stretches(scope: _Scope, text: str, folded: str, start: int, end: int,
               barriers: dict[re.Pattern[str], list[int]]) -> list[tuple[int, int]]:
    """The barrier-free stretches of ``text[start:end]`` that hold a key, in order, disjoint."""
    marks = barriers.get(scope.barrier)
    if marks is None:
        marks = barriers[scope.barrier] = [m.start() for m in scope.barrier.finditer(text, start, end)]
    found: set[tuple[int, int]] = set()
    for key in scope.keys:
        pos = folded.find(key, start, end)
        while pos != -1:
            i = bisect_left(marks, pos)
            lo = marks[i - 1] + 1 if i else start
            hi = marks[i] if i < len(marks) else end
            if pos + len(key) <= hi:
                found.add((lo, hi))
            pos = folded.find(key, hi, end)
    return sorted(found)


def _matches(kind: str, rx: re.Pattern[str], text: str, folded: str | None, start: int, end: int,
             barriers: dict[re.Pattern[str], list[int]]):
    """``rx.finditer(text, start, end)``, run only where ``_SCOPES`` says a match can be."""
    scope = _SCOPES.get(kind)
    if scope is None or folded is None:
        yield from rx.finditer(text, start, end)
        return
    for lo, hi in _stretches(scope, text, folded, start, end, barriers):
        yield from rx.finditer(text, lo, hi)


def find_dates(text: str, start: int, end: int) -> list[DateExpr]:
    """Date expressions in ``text[start:end]``, longest first where they overlap, in text order."""
    taken: list[tuple[int, int]] = []
    found: list[DateExpr] = []
    folded = fold(text)
    barriers: dict[re.Pattern[str], list[int]] = {}
    for kind, rx in _rx():
        for m in _matches(kind, rx, text, folded, start, end, barriers):
            s, e = m.span("x") if "x" in rx.groupindex else m.span()
            if any(a < e and s < b for a, b in taken):
                continue
            expr = _build(kind, m, text)
            if expr is None:
                continue
            taken.append((s, e))
            found.append(expr)
    return sorted(found, key=lambda d: d.start)


def _build(kind: str, m: re.Match, text: str) -> DateExpr | None:
    g = m.groupdict()
    s, e = m.span("x") if "x" in g else m.span()
    y = int(g["y"]) if g.get("y") else None
    if kind in ("wd-md", "md", "dm"):
        return DateExpr(s, e, m.group(0), "mdy" if y else "md", month=_month(g["mon"]), day=int(g["d"]), year=y)
    if kind == "md-range":
        return DateExpr(s, e, m.group(0), "md-range", month=_month(g["mon"]), day=int(g["d"]), year=y)
    if kind == "my":
        return DateExpr(s, e, m.group(0), "my", month=_month(g["mon"]), year=y)
    if kind == "y-range":
        return DateExpr(s, e, m.group(0), "y-range", year=y)
    if kind == "y-part":
        return DateExpr(s, e, m.group(0), "y-part", year=y)
    if kind in ("m", "m-any"):
        return DateExpr(s, e, text[s:e], "m", month=_month(g["mon"]))
    if kind == "y":
        return DateExpr(s, e, text[s:e], "y", year=y)
    if kind == "weekday":
        return DateExpr(s, e, m.group(0), "weekday", weekday=WEEKDAYS.index(g["wd"].lower()))
    if kind == "day-rel":
        return DateExpr(s, e, m.group(0), "day-rel", offset={"yesterday": -1, "today": 0, "tomorrow": 1}[g["w"].lower()])
    if kind == "month-rel":
        return DateExpr(s, e, m.group(0), "month-rel", offset={"last": -1, "this": 0, "next": 1}[g["w"].lower()])
    if kind == "relative":
        n = _num(g["n"])
        if n is None:
            return None
        unit = g["unit"].lower().rstrip("s")
        if unit == "hour":
            days = 0
        else:
            days = n * {"day": 1, "week": 7, "month": 30, "year": 365}[unit]
        if g["dir"].lower() in ("before", "earlier"):
            days = -days
        anchor = g["anchor"].split()[-1].lower() if g.get("anchor") else None
        amount = text[m.start("n"):m.end("unit")]
        return DateExpr(s, e, m.group(0), "relative", offset=days, anchor=anchor, amount_text=amount)
    if kind == "within":
        unit = (g.get("unit") or "hours").lower()
        return DateExpr(s, e, m.group(0), "within", offset=0 if unit.startswith("hour") or "immediately" in m.group(0).lower() else 1)
    return None


def normalize(expr: DateExpr, doc_date: str | None) -> Normalized | None:
    """The xsd value of an expression, from the text alone or with the document's date."""
    ref = _parse_iso(doc_date)
    if expr.kind == "mdy":
        return Normalized(f"{expr.year:04d}-{expr.month:02d}-{expr.day:02d}", "date", "explicit")
    if expr.kind in ("md", "md-range"):
        basis = "explicit" if expr.kind == "md" else "range-start"
        if expr.year:
            return Normalized(f"{expr.year:04d}-{expr.month:02d}-{expr.day:02d}", "date", basis)
        if ref:
            return Normalized(f"{ref.year:04d}-{expr.month:02d}-{expr.day:02d}", "date", "document-date")
        return Normalized(f"--{expr.month:02d}-{expr.day:02d}", "gMonthDay", basis)
    if expr.kind == "my":
        return Normalized(f"{expr.year:04d}-{expr.month:02d}", "gYearMonth", "explicit")
    if expr.kind == "m":
        if ref:
            year = ref.year if expr.month <= ref.month else ref.year - 1
            return Normalized(f"{year:04d}-{expr.month:02d}", "gYearMonth", "document-date")
        return None
    if expr.kind in ("y", "y-part"):
        return Normalized(f"{expr.year:04d}", "gYear", "explicit")
    if expr.kind == "y-range":
        return Normalized(f"{expr.year:04d}", "gYear", "range-start")
    if expr.kind == "weekday" and ref:
        back = (ref.weekday() - expr.weekday) % 7
        return Normalized((ref - dt.timedelta(days=back)).isoformat(), "date", "weekday-before-document-date")
    if expr.kind == "day-rel" and ref:
        return Normalized((ref + dt.timedelta(days=expr.offset)).isoformat(), "date", "document-date")
    if expr.kind == "month-rel" and ref:
        month = ref.month + expr.offset
        year = ref.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        return Normalized(f"{year:04d}-{month:02d}", "gYearMonth", "document-date")
    return None


def shift(value: Normalized, days: int) -> Normalized | None:
    """A normalized day moved by ``days`` (for dates relative to another event)."""
    if value.type == "date":
        d = dt.date.fromisoformat(value.value) + dt.timedelta(days=days)
        return Normalized(d.isoformat(), "date", "relative-to-event")
    if value.type == "gMonthDay":
        # no year known: count in a non-leap year, which is right unless February 29 is crossed
        d = dt.date(2001, int(value.value[2:4]), int(value.value[5:7])) + dt.timedelta(days=days)
        return Normalized(f"--{d.month:02d}-{d.day:02d}", "gMonthDay", "relative-to-event")
    return None


def _parse_iso(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _duration_rx() -> re.Pattern[str]:
    nums = C.alternation(_number_words().keys())
    return re.compile(
        r"(?P<text>(?P<n>\d+|(?i:" + nums + r"))-(?P<unit>(?i:day|week|month|year|hour)))(?:-long)?\s+"
        r"(?P<noun>[\w-]+)")


_UNIT_HYPHEN = re.compile(r"-(?=(?i:day|week|month|year|hour))")


def _duration_matches(text: str, start: int, end: int):
    """``_duration_rx().finditer(text, start, end)``, trying only where a match can start.

    Every match is a number (digits or a number word) right before '-<unit>', so the candidate
    starts are the start of the digit run before each '-<unit>' and the number-word lengths
    before it. Trying them in order, each from the end of the previous match, gives exactly the
    finditer matches while skipping the O(n) failed attempts per position (O(n^2) on a long run
    of digits).
    """
    rx = _duration_rx()
    lengths = sorted({len(w) for w in _number_words()})
    nxt = start
    for h in _UNIT_HYPHEN.finditer(text, start, end):
        hp = h.start()
        q = hp
        while q > nxt and text[q - 1].isdigit():
            q -= 1
        cands = sorted({q, *(hp - n for n in lengths)})
        for p in cands:
            if p < nxt or p >= hp:
                continue
            m = rx.match(text, p, end)
            if m:
                yield m
                nxt = m.end()
                break


def find_durations(text: str, start: int, end: int) -> list[tuple[int, int, str, str, str]]:
    """'a two-week shutdown' -> (start, end, 'two-week', 'P14D', 'shutdown')."""
    out = []
    for m in _duration_matches(text, start, end):
        n = _num(m.group("n"))
        if n is None:
            continue
        unit = m.group("unit").lower()
        value = {"day": f"P{n}D", "week": f"P{n * 7}D", "month": f"P{n}M", "year": f"P{n}Y", "hour": f"PT{n}H"}[unit]
        out.append((m.start(), m.end(), m.group("text"), value, m.group("noun").lower()))
    return out


def relative_duration(expr: DateExpr) -> str | None:
    """The xsd:duration between an anchor event and an event dated 'N days after' it."""
    if expr.kind != "relative" or expr.offset <= 0:
        return None
    return f"P{expr.offset}D"
