"""Boilerplate detection and sentence segmentation.

Boilerplate rules are line based and general (they describe how news pages are built, not
one article's wording):

* link lines: a line opening with "Also read:", "Read more:", "Related:", "See also:" ...
* widget lines: a line that is only "Share this post", "Comments", "Connect On :" ...
* photo credits and captions: lines with "| Screenshot from", "Photo:", "(Photo by", "Getty Images"
* read-time bylines: "By Jane Doe 6 min read"
* code residue: a line with no letters or digits but with JSON/markup characters (``" }``)
* author block: "Written by" / "About the author" plus the name and bio that follow, and a
  name-only line followed by a bio paragraph ("A journalist ...", "X is a reporter ...")
* the trailer: once a widget or author block starts in the last part of the document, the rest
  of the document (comment threads, teasers for other stories, their captions) is boilerplate.

Headings (short lines without final punctuation) stay in the text and become a sentence of
their own; :func:`is_heading` lets rule modules skip them when they read knowledge.

Sentences never cross a paragraph break. A line break inside a paragraph is a soft wrap when
the line ends without terminal punctuation and the next line starts in lower case.
"""
from __future__ import annotations

import re

from policykg.loaders.records import SourceDocument, Span

# --- boilerplate -------------------------------------------------------------------------------

_LINK_LINE = re.compile(
    r"(?:also read|read more|read also|related(?: articles?| stories| posts?| coverage)?|see also|"
    r"recommended(?: for you)?|must read|more from|further reading|don['’]t miss|you may also like|"
    r"trending|popular now|watch)\s*[:：|–—-]", re.I)
_WIDGET_LINE = re.compile(
    r"(?:share(?: this(?: post| article| story| page)?)?(?: on \w+)?|comments?(?: \(\d+\))?|"
    r"\d+ comments?|leave a (?:comment|reply)|connect on\s*:?|follow (?:us|me)(?: on \w+)?\s*:?|"
    r"subscribe(?: now| to our newsletter)?|sign up(?: for (?:our|the) newsletter)?|"
    r"advertisement|sponsored(?: content)?|tweet|print|email|copy link|"
    r"tags?\s*:.*|topics?\s*:.*|filed under\s*:?.*|listen to this article|"
    r"all rights reserved\.?|©.*|copyright .*)\s*[.:]?", re.I)
_AUTHOR_MARK = re.compile(r"(?:written by|about the author|about the authors|author)\s*:?\s*(?P<name>.*)", re.I)
_CAPTION = re.compile(
    r"\|\s*(?:screenshot|photo|image|picture|credit|source)\b|\b(?:photo|image|picture) (?:by|credit|courtesy)\b|"
    r"^\s*(?:photo|image|credit|caption)\s*:|\((?:photo|image)s?(?: by| credit)?[: ][^)]*\)\s*$|"
    r"\b(?:getty images|shutterstock|reuters/|ap photo|afp via)\b", re.I)
_READ_TIME = re.compile(r"\d+\s*(?:min(?:ute)?s?)(?: read)?\s*$|^\s*by\s+\S.{0,80}\b\d+\s*min(?:ute)?s? read\b", re.I)
_CODE_RESIDUE = re.compile(r"[{}\[\]<>\"`;\\]")
_HAS_WORD = re.compile(r"\w")
_BIO_CUE = re.compile(
    r"^(?:(?:[A-Z][\w'’.-]*\s+){1,3}(?:is|was|has been|writes|covers|reports)\b|[Aa]n?\s+(?:\w+[\s-]+){0,3}"
    r"(?:journalist|writer|reporter|editor|correspondent|columnist|author|analyst|contributor)\b)")
_NAME_LINE = re.compile(r"^[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}$")

# Trailer markers only end the article when they come in its last part.
_TRAILER_FRACTION = 0.5


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, end excluding the newline."""
    out = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        if nl == -1:
            out.append((pos, n))
            break
        out.append((pos, nl))
        pos = nl + 1
    return out


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def find_boilerplate(doc: SourceDocument) -> list[tuple[int, int, str]]:
    """Regions of the text that are not article content: ``(start, end, reason)``, sorted.

    Each region covers whole lines (without their final newline).
    """
    text = doc.text
    lines = [(s, e) for s, e in (_strip(text, a, b) for a, b in _lines(text)) if s < e]
    regions: list[tuple[int, int, str]] = []
    n = len(text)
    trailer_at: int | None = None
    i = 0
    while i < len(lines):
        s, e = lines[i]
        line = text[s:e]
        late = s >= n * _TRAILER_FRACTION
        if len(line) <= 300 and _LINK_LINE.match(line):
            regions.append((s, e, "link line"))
        elif len(line) <= 80 and _WIDGET_LINE.fullmatch(line):
            regions.append((s, e, "widget"))
            if late and trailer_at is None:
                trailer_at = s
        elif len(line) <= 80 and (m := _AUTHOR_MARK.fullmatch(line)) and (
                line.lower().startswith(("written by", "about the author")) or m.group("name") == ""):
            # The author block: the marker, the name and the bio paragraph that follows.
            end_i = i
            if not m.group("name") and end_i + 1 < len(lines) and len(text[slice(*lines[end_i + 1])]) <= 60:
                end_i += 1
            if end_i + 1 < len(lines) and _BIO_CUE.match(text[slice(*lines[end_i + 1])]):
                end_i += 1
            regions.append((s, lines[end_i][1], "author block"))
            if late and trailer_at is None:
                trailer_at = s
            i = end_i + 1
            continue
        elif (len(line) <= 60 and _NAME_LINE.match(line) and i + 1 < len(lines)
              and not line.endswith((".", "?", "!", ":"))
              and _BIO_CUE.match(text[slice(*lines[i + 1])]) and late):
            regions.append((s, lines[i + 1][1], "author bio"))
            if trailer_at is None:
                trailer_at = s
            i += 2
            continue
        elif len(line) <= 400 and _CAPTION.search(line):
            regions.append((s, e, "photo caption"))
        elif len(line) <= 200 and _READ_TIME.search(line):
            regions.append((s, e, "byline"))
        elif len(line) <= 200 and not _HAS_WORD.search(line) and _CODE_RESIDUE.search(line):
            regions.append((s, e, "code residue"))
        i += 1
    if trailer_at is not None:
        kept = [r for r in regions if r[1] <= trailer_at]
        last_end = lines[-1][1]
        kept.append((trailer_at, last_end, "trailer"))
        regions = kept
    return sorted(regions)


# --- sentences ---------------------------------------------------------------------------------

# Words that end with a period without ending the sentence (compared without the period).
_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof sr jr st mt gen sen rep gov lt col maj capt sgt adm cmdr supt insp pres
inc corp co ltd llc plc bros dept est approx vs etc al fig figs no nos vol vols pp art sec ch
jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
e.g i.e cf ca viz op ed eds rev hon ft ave blvd rd
""".split())
# Abbreviations after which a capitalised word still continues the sentence.
_TITLE_ABBREVIATIONS = frozenset("mr mrs ms dr prof sr st mt gen sen rep gov lt col maj capt sgt adm "
                                 "cmdr supt insp pres hon rev no nos vol art sec fig ch pp vs".split())
_TERMINAL = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_OPENERS = "\"'“‘([*•–—-"
_LAST_TOKEN = re.compile(r"(\S+)$")
_BULLET = re.compile(r"(?:[-*•–—]|\d{1,2}[.)])\s+")
_SENT_END = (".", "!", "?", "…", ":", ";", ".”", ".\"", "?”", "!”", ".’", ")")


def _is_boundary(text: str, pos: int, seg_start: int) -> bool:
    """Is the terminal punctuation ending at ``pos`` (exclusive) a sentence end?"""
    # Next non-space character must start a sentence.
    j = pos
    n = len(text)
    while j < n and text[j] in " \t\u00a0":
        j += 1
    if j >= n or text[j] == "\n":
        return True
    nxt = text[j]
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
        return False
    # The token that carries the period.
    k = pos
    while k > seg_start and text[k - 1] in "\"'”’)]":
        k -= 1
    if text[k - 1] != ".":
        return True          # ! ? … always end a sentence before a capital
    m = _LAST_TOKEN.search(text, max(seg_start, k - 40), k)
    token = m.group(1) if m else ""
    bare = token.rstrip(".").lstrip("\"'“‘([")
    low = bare.lower()
    if low in _TITLE_ABBREVIATIONS:
        return False
    if low in _ABBREVIATIONS:
        # "Inc." / "etc." end a sentence only when a new sentence clearly begins.
        return nxt in _OPENERS or _starts_sentence_word(text, j)
    if len(bare) == 1 and bare.isalpha() and bare.isupper():
        return False         # an initial: "John F. Kennedy"
    if "." in bare and all(len(p) <= 2 for p in bare.split(".")) and bare.replace(".", "").isalpha():
        # "U.S." / "U.K." / "a.m." -- continue when the next word is capitalised like a name
        # ("U.S. Commerce Department"); a clear sentence opener still ends it.
        return _starts_sentence_word(text, j)
    return True


_OPENER_WORDS = frozenset("""
The A An This That These Those It Its He She They We I You Our Their His Her But And Yet So Or
In On At As For If When While After Before Since Although Though However Meanwhile Still Now
Then There Here What Why How Who Which Where Many Some Most Such Officials Critics Supporters
""".split())


def _starts_sentence_word(text: str, j: int) -> bool:
    m = re.compile(r"[A-Za-z]+").match(text, j)
    return bool(m) and m.group(0) in _OPENER_WORDS


def is_heading(text: str) -> bool:
    """A short line that is a heading rather than a sentence: few words and no final period,
    or a title-cased question ("Why Is U.S. AI Policy Creating a Crisis?")."""
    t = text.strip()
    words = t.split()
    if not t or len(t) > 120 or len(words) > 16:
        return False
    if t.endswith((".", "!", ";", ",", ":", ".\u201d", ".\"", "\u2026")):
        return False
    if t.endswith(("?", "?\u201d")):
        caps = sum(1 for w in words if w[:1].isupper())
        return caps * 2 > len(words)
    return True


def _paragraph_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into segments that sentences may not cross."""
    segs: list[tuple[int, int]] = []
    cur_s = None
    cur_e = start
    for ls, le in _lines_in(text, start, end):
        s, e = _strip(text, ls, le)
        if s >= e:
            if cur_s is not None:
                segs.append((cur_s, cur_e))
                cur_s = None
            continue
        if cur_s is None:
            cur_s, cur_e = s, e
            continue
        prev_end = text[cur_e - 1]
        soft_wrap = prev_end not in ".!?:;…”\"’)" and text[s].islower()
        if soft_wrap:
            cur_e = e
        else:
            segs.append((cur_s, cur_e))
            cur_s, cur_e = s, e
    if cur_s is not None:
        segs.append((cur_s, cur_e))
    return segs


def _lines_in(text: str, start: int, end: int):
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        if nl == -1:
            yield pos, end
            return
        yield pos, nl
        pos = nl + 1


def _content_ranges(doc: SourceDocument, boilerplate: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for s, e, _ in sorted(boilerplate):
        if s > pos:
            out.append((pos, s))
        pos = max(pos, e)
    if pos < len(doc.text):
        out.append((pos, len(doc.text)))
    return out


def sentences(doc: SourceDocument) -> list[Span]:
    """Content sentences of the document, outside boilerplate, in order.

    A list bullet ("- ", "* ", "1. ") is not part of the sentence. A heading line is a sentence
    of its own. Uses ``doc.boilerplate`` (set by :func:`find_boilerplate` in the pipeline).
    """
    text = doc.text
    out: list[Span] = []
    for cs, ce in _content_ranges(doc, doc.boilerplate):
        for ps, pe in _paragraph_lines(text, cs, ce):
            if (b := _BULLET.match(text, ps, pe)) is not None:
                ps = b.end()
            s = ps
            for m in _TERMINAL.finditer(text, ps, pe):
                if _is_boundary(text, m.end(), s):
                    out.append(Span(s, m.end(), text[s:m.end()]))
                    s = m.end()
                    while s < pe and text[s].isspace():
                        s += 1
            if s < pe:
                out.append(Span(s, pe, text[s:pe]))
    return out
