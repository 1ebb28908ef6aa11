"""Attributed claims: reported speech, direct quotations, 'according to', unnamed sources, and
the article's own checkable assertions (comparisons and their hedges or denials).

A claim's speaker is found by grammar, not by wording: the noun phrase or mention that ends right
before a reporting verb (allowing adverbs, auxiliaries and an apposition in between), the source
after 'according to', the subject of a participle ('..., saying ...'), or the attribution nearest
to a quotation (after it, before it, or in the adjacent sentence when a quote continues).
Pronouns ('he'), anaphors ('the company') and bare surnames resolve only when unambiguous.
"""
from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass
from functools import lru_cache

from policykg.loaders import cues as C
from policykg.loaders import relations
from policykg.loaders.context import TextContext
from policykg.loaders.records import Claim, Mention, Span

_RULE_ORDER = {"quote": 0, "speech": 1, "according": 2, "participle": 3, "article": 4}


@lru_cache(maxsize=1)
def _rx() -> dict[str, re.Pattern[str]]:
    P = C.patterns()
    A = C.alternation
    speech = A(P.words("speech_verbs"))
    that = A(P.words("that_verbs"))
    return {
        "speech": re.compile(r"(?<![\w-])(?:" + speech + r")(?![\w-])", re.I),
        "that_verb": re.compile(r"(?<![\w-])(?:" + that + r")(?![\w-])", re.I),
        "speech_only": re.compile(r"^(?:" + speech + r")$", re.I),
        "that_after": re.compile(r"\s+(?:(?:[\w’'-]+\s+){0,4}?)that\b|\s+(?:it|he|she|they|we|there|i)\b", re.I),
        "warn_of": re.compile(r"\s+(?:of|about)\b", re.I),
        "according": re.compile(r"(?<![\w-])(?:" + A(P.words("according_cues")) + r")\s+", re.I),
        "participle": re.compile(r",\s+(?P<cue>" + A(P.words("participle_cues")) + r")\s+(?:that\s+)?", re.I),
        "gap_word": re.compile(r"(?:" + A(P.words("cue_gap_words")) + r")$", re.I),
        "in_words": re.compile(r"\b[Ii]n\s+(?P<pron>his|her|their)\s+(?:own\s+)?words\s*,?\s*", re.I),
        "statement_colon": re.compile(
            r"(?P<who>\b(?:[Hh]is|[Hh]er|[Tt]heir|[\w.-]+['’]s?))\s+(?P<cue>statement|words|message|response|remarks?|reply|answer)"
            r"\b[^“\"”]{0,50}:\s*$"),
        "stance": re.compile(r"(?<![\w-])(?:" + A((P.raw.get("stance_cues") or {}).keys()) + r")(?![\w-])", re.I),
        "anaphor_comparison": re.compile(r"\b(?:the|this|that|such)\s+(?:comparison|claims?|finding|assessment|result)s?\b", re.I),
        "pp_split": re.compile(r"\s(?:at|from|in|of|on|with|close\s+to|who|that|released|published|familiar)\s", re.I),
    }


# How far back the "…$"-anchored speaker patterns look: a speaker phrase is at most 12 tokens
# (_tokens_before), a pronoun or a gap word one token. Bounding the search keeps each cue O(window)
# instead of O(sentence).
_TOKEN_WINDOW = 120
_MAX_CUES_PER_SENTENCE = 12
_NP_WINDOW = 400
_PRONOUN_BEFORE = re.compile(r"\b(he|she|He|She|it|It|they|They)\s*$")
_QUOTE_CLOSE_BEFORE = re.compile(r"[”\"],?\s*$")
_LEADING_ADVERBIAL = re.compile(r"(?:[^,]{0,40},\s+)?")


def _is_token_char(c: str) -> bool:
    return c.isalnum() or c in "_’'.&-"


def _tokens_before(text: str, lo: int, end: int, most: int) -> tuple[int, int] | None:
    """``(start, stop)`` of the last tokens (runs of ``[\\w’'.&-]``, at most ``most`` of them,
    apart only by whitespace) that end ``text[lo:end]`` but for trailing whitespace: what
    ``(?:T+\\s+){0,most-1}?T+\\s*$`` finds searching there, walked backwards instead of tried
    at every position of the window."""
    stop = end
    while stop > lo and text[stop - 1].isspace():
        stop -= 1
    if stop == lo or not _is_token_char(text[stop - 1]):
        return None
    i = stop
    for n in range(1, most + 1):
        while i > lo and _is_token_char(text[i - 1]):
            i -= 1
        j = i
        while j > lo and text[j - 1].isspace():
            j -= 1
        if n == most or j == i or j == lo or not _is_token_char(text[j - 1]):
            break
        i = j
    return i, stop


@lru_cache(maxsize=None)
def _phrase_before(phrase: str) -> re.Pattern[str]:
    return re.compile(r"\b" + re.escape(phrase) + r"\s*$", re.I)


@dataclass
class _Speaker:
    start: int
    end: int
    key: str | None


# ---------------------------------------------------------------- entry point
def extract_claims(ctx: TextContext) -> list[Claim]:
    """Claims made by identifiable sources in the document."""
    analysis = relations.analyse(ctx)
    quotes = _quote_spans(ctx)
    found: list[tuple[int, Claim]] = []
    per_sentence = [(s, C.sentence_mentions(ctx, s)) for s in ctx.sentences]
    for sent, ms in per_sentence:
        found += _reported_speech(ctx, sent, ms, quotes)
        found += _according(ctx, sent, ms)
        found += _participles(ctx, sent, ms, found)
    found += _direct_quotes(ctx, quotes, found)
    covered = [(c.quote.start, c.quote.end) for _, c in found]
    for sent, ms in per_sentence:
        found += _article(ctx, sent, ms, covered)
    return _finish(ctx, found, analysis)


def _finish(ctx: TextContext, found: list[tuple[int, Claim]], analysis) -> list[Claim]:
    """Propositions, stance and 'about'; one claim per quote span; text order."""
    best: dict[tuple[int, int], tuple[int, Claim]] = {}
    for prio, claim in found:
        k = (claim.quote.start, claim.quote.end)
        if k not in best or prio < best[k][0]:
            best[k] = (prio, claim)
    claims = sorted((c for _, c in best.values()), key=lambda c: (c.quote.start, c.quote.end))
    last_comparison: tuple[int, tuple[str, str, str]] | None = None
    for claim in claims:
        _stance(ctx, claim, last_comparison)
        if claim.proposition and claim.proposition[1] == "comparedWith" and claim.polarity == "affirms":
            last_comparison = (claim.quote.start, claim.proposition)
        about = {m.entity for m in ctx.mentions_in(claim.quote.start, claim.quote.end) if m.entity in ctx.entities}
        if claim.proposition:
            about |= {claim.proposition[0], claim.proposition[2]}
        about.discard(claim.speaker or "")
        claim.about = sorted(about)
    return _unique(ctx, claims)


# Share of the shorter quote two claims must have in common to be one claim told twice.
_SAME_CLAIM_OVERLAP = 0.6


def _unique(ctx: TextContext, claims: list[Claim]) -> list[Claim]:
    """One claim per assertion: when two rules read (nearly) the same words with the same speaker,
    or one of them found no speaker, keep the best reading and give it both 'about' lists.

    Best = the more specific speaker, then a proposition, then more 'about' entities, then the
    earlier rule in ``_RULE_ORDER``. Claims with different speakers stay apart ('X reported that,
    according to Y, ...' is two sources).
    """
    def rank(c: Claim) -> tuple:
        ref = ctx.entities.get(c.speaker) if c.speaker else None
        specific = 0 if ref is None else 1 if ref.type == "UnnamedSource" else 2
        rule = _RULE_ORDER.get(c.rule.split(".", 1)[1].split("-", 1)[0], len(_RULE_ORDER))
        return (-specific, c.proposition is None, -len(c.about), rule,
                c.quote.start, -c.quote.end, c.rule)

    kept: list[Claim] = []
    # Twins overlap, so only kept claims starting less than the longest kept quote before this
    # one can be its twin: (quote start, index in kept), sorted, keeps the search local.
    by_start: list[tuple[int, int]] = []
    longest = 0
    for c in sorted(claims, key=rank):
        lo = bisect_left(by_start, (c.quote.start - longest, -1))
        hi = bisect_left(by_start, (c.quote.end, -1))
        twins = [i for _, i in by_start[lo:hi] if _same_claim(kept[i], c)]
        if twins:
            twin = kept[min(twins)]          # the first kept, as a scan of ``kept`` would find
            twin.about = sorted((set(twin.about) | set(c.about)) - {twin.speaker or ""})
        else:
            insort(by_start, (c.quote.start, len(kept)))
            kept.append(c)
            longest = max(longest, c.quote.end - c.quote.start)
    return sorted(kept, key=lambda c: (c.quote.start, c.quote.end))


def _same_claim(a: Claim, b: Claim) -> bool:
    """Overlapping quotes (most of the shorter one) from the same speaker, or where one has none."""
    if a.speaker and b.speaker and a.speaker != b.speaker:
        return False
    overlap = min(a.quote.end, b.quote.end) - max(a.quote.start, b.quote.start)
    shorter = min(a.quote.end - a.quote.start, b.quote.end - b.quote.start)
    return overlap > 0 and overlap >= _SAME_CLAIM_OVERLAP * shorter


# ---------------------------------------------------------------- stance and propositions
def _stance(ctx: TextContext, claim: Claim, last: tuple[int, tuple[str, str, str]] | None) -> None:
    span = claim.quote
    sent = _sentence_of(ctx, span.start)
    ms = C.sentence_mentions(ctx, sent) if sent else []
    stance = None
    for m in _rx()["stance"].finditer(ctx.text, span.start, span.end):
        stance = (C.patterns().raw["stance_cues"][_norm_cue(m.group(0))], m)
        break
    groups = (C.ARTIFACT_TYPES, frozenset({"Country"}), frozenset({"Company", "ResearchInstitution"}))
    comp = None
    if sent:
        for types in groups:
            found = relations.comparisons(ctx, sent, ms, span.start, span.end, types)
            if found:
                comp = found[0]
                break
    if comp:
        a, b, _m, negated = comp
        claim.proposition = (a, "comparedWith", b)
        claim.polarity = "denies" if negated else "affirms"
        if stance:
            claim.polarity = stance[0]
        return
    if stance:
        claim.polarity = stance[0]
        # "the comparison may be overstated": bears on the comparison just reported.
        if last and _rx()["anaphor_comparison"].search(ctx.text, span.start, span.end) \
                and span.start - last[0] < 1500:
            claim.proposition = last[1]


def _norm_cue(text: str) -> str:
    t = re.sub(r"\s+", " ", text.lower()).replace("’", "'")
    cues = C.patterns().raw.get("stance_cues") or {}
    return t if t in cues else next((k for k in cues if k.lower() == t), t)


def _sentence_of(ctx: TextContext, pos: int) -> Span | None:
    if not ctx.sentences:
        return None
    s = ctx.sentences[C.sentence_index(ctx, pos)]
    return s if s.start <= pos < s.end else None


# ---------------------------------------------------------------- speakers
def _speaker_before(ctx: TextContext, sent: Span, ms: list[Mention], pos: int) -> tuple[_Speaker, str] | None:
    """The speaker whose phrase ends right before ``pos`` (a reporting verb), and auxiliaries
    that belong to the cue ('have' in 'have said')."""
    text = ctx.text
    rx = _rx()
    p = pos
    aux = ""
    # skip adverbs and auxiliaries: "recently", "have", "itself", "over the weekend"
    for _ in range(6):
        # a token right before p; the window only bounds the work on a line without spaces
        tok = _tokens_before(text, max(sent.start, p - _TOKEN_WINDOW), p, 1)
        word = text[tok[0]:tok[1]] if tok else ""
        if not tok or not rx["gap_word"].fullmatch(word):
            break
        if word.lower() in C.wordset("cue_auxiliaries") and not aux and p == pos:
            aux = word
        p = tok[0]
    end = p
    while end > sent.start and text[end - 1].isspace():
        end -= 1
    # an apposition: "Stephen Casper, a computer scientist at MIT, argues"
    if end > sent.start and text[end - 1] == ",":
        comma = text.rfind(",", sent.start, end - 1)
        if comma > sent.start:
            inner = text[comma + 1:end - 1]
            if not rx["speech"].search(inner) and len(inner) < 140:
                sp = _mention_ending(ctx, ms, comma)
                if sp:
                    return sp, aux
        return None
    sp = _mention_ending(ctx, ms, end)
    if sp:
        return sp, aux
    sp = _pronoun_or_anaphor(ctx, sent, end)
    if sp:
        return sp, aux
    sp = _noun_phrase(ctx, sent, ms, end)
    if sp:
        return sp, aux
    return None


_SPEAKER_TYPES = C.AGENT_TYPES | {"Country"}


def _mention_ending(ctx: TextContext, ms: list[Mention], end: int) -> _Speaker | None:
    """A speaker mention ending at ``end`` (with a coordinated one before it: 'Anthropic and OpenAI')."""
    for k, x in enumerate(ms):
        if x.span.end == end and C.etype(ctx, x.entity) in _SPEAKER_TYPES:
            start = x.span.start
            key = x.entity
            if k > 0 and re.fullmatch(r"\s+and\s+", ctx.text[ms[k - 1].span.end:x.span.start]) \
                    and C.etype(ctx, ms[k - 1].entity) in _SPEAKER_TYPES:
                start, key = ms[k - 1].span.start, ms[k - 1].entity
            # a title right before a person is part of how the text names the speaker
            m = relations.title_before(ctx, max(0, start - 90), start)
            if m and C.etype(ctx, x.entity) == "Person" and not re.search(r"[.!?]\s", ctx.text[m.start():start]):
                sent = _sentence_of(ctx, start)
                if sent and m.start() >= sent.start:
                    start = m.start("phrase")
            return _Speaker(start, end, key)
    return None


def _pronoun_or_anaphor(ctx: TextContext, sent: Span, end: int) -> _Speaker | None:
    text = ctx.text
    m = _PRONOUN_BEFORE.search(text, max(sent.start, end - _TOKEN_WINDOW), end)
    if m:
        s = m.start(1)
        word = m.group(1).lower()
        if word in ("he", "she"):
            key = _recent_person(ctx, s)
        elif word == "it":
            key = C.recent_entity(ctx, s, {"Company", "ResearchInstitution", "GovernmentBody", "Organization"},
                                  max_sentences=1, unique=True)
        else:
            key = None
        return _Speaker(s, s + len(m.group(1)), key) if key or word == "they" else None
    anaphors = C.patterns().raw.get("anaphor_heads") or {}
    for phrase, types in anaphors.items():
        m = _phrase_before(phrase).search(text, max(sent.start, end - len(phrase) - _TOKEN_WINDOW), end)
        if m:
            s = m.start()
            key = C.recent_entity(ctx, s, types, max_sentences=1, unique=True)
            if key:
                return _Speaker(s, end, key)
    return None


def _recent_person(ctx: TextContext, pos: int) -> str | None:
    """The nearest person named before ``pos`` within the last three sentences."""
    return C.recent_entity(ctx, pos, {"Person"}, max_sentences=3)


def _noun_phrase(ctx: TextContext, sent: Span, ms: list[Mention], end: int) -> _Speaker | None:
    """'Security researchers', 'An anonymous source at one of China's top AI firms', 'the Five Eyes
    intelligence agencies': a noun phrase headed by a source noun, or naming an entity in its head."""
    text = ctx.text
    np = _tokens_before(text, max(sent.start, end - _NP_WINDOW), end, 12)
    if not np:
        return None
    base = np[0]
    toks = list(re.finditer(r"[\w’'.&-]+", text[base:end]))
    stops = C.wordset("np_stop_words")
    first = 0
    for i, t in enumerate(toks):
        if t.group(0).lower() in stops or t.group(0).lower().endswith("ly") and i < len(toks) - 1 and i == 0:
            first = i + 1
    # sentence-initial adverbial before a comma is cut by the regex (no commas in the NP)
    toks = toks[first:]
    if not toks:
        return None
    s = base + toks[0].start()
    words = [t.group(0) for t in toks]
    heads = C.wordset("source_heads")
    head_part_end = end
    pp = _rx()["pp_split"].search(" " + text[s:end] + " ")
    if pp:
        head_part_end = s + pp.start()
    inner = [x for x in ms if s <= x.span.start and x.span.end <= head_part_end
             and C.etype(ctx, x.entity) in _SPEAKER_TYPES - {"Country"}]
    if inner:
        return _Speaker(s, end, inner[-1].entity)
    if words[-1].lower() not in heads and not any(w.lower() in heads for w in
                                                   re.findall(r"[\w’'-]+", text[s:head_part_end])):
        return None
    return _Speaker(s, end, _unnamed_source(ctx, text[s:head_part_end]))


def _unnamed_source(ctx: TextContext, phrase: str) -> str:
    """An UnnamedSource entity keyed by the normalized phrase: determiners and a trailing
    prepositional phrase dropped ('Some researchers' and 'researchers' are one source)."""
    words = re.findall(r"[\w’'-]+", phrase)
    dets = C.wordset("source_determiners")
    while words and words[0].lower() in dets:
        words = words[1:]
    norm = " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words) or phrase.strip().lower()
    # an existing unnamed-source entity with this label (e.g. from the entity layer) wins
    for key in sorted(ctx.entities):
        ref = ctx.entities[key]
        if ref.type == "UnnamedSource" and norm.casefold() in {n.casefold() for n in C.names_of(ref)}:
            return key
    return C.ensure_entity(ctx, "source/" + C.slugify(norm), norm, "UnnamedSource")


def _speaker_from_phrase(ctx: TextContext, ms: list[Mention], s: int, e: int) -> str | None:
    """The speaker a phrase names: a person in it, else an organization, else an unnamed source."""
    inner = [x for x in ms if s <= x.span.start and x.span.end <= e]
    for types in ({"Person"}, C.ORG_TYPES | {"UnnamedSource"}):
        for x in inner:
            if C.etype(ctx, x.entity) in types:
                return x.entity
    phrase = ctx.text[s:e]
    pp = _rx()["pp_split"].search(" " + phrase + " ")
    head = phrase[:pp.start()] if pp else phrase
    if not re.search(r"[A-Za-z]", head):
        return None
    return _unnamed_source(ctx, head)


# ---------------------------------------------------------------- quotations
def _quote_spans(ctx: TextContext) -> list[tuple[int, int]]:
    """Inner spans of quotations (curly pairs, or straight pairs on one line) that start in content."""
    text = ctx.text
    spans: list[tuple[int, int]] = []
    i = 0
    while True:
        o = text.find("“", i)
        if o < 0:
            break
        c = text.find("”", o + 1)
        nxt = text.find("“", o + 1)
        if c < 0:
            break
        if 0 <= nxt < c:       # unbalanced: restart at the next opening mark
            i = nxt
            continue
        spans.append((o + 1, c))
        i = c + 1
    for line in re.finditer(r"[^\n]+", text):
        qs = [m.start() for m in re.finditer(r'"', line.group(0))]
        if len(qs) % 2:
            continue
        for a, b in zip(qs[::2], qs[1::2]):
            spans.append((line.start() + a + 1, line.start() + b))
    content = [s for s in spans if _sentence_of(ctx, s[0] - 1) is not None or _sentence_of(ctx, s[0]) is not None]
    return sorted(content)


def _inside_quote(quotes: list[tuple[int, int]], pos: int) -> bool:
    return any(a <= pos < b for a, b in quotes)


def _direct_quotes(ctx: TextContext, quotes: list[tuple[int, int]], found: list[tuple[int, Claim]]) -> list[tuple[int, Claim]]:
    out: list[tuple[int, Claim]] = []
    minw = int(C.patterns().raw.get("min_quote_words", 5))
    attributed: list[tuple[int, Claim]] = []      # (cue offset, claim) for the adjacent-sentence rule
    pending: list[tuple[int, int]] = []
    for qs, qe in quotes:
        inner = ctx.text[qs:qe]
        if len(re.findall(r"\w+", inner)) < minw:
            continue
        if any(c.quote.start <= qs and qe <= c.quote.end for _, c in found):
            continue                           # part of a reported-speech claim already
        claim = _attribute_quote(ctx, qs, qe)
        if claim:
            out.append((_RULE_ORDER["quote"], claim))
            attributed.append((qs, claim))
        else:
            pending.append((qs, qe))
    # A quote with no attribution of its own takes the nearest attribution within two sentences.
    others = attributed + [(c.quote.start, c) for _, c in found if c.rule.startswith("claim.speech")]
    for qs, qe in pending:
        best = None
        for pos, c in others:
            ev = c.evidence or c.quote
            dist = qs - ev.end if ev.end <= qs else ev.start - qe
            if dist < 0 or dist > 400:
                continue
            if best is None or dist < best[0]:
                best = (dist, c)
        if best is None:
            continue
        c = best[1]
        span = _quote_span(ctx, qs, qe)
        if span is None:
            continue
        first = _sentence_of(ctx, qs)
        last = _sentence_of(ctx, max(qs, qe - 1))
        ev = ctx.span(first.start if first else qs, last.end if last else qe)
        out.append((_RULE_ORDER["quote"], Claim(quote=span, cue=c.cue, speaker_text=c.speaker_text,
                                                 rule="claim.quote-adjacent", speaker=c.speaker, evidence=ev)))
    return out


def _quote_span(ctx: TextContext, qs: int, qe: int) -> Span | None:
    text = ctx.text
    while qe > qs and (text[qe - 1] in " ,.;:" or text[qe - 1].isspace()):
        qe -= 1
    while qs < qe and text[qs].isspace():
        qs += 1
    return ctx.span(qs, qe) if qe > qs else None


def _attribute_quote(ctx: TextContext, qs: int, qe: int) -> Claim | None:
    text = ctx.text
    rx = _rx()
    span = _quote_span(ctx, qs, qe)
    if span is None:
        return None
    sent_after = _sentence_of(ctx, min(len(text) - 1, qe + 1)) or _sentence_of(ctx, qe)
    after_start = qe + 1
    if sent_after:
        ms = C.sentence_mentions(ctx, sent_after)
        m = re.match(r"\s*,?\s*", text[after_start:])
        pos = after_start + (m.end() if m else 0)
        # "..., said Tomas Lindqvist, a policy fellow" -- cue first
        cm = re.match(r"(?:(?:has|have|had)\s+)?(?P<cue>[\w-]+)\s+", text[pos:pos + 40])
        if cm and rx["speech_only"].match(cm.group("cue")):
            s = pos + cm.end()
            who = next((x for x in ms if x.span.start == s and C.etype(ctx, x.entity) in _SPEAKER_TYPES), None)
            if who:
                return _make(ctx, span, text[pos:pos + cm.end()].strip(), who.span.start, who.span.end,
                             who.entity, "claim.quote-after", sent_after, qs)
            pm = re.match(r"(he|she)\b", text[s:s + 4], re.I)
            if pm:
                return _make(ctx, span, cm.group(0).strip(), s, s + len(pm.group(1)), _recent_person(ctx, qs),
                             "claim.quote-after", sent_after, qs)
        # "..." Casper noted. / "..." Lumière Labs chief executive Camille Durand said in a statement.
        for vm in rx["speech"].finditer(text, pos, min(sent_after.end, pos + 120)):
            sp = _speaker_before(ctx, sent_after, ms, vm.start())
            if sp and sp[0].start >= pos and not text[pos:sp[0].start].strip(" ,"):
                cue = (sp[1] + " " + vm.group(0)).strip() if sp[1] else vm.group(0)
                return _make(ctx, span, cue, sp[0].start, sp[0].end, sp[0].key, "claim.quote-after", sent_after, qs)
            break
    # before the opening mark, in the same sentence: 'Casper noted: "..."', 'In his words, he "..."'
    sent_before = _sentence_of(ctx, max(0, qs - 2))
    if sent_before:
        ms = C.sentence_mentions(ctx, sent_before)
        lead = text[sent_before.start:qs - 1]
        # 'Casper noted: "...', 'X wrote in a statement: "...', 'X told reporters: "...'
        m = re.search(r"(?P<cue>" + rx["speech"].pattern + r")(?:(?:\s+[\w’'-]+){1,3}\s*:|\s*[:,]?)\s*$", lead)
        if m:
            vpos = sent_before.start + m.start("cue")
            sp = _speaker_before(ctx, sent_before, ms, vpos)
            if sp:
                return _make(ctx, span, m.group("cue"), sp[0].start, sp[0].end, sp[0].key, "claim.quote-before",
                             sent_before, qs)
        m = rx["in_words"].search(lead)
        if m:
            s = sent_before.start + m.start("pron")
            return _make(ctx, span, m.group(0).strip(" ,"), s, s + len(m.group("pron")),
                         _recent_person(ctx, s), "claim.quote-before", sent_before, qs)
        m = rx["statement_colon"].search(lead)
        if m:
            s, e = sent_before.start + m.start("who"), sent_before.start + m.end("who")
            who = m.group("who")
            if who.lower() in ("his", "her"):
                key = _recent_person(ctx, s)
            elif who.lower() == "their":
                key = None
            else:
                key = next((x.entity for x in ms if x.span.start == s), None)
            if key:
                return _make(ctx, span, m.group("cue"), s, e, key, "claim.quote-before", sent_before, qs)
    return None


def _make(ctx: TextContext, quote: Span, cue: str, ss: int, se: int, speaker: str | None, rule: str,
          sent: Span, qs: int) -> Claim:
    first = _sentence_of(ctx, qs)
    start = min(first.start if first else sent.start, sent.start)
    ev = ctx.span(start, max(sent.end, quote.end))
    return Claim(quote=quote, cue=re.sub(r"\s+", " ", cue), speaker_text=ctx.text[ss:se], rule=rule,
                 speaker=speaker, evidence=ev)


# ---------------------------------------------------------------- reported speech
def _complement_end(ctx: TextContext, sent: Span, start: int, ms: list[Mention]) -> int:
    """Where the reported clause ends: the sentence end, or the start of another attribution
    (', while OpenAI announced ...', ', warning that ...')."""
    end = sent.end
    rx = _rx()
    m = rx["participle"].search(ctx.text, start, end)
    if m:
        end = m.start()
    for vm in rx["speech"].finditer(ctx.text, start, end):
        clause = re.search(r",\s+(?:while|and|but|as)\s+", ctx.text[start:vm.start()])
        if clause:
            sp = _speaker_before(ctx, sent, ms, vm.start())
            if sp and sp[0].start > start + clause.start():
                end = min(end, start + clause.start())
                break
    return end


def _reported_speech(ctx: TextContext, sent: Span, ms: list[Mention], quotes: list[tuple[int, int]]) -> list[tuple[int, Claim]]:
    rx = _rx()
    if not ctx.may_contain(C.cue_gate("speech_verbs", "that_verbs"), sent.start, sent.end):
        return []
    text = ctx.text
    out: list[tuple[int, Claim]] = []
    hits = [(m, "speech") for m in rx["speech"].finditer(text, sent.start, sent.end)]
    hits += [(m, "that") for m in rx["that_verb"].finditer(text, sent.start, sent.end)]
    # A real sentence has a few reporting verbs; a run-on junk line ("said said said ...") may have
    # hundreds, each costing a look-back: read the first ones only.
    for vm, kind in sorted(hits, key=lambda h: h[0].start())[:_MAX_CUES_PER_SENTENCE]:
        if _inside_quote(quotes, vm.start()):
            continue
        after = vm.end()
        if kind == "that":
            tm = rx["that_after"].match(text, after, sent.end)
            if not tm:
                continue
        sp = _speaker_before(ctx, sent, ms, vm.start())
        if sp is None:
            continue
        speaker, aux = sp
        if _QUOTE_CLOSE_BEFORE.search(text, max(sent.start, speaker.start - _TOKEN_WINDOW), speaker.start):
            continue                  # '“...,” X said in a statement.': the quotation rule attributes it
        cue = f"{aux} {vm.group(0)}" if aux else vm.group(0)
        m = re.match(r"\s+(?:(?:[\w’'-]+\s+){0,4}?that\s+|(?:of|about)\s+(?=\w))", text[after:sent.end])
        if m and "that" in m.group(0):
            cstart = after + m.end()
        elif m and vm.group(0).lower().startswith("warn"):
            cstart = after + m.end()
        else:
            cstart = after
        if re.match(r"\s*[,:]?\s*(?:(?:[\w’'-]+\s+){0,3}[\w’'-]+\s*:\s*)?[“\"]", text[cstart:cstart + 60]):
            continue                  # 'As Casper noted, “...”', 'X told reporters: “...”': the quotation rule
        cend = _complement_end(ctx, sent, cstart, ms)
        span = C.trim_span(ctx, cstart, cend)
        while span and span.text[-1] in ".!?”\"" and len(span.text) > 1:
            span = C.trim_span(ctx, span.start, span.end - 1)
        if span is None or len(re.findall(r"\w+", span.text)) < 3:
            # "..., the company claimed.": the claim is what came before the speaker
            lead = text[sent.start:speaker.start].rstrip()
            if lead.endswith(",") and not re.search(r"[“”\"]", lead):
                span = C.trim_span(ctx, sent.start, sent.start + len(lead) - 1)
                if span is None or len(re.findall(r"\w+", span.text)) < 4:
                    continue
            else:
                continue
        out.append((_RULE_ORDER["speech"], Claim(
            quote=span, cue=cue, speaker_text=text[speaker.start:speaker.end], rule=f"claim.speech-{kind}",
            speaker=speaker.key, evidence=sent)))
    return out


def _according(ctx: TextContext, sent: Span, ms: list[Mention]) -> list[tuple[int, Claim]]:
    if not ctx.may_contain(C.cue_gate("according_cues"), sent.start, sent.end):
        return []
    text = ctx.text
    out: list[tuple[int, Claim]] = []
    for m in _rx()["according"].finditer(text, sent.start, sent.end):
        src_start = m.end()
        stop = re.search(r"[,.;:–—]|\s[-–—]\s|$", text[src_start:sent.end])
        src_end = src_start + (stop.start() if stop else sent.end - src_start)
        # "a statement released on Monday, November 9": a date after the comma belongs to the source
        dm = re.match(r",\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2}\b",
                      text[src_end:sent.end])
        if dm:
            src_end += dm.end()
        src = C.trim_span(ctx, src_start, src_end)
        if src is None:
            continue
        # "according to X, an individual who ..., such measures": the apposition describes X
        am = re.match(r",\s+(?:an?|the)\s+[^,;]{1,120},", text[src_end:sent.end])
        if am and not ctx.text[src_end:src_end + am.end()].count("“"):
            src_end += am.end() - 1
        speaker = _speaker_from_phrase(ctx, ms, src.start, src.end)
        before = text[sent.start:m.start()].rstrip(" ,–—-")
        lo, _ = C.clause_bounds(sent, m.start())
        if len(re.findall(r"\w+", text[lo:m.start()])) >= 4 and before:
            # "X happened, according to Y." or a parenthetical inside the sentence
            rest = text[src_end:sent.end].strip(" .")
            qend = sent.end if len(re.findall(r"\w+", rest)) >= 3 else m.start()
            span = C.trim_span(ctx, lo if qend == m.start() else sent.start, qend)
        else:
            span = C.trim_span(ctx, src_end, sent.end)
        while span and span.text[-1] in ".!?" and len(span.text) > 1:
            span = C.trim_span(ctx, span.start, span.end - 1)
        if span is None or len(re.findall(r"\w+", span.text)) < 3:
            continue
        out.append((_RULE_ORDER["according"], Claim(
            quote=span, cue=re.sub(r"\s+", " ", m.group(0).strip()), speaker_text=src.text,
            rule="claim.according-to", speaker=speaker, evidence=sent)))
    return out


def _participles(ctx: TextContext, sent: Span, ms: list[Mention], found: list[tuple[int, Claim]]) -> list[tuple[int, Claim]]:
    """'The AI Office fined X, saying the company had failed ...': the subject is the speaker."""
    if not ctx.may_contain(C.cue_gate("participle_cues"), sent.start, sent.end):
        return []
    text = ctx.text
    out: list[tuple[int, Claim]] = []
    for m in _rx()["participle"].finditer(text, sent.start, sent.end):
        earlier = [c for _, c in found if c.evidence == sent and c.quote.start < m.start()]
        if earlier:
            speaker_key, speaker_text = earlier[0].speaker, earlier[0].speaker_text
        else:
            subj = _subject(ctx, sent, ms, m.start())
            if subj is None:
                continue
            speaker_key, speaker_text = subj
        span = C.trim_span(ctx, m.end(), _complement_end(ctx, sent, m.end(), ms))
        while span and span.text[-1] in ".!?" and len(span.text) > 1:
            span = C.trim_span(ctx, span.start, span.end - 1)
        if span is None or len(re.findall(r"\w+", span.text)) < 3:
            continue
        out.append((_RULE_ORDER["participle"], Claim(
            quote=span, cue=m.group("cue"), speaker_text=speaker_text, rule="claim.participle",
            speaker=speaker_key, evidence=sent)))
    return out


def _subject(ctx: TextContext, sent: Span, ms: list[Mention], before: int) -> tuple[str, str] | None:
    """The main-clause subject: the first agent mention after any leading adverbial."""
    text = ctx.text
    lead = _LEADING_ADVERBIAL.match(text, sent.start, before)
    start = lead.end() if lead else sent.start
    agents = [x for x in ms if start <= x.span.start < before and C.etype(ctx, x.entity) in C.AGENT_TYPES]
    if not agents:
        return None
    first = agents[0]
    end = first.span.end
    if len(agents) > 1 and re.fullmatch(r"\s+and\s+", text[first.span.end:agents[1].span.start]):
        end = agents[1].span.end
    return first.entity, text[first.span.start:end]


# ---------------------------------------------------------------- the article's own assertions
def _article(ctx: TextContext, sent: Span, ms: list[Mention], covered: list[tuple[int, int]]) -> list[tuple[int, Claim]]:
    """A sentence nobody is quoted in that compares two entities, or hedges/denies a comparison."""
    if any(a < sent.end and sent.start < b for a, b in covered):
        return []
    rx = _rx()
    comp = None
    for types in (C.ARTIFACT_TYPES, frozenset({"Country"}), frozenset({"Company", "ResearchInstitution"})):
        comp = relations.comparisons(ctx, sent, ms, sent.start, sent.end, types)
        if comp:
            break
    stance = rx["stance"].search(ctx.text, sent.start, sent.end)
    if not comp and not stance:
        return []
    if stance and not comp and not ms and not rx["anaphor_comparison"].search(sent.text):
        return []
    span = C.trim_span(ctx, sent.start, sent.end)
    while span and span.text[-1] in ".!?" and len(span.text) > 1:
        span = C.trim_span(ctx, span.start, span.end - 1)
    if span is None:
        return []
    rule = "claim.article-comparison" if comp else "claim.article-stance"
    return [(_RULE_ORDER["article"], Claim(quote=span, cue="article", speaker_text="article", rule=rule,
                                          speaker=None, evidence=sent))]
