"""Dated events: orders, directives, fines, shutdowns, releases, reversals, restorations,
announcements and conferences, each with its date as written and normalized when possible.

An event's key is its kind plus the entity it is about (``shutdown/org/anthropic``), never the
wording, so two documents reporting the same happening share a key. What the event is about:
the addressed company for orders (the developer when only a model is named), the company whose
service stopped or came back for shutdowns/reversals/restorations (a model when the text dates
models separately), the model for releases, the speaker for announcements, the name for
conferences. One event per key and document; the most precise date wins.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from policykg.loaders import cues as C
from policykg.loaders import dates as D
from policykg.loaders import relations
from policykg.loaders.context import TextContext
from policykg.loaders.gates import Gate, literals
from policykg.loaders.records import Event, Mention, Span

_PRECISION = {"date": 4, "gMonthDay": 3, "gYearMonth": 2, "gYear": 1}
_ACTOR_KINDS = ("order", "directive", "fine")
_ABOUT_COMPANY = C.ORG_TYPES - {"GovernmentBody", "Coalition"}


@lru_cache(maxsize=1)
def _rx() -> dict[str, re.Pattern[str]]:
    P = C.patterns()
    out = {}
    for kind, pats in (P.raw.get("event_triggers") or {}).items():
        out[kind] = re.compile(r"(?<![\w-])(?:" + "|".join(pats) + r")(?![\w-])", re.I)
    out["conference_name"] = re.compile(
        r"(?P<name>(?:[A-Z][\w.&’'-]*\s+){0,6}(?:Conference|Summit|Forum|Symposium|Congress|Dialogue))\b"
        r"|(?P<pre>(?:[A-Z][\w.&’'-]*\s+|\d{4}\s+){1,4})(?:conference|summit|forum)\b")
    out["launch_of"] = re.compile(r"\b(?:the\s+)?(?:release|launch)\s+of\b", re.I)
    out["restored_access"] = re.compile(
        r"\baccess\s+to\s+[\w\s.’'-]{1,40}?\s+(?:would|will|was|is\s+to)\s+(?:be\s+)?restored\b", re.I)
    out["speech_before"] = re.compile(r"\b(?:announced|said|says|stated|declared|told)\b", re.I)
    return out


@lru_cache(maxsize=None)
def _trigger_gate(kind: str | None = None) -> Gate:
    """The literal words of the trigger patterns of ``kind`` (all kinds when None)."""
    triggers = C.patterns().raw.get("event_triggers") or {}
    pats = triggers.get(kind, []) if kind else [p for ps in triggers.values() for p in ps]
    extra = [] if kind else ["access"]       # restored_access runs on every sentence this lets through
    return Gate([*(w for p in pats for w in literals(p)), *extra])


@dataclass
class _Draft:
    kind: str
    about: str
    sent: Span
    trigger: tuple[int, int]
    participants: set[str] = field(default_factory=set)
    date: D.DateExpr | None = None
    duration: tuple[str, str] | None = None      # (value, text)
    label_parts: list[str] = field(default_factory=list)


def extract_events(ctx: TextContext) -> list[Event]:
    """Events reported in the document, with dates as written and normalized."""
    analysis = relations.analyse(ctx)
    developer = analysis.developer
    drafts: list[_Draft] = []
    for sent in ctx.sentences:
        ms = C.sentence_mentions(ctx, sent)
        drafts += _sentence_events(ctx, sent, ms, developer, analysis)
    return _resolve(ctx, drafts)


# ---------------------------------------------------------------- per sentence
def _sentence_events(ctx: TextContext, sent: Span, ms: list[Mention], developer: dict[str, str],
                     analysis) -> list[_Draft]:
    text = ctx.text
    rx = _rx()
    if not ctx.may_contain(_trigger_gate(), sent.start, sent.end):
        return []                    # no trigger phrase: nothing is reported here
    exprs = [e for e in _doc_dates(ctx) if sent.start <= e.start and e.end <= sent.end]
    anchors = [(e.start, e.end) for e in exprs if e.kind == "relative"]
    durations = [d for d in _doc_durations(ctx) if sent.start <= d[0] and d[1] <= sent.end]
    triggers: list[tuple[int, int, str]] = []
    for kind in ("fine", "order", "directive", "shutdown", "reversal", "restoration", "release", "announcement", "conference"):
        if not ctx.may_contain(_trigger_gate(kind), sent.start, sent.end):
            continue
        for m in rx[kind].finditer(text, sent.start, sent.end):
            triggers.append((m.start(), m.end(), kind))
    for m in rx["restored_access"].finditer(text, sent.start, sent.end):
        triggers.append((m.start(), m.end(), "restoration"))
    triggers.sort()
    drafts: list[_Draft] = []
    taken: list[tuple[int, int]] = []
    for ts, te, kind in triggers:
        if any(a <= ts < b for a, b in anchors) or any(a <= ts < b for a, b in taken):
            continue                 # "after the shutdown" refers to an event, it does not report one
        lo, hi = C.clause_bounds(sent, ts)
        if kind in ("shutdown", "release") and any(
                d.kind in _ACTOR_KINDS and d.sent == sent and lo <= d.trigger[0] < ts for d in drafts):
            continue                 # "ordered Anthropic to suspend access": the order's content
        # "X announced that access would be restored": a date before the verb dates the announcement
        speech = rx["speech_before"].search(text, lo, ts) if kind in ("restoration", "reversal") else None
        dated = [e for e in exprs if e.start >= speech.end()] if speech else exprs
        made = _make(ctx, sent, ms, kind, ts, te, lo, hi, developer, analysis)
        for d in made:
            d.date = _pick_date(d, dated, sent, durations)
            for s, e, dtext, value, noun in durations:
                if s <= ts < e + 2 or (s <= te and ts <= e):
                    d.duration = (value, dtext)
            drafts.append(d)
        if made:
            taken.append((ts, te))
    _bind_per_artifact(ctx, sent, ms, exprs, drafts)
    return drafts


def _doc_dates(ctx: TextContext) -> list[D.DateExpr]:
    """Date expressions of the whole text, found once per document (then cut per sentence)."""
    cached = getattr(ctx, "_kft_dates", None)
    if cached is None:
        cached = D.find_dates(ctx.text, 0, len(ctx.text))
        object.__setattr__(ctx, "_kft_dates", cached)
    return cached


def _doc_durations(ctx: TextContext) -> list[tuple[int, int, str, str, str]]:
    cached = getattr(ctx, "_kft_durations", None)
    if cached is None:
        cached = D.find_durations(ctx.text, 0, len(ctx.text))
        object.__setattr__(ctx, "_kft_durations", cached)
    return cached


def _make(ctx: TextContext, sent: Span, ms: list[Mention], kind: str, ts: int, te: int, lo: int, hi: int,
          developer: dict[str, str], analysis) -> list[_Draft]:
    clause = [x for x in ms if lo <= x.span.start < hi]
    after = [x for x in clause if x.span.start >= te]
    before = [x for x in clause if x.span.end <= ts]
    types = lambda xs, ts_: [x.entity for x in xs if C.etype(ctx, x.entity) in ts_]  # noqa: E731
    if kind in _ACTOR_KINDS:
        actor = relations._issuer_before(ctx, sent, ms, ts)
        actor_key = actor[0] if actor and not actor[1] else None
        if actor_key is None:
            people = types(before, {"Person"})
            actor_key = people[-1] if people else None
        if actor_key is None:
            return []
        companies = types(after[:4], _ABOUT_COMPANY)
        arts = types(after[:4], C.ARTIFACT_TYPES)
        about = companies[0] if companies else (developer.get(arts[0], arts[0]) if arts else None)
        if about is None:
            return []
        return [_Draft(kind, about, sent, (ts, te), {actor_key, about, *companies, *arts})]
    if kind == "shutdown":
        companies = types(clause, _ABOUT_COMPANY)
        arts = types(clause, C.ARTIFACT_TYPES)
        about = companies[0] if companies else (developer.get(arts[0]) if arts else None)
        if about is None:
            about = _anaphoric_company(ctx, sent, lo, ts)
        if about is None:
            return []
        return [_Draft(kind, about, sent, (ts, te), {about, *arts})]
    if kind in ("reversal", "restoration"):
        companies = types(clause, _ABOUT_COMPANY)
        arts = types(clause, C.ARTIFACT_TYPES)
        about = companies[0] if companies else (developer.get(arts[0]) if arts else None)
        if about is None and arts:
            about = arts[0]
        if about is None:
            about = _policy_target(ctx, analysis)
        if about is None:
            return []
        gov = [x.entity for x in before if relations.government_actor(ctx, ms, ms.index(x))]
        return [_Draft(kind, about, sent, (ts, te), {about, *arts, *gov})]
    if kind == "release":
        arts = [x for x in after if C.etype(ctx, x.entity) in C.ARTIFACT_TYPES and x.span.start - te <= 60]
        if not arts:
            return []
        art = arts[0].entity
        parts = {art}
        if art in developer:
            parts.add(developer[art])
        return [_Draft(kind, art, sent, (ts, te), parts)]
    if kind == "announcement":
        speakers = [x for x in before if C.etype(ctx, x.entity) in C.AGENT_TYPES and ts - x.span.end <= 30]
        if not speakers:
            return []
        who = speakers[-1].entity
        objs = types(after[:2], C.ARTIFACT_TYPES)
        return [_Draft(kind, who, sent, (ts, te), {who, *objs})]
    if kind == "conference":
        name = _conference_name(ctx, sent, ts, te)
        if not name:
            return []
        key = "event/" + C.slugify(name)
        d = _Draft(kind, key, sent, (ts, te), set())
        d.label_parts = [name]
        return [d]
    return []


def _anaphoric_company(ctx: TextContext, sent: Span, lo: int, ts: int) -> str | None:
    """'it shut down both models' / 'the company shut down': the one company just named."""
    if re.search(r"\b(?:it|the\s+company|the\s+firm|the\s+lab)\s+(?:\w+\s+)?$", ctx.text[lo:ts], re.I):
        return C.recent_entity(ctx, ts, _ABOUT_COMPANY, max_sentences=2, unique=False)
    return None


def _policy_target(ctx: TextContext, analysis) -> str | None:
    """The company addressed by the document's (single) policy: 'withdrawing the controls'."""
    addressees = set()
    for key in analysis.policies:
        for k, r in ctx.entities.items():
            if r.type in _ABOUT_COMPANY and key.endswith("-order-" + C.key_slug(k)):
                addressees.add(k)
    return addressees.pop() if len(addressees) == 1 else None


def _conference_name(ctx: TextContext, sent: Span, ts: int, te: int) -> str | None:
    for m in _rx()["conference_name"].finditer(ctx.text, max(sent.start, ts - 80), min(sent.end, te + 2)):
        if not (m.start() <= ts < m.end() + 1):
            continue
        if m.group("name"):
            name = m.group("name").strip()
        else:
            name = m.group("pre").strip()
        words = name.split()
        while words and words[0] in ("The", "A", "An", "During", "At", "In", "On"):
            words = words[1:]
        if words:
            return " ".join(words)
    return None


def _pick_date(d: _Draft, exprs: list[D.DateExpr], sent: Span, durations) -> D.DateExpr | None:
    """The date of an event: one next to its trigger in the same clause, else the sentence's
    leading date ('On June 12, ...')."""
    if not exprs:
        return None
    ts, te = d.trigger
    lo, hi = C.clause_bounds(sent, ts)
    usable = [e for e in exprs if not any(s <= e.start < t for s, t, *_ in durations)]
    near = [e for e in usable if lo <= e.start < hi and (abs(e.start - te) <= 60 or abs(ts - e.end) <= 60)]
    lead = [e for e in usable if e.start - sent.start <= 3 or re.match(r"^[^,]{0,25}$", sent.text[:e.start - sent.start])]
    if near:
        return min(near, key=lambda e: min(abs(e.start - te), abs(ts - e.end)))
    if lead and lead[0].start < ts:
        return lead[0]
    return None


def _bind_per_artifact(ctx: TextContext, sent: Span, ms: list[Mention], exprs: list[D.DateExpr],
                       drafts: list[_Draft]) -> None:
    """'reversed course on Mythos on Friday and Fable late Tuesday': one event per model and date."""
    for d in [d for d in drafts if d.sent == sent and d.kind in ("reversal", "restoration", "release")]:
        pairs = []
        for x in ms:
            if C.etype(ctx, x.entity) not in C.ARTIFACT_TYPES or x.span.start < d.trigger[1]:
                continue
            e = next((e for e in exprs if 0 <= e.start - x.span.end <= 2), None)
            if e:
                pairs.append((x.entity, e))
        if len(pairs) >= 2:
            d.date = None            # the dates belong to the models, not to the whole reversal
            for art, e in pairs:
                drafts.append(_Draft(d.kind, art, sent, d.trigger, {art, *d.participants}, e))


# ---------------------------------------------------------------- document level
def _resolve(ctx: TextContext, drafts: list[_Draft]) -> list[Event]:
    doc_date = ctx.document.date
    events: dict[str, Event] = {}
    order: list[str] = []
    last_dated: tuple[int, D.Normalized] | None = None
    by_kind: dict[str, list[tuple[_Draft, D.Normalized | None]]] = {}
    pending_durations: list[tuple[str, str, str, str]] = []    # (anchor kind, about, value, text)
    for d in sorted(drafts, key=lambda d: d.trigger):
        norm = None
        expr = d.date
        if expr is not None:
            if expr.kind == "relative":
                anchor = _anchor(by_kind, expr.anchor, d) if expr.anchor else None
                base = anchor[1] if anchor else (last_dated[1] if last_dated and not expr.anchor else None)
                if base is not None:
                    norm = D.shift(base, expr.offset)
                dur = D.relative_duration(expr)
                if dur and expr.anchor and d.kind in ("reversal", "restoration") and \
                        expr.anchor in _nouns("shutdown") + _nouns("order"):
                    kind = "shutdown" if expr.anchor in _nouns("shutdown") else "order"
                    pending_durations.append((kind, d.about, dur, expr.amount_text or expr.text))
            elif expr.kind == "within":
                if last_dated:
                    norm = D.shift(last_dated[1], expr.offset)
            else:
                norm = D.normalize(expr, doc_date)
        if norm is not None:
            last_dated = (d.trigger[0], norm)
        by_kind.setdefault(d.kind, []).append((d, norm))
        key = f"{d.kind}/{d.about}"
        ev = Event(kind=d.kind, key=key, label=_label(ctx, d), evidence=d.sent, rule=f"event.{d.kind}",
                   participants=sorted(p for p in d.participants if p in ctx.entities),
                   date_text=expr.text if expr else None,
                   date=norm.value if norm else None, date_type=norm.type if norm else None,
                   date_basis=norm.basis if norm else None,
                   duration=d.duration[0] if d.duration else None,
                   duration_text=d.duration[1] if d.duration else None)
        if key not in events:
            events[key] = ev
            order.append(key)
        else:
            events[key] = _merge(events[key], ev)
    # "Eighteen days after the shutdown, Washington reversed itself": the shutdown lasted 18 days.
    for kind, about, value, text in pending_durations:
        ev = events.get(f"{kind}/{about}")
        if ev is None:
            ev = next((e for e in events.values() if e.kind == kind), None)
        if ev is not None and ev.duration is None:
            ev.duration, ev.duration_text = value, text
    return sorted(events.values(), key=lambda e: (e.evidence.start, e.key))


@lru_cache(maxsize=None)
def _nouns_cached(kind: str) -> tuple[str, ...]:
    return tuple(str(n).lower() for n in (C.patterns().raw.get("event_nouns") or {}).get(kind, []))


def _nouns(kind: str) -> list[str]:
    return list(_nouns_cached(kind))


def _anchor(by_kind: dict[str, list[tuple[_Draft, D.Normalized | None]]], noun: str, d: _Draft
            ) -> tuple[_Draft, D.Normalized] | None:
    """The dated event a noun ('the shutdown') refers back to: same subject first, else the latest."""
    kinds = [k for k in (C.patterns().raw.get("event_nouns") or {}) if noun in _nouns(k)]
    cands = [(x, n) for k in kinds for x, n in by_kind.get(k, []) if n is not None]
    if not cands:
        return None
    same = [(x, n) for x, n in cands if x.about == d.about]
    pool = same or cands
    return max(pool, key=lambda xn: xn[0].trigger)


def _merge(a: Event, b: Event) -> Event:
    """Two reports of one happening in one document: keep the more precise date, union the rest."""
    pa = _PRECISION.get(a.date_type or "", 0)
    pb = _PRECISION.get(b.date_type or "", 0)
    keep, other = (b, a) if pb > pa or (pa == pb == 0 and a.date_text is None and b.date_text) else (a, b)
    keep.participants = sorted(set(a.participants) | set(b.participants))
    if keep.duration is None and other.duration:
        keep.duration, keep.duration_text = other.duration, other.duration_text
    return keep


def _label(ctx: TextContext, d: _Draft) -> str:
    if d.label_parts:
        return d.label_parts[0]
    ref = ctx.entities.get(d.about)
    name = ref.label if ref else d.about
    return f"{d.kind.capitalize()}: {name}"
