"""Shared machinery of the knowledge-from-text rules: cue lists (from ``patterns.yaml``),
precompiled regexes, entity-type groups, mention helpers and entities the rules may create.

Everything here is general: no rule is keyed to a document or to an article's wording.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

import yaml

from policykg.errors import ReferenceDataError
from policykg.loaders.context import TextContext
from policykg.loaders.gates import Gate, cue_words, literals
from policykg.loaders.records import EntityRef, Mention, Span

PATTERNS_FILE = "patterns.yaml"

ORG_TYPES = frozenset({"Organization", "Company", "GovernmentBody", "ResearchInstitution", "Coalition"})
DEVELOPER_TYPES = frozenset({"Organization", "Company", "ResearchInstitution", "Coalition", "Person"})
ARTIFACT_TYPES = frozenset({"AIModel", "Product"})
POLICY_TYPES = frozenset({"Policy", "Regulation", "ExportControl"})
AGENT_TYPES = ORG_TYPES | {"Person", "UnnamedSource"}
PLACE_TYPES = frozenset({"Country"})

# Quotation marks: curly pairs and straight double quotes.
OPEN_QUOTES = "“"
CLOSE_QUOTES = "”"
APOS = "'’"


@dataclass(frozen=True)
class Patterns:
    """The parsed ``patterns.yaml`` with the regexes built from it."""

    raw: dict

    def words(self, name: str) -> list[str]:
        return [str(w) for w in self.raw.get(name) or []]


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first, whitespace-tolerant."""
    uniq = sorted({w.strip() for w in words if str(w).strip()}, key=lambda w: (-len(w), w))
    return "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in uniq)


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    """Load ``patterns.yaml`` once (raises ReferenceDataError when it is malformed)."""
    text = resources.files(__package__).joinpath(PATTERNS_FILE).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ReferenceDataError(f"{PATTERNS_FILE}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise ReferenceDataError(f"{PATTERNS_FILE}: expected a mapping of cue lists")
    return Patterns(data)


def wordset(name: str) -> frozenset[str]:
    """A cue list as a lower-case set."""
    return _wordset(name)


@lru_cache(maxsize=None)
def _wordset(name: str) -> frozenset[str]:
    return frozenset(w.lower() for w in patterns().words(name))


@lru_cache(maxsize=None)
def cue_gate(*names: str) -> Gate:
    """The gate of a rule built from these cue lists, matched as whole words."""
    return Gate(cue_words(w for name in names for w in patterns().words(name)), whole_words=True)


@lru_cache(maxsize=None)
def regex_gate(name: str) -> Gate:
    """The gate of a rule built from a list of regexes: each one's literal text."""
    return Gate(w for p in patterns().words(name) for w in literals(p))


@lru_cache(maxsize=None)
def word_regex(name: str, flags: int = re.I) -> re.Pattern[str]:
    """``\\b(?:a|b|c)\\b`` over a cue list."""
    return re.compile(r"(?<![\w-])(?:" + alternation(patterns().words(name)) + r")(?![\w-])", flags)


def slugify(text: str) -> str:
    """ASCII slug: ``Lumière Labs`` -> ``lumiere-labs``, ``GLM-5.2`` -> ``glm-5-2``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def key_slug(key: str) -> str:
    """The slug part of an entity key (``org/zhipu-ai`` -> ``zhipu-ai``)."""
    return key.split("/", 1)[-1]


# ---------------------------------------------------------------- mentions
def sentence_mentions(ctx: TextContext, sent: Span) -> list[Mention]:
    """Mentions inside a sentence, with mentions nested in a longer one dropped."""
    out: list[Mention] = []
    for m in ctx.mentions_in(sent.start, sent.end):
        if m.entity not in ctx.entities:
            continue
        if out and m.span.start < out[-1].span.end:
            # Overlap: keep the longer one (mentions are sorted by start, then longest first).
            if m.span.end - m.span.start > out[-1].span.end - out[-1].span.start:
                out[-1] = m
            continue
        out.append(m)
    return out


def etype(ctx: TextContext, key: str) -> str:
    ref = ctx.entities.get(key)
    return ref.type if ref else ""


def ensure_entity(ctx: TextContext, key: str, label: str, type_: str, alias: str | None = None,
                  country: str | None = None) -> str:
    """Add an entity the rules synthesized (a policy, a license, an unnamed source) unless present."""
    ref = ctx.entities.get(key)
    if ref is None:
        ref = ctx.entities[key] = EntityRef(key=key, label=label, type=type_, country=country)
    if alias and alias != ref.label:
        ref.aliases.add(alias)
    return key


def names_of(ref: EntityRef) -> set[str]:
    return {ref.label, *ref.aliases}


def find_entity_by_name(ctx: TextContext, name: str, types: Iterable[str] | None = None) -> str | None:
    """An entity of the document whose label or alias is ``name`` (case-insensitive)."""
    wanted = name.casefold()
    allowed = set(types) if types else None
    for key in sorted(ctx.entities):
        ref = ctx.entities[key]
        if allowed is not None and ref.type not in allowed:
            continue
        if any(n.casefold() == wanted for n in names_of(ref)):
            return key
    return None


@lru_cache(maxsize=1)
def _reference_countries() -> dict[str, tuple[str, str | None]]:
    """Country label/alias (casefolded) -> (key, wikidata) from the bundled reference data."""
    from policykg.loaders.reference import load_reference
    out: dict[str, tuple[str, str | None]] = {}
    try:
        ref = load_reference()
    except Exception:  # reference data problems are reported by the entity layer, not here
        return out
    for e in ref.entries:
        if e.type == "Country":
            for n in e.names:
                out.setdefault(n.casefold(), (e.key, e.wikidata))
    return out


def country_key(ctx: TextContext, country_label: str) -> str:
    """The Country entity for a country name: the document's, the reference's, or a new one."""
    found = find_entity_by_name(ctx, country_label, ["Country"])
    if found:
        return found
    hit = _reference_countries().get(country_label.casefold())
    if hit:
        key, wikidata = hit
        if key not in ctx.entities:
            ctx.entities[key] = EntityRef(key=key, label=country_label, type="Country",
                                          wikidata=wikidata, in_reference=True)
        return key
    return ensure_entity(ctx, "place/" + slugify(country_label), country_label, "Country")


@lru_cache(maxsize=1)
def demonym_regex() -> re.Pattern[str]:
    """Demonyms and country adjectives (case-sensitive: 'US', 'Chinese')."""
    dem = patterns().raw.get("demonyms") or {}
    return re.compile(r"(?<![\w.-])(?:" + alternation(dem) + r")(?![\w-])")


def demonym_country(word: str) -> str | None:
    dem = patterns().raw.get("demonyms") or {}
    return dem.get(re.sub(r"\s+", " ", word))


def government_of(ctx: TextContext, country: str) -> str:
    """A GovernmentBody standing for a country's government ('the US government', 'Washington')."""
    ref = ctx.entities.get(country)
    label = ref.label if ref else key_slug(country).replace("-", " ").title()
    for key in sorted(ctx.entities):
        r = ctx.entities[key]
        if r.type == "GovernmentBody" and r.label.casefold() in {
                f"{label} government".casefold(), f"government of {label}".casefold()}:
            return key
    return ensure_entity(ctx, f"org/{key_slug(country)}-government", f"{label} government",
                         "GovernmentBody", country=country)


# ---------------------------------------------------------------- clause tests
@lru_cache(maxsize=1)
def negation_regex() -> re.Pattern[str]:
    words = [w for w in patterns().words("negations") if w != "n't"]
    return re.compile(r"(?:n['’]t\b|(?<![\w-])(?:" + alternation(words) + r")(?![\w-]))", re.I)


def is_negated(text: str) -> bool:
    """True when the clause text carries a negation word."""
    return negation_regex().search(text) is not None


def is_hypothetical(text: str) -> bool:
    return word_regex("hypotheticals").search(text) is not None


def clause_bounds(sent: Span, pos: int) -> tuple[int, int]:
    """The clause around ``pos``: cut at ';', ':', ' — ', and ', but/while/although/whereas'."""
    text = sent.text
    rel = pos - sent.start
    left = 0
    for m in _CLAUSE_BREAK.finditer(text, 0, rel):
        left = m.end()
    m = _CLAUSE_BREAK.search(text, rel)
    right = m.start() if m else len(text)
    return sent.start + left, sent.start + right


_CLAUSE_BREAK = re.compile(r";|:\s|\s[—–]\s|,\s+(?:but|while|whereas|although|though|yet)\s", re.I)


def trim_span(ctx: TextContext, start: int, end: int) -> Span | None:
    """A span without surrounding whitespace and dangling punctuation (None when empty)."""
    text = ctx.text
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
        end -= 1
    if end <= start:
        return None
    return ctx.span(start, end)


def sentence_index(ctx: TextContext, pos: int) -> int:
    """Index of the sentence containing ``pos`` (or the last one starting before it)."""
    from bisect import bisect_right
    starts = _sentence_starts(ctx)
    return max(0, bisect_right(starts, pos) - 1)


def _sentence_starts(ctx: TextContext) -> list[int]:
    cached = getattr(ctx, "_kft_starts", None)
    if cached is None or len(cached) != len(ctx.sentences):
        cached = [s.start for s in ctx.sentences]
        object.__setattr__(ctx, "_kft_starts", cached)
    return cached


def recent_entity(ctx: TextContext, before: int, types: Iterable[str], max_sentences: int = 2,
                  unique: bool = False) -> str | None:
    """The nearest entity of ``types`` mentioned before ``before`` within the current and the
    previous ``max_sentences`` sentences. With ``unique``, only when exactly one such entity occurs."""
    allowed = set(types)
    idx = sentence_index(ctx, before)
    lo = ctx.sentences[max(0, idx - max_sentences)].start if ctx.sentences else 0
    found: list[str] = []
    for m in reversed(ctx.mentions_in(lo, before)):
        if m.span.end <= before and etype(ctx, m.entity) in allowed and m.entity not in found:
            found.append(m.entity)
    if not found:
        return None
    if unique and len(found) > 1:
        return None
    return found[0]
