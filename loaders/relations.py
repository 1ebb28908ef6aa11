"""Relations between entities from sentence patterns.

Each rule reads one content sentence with its resolved mentions and emits ``Fact`` records whose
``rule`` names the pattern. Patterns look at the words *between* two mentions (the "gap"), so
they stay linear in sentence length and cannot jump over another named entity. Negated
statements ("X was not included") become ``Fact(negated=True)``; hypothetical ones yield nothing.

Passives read the agent after "by": "Fable 5 was developed by Anthropic", "X, a chatbot ..., was
banned by the commission" (the subject restricted, the agent the issuer; "the ministry" names the
one body of that kind just mentioned), "the order was rescinded by the Commerce Department".

Policies are entities too: when a government body orders, bans or restricts a company or its
models, the rule uses the policy the text names, or synthesizes one keyed by issuer and addressee
(``policy/<issuer-slug>-order-<target-slug>``) so every sentence about the same order, in any
document that names the same issuer and target, lands on the same node.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from policykg.loaders import cues as C
from policykg.loaders.context import TextContext
from policykg.loaders.gates import Gate
from policykg.loaders.records import Fact, Mention, Span

MAX_GAP = 110          # characters between two mentions a pattern may span
PAIR_WINDOW = 5        # how many following mentions each mention is paired with


# ---------------------------------------------------------------- compiled patterns
@lru_cache(maxsize=1)
def _rx() -> dict[str, re.Pattern[str]]:
    P = C.patterns()
    A = C.alternation
    dem = A((P.raw.get("demonyms") or {}).keys())
    heads = A(P.words("role_heads"))
    mods = A(P.words("role_modifiers"))
    # a place name used as an adjective before a common noun: "the Seoul startup X"
    place_adj = r"(?:[A-Z][a-z]+\s+(?=[a-z]))?"
    capitals = A((P.raw.get("capital_metonyms") or {}).keys())
    lowmod = r"(?:(?!(?:to|about|on|against|with|for|that|which|who|of|by|from|in|at|and|or|but|not)\b)[a-z][\w’'-]*,?\s+)"
    return {
        # org ... released ... artifact
        "dev_active": re.compile(
            r"\s*,?\s*(?:(?:has|have|had|also|recently|quietly|officially|then|now|just|first)\s+){0,2}"
            r"(?:" + A(P.words("develop_verbs")) + r")\s+" + lowmod + r"{0,4}(?:called\s+|named\s+|dubbed\s+)?", re.I),
        # artifact, developed by ... org
        "dev_passive": re.compile(
            r"\s*,?\s*(?:(?:which|that)\s+)?(?:(?:is|was|were|are|has been|had been|being)\s+)?"
            r"(?:(?:an?|the)\s+" + lowmod + r"{0,4})?"
            r"(?:(?:jointly|originally|also|first)\s+)?(?:" + A(P.words("develop_by_verbs")) + r")"
            r"(?:\s+and\s+\w+)?\s+by\s+(?:(?:the|a|an)\s+)?" + place_adj +
            r"(?:(?:[a-z][\w-]*|[A-Z][\w.]*-based|" + dem + r")\s+){0,3}", 0),
        "dev_possessive": re.compile(r"['’]s?\s+" + lowmod + r"{0,3}"),
        "dev_from": re.compile(r"\s+from\s+(?:the\s+)?" + place_adj + r"(?:(?:[a-z][\w-]*|" + dem + r")\s+){0,2}"),
        "dev_which": re.compile(r"\s*,\s*which\s+"),
        "dev_which_tail": re.compile(
            r"\s+(?:(?:has|had|have|also|then|first)\s+)?(?:" + A(P.words("develop_verbs")) + r")\b", re.I),
        # "its new Fable 5 and Mythos 5 models", "its advanced models, Mythos and Fable 5"
        "its_before": re.compile(r"\b(?:its|their)\s+(?:(?!(?:to|for|and|or|by|of)\b)[\w’'-]+,?\s+){0,4}$", re.I),
        "coord": re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s*&\s*)"),
        # roles
        "title_before": re.compile(
            r"(?:^|(?<=[\s(“\"]))(?P<phrase>(?:(?:[A-Z][\w.’'&-]*|(?i:" + mods + r"))\s+){0,4}"
            r"(?P<head>(?i:" + heads + r"))(?:\s+of\s+(?:the\s+)?(?:[A-Z0-9][\w.’'&-]*\s*){1,4})?)\s*,?\s*$"),
        "appos_at": re.compile(
            r",\s+(?:(?:a|an|the)\s+)?(?P<phrase>(?:(?:[\w’'.-]+)\s+){0,3}?(?P<head>(?i:" + heads + r")))"
            r"\s+(?:at|of|with|for|from|in)\s+(?:the\s+)?"),
        "appos_poss": re.compile(
            r",\s+(?:the\s+)?(?P<org>.{1,60}?)['’]s?\s+(?P<phrase>(?:[\w-]+\s+){0,2}(?P<head>(?i:" + heads + r"))"
            r"(?:\s+of\s+[a-z][\w\s-]{0,40}?)?)(?=\s*[,.;]|\s+(?:and|who|said|says)\b)"),
        "appos_bare": re.compile(
            r",\s+(?:(?:a|an|the)\s+)?(?P<phrase>(?:(?:[\w’'.-]+)\s+){0,3}?(?P<head>(?i:" + heads + r"))"
            r"(?:\s+of\s+[\w\s-]{1,40}?)?)\s*(?=,|\.|;|$)"),
        "appos_who": re.compile(
            r",\s+(?:(?:a|an|the)\s+[\w-]+\s+)?who\s+(?:(?:has|have|had|previously|formerly|once|also)\s+){0,2}"
            r"(?P<phrase>(?:" + A(P.words("affiliation_verbs")) + r")(?:\s+[\w-]+){0,3}?)\s+(?:at|of|for|with)\s+(?:the\s+)?"),
        # membership
        "members_of": re.compile(
            r"(?:,\s*)?(?:and\s+)?(?:other\s+|fellow\s+)?members?\s+of\s+(?:what\s+(?:it|they|he|she|we)\s+calls?\s+)?(?:the\s+)?", re.I),
        "members_include": re.compile(
            r"\b(?P<det>its|their|the\s+\w+['’]s|whose)?\s*members\s+(?:include|includes|included|are|were|such\s+as|comprise)\s+", re.I),
        "including": re.compile(r"\s*,?\s*(?:which\s+includes?|including|whose\s+members\s+include|such\s+as)\s+", re.I),
        "coalition_name": re.compile(
            r"(?:what\s+(?:it|they|he|she|we)\s+calls?\s+(?:the\s+)?)?[\"“]?(?P<name>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,4})[\"”]?"
            r"\s+(?P<noun>(?i:" + A(P.words("coalition_nouns")) + r"))\b"),
        "called_name": re.compile(
            r"what\s+(?:it|they|he|she|we)\s+calls?\s+(?:the\s+)?[\"“]?(?P<name>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,4})[\"”]?"),
        "capital_coalition": re.compile(
            r"\b(?P<name>(?:[A-Z][\w.&-]*\s+){1,4}(?:Coalition|Alliance|Consortium|Partnership|Initiative|Forum|Network|Pact))\b"),
        "not_member": re.compile(
            r"\s+(?:was|were|is|are|has\s+not\s+been|have\s+not\s+been)\s+(?:not\s+|never\s+)?(?:been\s+)?"
            r"(?:included|part|a\s+member|members|among|invited|admitted|listed)\b", re.I),
        "excluded": re.compile(r"\s+(?:was|were|is|are|has\s+been|have\s+been)\s+(?:left\s+out|excluded|shut\s+out)\b", re.I),
        # basedIn
        "demonym_before": re.compile(
            r"(?P<dem>" + dem + r")\s+(?:(?!(?:and|or|of|by|to|the|a|an|government|administration|officials)\b)(?:[A-Z]{2,}|[a-z][\w-]*(?<!ed)(?<!ing))\s+){0,3}?(?:" + A(P.words("org_nouns")) + r")\s*,?\s*$"),
        # "the London lab Halcyon Research": a capital city before an organisation noun
        "capital_before": re.compile(
            r"(?<![\w-])(?P<city>" + capitals + r")\s+(?:[a-z][\w-]*\s+){0,2}?(?:" + A(P.words("org_nouns")) + r")\s*,?\s*$"),
        # "the Indonesian Chamber of Commerce": a demonym that opens the name itself
        "demonym_name": re.compile(r"(?P<dem>" + dem + r")\s"),
        "based_before": re.compile(r"(?P<place>[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)-based\s+(?:[a-z][\w-]*\s+){0,2}$"),
        "country_poss": re.compile(r"['’]s?\s+(?:[a-z][\w-]*\s+){0,2}"),
        "developed_in": re.compile(
            r"\s*,\s*(?:(?:an?|the)\s+" + lowmod + r"{0,4})?(?:(?:is|was|were|being)\s+)?"
            r"(?:developed|built|made|created|trained|designed|produced)\s+in\s+(?:the\s+)?"),
        "demonym_group": re.compile(
            r"(?P<dem>" + dem + r")\s+(?:[\w-]+\s+){0,3}?(?:models|labs|companies|firms|developers|rivals|"
            r"alternatives|systems|players|startups|groups|giants)\b[^.:;]{0,80}?(?::|\bsuch\s+as\b|\bincluding\b|\blike\b)"),
        # licenses and open weights
        "license": re.compile(
            r"\bunder\s+(?:an?|the|its|their)\s+(?P<name>(?:[A-Z][\w.+-]*)(?:\s+(?:[A-Z][\w.+-]*|\d[\d.]*))*)"
            r"(?P<qual>(?:\s+(?i:" + A(P.words("license_qualifiers")) + r"))*)\s+(?i:licen[sc]e)\b"),
        "open_weights": re.compile(r"(?<![\w-])(?:" + A(P.words("open_weight_cues")) + r")(?![\w-])", re.I),
        "compare": re.compile(r"(?<![\w-])(?:" + A(P.words("compare_cues")) + r")(?![\w-])", re.I),
        # policies
        "restrict_verb": C.word_regex("restrict_verbs"),
        "restrict_noun": re.compile(
            r"(?<![\w-])(?:" + A(P.words("restrict_nouns")) + r")\s+(?:on|against|targeting|covering)\s+", re.I),
        "rescind": re.compile(r"(?<![\w-])(?:" + "|".join(P.words("rescind_cues")) + r")(?![\w-])", re.I),
        "gov_head": re.compile(r"\s*(?:['’]s\s+)?(?:" + A(P.words("government_heads")) + r")\b", re.I),
        "admin_head": re.compile(r"\s+[Aa]dministration\b"),
        "target_stop": re.compile(
            r"\b(?:since|because|after|citing|following|while|but|although|who|whose|as\s+well\s+as\s+on|"
            r"(?:developed|created|built|made|owned|operated|run)\s+by)\b|[;:]", re.I),
        # passives: "was banned by", "were ordered by", "has been barred by"
        "passive_aux": re.compile(r"(?<![\w-])(?:was|were|is|are|been|being)\s+(?:(?:not|never|also|later|then|"
                                  r"formally|effectively|temporarily|subsequently)\s+)?$", re.I),
        "passive_by": re.compile(r"\s+by\s+"),
        "rescind_passive": re.compile(
            r"(?<![\w-])(?:was|were|been|being)\s+(?:(?:later|quietly|formally|then|finally|also|partly)\s+)?"
            r"(?:lifted|withdrawn|revoked|rescinded|repealed|reversed|rolled\s+back|scrapped|overturned)\s+by\s+", re.I),
        "role_owner_anaphor": re.compile(
            r"(?:[Ii]ts|[Tt]heir|(?:[Tt]he\s+)?(?P<noun>company|firm|startup|lab|group|ministry|agency|regulator|"
            r"commission|institute|university)['’]s)\s+"),
        "impose_verb": re.compile(r"impos(?:ed|es|e|ing)", re.I),
        "object_gap": re.compile(r"\s+(?:(?:an?|the|its|their|new|sweeping|broad|strict|tough|temporary|blanket)\s+){0,3}"),
        "restrict_on": re.compile(r"\s+(?:on|against|targeting|covering)\s+", re.I),
        "country_poss_only": re.compile(r"['’]s?\s+"),
        "agent_gap": re.compile(r"(?:the\s+)?", re.I),
        "agent_anaphor": re.compile(r"the\s+(?P<head>ministry|agency|department|regulator|office|commission|authority)\b", re.I),
        "clause_open": re.compile(r"(?:[A-Z][\w-]*\s+(?:[\w-]+\s+){0,3}?)?(?:[Tt]he\s+|[Ii]ts\s+|[Tt]heir\s+)?(?:[a-z][\w-]*\s+){0,3}"),
        "apposition": re.compile(r",\s+[^,;:]{1,80},\s*"),
        "gap_verb": re.compile(r"\b(?:that|which|who|said|says|and\s+then)\b", re.I),
        "gap_neg": re.compile(r"\b(?:not|never|n['’]t)\b", re.I),
    }


# ---------------------------------------------------------------- collector
@dataclass
class _Out:
    ctx: TextContext
    facts: dict[tuple[str, str, str, bool], Fact] = field(default_factory=dict)
    # policy key -> (issuer, addressee and targets, first offset)
    policies: dict[str, tuple[str, set[str], int]] = field(default_factory=dict)
    coalitions: list[tuple[int, str]] = field(default_factory=list)   # (offset, key)

    def add(self, subject: str, predicate: str, obj: str, evidence: Span, rule: str, *,
            literal: bool = False, negated: bool = False, qualifiers: dict[str, str] | None = None) -> None:
        if not literal and subject == obj:
            return
        k = (subject, predicate, obj, negated)
        if k in self.facts:
            return
        self.facts[k] = Fact(subject=subject, predicate=predicate, object=obj, evidence=evidence, rule=rule,
                             object_is_literal=literal, negated=negated, qualifiers=dict(qualifiers or {}))

    def note_policy(self, policy: str, issuer: str, targets: set[str], offset: int) -> None:
        """Remember who issued ``policy`` and what it addresses (the first offset stays)."""
        known = self.policies.get(policy)
        self.policies[policy] = (issuer, (known[1] if known else set()) | targets, known[2] if known else offset)


def extract_facts(ctx: TextContext) -> list[Fact]:
    """Relations and attributes found in the context's sentences."""
    return list(_analyse(ctx).facts_sorted)


@dataclass
class Analysis:
    """What the relation rules found in one document; claims and events reuse it."""

    facts_sorted: list[Fact]
    policies: dict[str, tuple[str, set[str], int]]
    developer: dict[str, str]          # artifact key -> developer key


def analyse(ctx: TextContext) -> Analysis:
    """The relation analysis of a context, computed once per context."""
    return _analyse(ctx)


def _analyse(ctx: TextContext) -> Analysis:
    cached = getattr(ctx, "_kft_relations", None)
    if cached is not None and cached[0] == (len(ctx.mentions), len(ctx.sentences)):
        return cached[1]
    out = _Out(ctx)
    per_sentence = [(s, C.sentence_mentions(ctx, s)) for s in ctx.sentences]
    for sent, ms in per_sentence:
        _coalition_names(ctx, sent, ms, out)
        _pairs(ctx, sent, ms, out)
        _its_models(ctx, sent, ms, out)
        _roles(ctx, sent, ms, out)
        _restrictions(ctx, sent, ms, out)
        _membership(ctx, sent, ms, out)
        _demonym_groups(ctx, sent, ms, out)
        _licenses(ctx, sent, ms, out)
        _open_weights(ctx, sent, ms, out)
        _comparisons(ctx, sent, ms, out)
    developer = {f.subject: f.object for f in sorted(out.facts.values(), key=lambda f: f.evidence.start)
                 if f.predicate == "developedBy" and not f.negated and f.subject not in ()}
    for sent, ms in per_sentence:
        _developed_in(ctx, sent, ms, out, developer)
        _rescissions(ctx, sent, ms, out, developer)
    facts = sorted(out.facts.values(), key=lambda f: (f.evidence.start, f.predicate, f.subject, f.object, f.negated))
    result = Analysis(facts, out.policies, developer)
    object.__setattr__(ctx, "_kft_relations", ((len(ctx.mentions), len(ctx.sentences)), result))
    return result


# ---------------------------------------------------------------- pairwise gap patterns
def _pairs(ctx: TextContext, sent: Span, ms: list[Mention], out: _Out) -> None:
    text = ctx.text
    rx = _rx()
    for i, a in enumerate(ms):
        ta = C.etype(ctx, a.entity)
        for j in range(i + 1, min(len(ms), i + 1 + PAIR_WINDOW)):
            b = ms[j]
            if b.span.start - a.span.end > MAX_GAP:
                break
            between = ms[i + 1:j]
            # Only country words (adjectives like "China-based") may sit between the pair.
            if any(C.etype(ctx, m.entity) not in C.PLACE_TYPES and m.entity not in (a.entity, b.entity)
                   for m in between):
                continue
            tb = C.etype(ctx, b.entity)
            gap = text[a.span.end:b.span.start]
            if ta in C.DEVELOPER_TYPES - {"Person"} and tb in C.ARTIFACT_TYPES:
                for name in ("dev_possessive", "dev_active"):
                    if name == "dev_possessive" and between:
                        continue
                    if rx[name].fullmatch(gap):
                        for art in _coordinated(ctx, ms, j, C.ARTIFACT_TYPES):
                            out.add(art, "developedBy", a.entity, sent, f"developedBy.{name[4:]}")
                        break
            if ta in C.ARTIFACT_TYPES and tb in C.DEVELOPER_TYPES:
                if rx["dev_passive"].fullmatch(gap) or rx["dev_from"].fullmatch(gap):
                    name = "passive" if rx["dev_passive"].fullmatch(gap) else "from"
                    out.add(a.entity, "developedBy", b.entity, sent, f"developedBy.{name}")
                elif rx["dev_which"].fullmatch(gap) and rx["dev_which_tail"].match(text, b.span.end):
                    out.add(a.entity, "developedBy", b.entity, sent, "developedBy.which-released")
            if ta in C.PLACE_TYPES and tb in C.ORG_TYPES and not between and rx["country_poss"].fullmatch(gap):
                out.add(b.entity, "basedIn", a.entity, sent, "basedIn.country-possessive")
        if ta in C.ORG_TYPES:
            _based_before(ctx, sent, a, out)


def _coordinated(ctx: TextContext, ms: list[Mention], j: int, types: frozenset[str]) -> list[str]:
    """The mention at ``j`` and those coordinated with it ("Fable 5 and Mythos 5")."""
    found = [ms[j].entity]
    k = j
    while k + 1 < len(ms) and C.etype(ctx, ms[k + 1].entity) in types:
        gap = ctx.text[ms[k].span.end:ms[k + 1].span.start]
        if not _rx()["coord"].fullmatch(gap):
            break
        k += 1
        found.append(ms[k].entity)
    return found


def _coordinated_before(ctx: TextContext, ms: list[Mention], j: int, types: frozenset[str]) -> list[str]:
    """The mention at ``j`` and those coordinated before it ("Amazon, Microsoft, Google")."""
    found = [ms[j].entity]
    k = j
    while k - 1 >= 0 and C.etype(ctx, ms[k - 1].entity) in types:
        gap = ctx.text[ms[k - 1].span.end:ms[k].span.start]
        if not _rx()["coord"].fullmatch(gap):
            break
        k -= 1
        found.append(ms[k].entity)
    return found[::-1]


def _its_models(ctx: TextContext, sent: Span, ms: list[Mention], out: _Out) -> None:
    """"<company> ... its new Fable 5 and Mythos 5 models": the nearest company before 'its'."""
    rx = _rx()
    for j, b in enumerate(ms):
        if C.etype(ctx, b.entity) not in C.ARTIFACT_TYPES:
            continue
        lo = max(sent.start, b.span.start - 70)
        m = rx["its_before"].search(ctx.text, lo, b.span.start)
        if not m or ctx.mentions_in(m.start(), b.span.start):
            continue
        owner = None
        for a in reversed(ms[:j]):
            if a.span.end <= m.start() and C.etype(ctx, a.entity) in {"Company", "ResearchInstitution", "Organization"}:
                owner = a.entity
                break
        if owner:
            for art in _coordinated(ctx, ms, j, C.ARTIFACT_TYPES):
                out.add(art, "developedBy", owner, sent, "developedBy.its")


# ---------------------------------------------------------------- basedIn
def _based_before(ctx: TextContext, sent: Span, org: Mention, out: _Out) -> None:
    rx = _rx()
    lo = max(sent.start, org.span.start - 70)
    window = ctx.text[lo:org.span.start]
    m = rx["demonym_before"].search(window)
    if m:
        country = C.demonym_country(m.group("dem"))
        if country:
            out.add(org.entity, "basedIn", C.country_key(ctx, country), sent, "basedIn.demonym")
            return
    m = rx["capital_before"].search(window)
    if m:
        capitals = C.patterns().raw.get("capital_metonyms") or {}
        country = capitals.get(re.sub(r"\s+", " ", m.group("city")))
        if country:
            out.add(org.entity, "basedIn", C.country_key(ctx, country), sent, "basedIn.capital")
            return
    m = rx["demonym_name"].match(org.span.text)
    if m and C.demonym_country(m.group("dem")):
        out.add(org.entity, "basedIn", C.country_key(ctx, C.demonym_country(m.group("dem"))), sent,
                "basedIn.demonym-name")
        return
    m = rx["based_before"].search(window)
    if m:
        place = m.group("place")
        country = C.demonym_country(place) or (place if C.find_entity_by_name(ctx, place, ["Country"]) else None)
        if country:
            out.add(org.entity, "basedIn", C.country_key(ctx, country), sent, "basedIn.country-based")


def _demonym_groups(ctx: TextContext, sent: Span, ms: list[Mention], out: _Out) -> None:
    """"Chinese open models ...: Moonshot's Kimi, Alibaba's Qwen" -> the listed makers are Chinese."""
    m = _rx()["demonym_group"].search(sent.text)
    if not m or C.is_negated(sent.text[:m.start()] + " " + sent.text[m.start():m.end()]):
        return
    country = C.demonym_country(m.group("dem"))
    if not country:
        return
    after = sent.start + m.end()
    for mention in ms:
        if mention.span.start >= after and C.etype(ctx, mention.entity) in C.ORG_TYPES - {"GovernmentBody"}:
            out.add(mention.entity, "basedIn", C.country_key(ctx, country), sent, "basedIn.demonym-list")


def _developed_in(ctx: TextContext, sent: Span, ms: list[Mention], out: _Out, developer: dict[str, str]) -> None:
    """"GLM-5.2, an open-weight model developed in China" -> its developer is based in China."""
    for i, a in enumerate(ms[:-1]):
        b = ms[i + 1]
        if C.etype(ctx, a.entity) in C.ARTIFACT_TYPES and C.etype(ctx, b.entity) in C.PLACE_TYPES:
            if _rx()["developed_in"].fullmatch(ctx.text[a.span.end:b.span.start]) and a.entity in developer:
                out.add(developer[a.entity], "basedIn", b.entity, sent, "basedIn.developed-in")


# ---------------------------------------------------------------- roles and affiliations
def title_before(ctx: TextContext, lo: int, hi: int) -> re.Match | None:
    """A title ending ``text[lo:hi]`` ("OpenAI CEO", "the founder of 360 Security,"); the search,
    slow for its ``$`` anchor, runs only where a role head word is."""
    if not ctx.may_contain(C.cue_gate("role_heads"), lo, hi):
        return None
    return _rx()["title_before"].search(ctx.text, lo, hi)


_CORPORATE_HEADS = {"founder", "co-founder", "cofounder", "ceo", "chief executive", "chief executive officer",
                    "president", "chairman", "chairwoman", "cto", "chief scientist", "spokesperson",
                    "spokesman", "spokeswoman", "chief technology officer"}


def _roles(ctx: TextContext, sent: Span, ms: list[Mention], out: _Out) -> None:
    for j, p in enumerate(ms):
        if C.etype(ctx, p.entity) != "Person":
            continue
        # 1. Title before the name: "OpenAI CEO Sam Altman", "the founder of 360 Security, Zhou Hongyi".
        lo = max(sent.start, p.span.start - 90)
        m = title_before(ctx, lo, p.span.start)
        if m and not _names_other_person(ctx, ms, m.start(), p.span.start, p.entity):
            _title_role(ctx, sent, ms, p, m, out)
        # 2. Apposition after the name.
        hi = min(sent.end, p.span.end + 140)
        _apposition(ctx, sent, ms, j, p, hi, out)


def _names_other_person(ctx: TextContext, ms: list[Mention], start: int, end: int, person: str) -> bool:
    return any(start <= m.span.start < end and C.etype(ctx, m.entity) == "Person" and m.entity != person
               for m in ms)


def _title_role(ctx: TextContext, sent: Span, ms: list[Mention], p: Mention, m: re.Match, out: _Out) -> None:
    text = ctx.text
    ps, pe = m.span("phrase")
    orgs = [x for x in ms if ps <= x.span.start and x.span.end <= pe and C.etype(ctx, x.entity) in C.ORG_TYPES]
    role_start, role_end = ps, pe
    org = None
    if orgs:
        org = orgs[-1]
        if org.span.end <= m.start("head"):
            role_start = org.span.end
            # drop the possessive "'s" after the organization
            while role_start < role_end and text[role_start] in "'’s \t":
                if text[role_start] == "s" and text[role_start - 1] not in "'’":
                    break
                role_start += 1
        else:
            role_end = org.span.start
            role_end = text.rfind(" of ", ps, role_end) if " of " in text[ps:role_end] else role_end
    lead = _rx()["role_owner_anaphor"].match(text, role_start, role_end) if org is None else None
    if lead:
        role_start = lead.end()         # "Its founder, Claire Morel": the role is "founder"
    role = _clean_role(text[role_start:role_end], at_sentence_start=(ps == sent.start))
    if not role:
        return
    out.add(p.entity, "role", role, sent, "role.title", literal=True)
    if lead:
        owner = _anaphor_owner(ctx, lead, ps)
        if owner:
            out.add(p.entity, "affiliatedWith", owner, sent, "affiliation.title-anaphor", qualifiers={"role": role})
        return
    if org is not None:
        out.add(p.entity, "affiliatedWith", org.entity, sent, "affiliation.title", qualifiers={"role": role})
        return
    # "Commerce Secretary Howard Lutnick": a title word that names a body of the document.
    words = [w for w in re.findall(r"[A-Z][\w-]+", role) if w.lower() not in C.wordset("role_heads")
             and w.lower() not in C.wordset("role_modifiers")]
    for w in words:
        for key in sorted(ctx.entities):
            ref = ctx.entities[key]
            if ref.type in C.ORG_TYPES and any(re.search(r"\b" + re.escape(w) + r"\b", n) for n in C.names_of(ref)):
                out.add(p.entity, "affiliatedWith", key, sent, "affiliation.title-body", qualifiers={"role": role})
                return
    # "Founder Jie Tang declared ...": a bare corporate title right after a company was named.
    if role.lower() in _CORPORATE_HEADS and role_start == ps:
        company = C.recent_entity(ctx, ps, {"Company", "ResearchInstitution"}, max_sentences=1)
        if company:
            out.add(p.entity, "affiliatedWith", company, sent, "affiliation.title-context", qualifiers={"role": role})


def _clean_role(role: str, at_sentence_start: bool = False) -> str:
    role = re.sub(r"\s+", " ", role).strip(" ,’'")
    role = re.sub(r"^(?:the|a|an)\s+", "", role, flags=re.I)
    if role and role.split()[0].lower() in C.wordset("role_heads") | C.wordset("role_modifiers") \
            and len(role.split()) <= 3 and role.split()[0].istitle() and not any(w[0].isupper() for w in role.split()[1:]):
        role = role[0].lower() + role[1:]     # "Founder" at a sentence start -> "founder"
    return role


def _apposition(ctx: TextContext, sent: Span, ms: list[Mention], j: int, p: Mention, hi: int, out: _Out) -> None:
    rx = _rx()
    text = ctx.text
    nxt = [x for x in ms[j + 1:] if x.span.start < hi]
    m = rx["appos_at"].match(text, p.span.end, hi)
    if m:
        orgs = [x for x in nxt if x.span.start >= m.end() - 1 and C.etype(ctx, x.entity) in C.ORG_TYPES]
        if orgs and orgs[0].span.start - m.end() <= 1 and not _person_between(ctx, nxt, m.end(), orgs[0].span.start):
            role = _clean_role(m.group("phrase"))
            out.add(p.entity, "role", role, sent, "role.apposition", literal=True)
            k = ms.index(orgs[0])
            for org in _coordinated(ctx, ms, k, C.ORG_TYPES):
                out.add(p.entity, "affiliatedWith", org, sent, "affiliation.apposition", qualifiers={"role": role})
            return
    m = rx["appos_poss"].match(text, p.span.end, hi)
    if m:
        orgs = [x for x in nxt if m.start("org") <= x.span.start and x.span.end <= m.end("org") + 2
                and C.etype(ctx, x.entity) in C.ORG_TYPES]
        if orgs:
            role = _clean_role(m.group("phrase"))
            out.add(p.entity, "role", role, sent, "role.apposition", literal=True)
            out.add(p.entity, "affiliatedWith", orgs[-1].entity, sent, "affiliation.apposition-possessive",
                    qualifiers={"role": role})
            return
        # "Min-jun Park, the company's co-founder,": the company named just before
        lead = rx["role_owner_anaphor"].match(text, m.start("org"), m.start("phrase"))
        if lead and lead.group("noun") and lead.end() == m.start("phrase"):
            owner = _anaphor_owner(ctx, lead, p.span.start)
            if owner:
                role = _clean_role(m.group("phrase"))
                out.add(p.entity, "role", role, sent, "role.apposition", literal=True)
                out.add(p.entity, "affiliatedWith", owner, sent, "affiliation.apposition-anaphor", qualifiers={"role": role})
                return
    m = rx["appos_who"].match(text, p.span.end, hi)
    if m:
        orgs = [x for x in nxt if x.span.start >= m.end() - 1 and C.etype(ctx, x.entity) in C.ORG_TYPES]
        if orgs and orgs[0].span.start - m.end() <= 1:
            role = re.sub(r"\s+", " ", m.group("phrase"))
            k = ms.index(orgs[0])
            for org in _coordinated(ctx, ms, k, C.ORG_TYPES):
                out.add(p.entity, "affiliatedWith", org, sent, "affiliation.who-clause", qualifiers={"role": role})
            return
    m = rx["appos_bare"].match(text, p.span.end, hi)
    if m and not ctx.mentions_in(m.start(), m.end()):
        role = _clean_role(m.group("phrase"))
        out.add(p.entity, "role", role, sent, "role.apposition", literal=True)
        # "Budi Santoso, Minister of Trade,": the body whose name ends the same ("Ministry of Trade")
        of = re.search(r"\s(of\s+(?:the\s+)?[A-Z][\w\s&-]*)$", role)
        if of:
            tail = of.group(1).casefold()
            bodies = [k for k, ref in sorted(ctx.entities.items()) if ref.type == "GovernmentBody"
                      and any(n.casefold().endswith(tail) for n in C.names_of(ref))]
            if len(bodies) == 1:
                out.add(p.entity, "affiliatedWith", bodies[0], sent, "affiliation.apposition-body",
                        qualifiers={"role": role})


def _anaphor_owner(ctx: TextContext, lead: re.Match, pos: int) -> str | None:
    """The organisation "its" / "the company's" stands for: the nearest one named in this or
    the previous sentence (of the anaphor's kind)."""
    noun = lead.group("noun")
    types = (C.patterns().raw.get("anaphor_heads") or {}).get(f"the {noun.lower()}") if noun else None
    types = set(types) if types else {"Company", "ResearchInstitution", "Organization", "Coalition"}
    return C.recent_entity(ctx, pos, types, max_sentences=1)


def _person_between(ctx: TextContext, ms: list[Mention], start: int, end: int) -> bool:
    return any(start <= x.span.start < end and C.etype(ctx, x.entity) == "Person" for x in ms)


# ---------------------------------------------------------------- membership
def _coalition_names(ctx: TextContext, sent: Span, ms: list[Mention], out: _Out) -> None:
    """Register coalitions the sentence names, so later 'its members' can find them."""
    rx = _rx()
    for x in ms:
        if C.etype(ctx, x.entity) == "Coalition":
            out.coalitions.append((x.span.start, x.entity))
    seen: set[int] = set()
    for name in ("coalition_name", "called_name", "capital_coalition"):
        # each pattern needs one of its words: skip the scan (slow on long runs of capitals) without them
        if not ctx.may_contain(_coalition_gate(name), sent.start, sent.end):
            continue
        for m in rx[name].finditer(sent.text):
            start = sent.start + m.start("name")
            if start in seen:
                continue
            seen.add(start)
            key = _coalition_entity(ctx, sent, ms, m, out, called=(name == "called_name"))
            if key:
                out.coalitions.append((start, key))


@lru_cache(maxsize=None)
def _coalition_gate(name: str) -> Gate:
    """Words one of which every match of the coalition pattern ``name`` contains."""
    if name == "coalition_name":
        return Gate(C.patterns().words("coalition_nouns"))
    if name == "called_name":
        return Gate(["what"])
    return Gate(["Coalition", "Alliance", "Consortium", "Partnership", "Initiative", "Forum", "Network", "Pact"])


def _coalition_entity(ctx: TextContext, sent: Span, ms: list[Mention], m: re.Match, out: _Out,
                      called: bool) -> str | None:
    s, e = sent.start + m.start("name"), sent.start + m.end("name")
    name = m.group("name")
    if name.split()[0] in {"The", "A", "An", "Its", "Their", "This", "That"}:
        return None
    covering = [x for x in ms if x.span.start <= s < x.span.end or s <= x.span.start < e]
    if covering:
        ent = covering[0].entity
        return ent if C.etype(ctx, ent) in C.ORG_TYPES else None
    noun = m.groupdict().get("noun")
    if not called and noun is None and not re.search(r"(?:Coalition|Alliance|Consortium|Partnership|Initiative|Forum|Network|Pact)$", name):
        return None
    if called and noun is None:
        # "what they call the Maple Compute Alliance": only with a coalition-like word nearby
        if not re.search(r"(?:Coalition|Alliance|Consortium|Partnership|Group|Initiative)$", name, re.I):
            return None
    alias = f"{name} {noun}" if noun else None
    return C.ensure_entity(ctx, "org/" + C.slugify(name), name, "Coalition", alias=alias)


def _recent_coalition(out: _Out, before: int, lookback: int = 1200) -> str | None:
    best = None
    for pos, key in out.coalitions:
        if before - lookback <= pos <= before:
            best = key
    return best


def _membership(ctx: TextContext, sent: Span, ms: list[Mention], out: _Out) -> None:
    rx = _rx()
    text = ctx.text
    orgs = C.ORG_TYPES - {"Coalition"}
    for j, x in enumerate(ms):
        if C.etype(ctx, x.entity) not in orgs:
            continue
        # "Amazon, Microsoft, Google, and other members of what it calls the Glasswing coalition"
        m = rx["members_of"].match(text, x.span.end, sent.end)
        if m and (j + 1 == len(ms) or ms[j + 1].span.start >= m.end()):
            coalition = _coalition_at(ctx, ms, m.end(), sent, out)
            if coalition and "members" in m.group(0).lower() or (coalition and "member" in m.group(0).lower()):
                if not C.is_negated(text[sent.start:x.span.start][-40:]):
                    for org in _coordinated_before(ctx, ms, j, orgs):
                        out.add(org, "memberOf", coalition, sent, "memberOf.members-of")
        # "OpenAI was not included in the initial group"
        m = rx["not_member"].match(text, x.span.end, sent.end) or rx["excluded"].match(text, x.span.end, sent.end)
        if m and (C.is_negated(m.group(0)) or "exclu" in m.group(0).lower() or "left" in m.group(0).lower()):
            # skip an apposition between the name and the verb ("Mila, the Quebec institute, was not")
            coalition = _recent_coalition(out, x.span.start)
            if coalition:
                out.add(x.entity, "memberOf", coalition, sent, "memberOf.not-included", negated=True)
    # appositive form: "Mila, the Quebec research institute, was not included"
    for j, x in enumerate(ms):
        if C.etype(ctx, x.entity) not in orgs:
            continue
        am = re.match(r",\s+(?:the|a|an)\s+[^,]{1,60},", text[x.span.end:sent.end])
        if am:
            after = x.span.end + am.end()
            m = rx["not_member"].match(text, after, sent.end)
            if m and C.is_negated(m.group(0)):
                coalition = _recent_coalition(out, x.span.start)
                if coalition:
                    out.add(x.entity, "memberOf", coalition, sent, "memberOf.not-included", negated=True)
    # "Its members include Cohere, Lattice Robotics and Northpine AI"
    for m in rx["members_include"].finditer(sent.text):
        start = sent.start + m.end()
        coalition = None
        if m.group("det") and m.group("det").lower() not in ("its", "their", "whose"):
            coalition = _coalition_at(ctx, ms, sent.start + m.start("det"), sent, out)
        coalition = coalition or _recent_coalition(out, sent.start + m.start())
        first = next((k for k, x in enumerate(ms) if x.span.start >= start), None)
        if coalition and first is not None and ms[first].span.start - start <= 2 \
                and C.etype(ctx, ms[first].entity) in orgs and not C.is_negated(m.group(0)):
            for org in _coordinated(ctx, ms, first, orgs):
                out.add(org, "memberOf", coalition, sent, "memberOf.members-include")
    # "the Glasswing coalition, including Amazon, Microsoft and Google"
    for j, x in enumerate(ms):
        if C.etype(ctx, x.entity) != "Coalition":
            continue
        m = rx["including"].match(text, x.span.end, sent.end)
        nxt = ms[j + 1] if j + 1 < len(ms) else None
        if m and nxt and nxt.span.start - m.end() <= 1 and C.etype(ctx, nxt.entity) in orgs:
            for org in _coordinated(ctx, ms, j + 1, orgs):
                out.add(org, "memberOf", x.entity, sent, "memberOf.including")


def _coalition_at(ctx: TextContext, ms: list[Mention], pos: int, sent: Span, out: _Out) -> str | None:
    """The coalition named at ``pos`` (a mention or a registered name starting within 30 chars)."""
    for x in ms:
        if pos <= x.span.start <= pos + 30 and C.etype(ctx, x.entity) in C.ORG_TYPES:
            return x.entity
    for p, key in out.coalitions:
        if pos <= p <= pos + 30:
            return key
    m = _rx()["coalition_name"].match(ctx.text, pos, sent.end)
    if m:
        return _coalition_entity(ctx, sent, ms, m, out, called=False)
    return None


# ---------------------------------------------------------------- licenses, open weights, comparisons
def _nearest_before(ctx: TextContext, ms: list[Mention], pos: int, types: frozenset[str], lo: int) -> Mention | None:
    for x in reversed(ms):
        if lo <= x.span.start and x.span.end <= pos and C.etype(ctx, x.entity) in types:
            return x
    return None


def _licenses(ctx: TextContext, sent: Span, ms: list[Mention], out: _Out) -> None:
    if not ctx.may_contain(_UNDER, sent.start, sent.end):
        return                      # the license pattern starts with "under"
    for m in _rx()["license"].finditer(sent.text):
        pos = sent.start + m.start()
        lo, _ = C.clause_bounds(sent, pos)
        art = _nearest_before(ctx, ms, pos, C.ARTIFACT_TYPES, sent.start)
        if art is None or C.is_negated(ctx.text[art.span.end:pos]):
            continue
        name = m.group("name")
        ns, ne = sent.start + m.start("name"), sent.start + m.end()
        existing = [x.entity for x in ms if ns <= x.span.start < ne and C.etype(ctx, x.entity) == "License"]
        if existing:
            lic = existing[0]
        else:
            lic = C.ensure_entity(ctx, "license/" + C.slugify(name), f"{name} License", "License",
                                  alias=ctx.text[ns:ne])
        out.add(art.entity, "licensedUnder", lic, sent, "licensedUnder.under")


def _open_weights(ctx: TextContext, sent: Span, ms: list[Mention], out: _Out) -> None:
    if not ctx.may_contain(C.cue_gate("open_weight_cues"), sent.start, sent.end):
        return
    for m in _rx()["open_weights"].finditer(sent.text):
        pos = sent.start + m.start()
        cue = m.group(0).lower()
        if cue.endswith("models"):
            continue
        art = _nearest_before(ctx, ms, pos, frozenset({"AIModel"}), max(sent.start, pos - 160))
        if art is None:
            continue
        between = ctx.text[art.span.end:pos]
        # another model between the name and the cue, or a generic plural: not about this model
        if any(art.span.end <= x.span.start < pos and C.etype(ctx, x.entity) in C.ARTIFACT_TYPES for x in ms):
            continue
        negated = C.is_negated(between)
        out.add(art.entity, "openWeights", "false" if negated else "true", sent, "openWeights.cue", literal=True)


def _compare_cues(ctx: TextContext, start: int, end: int) -> list[re.Match]:
    """Comparison cues in ``[start, end)``; claims ask for the same ranges many times per document."""
    cache = ctx.__dict__.setdefault("_kft_compare_cues", {})
    hit = cache.get((start, end))
    if hit is None:
        hit = cache[(start, end)] = (list(_rx()["compare"].finditer(ctx.text, start, end))
                                     if ctx.may_contain(C.cue_gate("compare_cues"), start, end) else [])
    return hit


def comparisons(ctx: TextContext, sent: Span, ms: list[Mention], start: int, end: int,
                types: frozenset[str]) -> list[tuple[str, str, re.Match, bool]]:
    """(left, right, cue match, negated) for comparison cues in ``[start, end)`` between two
    mentions of ``types`` in the same clause."""
    found = []
    for m in _compare_cues(ctx, start, end):
        cs, ce = m.span()
        lo, hi = C.clause_bounds(sent, cs)
        left = _nearest_before(ctx, ms, cs, types, max(lo, start))
        right = next((x for x in ms if ce <= x.span.start < min(hi, ce + 90) and C.etype(ctx, x.entity) in types), None)
        if left is None or right is None or left.entity == right.entity:
            continue
        # The left side must be the subject: no other candidate between it and the cue.
        negated = C.is_negated(ctx.text[left.span.end:cs])
        found.append((left.entity, right.entity, m, negated))
    return found


def _comparisons(ctx: TextContext, sent: Span, ms: list[Mention], out: _Out) -> None:
    for a, b, m, negated in comparisons(ctx, sent, ms, sent.start, sent.end, C.ARTIFACT_TYPES):
        out.add(a, "comparedWith", b, sent, "comparedWith.cue", negated=negated)


# ---------------------------------------------------------------- policies
def government_actor(ctx: TextContext, ms: list[Mention], idx: int) -> tuple[str, int] | None:
    """The government body a mention stands for, and where its phrase ends: a GovernmentBody,
    '<country> government', a capital used for its government ('Washington'), '<person>
    administration'."""
    x = ms[idx]
    t = C.etype(ctx, x.entity)
    rx = _rx()
    if t == "GovernmentBody":
        return x.entity, x.span.end
    if t == "Country":
        m = rx["gov_head"].match(ctx.text, x.span.end)
        if m:
            return C.government_of(ctx, x.entity), m.end()
        capitals = C.patterns().raw.get("capital_metonyms") or {}
        if x.span.text in capitals:
            return C.government_of(ctx, C.country_key(ctx, capitals[x.span.text])), x.span.end
        return None
    if t == "Person":
        m = rx["admin_head"].match(ctx.text, x.span.end)
        if m:
            ref = ctx.entities[x.entity]
            key = C.ensure_entity(ctx, f"org/{C.key_slug(x.entity)}-administration",
                                  f"{ref.label} administration", "GovernmentBody")
            return key, m.end()
    return None


@lru_cache(maxsize=1)
def _capitals_gate() -> Gate:
    return Gate(C.patterns().raw.get("capital_metonyms") or {})


def _capital_actor(ctx: TextContext, sent: Span, before: int) -> tuple[str, int, int] | None:
    """A capital city named for its government when the entity layer did not resolve it."""
    capitals = C.patterns().raw.get("capital_metonyms") or {}
    if not ctx.may_contain(_capitals_gate(), sent.start, before):
        return None
    best = None
    for name, country in capitals.items():
        for m in re.finditer(r"\b" + re.escape(name) + r"\b", ctx.text[sent.start:before]):
            s = sent.start + m.start()
            if not any(x.span.start <= s < x.span.end for x in ctx.mentions_in(sent.start, sent.end)) \
                    and not re.match(r"\s*['’]s\b|-based", ctx.text[s + len(name):s + len(name) + 8]):
                if best is None or s > best[1]:
                    best = (C.government_of(ctx, C.country_key(ctx, country)), s, s + len(name))
    return best


def _issuer_before(ctx: TextContext, sent: Span, ms: list[Mention], pos: int) -> tuple[str, bool] | None:
    """The government actor that governs the verb at ``pos``, and whether the verb is negated."""
    lo, _ = C.clause_bounds(sent, pos)
    rx = _rx()
    for idx in range(len(ms) - 1, -1, -1):
        x = ms[idx]
        if x.span.end > pos or x.span.start < lo:
            continue
        actor = government_actor(ctx, ms, idx)
        if actor is None:
            continue
        key, end = actor
        gap = ctx.text[end:pos]
        if len(gap) > 70 or rx["gap_verb"].search(gap):
            return None
        others = [y for y in ms if end <= y.span.start < pos and y.entity != x.entity
                  and C.etype(ctx, y.entity) not in {"Country"} and y.span.text not in gap[:0]]
        if any(C.etype(ctx, y.entity) not in {"GovernmentBody"} for y in others):
            return None
        return key, bool(rx["gap_neg"].search(gap))
    cap = _capital_actor(ctx, sent, pos)
    if cap and cap[1] >= lo:
        gap = ctx.text[cap[2]:pos]
        if len(gap) <= 70 and not rx["gap_verb"].search(gap) and not ctx.mentions_in(cap[2], pos):
            return cap[0], bool(rx["gap_neg"].search(gap))
    return None


def policy_key(ctx: TextContext, issuer: str, addressee: str) -> str:
    """A synthesized policy entity for an order of ``issuer`` aimed at ``addressee``."""
    key = f"policy/{C.key_slug(issuer)}-order-{C.key_slug(addressee)}"
    il, al = ctx.entities[issuer].label, ctx.entities[addressee].label
    return C.ensure_entity(ctx, key, f"{il} order on {al}", "Regulation")


def _targets(ctx: TextContext, sent: Span, ms: list[Mention], start: int) -> list[Mention]:
    rx = _rx()
    _, hi = C.clause_bounds(sent, start)
    stop = rx["target_stop"].search(ctx.text, start, hi)
    end = stop.start() if stop else hi
    end = min(end, start + 220)
    allowed = C.ARTIFACT_TYPES | {"Company", "ResearchInstitution", "Organization"}
    return [x for x in ms if start <= x.span.start and x.span.end <= end and C.etype(ctx, x.entity) in allowed]


def _restrictions(ctx: TextContext, sent: Span, ms: list[Mention], out: _Out) -> None:
    if not ctx.may_contain(C.cue_gate("restrict_verbs", "restrict_nouns"), sent.start, sent.end):
        return
    rx = _rx()
    hits = [(m.start(), m.end(), "verb") for m in rx["restrict_verb"].finditer(ctx.text, sent.start, sent.end)]
    hits += [(m.start(), m.end(), "noun") for m in rx["restrict_noun"].finditer(ctx.text, sent.start, sent.end)]
    for vs, ve, kind in sorted(hits):
        if kind == "verb" and _passive_restriction(ctx, sent, ms, vs, ve, out):
            continue
        if kind == "verb":
            issuer = _issuer_before(ctx, sent, ms, vs)
        else:
            issuer = _issuer_before(ctx, sent, ms, vs) or _any_issuer(ctx, sent, ms, vs)
        if issuer is None:
            continue
        issuer_key, negated = issuer
        if C.is_hypothetical(ctx.text[max(sent.start, vs - 25):vs]):
            continue
        # "imposed an export ban on X": the verb's object is the policy itself; what it restricts
        # is what follows "on", not whatever the rest of the clause names.
        imposed = _imposed_policy(ctx, ms, ve) if kind == "verb" and rx["impose_verb"].fullmatch(ctx.text, vs, ve) else None
        if imposed is not None:
            pol_mention, after = imposed
            out.add(pol_mention.entity, "issuedBy", issuer_key, sent, "issuedBy.imposed", negated=negated)
            if not negated:
                out.note_policy(pol_mention.entity, issuer_key, set(), vs)
            on = rx["restrict_on"].match(ctx.text, after)
            if on is None:
                continue
            targets = _direct_targets(ctx, sent, ms, on.end())
        elif kind == "noun":
            targets = _direct_targets(ctx, sent, ms, ve)
        else:
            targets = _targets(ctx, sent, ms, ve)
        if not targets:
            continue
        named = [x.entity for x in ms if C.etype(ctx, x.entity) in C.POLICY_TYPES and x.span.start >= vs - 40
                 and x.span.end <= targets[0].span.start]
        companies = [t.entity for t in targets if C.etype(ctx, t.entity) not in C.ARTIFACT_TYPES]
        artifacts = [t.entity for t in targets if C.etype(ctx, t.entity) in C.ARTIFACT_TYPES]
        if not companies:
            owners = [f.object for f in out.facts.values() if f.predicate == "developedBy" and not f.negated
                      and f.subject in artifacts]
            addressee = owners[0] if owners else artifacts[0]
        else:
            addressee = companies[0]
        pol = named[0] if named else policy_key(ctx, issuer_key, addressee)
        rule = "restricts.order" if kind == "verb" else "restricts.noun-on"
        out.add(pol, "issuedBy", issuer_key, sent, rule.replace("restricts", "issuedBy"), negated=negated)
        # The most specific thing restricted: the named models, else the company.
        for t in (artifacts or companies):
            out.add(pol, "restricts", t, sent, rule, negated=negated)
        if not negated:
            out.note_policy(pol, issuer_key, set(artifacts) | set(companies), vs)


def _imposed_policy(ctx: TextContext, ms: list[Mention], pos: int) -> tuple[Mention, int] | None:
    """A policy mention that is the object of the verb ending at ``pos`` ("imposed an export
    ban"), and where its phrase ends."""
    for x in ms:
        if x.span.start < pos:
            continue
        if x.span.start - pos > 40 or not _rx()["object_gap"].fullmatch(ctx.text, pos, x.span.start):
            return None
        return (x, x.span.end) if C.etype(ctx, x.entity) in C.POLICY_TYPES else None
    return None


def _direct_targets(ctx: TextContext, sent: Span, ms: list[Mention], start: int) -> list[Mention]:
    """What "on"/"against" introduces: the first target if no comma comes before it, with the
    targets coordinated with it ("controls on Fable 5 and Mythos 5")."""
    found = _targets(ctx, sent, ms, start)
    if not found or "," in ctx.text[start:found[0].span.start]:
        return []
    k = ms.index(found[0])
    keys = set(_coordinated(ctx, ms, k, C.ARTIFACT_TYPES | {"Company", "ResearchInstitution", "Organization"}))
    return [x for x in found if x.entity in keys or "," not in ctx.text[start:x.span.start]]


def _passive_restriction(ctx: TextContext, sent: Span, ms: list[Mention], vs: int, ve: int, out: _Out) -> bool:
    """"Haneul 2, a chatbot ..., was banned by the commission": the agent follows "by", the
    subject (the thing restricted) opens the clause. True when the verb is such a passive."""
    rx = _rx()
    text = ctx.text
    aux = rx["passive_aux"].search(text, max(sent.start, vs - 40), vs)
    by = rx["passive_by"].match(text, ve, sent.end)
    if aux is None or by is None:
        return False
    agent = agent_after(ctx, ms, by.end(), sent)
    if agent is None:
        return True
    subjects = clause_subjects(ctx, sent, ms, aux.start(), C.ARTIFACT_TYPES | {"Company", "ResearchInstitution", "Organization"})
    if not subjects or C.is_hypothetical(text[max(sent.start, aux.start() - 25):vs]):
        return True
    negated = C.is_negated(aux.group(0))
    artifacts = [e for e in subjects if C.etype(ctx, e) in C.ARTIFACT_TYPES]
    companies = [e for e in subjects if e not in artifacts]
    if companies:
        addressee = companies[0]
    else:
        owners = [f.object for f in out.facts.values() if f.predicate == "developedBy" and not f.negated
                  and f.subject in artifacts]
        addressee = owners[0] if owners else artifacts[0]
    pol = policy_key(ctx, agent, addressee)
    out.add(pol, "issuedBy", agent, sent, "issuedBy.passive", negated=negated)
    for t in artifacts or companies:
        out.add(pol, "restricts", t, sent, "restricts.passive", negated=negated)
    if not negated:
        out.note_policy(pol, agent, set(subjects), vs)
    return True


def agent_after(ctx: TextContext, ms: list[Mention], pos: int, sent: Span) -> str | None:
    """The government actor named right after "by" at ``pos``: a mention ("South Korea's
    Personal Information Protection Commission", "the US government") or an anaphor ("the
    ministry") for the one body of that kind named just before."""
    for idx, x in enumerate(ms):
        if x.span.start < pos:
            continue
        if x.span.start - pos > 40 or not _rx()["agent_gap"].fullmatch(ctx.text, pos, x.span.start):
            break
        actor = government_actor(ctx, ms, idx)
        if actor is not None:
            return actor[0]
        poss = _rx()["country_poss_only"].match(ctx.text, x.span.end)
        if C.etype(ctx, x.entity) != "Country" or poss is None:
            break
        pos = poss.end()          # "by South Korea's Personal Information Protection Commission"
    m = _rx()["agent_anaphor"].match(ctx.text, pos, sent.end)
    if m:
        types = (C.patterns().raw.get("anaphor_heads") or {}).get("the " + m.group("head").lower())
        if types and "GovernmentBody" in types:
            return C.recent_entity(ctx, pos, {"GovernmentBody"}, max_sentences=2, unique=True)
    return None


def clause_subjects(ctx: TextContext, sent: Span, ms: list[Mention], end: int, types: frozenset[str]) -> list[str]:
    """The subject of a verb whose auxiliary starts at ``end``: the entities of ``types`` right
    before it, coordinated ("Fable 5 and Mythos 5 were ..."), allowing an apposition between
    them and the verb ("Vajra Semiconductor, a Bengaluru chip designer, was ...")."""
    lo, _ = C.clause_bounds(sent, end)
    rx = _rx()
    for k in range(len(ms) - 1, -1, -1):
        x = ms[k]
        if x.span.end > end:
            continue
        if x.span.start < lo:
            return []
        rest = ctx.text[x.span.end:end]
        if rest.strip() and not rx["apposition"].fullmatch(rest):
            # the mention may sit inside the apposition: keep looking left of it
            if "," in rest:
                continue
            return []
        if C.etype(ctx, x.entity) not in types:
            return []
        return _coordinated_before(ctx, ms, k, types)
    return []


def _any_issuer(ctx: TextContext, sent: Span, ms: list[Mention], pos: int) -> tuple[str, bool] | None:
    """For 'export controls on X' without a subject next to it: the sentence's government actor."""
    for idx, x in enumerate(ms):
        if x.span.start >= pos:
            break
        actor = government_actor(ctx, ms, idx)
        if actor:
            return actor[0], False
    cap = _capital_actor(ctx, sent, pos)
    return (cap[0], False) if cap else None


_UNDER = Gate(["under"])
_PASSIVE_RESCIND_GATE = Gate(["lifted", "withdrawn", "revoked", "rescinded", "repealed", "reversed", "rolled back",
                              "scrapped", "overturned"], whole_words=True)
_GOV_ROLE = re.compile(r"secretary|minister|commissioner|official|president|governor|chancellor|regulator|director",
                       re.I)


def _rescissions(ctx: TextContext, sent: Span, ms: list[Mention], out: _Out, developer: dict[str, str]) -> None:
    if not ctx.may_contain(C.regex_gate("rescind_cues"), sent.start, sent.end):
        return
    rx = _rx()
    m = rx["rescind"].search(ctx.text, sent.start, sent.end)
    passive = None
    if ctx.may_contain(_PASSIVE_RESCIND_GATE, sent.start, sent.end):
        passive = rx["rescind_passive"].search(ctx.text, sent.start, sent.end)
    if passive is not None and (m is None or passive.start() <= m.start() < passive.end()):
        m = passive
    if not m:
        return
    before = ctx.text[max(sent.start, m.start() - 60):m.start()]
    if C.is_negated(before) or re.search(r"\b(?:whether|if|could|might|may)\b", before, re.I):
        return
    # "the order was rescinded by the Commerce Department": the agent follows "by"
    agent = agent_after(ctx, ms, m.end(), sent) if m is passive else None
    agent = agent or _rescinder(ctx, sent, ms, m.start(), out)
    if agent is None:
        return
    mentioned = {x.entity for x in ms}
    mentioned |= {developer[e] for e in list(mentioned) if e in developer}
    candidates = sorted(out.policies.items(), key=lambda kv: kv[1][2])
    pol = None
    for key, (_issuer, targets, _pos) in candidates:
        if targets & mentioned:
            pol = key
    if pol is None and len(candidates) == 1:
        pol = candidates[0][0]
    if pol is None and candidates:
        prior = [k for k, v in candidates if v[2] < sent.start]
        pol = prior[-1] if prior else None
    if pol is None:
        return
    out.add(agent, "rescinds", pol, sent, "rescinds.cue")


def _rescinder(ctx: TextContext, sent: Span, ms: list[Mention], pos: int, out: _Out) -> str | None:
    best = None
    for idx, x in enumerate(ms):
        if x.span.start >= pos:
            break
        actor = government_actor(ctx, ms, idx)
        if actor:
            best = actor[0]
    if best:
        return best
    cap = _capital_actor(ctx, sent, pos)
    if cap:
        return cap[0]
    for x in reversed(ms):
        if x.span.start < pos and C.etype(ctx, x.entity) == "Person":
            roles = [f.object for f in out.facts.values() if f.subject == x.entity and f.predicate == "role"]
            if any(_GOV_ROLE.search(r) for r in roles):
                return x.entity
    # "the government reversed course": the issuer of the document's policy
    if re.search(r"\b(?:government|administration|officials|regulators?)\b", ctx.text[sent.start:pos], re.I):
        issuers = {v[0] for v in out.policies.values()}
        if len(issuers) == 1:
            return issuers.pop()
    return None
