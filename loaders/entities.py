"""Entity recognition and resolution within one document.

Three sources of mentions, all restricted to content sentences (never boilerplate):

1. **Reference names** (``reference.yaml``): one Aho-Corasick automaton per ReferenceData, built
   once and cached. Matching is case-sensitive on word boundaries; a name listed under several
   entries ("MIT") is decided from nearby words (``licen[cs]e`` -> License, "professor at" ->
   institution). A possessive "'s" is never part of a mention.
2. **General recognisers** for things that are not in the reference data, run on each sentence
   (not on headings, where title case makes every word look like a name):
   models with versions ("GLM-5.2", "Opus 4.8"), model families ("the GLM series", "Fable and
   Mythos AI models"), organisations by suffix ("Zhipu AI", "360 Security Technology",
   "Shanghai Jiao Tong University") or by a cue noun ("cybersecurity company Semgrep", "the
   Chinese firm Zhipu", "companies such as X and Y", "the Glasswing coalition"), government bodies
   ("Department of X", "X Ministry", "Five Eyes intelligence agencies"), people by role, title or
   attribution ("Commerce Secretary Howard Lutnick", "Lin Yun, a professor at", "said Jane Doe",
   "according to security researcher Niels Provos"), unnamed sources ("an anonymous source") and
   descriptive policies ("the export order", "voluntary standards").
3. **Propagation and coreference**: once a name is an entity, every other occurrence of it in the
   document is a mention; a person's single name part ("Lutnick", "Yun") refers to the one person
   of the document carrying it; "X, which operates as Y" / "X, also referred to as Y" make Y an
   alias of X; a bare family name ("Mythos") refers to the only version of it the document names
   ("Mythos 5"), otherwise to the family; a version named only in the headline counts when the
   body uses its family name ("Vela 3 tops charts" ... "Vela was trained on").

Keys. Reference entities keep their reference key. New entities get ``category/slug`` from the
fullest name seen ("org/zhipu-ai", "person/howard-lutnick", "model/glm-5-2"); company suffixes
are singularised ("Technologies" -> "technology") so spelling variants meet.

Descriptive policies ("the ban") have no proper name, so their key is made of their key words:
modifiers from a closed list plus the singular head noun ("export ban" -> ``policy/export-ban``,
"voluntary standards" -> ``policy/voluntary-standard``). A bare head ("the ban", "the order")
first resolves to a policy of this document with the same head ("the ban" -> the export ban);
without one it gets a document-scoped key (``policy/ban-d83f0a0c``) so two documents' "the ban"
never merge. Key words alone do not identify a policy across documents either (India's and
Indonesia's "export ban" are two policies): a phrase is keyed by its issuer when one stands right
before it or earlier in its sentence ("India's export ban", "US export controls", "the ministry
imposed an export ban" -> ``policy/india-export-ban``); otherwise it names the qualified phrase
with the same words in this document, or else it is this document's own
(``policy/export-ban-d83f0a0c``). When the phrase names what it restricts ("export controls on
X's model M"), the first model (or else organisation) named there joins the key words:
``policy/export-control-on-m``.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

import ahocorasick

from policykg.loaders.records import EntityRef, Mention, SourceDocument, Span
from policykg.loaders.reference import ReferenceData, ReferenceEntry
from policykg.loaders.text import is_heading

# ----------------------------------------------------------------------------- reference matcher


@dataclass
class _Matcher:
    automaton: object | None
    # surface name -> entries carrying it (several when ambiguous)
    by_name: dict[str, list[ReferenceEntry]]
    demonyms: frozenset[str]
    model_families: dict[str, ReferenceEntry]


_MATCHERS: dict[int, tuple[ReferenceData, _Matcher]] = {}


def _matcher(reference: ReferenceData) -> _Matcher:
    """The automaton for this ReferenceData, built once (keyed by identity, checked)."""
    hit = _MATCHERS.get(id(reference))
    if hit is not None and hit[0] is reference:
        return hit[1]
    by_name: dict[str, list[ReferenceEntry]] = {}
    demonyms = set()
    for entry in reference.entries:
        for name in (*entry.names, *entry.demonyms):
            lst = by_name.setdefault(name, [])
            if entry not in lst:
                lst.append(entry)
        demonyms.update(entry.demonyms)
    automaton = None
    if by_name:
        automaton = ahocorasick.Automaton()
        for name in by_name:
            automaton.add_word(name, name)
        automaton.make_automaton()
    families = {e.label: e for e in reference.entries if e.type == "AIModel"}
    m = _Matcher(automaton, by_name, frozenset(demonyms), families)
    if len(_MATCHERS) > 16:
        _MATCHERS.clear()
    _MATCHERS[id(reference)] = (reference, m)
    return m


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _bounded(text: str, s: int, e: int) -> bool:
    """Word boundaries on both sides (a name ending in '.' may be followed by anything)."""
    if s > 0 and (_word_char(text[s - 1]) or (text[s - 1] in "-." and s > 1 and _word_char(text[s - 2])
                                             and text[s - 1] == ".")):
        return False
    if e < len(text) and _word_char(text[e]) and _word_char(text[e - 1]):
        return False
    # "GPT" inside "GPT-5.6" is not a mention of the family: a hyphen + digit continues the name.
    if e + 1 < len(text) and text[e] == "-" and text[e + 1].isalnum() and _word_char(text[e - 1]):
        return False
    return True


_COMPASS = re.compile(r"(?:North|South|East|West|Latin|Central|Northern|Southern|Eastern|Western)\s$")
_LICENSE_CUE = re.compile(r"^[\s\w-]{0,25}?\blicen[cs]e", re.I)
_INSTITUTION_CUE = re.compile(r"\b(?:at|from|of)\s+(?:the\s+)?$|professor|scientist|researcher|student|"
                              r"universit|laborator|campus|graduate", re.I)


def _choose(entries: list[ReferenceEntry], text: str, s: int, e: int) -> ReferenceEntry:
    """Pick among entries sharing a surface name from the words around it."""
    if len(entries) == 1:
        return entries[0]
    after = text[e:e + 40]
    before = text[max(0, s - 60):s]
    want = None
    if _LICENSE_CUE.match(after) or re.search(r"licen[cs]ed under\s+(?:the\s+|an?\s+)?$", before, re.I):
        want = "License"
    elif _INSTITUTION_CUE.search(before):
        want = "ResearchInstitution"
    for entry in entries:
        if entry.type == want:
            return entry
    # Default: anything but a license (a bare licence name is rare without the word "license").
    others = [x for x in entries if x.type != "License"]
    return (others or entries)[0]


# ----------------------------------------------------------------------------- recognisers

_NAMEWORD = r"[A-Z](?:[a-z]|['’][A-Z])[A-Za-z-]{0,24}"
_PERSON = rf"(?P<name>{_NAMEWORD}(?:\s+(?:[A-Z]\.\s+)?{_NAMEWORD}){{1,2}})"
_ROLE_NOUNS = (
    "researcher|official|analyst|scientist|professor|executive|founder|co-founder|cofounder|CEO|CTO|COO|"
    "chief|director|spokesperson|spokesman|spokeswoman|minister|secretary|laureate|engineer|economist|"
    "lawyer|attorney|investor|journalist|reporter|editor|chairman|chairwoman|chair|president|senator|"
    "lawmaker|representative|ambassador|commissioner|adviser|advisor|expert|fellow|head|leader|manager|"
    "partner|inventor|co-inventor|entrepreneur|author|lecturer|diplomat|governor|general|admiral|judge|"
    "chancellor|premier|mayor|regulator|strategist|consultant|developer|designer|activist|student|"
    "Secretary|Minister|President|Founder|Chairman|Director|Commissioner|Senator|Professor|Governor|"
    "Ambassador|Chancellor|Premier|Mayor|Judge|General|Representative|Rep\\.|Sen\\.|Dr\\.|Prof\\.|Gov\\.")
_SAY = (r"said|says|argued|argues|noted|notes|added|adds|told|wrote|writes|warned|warns|explained|"
        r"admitted|declared|announced|stated|claimed|claims|believes|thinks|suggested|suggests|"
        r"cautioned|insisted|acknowledged|emphasized|stressed|predicted|contended|replied|asked")
_P_ROLE_BEFORE = re.compile(rf"(?<![\w-])(?:{_ROLE_NOUNS}),?\s+{_PERSON}\b")
_P_APPOSITION = re.compile(
    rf"(?<![\w-]){_PERSON},\s+(?:(?:a|an|the|its|his|her|their|who|former|now|then)\s+)?(?:[\w-]+(?:['’]s)?\s+){{0,4}}?"
    rf"(?:{_ROLE_NOUNS}|individual|member|veteran|pioneer|co-inventor|co-author|one of)\b")
_P_SAID_AFTER = re.compile(rf"(?<![\w-]){_PERSON}\s+(?:{_SAY})\b")
_P_SAID_BEFORE = re.compile(rf"\b(?:said|says|according to|told by|spoke with|spoke to|talked to|interviewed)\s+{_PERSON}\b")
_P_ROLE_OF = re.compile(rf"\b(?:{_ROLE_NOUNS}) of [^,;.]{{1,60}},\s+{_PERSON}\s*[,(]")

_ORGWORD = r"(?:[A-Z](?:['’][A-Z])?[\w&.-]{0,25}\w|[A-Z])"
_ORG_SUFFIX_COMPANY = (r"AI|Technology|Technologies|Security|Inc\.?|Corp\.?|Corporation|Company|Co\.|Ltd\.?|LLC|"
                       r"Labs?|Group|Holdings|Systems|Networks?|Robotics|Semiconductor|Software|Cloud|Ventures|"
                       r"Capital|Partners|Microsystems|Dynamics|Analytics|Intelligence Inc\.?")
_ORG_SUFFIX_RESEARCH = r"University|Institute|Institution|Academy|College|Laboratory|Research Center|Research Centre"
_ORG_SUFFIX_GOV = r"Ministry|Department|Agency|Commission|Authority|Bureau|Office|Directorate|Administration|Council"
_ADJECTIVAL_AI = re.compile(r"\s+(?:models?|systems?|tools?|technolog\w+|polic\w+|industry|race|safety|security|"
                            r"research|chips?|capabilit\w+|governance|regulation|labs?|firms?|companies|"
                            r"products?|development|strategy|sector|infrastructure|agents?|usage|providers?)\b")
_COUNTRY_CODES = frozenset({"U.S", "US", "USA", "UK", "U.K", "EU", "E.U", "UN"})
_P_NAMED_POLICY = re.compile(
    rf"(?<![\w-])(?P<name>(?:{_ORGWORD}\s+){{1,4}}(?P<kind>Act|Code|Directive|Regulation|Law|Bill|Rule|Accord|"
    rf"Declaration|Treaty|Agreement|Convention|Framework|Strategy|Action Plan|Executive Order))(?![\w-])")
_QUANTITY = re.compile(r"\s*(?:%|percent|per cent|million|billion|trillion|thousand|hundred|euros?|dollars?|"
                       r"pounds?|yuan|years?|months?|weeks?|days?|hours?|minutes?|people|employees|users|"
                       r"countries|companies|times)\b")
_ANAPHOR = re.compile(r"\b(?:the|this|that)\s+(?:company|firm|startup|start-up|lab|laboratory|developer|group)\s*$", re.I)
_P_LICENSE = re.compile(rf"(?<![\w-])(?P<name>{_ORGWORD}(?:[ -](?:\d(?:\.\d)?|{_ORGWORD}))?)\s+(?:open[- ]source\s+)?"
                        r"(?P<word>[Ll]icen[cs]e)\b")
_P_OWNER = re.compile(rf"(?<![\w.-])(?P<name>{_ORGWORD})['’]s\s+(?:(?:[a-z][\w-]*|AI)\s+){{0,3}}?(?:models?|chatbots?|weights)\b")
_P_CORP_SUBJECT = re.compile(rf"(?<![\w.-])(?P<name>{_ORGWORD})\s+(?:(?:also|recently|later|then|itself)\s+)?"
                             r"(?:announced|released|launched|unveiled|suspended|agreed|reported|restricted|"
                             r"said it|stated it|shut|introduced)\b")
_POSSESSOR = re.compile(rf"(?<![\w.-])(?P<name>{_ORGWORD})['’]s\s+$")
_P_ADMINISTRATION = re.compile(r"(?<![\w-])(?P<name>[A-Z][a-z]{2,20})\s+[Aa]dministration\b")
_ORG_SUFFIX_ORG = r"Foundation|Association|Alliance|Coalition|Consortium|Forum|Society|Federation|Union"
_P_ORG_SUFFIX = re.compile(
    rf"(?<![\w-])(?P<name>(?:\d{{1,4}}\s+(?:{_ORGWORD}\s+){{0,3}}?|(?:{_ORGWORD}\s+){{1,4}}?)"
    rf"(?P<suffix>{_ORG_SUFFIX_COMPANY}|{_ORG_SUFFIX_RESEARCH}|{_ORG_SUFFIX_GOV}|{_ORG_SUFFIX_ORG}|Research))(?![\w-])")
_P_OF_BODY = re.compile(
    rf"(?<![\w-])(?P<name>(?:{_ORG_SUFFIX_GOV}|{_ORG_SUFFIX_RESEARCH}|University|Ministry|Chamber)\s+(?:of|for)\s+(?:the\s+)?"
    rf"{_ORGWORD}(?:\s+(?:and|&|of)?\s*{_ORGWORD}){{0,4}})")
_P_LEADING_NAME = re.compile(rf"(?<![\w.'’-])(?:{_ORGWORD} ){{1,3}}$")
_ORG_CUE = (r"company|companies|firm|firms|startup|start-up|lab|labs|laboratory|developer|maker|giant|provider|"
            r"chipmaker|unicorn|rival|subsidiary|vendor|outfit|regulator|watchdog|agency|ministry|coalition|"
            r"alliance|consortium|think tank|university|institute|organization|organisation|group")
_P_ORG_CUE = re.compile(
    rf"\b(?P<cue>{_ORG_CUE})\s+(?P<name>(?:\d{{1,4}}\s+)?{_ORGWORD}(?:\s+{_ORGWORD}){{0,3}})(?![\w-])")
_P_ORG_LIST = re.compile(
    rf"\b(?P<cue>companies|firms|labs|startups|developers|organizations|organisations|players|rivals|"
    rf"giants|providers|groups)\s*,?\s+(?:such as|like|including)\s+(?P<list>[^.;:]{{1,200}})")
_P_COALITION = re.compile(
    rf"(?<![\w-])[\"“]?(?P<name>{_ORGWORD}(?:\s+{_ORGWORD}){{0,3}})[\"”]?\s+(?P<cue>coalition|alliance|consortium|"
    rf"partnership|initiative|intelligence agencies|intelligence alliance|intelligence-sharing alliance)\b")
_P_ALIAS = re.compile(
    rf",?\s+(?:which|that|who)?\s*(?:operates|trades|does business|is known|brands itself|is also known|"
    rf"also referred to|also known|sometimes referred to|often referred to|known)\s+as\s+"
    rf"[\"“]?(?P<alias>{_ORGWORD}(?:\s+{_ORGWORD}){{0,3}})")

_VERSION = r"(?:[A-Z]?\d{1,3}(?:\.\d{1,3}){0,2}[a-z]?)"
_MODEL_SUFFIX = r"(?:[- ](?:Pro|Max|Mini|mini|Turbo|Plus|Ultra|Lite|Flash|Instruct|Chat|Coder|Preview|Thinking|Omni|Sonnet|Opus|Haiku))"
_P_MODEL = re.compile(
    rf"(?<![\w.-])(?P<fam>(?:[A-Z][A-Za-z]{{0,20}}\s+){{0,2}}[A-Z][A-Za-z]{{0,20}}|[A-Z]{{2,6}})"
    rf"(?P<sep>[- ]?)(?P<ver>{_VERSION})(?P<suf>{_MODEL_SUFFIX}{{0,2}})(?![\w.-]*\w)")
_P_FAMILY = re.compile(rf"(?<![\w-])(?P<name>{_ORGWORD})\s+(?P<cue>series|line|family|models?|model family|chatbot)\b")
_P_MODEL_LIST = re.compile(
    rf"(?<![\w-])(?P<list>{_ORGWORD}(?:(?:,\s+|\s+(?:and|or)\s+|,\s+and\s+){_ORGWORD}){{1,4}})\s+(?:AI\s+)?models\b")
_P_MODELS_LIKE = re.compile(rf"\bmodels?\s+(?:such as|like|including|called|named)\s+(?P<list>[^.;:]{{1,160}})")
_MODEL_CUE = re.compile(r"\b(?:models?|LLMs?|chatbots?|weights|open-weight|open-source|release[sd]?|launch(?:ed|es)?|"
                        r"benchmark\w*|version|surpass\w*|outperform\w*|trained|fine-tun\w*)\b", re.I)

_POLICY_MODS = ("export|voluntary|shared|international|chip|licensing|governance|safety|security|AI|executive|"
                "federal|trade|control|technology|model|access|national-security|semiconductor|investment|"
                "outbound|data|privacy|compute")
_POLICY_HEADS = "bans?|orders?|controls?|directives?|restrictions?|standards|framework|regime|rules|moratorium|embargo|sanctions|decision|limits"
_P_POLICY_HEAD = re.compile(rf"(?<![\w-])(?P<head>{_POLICY_HEADS})(?![\w-])", re.I)
_P_POLICY_LEFT = re.compile(
    rf"(?:(?<![\w-])(?P<det>the|this|that|these|those|an?|its|new|any)\s+)?"
    rf"(?P<mods>(?:(?<![\w-])(?:{_POLICY_MODS})\s+){{0,3}})$", re.I)


class _PolicyMatch:
    """A policy phrase found from its head noun backwards (fast: the head is rare)."""

    def __init__(self, t: str, head: re.Match):
        lo = max(0, head.start() - 60)
        left = _P_POLICY_LEFT.search(t, lo, head.start())
        self._g = {"head": (head.start(), head.end())}
        if left is not None:
            for name in ("det", "mods"):
                if left.group(name) is not None:
                    self._g[name] = (left.start(name), left.end(name))
        self._t = t

    def group(self, name: str) -> str | None:
        span = self._g.get(name)
        return None if span is None else self._t[span[0]:span[1]]

    def start(self, name: str) -> int:
        return self._g.get(name, self._g["head"])[0]

    def end(self, name: str) -> int:
        return self._g.get(name, self._g["head"])[1]


def _policy_matches(t: str, gates: set[int]):
    for head in _scan(_P_POLICY_HEAD, t, gates):
        yield _PolicyMatch(t, head)


_STRONG_BARE_HEADS = {"ban", "order", "directive", "moratorium", "embargo"}
_GENERIC_MODS = {"new", "its", "the", "a", "an", "this", "that", "these", "those", "any"}
_P_ON_OBJECT = re.compile(r"\s+on\s+(?P<obj>[^,.;:]{1,80})")

_P_UNNAMED = re.compile(
    r"\b(?P<name>(?:an?|one|two|three|several)\s+(?:anonymous|unnamed|senior|former)\s+(?:\w+\s+){0,2}?"
    r"(?:source|sources|official|officials|person|people|executive|executives|employee|employees|diplomat)"
    r"|people familiar with the matter|a person familiar with the matter)\b", re.I)

# Capitalised words that begin sentences or headings and are never names on their own.
_STOP = frozenset("""
The A An This That These Those It Its He She They We I You Our Their His Her But And Yet So Or Nor
In On At As For If When While After Before Since Although Though However Meanwhile Still Now Then
There Here What Why How Who Which Where Many Some Most Such Officials Critics Supporters Indeed
Today Yesterday Tomorrow Last Next First Second Third Former Earlier Later Recently Also Even Only
Both Each Every Other Another Several Few All No Not Once Under Over With Without Within From Into
Despite During About Among Between Against Because Although Unlike Like Including Following Additionally
Notably Perhaps Apart According Security Chinese American Western European Global National
January February March April May June July August September October November December
Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mid Late Early Top Article Section Chapter
Part Phase Level Tier Stage Type Class Category Route Flight Page Vol Volume Number Year Day Week
Covid COVID Windows Track Edge Room Gen Series Model Models Version Act Executive Order
""".split())
# Capitalised words of the field that are never an organisation's name on their own.
_GENERIC_CAPS = frozenset("AI AGI LLM LLMs API APIs GPU GPUs CEO CTO Internet Web Earth West East".split())
_ROLE_WORDS = frozenset(w.lower().rstrip(".") for w in _ROLE_NOUNS.replace("\\", "").split("|"))
_NOT_PERSON_WORDS = frozenset("""
department ministry agency commission office bureau house company corp inc group ai technology
technologies security university institute academy council administration government court party
labs lab research network networks news times post journal media foundation association forum union valley
district city state province republic kingdom states nations army navy force forces systems cloud
award prize act law order model models series cup
""".split())


def _slug(name: str) -> str:
    t = unicodedata.normalize("NFKD", name)
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = t.lower().replace("’", "").replace("'", "").replace("&", " and ")
    t = re.sub(r"[^a-z0-9]+", "-", t).strip("-")
    return t or "x"


_SINGULAR = {"technologies": "technology", "labs": "lab", "holdings": "holding", "networks": "network",
             "systems": "system"}


# Legal forms and generic trailing words that name the same company with or without them
# ("360 Security Technology" is "360 Security"), as company registers normalise names.
_ORG_TAILS = frozenset(("inc", "corp", "corporation", "co", "ltd", "llc", "plc", "gmbh", "sa", "ag",
                        "technology", "group", "holding", "company"))


def _org_slug(name: str) -> str:
    words = _slug(name).split("-")
    words = [_SINGULAR.get(w, w) for w in words]
    # Keep "... Institute of Technology": a tail after "of" is part of the name.
    while len(words) > 1 and words[-1] in _ORG_TAILS and words[-2] != "of":
        words.pop()
    return "-".join(words)


def _strip_possessive(text: str, s: int, e: int) -> int:
    """End offset without a trailing possessive ('s / ’s / s')."""
    if e - s > 2 and text[e - 2:e] in ("'s", "’s"):
        return e - 2
    return e


@dataclass
class _Cand:
    start: int
    end: int
    key: str
    label: str
    type: str
    priority: int          # higher wins ties between same-length overlapping candidates
    entry: ReferenceEntry | None = None


@dataclass
class _Doc:
    """Working state of one document."""

    text: str
    sents: list[Span]
    heading: list[bool]
    cands: list[_Cand] = field(default_factory=list)
    # new (non-reference) entities: key -> (label, type)
    new: dict[str, tuple[str, str]] = field(default_factory=dict)
    # surface name -> key, for propagation
    names: dict[str, str] = field(default_factory=dict)
    # person key -> name parts
    persons: dict[str, list[str]] = field(default_factory=dict)


def _define(d: _Doc, key: str, label: str, type_: str, surfaces: list[str]) -> str:
    """Register a new entity (or extend one) and the surface forms that name it."""
    if key in d.new:
        old_label, old_type = d.new[key]
        if len(label) > len(old_label):
            d.new[key] = (label, old_type)
    else:
        d.new[key] = (label, type_)
    for s in surfaces:
        s = s.strip()
        if s and s not in d.names:
            d.names[s] = key
    return key


def _is_namey(words: list[str], demonyms: frozenset[str]) -> bool:
    return bool(words) and all(w not in _STOP and w not in demonyms for w in words[:1]) and not all(
        w in _STOP for w in words)


def _trim_leading_stop(name: str, demonyms: frozenset[str]) -> str:
    words = name.split()
    while words and (words[0] in _STOP or words[0] in demonyms
                     or re.search(r"-(?:based|born|backed|led|owned|made|linked|funded)$", words[0])):
        words.pop(0)
    return " ".join(words)


# ----------------------------------------------------------------------------- public API


def resolve_entities(doc: SourceDocument, sents: list[Span], reference: ReferenceData
                     ) -> tuple[dict[str, EntityRef], list[Mention]]:
    """Find entity mentions in the sentences and resolve them to entities.

    :returns: ``(entities by key, mentions sorted by offset)``; every mention lies inside one of
        ``sents`` and satisfies ``doc.text[start:end] == exact``.
    """
    text = doc.text
    m = _matcher(reference)
    d = _Doc(text, sents, [is_heading(s.text) for s in sents])
    starts = [s.start for s in sents]

    def sent_of(pos: int) -> int:
        i = bisect_right(starts, pos) - 1
        return i

    # 1. reference names over the whole text, kept when inside one sentence.
    if m.automaton is not None:
        for s_idx, sent in enumerate(sents):
            for end_idx, name in m.automaton.iter(sent.text):
                e = sent.start + end_idx + 1
                s = e - len(name)
                if not _bounded(text, s, e):
                    continue
                entry = _choose(m.by_name[name], text, s, e)
                if entry.type == "Country" and _COMPASS.search(text[max(0, s - 9):s]):
                    continue
                d.cands.append(_Cand(s, e, entry.key, entry.label, entry.type, 3, entry))

    # 2. general recognisers, sentence by sentence (not headings)
    for s_idx, sent in enumerate(sents):
        if d.heading[s_idx]:
            continue
        _recognise(d, sent, m)
    for s_idx, sent in enumerate(sents):
        if d.heading[s_idx] and _P_MODEL_GATE.search(sent.text):
            _heading_models(d, sent, m)

    # 3. propagate names of new entities (and person name parts) to all sentences
    _link_aliases(d, m)
    _propagate(d, m)

    # 4. resolve overlaps: longest first, then priority, then earliest
    chosen = _select(d.cands)
    chosen = _resolve_families(d, chosen, m)

    entities: dict[str, EntityRef] = {}
    mentions: list[Mention] = []
    for c in chosen:
        e = _strip_possessive(text, c.start, c.end)
        if e <= c.start:
            continue
        exact = text[c.start:e]
        ref = entities.get(c.key)
        if ref is None:
            entry = c.entry if c.entry is not None else reference.by_key(c.key)
            if entry is not None:
                ref = EntityRef(key=entry.key, label=entry.label, type=entry.type, country=entry.country,
                                wikidata=entry.wikidata, in_reference=True)
            else:
                label, type_ = d.new.get(c.key, (c.label, c.type))
                ref = EntityRef(key=c.key, label=label, type=type_)
            entities[c.key] = ref
        ref.aliases.add(exact)
        mentions.append(Mention(c.key, Span(c.start, e, exact)))
    mentions.sort(key=lambda x: (x.span.start, -x.span.end))
    return dict(sorted(entities.items())), mentions


# ----------------------------------------------------------------------------- steps


def _add(d: _Doc, s: int, e: int, key: str, label: str, type_: str, priority: int = 1) -> None:
    d.cands.append(_Cand(s, e, key, label, type_, priority))


def _ref_key_for(name: str, m: _Matcher) -> ReferenceEntry | None:
    entries = m.by_name.get(name)
    return entries[0] if entries and len(entries) == 1 else None


def _recognise(d: _Doc, sent: Span, m: _Matcher) -> None:
    t = sent.text
    gates = _open_gates(t.lower())
    base = sent.start
    demonyms = m.demonyms

    # --- people
    for pat, role_group in ((_P_ROLE_BEFORE, True), (_P_APPOSITION, False), (_P_SAID_AFTER, False),
                            (_P_SAID_BEFORE, False), (_P_ROLE_OF, False)):
        for mo in _scan(pat, t, gates):
            name = mo.group("name")
            s = base + mo.start("name")
            words = name.split()
            # Drop a leading role/title word caught as a name ("Founder Jie Tang" at sentence start).
            while words and (words[0].lower().rstrip(".") in _ROLE_WORDS or words[0] in _STOP
                             or words[0] in demonyms or words[0] in m.by_name):
                s += len(words[0])
                s = _skip_space(d.text, s)
                words = words[1:]
            if len(words) < 2:
                continue
            if any(w.lower() in _NOT_PERSON_WORDS or w in _STOP or w in m.by_name for w in words):
                continue
            full = " ".join(words)
            e = s + len(d.text[s:].split(words[-1], 1)[0]) + len(words[-1])
            if d.text[s:e].split() != words:
                continue
            key = "person/" + _slug(full)
            ref = _ref_key_for(full, m)
            if ref is not None:
                continue          # a reference person: the automaton has it
            _define(d, key, full, "Person", [full])
            d.persons.setdefault(key, words)
            _add(d, s, e, key, full, "Person", 2)

    for mo in _scan(_P_ADMINISTRATION, t, gates):
        name = mo.group("name")
        if name in _STOP or name in demonyms:
            continue
        label = f"{name} administration"
        key = "org/" + _slug(label)
        _define(d, key, label, "GovernmentBody", [])
        s = base + mo.start()
        _add(d, s, base + mo.end(), key, label, "GovernmentBody", 2)

    # --- organisations by suffix
    for mo in _scan(_P_ORG_SUFFIX, t, gates):
        name = mo.group("name")
        s0 = base + mo.start("name")
        trimmed = _trim_leading_stop(name, demonyms)
        if not trimmed or trimmed == mo.group("suffix") or len(trimmed.split()) < 2:
            continue
        s = s0 + len(name) - len(trimmed)
        first = trimmed.split()[0]
        if (first in m.by_name and m.by_name[first][0].type == "Country") or first.rstrip(".") in _COUNTRY_CODES:
            # "US Commerce Department": the country is a separate mention, not part of the name
            trimmed = trimmed[len(first):].lstrip()
            s = s0 + len(name) - len(trimmed)
            if len(trimmed.split()) < 2:
                continue
            first = trimmed.split()[0]
        if first.lower() in _ROLE_WORDS:
            continue
        suffix = mo.group("suffix")
        if suffix == "Research" and re.match(r"[ \t]+[A-Z]", t[mo.end():]):
            continue          # "Joint Research Initiatives": a title-cased phrase goes on
        if suffix == "AI" and (_ADJECTIVAL_AI.match(t, mo.end()) or re.search(r"-[a-z]|-[A-Z][a-z]+ AI$", trimmed)):
            continue          # "Mythos AI models", "US-China AI race": AI is an adjective here
        type_ = ("ResearchInstitution" if re.fullmatch(_ORG_SUFFIX_RESEARCH, suffix) else
                 "GovernmentBody" if re.fullmatch(_ORG_SUFFIX_GOV, suffix) else
                 "Organization" if re.fullmatch(_ORG_SUFFIX_ORG, suffix) else "Company")
        if trimmed in m.by_name:
            continue
        key = "org/" + _org_slug(trimmed)
        _define(d, key, trimmed, type_, [trimmed])
        _add(d, s, s + len(trimmed), key, trimmed, type_, 2)

    for mo in _scan(_P_OF_BODY, t, gates):
        name = mo.group("name").rstrip()
        s = base + mo.start("name")
        word = name.split()[0]
        type_ = ("ResearchInstitution" if re.fullmatch(_ORG_SUFFIX_RESEARCH + "|University", word) else
                 "Organization" if word == "Chamber" else "GovernmentBody")
        if type_ != "GovernmentBody":
            # Institutes and chambers carry their own name first: "Asan Institute for Policy
            # Studies", "Indonesian Chamber of Commerce" (a government body's leading words are
            # its country: "US Department of Commerce", handled by the suffix rule).
            lead = _P_LEADING_NAME.search(t, max(0, mo.start("name") - 80), mo.start("name"))
            if lead:
                words = lead.group(0).split()
                while words and words[0] in _STOP:
                    words.pop(0)
                if words and not any(w in m.by_name and m.by_name[w][0].type == "Country" and w not in m.demonyms
                                     for w in words):
                    name = " ".join(words) + " " + name
                    s -= len(" ".join(words)) + 1
                    if d.text[s:s + len(name)] != name:
                        name, s = mo.group("name").rstrip(), base + mo.start("name")
        if name in m.by_name:
            continue
        key = "org/" + _org_slug(name)
        _define(d, key, name, type_, [name])
        _add(d, s, s + len(name), key, name, type_, 2)

    # --- organisations by cue noun: "cybersecurity company Semgrep", "the Chinese firm Zhipu"
    for mo in _scan(_P_ORG_CUE, t, gates):
        name = _trim_leading_stop(mo.group("name"), demonyms)
        if not name or name != mo.group("name"):
            continue
        # stop at a word that starts another construction ("Zhipu AI" is fine, "Anthropic The" is not)
        cue = mo.group("cue").lower()
        if name in m.by_name:
            continue
        type_ = ("GovernmentBody" if cue in ("regulator", "watchdog", "agency", "ministry") else
                 "Coalition" if cue in ("coalition", "alliance", "consortium") else
                 "ResearchInstitution" if cue in ("university", "institute", "think tank") else
                 "Organization" if cue in ("organization", "organisation", "group") else "Company")
        key = "org/" + _org_slug(name)
        _define(d, key, name, type_, [name])
        s = base + mo.start("name")
        _add(d, s, s + len(name), key, name, type_, 1)

    for mo in _scan(_P_ORG_LIST, t, gates):
        lst = mo.group("list")
        off = base + mo.start("list")
        for part in re.finditer(rf"(?:\d{{1,4}}\s+)?{_ORGWORD}(?:\s+{_ORGWORD}){{0,3}}", lst):
            name = part.group(0)
            before = lst[:part.start()].strip()
            if before and not re.search(r"(?:,|\band|\bor)$", before):
                break
            if name in _STOP or name in demonyms:
                break
            if name in m.by_name:
                continue
            key = "org/" + _org_slug(name)
            _define(d, key, name, "Company", [name])
            _add(d, off + part.start(), off + part.end(), key, name, "Company", 1)

    for mo in _scan(_P_COALITION, t, gates):
        name = _trim_leading_stop(mo.group("name"), demonyms)
        if not name or name in m.by_name:
            continue
        s = base + mo.start("name") + len(mo.group("name")) - len(name)
        cue = mo.group("cue")
        if "intelligence" in cue:
            type_, label = "GovernmentBody", f"{name} {cue}"
        else:
            type_, label = "Coalition", name
        key = "org/" + _org_slug(name)
        _define(d, key, label, type_, [name])
        _add(d, s, s + len(name), key, label, type_, 2)

    # --- models with versions
    has_cue = bool(_MODEL_CUE.search(t))
    weak: list[_Cand] = []
    any_strong = False
    for mo in _scan(_P_MODEL, t, gates):
        fam_words = mo.group("fam").split()
        s = base + mo.start("fam")
        while fam_words and (fam_words[0] in _STOP or fam_words[0] in demonyms or fam_words[0] in m.by_name
                             and m.by_name[fam_words[0]][0].type != "AIModel"):
            s = _skip_space(d.text, s + len(fam_words[0]))
            fam_words = fam_words[1:]
        if not fam_words or any(w in _STOP for w in fam_words):
            continue
        fam = " ".join(fam_words)
        sep, ver = mo.group("sep"), mo.group("ver")
        if _QUANTITY.match(t, mo.end()) or re.search(rf"\b(?:{_ORG_SUFFIX_COMPANY}|{_ORG_SUFFIX_GOV})$", fam) \
                or fam in d.names and not d.names[fam].startswith("model/"):
            continue            # "Lumiere Labs 12 million", "Acme Inc 5": an amount after a name
        if not sep and "." not in ver and not ver[0].isalpha():
            continue            # "G7", "F1": a code, not a model version
        if sep == " " and ver[0].isalpha():
            continue
        possessive = bool(re.search(r"['’]s\s+$", t[:mo.start("fam")] if s == base + mo.start("fam") else
                                    d.text[max(base, s - 4):s]))
        strong = (sep == "-" or "." in ver or has_cue or possessive or fam in m.model_families
                  or fam_words[0] in m.model_families)
        e = base + mo.end()
        surface = d.text[s:e]
        key = "model/" + _slug(surface)
        if strong:
            any_strong = True
            _define(d, key, surface, "AIModel", [surface])
            _add(d, s, e, key, surface, "AIModel", 2)
        else:
            # weak: accepted when a sure model stands in the same sentence ("Fable 5 and Mythos 5"),
            # or later when its family is confirmed elsewhere in the document
            weak.append(_Cand(s, e, key, surface, "AIModel?", 0))
    for c in weak:
        if any_strong:
            c.type, c.priority = "AIModel", 2
            _define(d, c.key, c.label, "AIModel", [c.label])
        d.cands.append(c)

    # --- model families: "the GLM series", "Alibaba's Qwen line", "Fable and Mythos AI models"
    for mo in _scan(_P_FAMILY, t, gates):
        name = mo.group("name")
        if name in _STOP or name in demonyms or name in m.by_name and m.by_name[name][0].type != "AIModel":
            continue
        if re.search(r"-[a-z]", name) or d.names.get(name, "model/").split("/")[0] != "model":
            continue
        if mo.group("cue").startswith("model") and not _looks_like_model_name(name, t, mo.start("name")):
            continue
        if name.isupper() and len(name) <= 3 and name in ("AI", "US", "UK", "EU"):
            continue
        key = "model/" + _slug(name)
        if name in m.by_name:
            continue
        _define(d, key, name, "AIModel", [name])
        s = base + mo.start("name")
        _add(d, s, s + len(name), key, name, "AIModel", 1)
    for mo in _scan(_P_MODEL_LIST, t, gates):
        lst = mo.group("list")
        off = base + mo.start("list")
        for part in re.finditer(_ORGWORD, lst):
            name = part.group(0)
            if name in _STOP or name in demonyms or name in m.by_name:
                continue
            key = "model/" + _slug(name)
            _define(d, key, name, "AIModel", [name])
            _add(d, off + part.start(), off + part.end(), key, name, "AIModel", 1)
    for mo in _scan(_P_MODELS_LIKE, t, gates):
        lst = mo.group("list")
        off = base + mo.start("list")
        for part in re.finditer(rf"(?:{_ORGWORD}['’]s\s+)?(?P<n>{_ORGWORD})", lst):
            name = part.group("n")
            before = lst[:part.start()].strip()
            if before and not re.search(r"(?:,|\band|\bor)$", before):
                break
            if name in _STOP or name in demonyms or name in m.by_name:
                continue
            key = "model/" + _slug(name)
            _define(d, key, name, "AIModel", [name])
            _add(d, off + part.start("n"), off + part.end("n"), key, name, "AIModel", 1)

    # --- licences: "an MIT open-source license", "the Apache 2.0 license"
    for mo in _scan(_P_LICENSE, t, gates):
        name = mo.group("name")
        if name in _STOP or name in demonyms:
            continue
        s = base + mo.start("name")
        if d.text[s:s + len(name)] in m.by_name and any(x.type == "License" for x in m.by_name[name]):
            continue
        label = f"{name} License"
        key = "license/" + _slug(name)
        _define(d, key, label, "License", [])
        _add(d, s, s + len(name), key, label, "License", 2)

    # --- owners of models ("Anthropic's models", "Alibaba's Qwen line") and corporate subjects
    for pat in (_P_OWNER, _P_CORP_SUBJECT):
        for mo in _scan(pat, t, gates):
            name = mo.group("name")
            if name in _STOP or name in _GENERIC_CAPS or name in demonyms or name in m.by_name or name in d.names \
                    or (pat is _P_CORP_SUBJECT and mo.start() == 0 and not re.search(r"[A-Z].*[A-Z]|\d", name[1:])):
                continue
            if any(name in words for words in d.persons.values()):
                continue
            key = "org/" + _org_slug(name)
            _define(d, key, name, "Company", [name])
            s = base + mo.start("name")
            _add(d, s, s + len(name), key, name, "Company", 1)

    # --- named policies: "the Brussels AI Code", "Digital Services Act"
    for mo in _scan(_P_NAMED_POLICY, t, gates):
        name = _trim_leading_stop(mo.group("name"), frozenset())
        if len(name.split()) < 2 or name in m.by_name or re.match(r"\s+[A-Z]", t[mo.end("name"):]):
            continue          # "AI-Generated Code Vulnerabilities": a title-cased phrase goes on
        kind = mo.group("kind")
        type_ = "Regulation" if kind in ("Act", "Code", "Directive", "Regulation", "Law", "Bill", "Rule") else "Policy"
        if "Export" in name:
            type_ = "ExportControl"
        key = "policy/" + _slug(name)
        _define(d, key, name, type_, [name])
        s = base + mo.end("name") - len(name)
        _add(d, s, base + mo.end("name"), key, name, type_, 2)

    # --- unnamed sources
    for mo in _scan(_P_UNNAMED, t, gates):
        name = mo.group("name")
        key = "source/" + _slug(name) + "-" + _doc_tag(d)
        _define(d, key, name, "UnnamedSource", [])
        s = base + mo.start("name")
        _add(d, s, s + len(name), key, name, "UnnamedSource", 1)

    # --- descriptive policies
    for mo in _policy_matches(t, gates):
        det = (mo.group("det") or "").lower()
        mods = [w.lower() for w in mo.group("mods").split()]
        head = mo.group("head").lower()
        head_sg = re.sub(r"(?<=[a-z])s$", "", head) if head not in ("sanctions", "standards", "rules", "limits") else head[:-1]
        content = [w for w in mods if w not in _GENERIC_MODS]
        if not content:
            if det not in ("the", "this", "that") or head_sg not in _STRONG_BARE_HEADS | {"control", "restriction"}:
                continue
        elif head_sg in ("decision", "limit", "rule") and "export" not in content and "licensing" not in content:
            continue
        if not content and head_sg in ("control", "restriction"):
            pass
        start = base + (mo.start("mods") if content else mo.start("head"))
        if content:
            # start at the first content modifier
            first = mo.group("mods").lower().find(content[0])
            start = base + mo.start("mods") + first
        end = base + mo.end("head")
        if re.match(rf"\s+(?:{_ROLE_NOUNS}|officials|experts|lawyers|analysts)\b", t[mo.end("head"):]):
            continue          # "export control official Saif Khan": a role, not a policy
        words = content + [head_sg]
        obj = _P_ON_OBJECT.match(t, mo.end("head")) if content and "export" in content else None
        type_ = "ExportControl" if "export" in content else "Policy"
        d.cands.append(_Cand(start, end, "policy?" + "-".join(words), d.text[start:end], type_, 1))
        if obj:
            d.cands[-1].label = d.text[start:end] + "\x00" + str(base + obj.start("obj")) + "\x00" + str(base + obj.end("obj"))


_GATES: dict[re.Pattern, list[tuple[str, ...]]] = {}
_GATE_AUTOMATON: list = []
_GATE_LISTS: dict[int, int] = {}        # pattern id -> how many word lists it needs


def _gate(pattern: re.Pattern, *words: str) -> None:
    """Run ``pattern`` only on sentences containing one of ``words`` (lower case); a pattern
    gated several times needs a word of each list. One Aho-Corasick pass per sentence finds
    which patterns can match at all."""
    _GATES.setdefault(pattern, []).append(words)
    _GATE_AUTOMATON.clear()


def _open_gates(low: str) -> set[int]:
    """Ids of the gated patterns that have a word of each of their lists in ``low``."""
    if not _GATE_AUTOMATON:
        auto = ahocorasick.Automaton()
        owners: dict[str, set[tuple[int, int]]] = {}
        for pattern, lists in _GATES.items():
            for i, words in enumerate(lists):
                for w in words:
                    owners.setdefault(w, set()).add((id(pattern), i))
        for w, ids in owners.items():
            auto.add_word(w, frozenset(ids))
        auto.make_automaton()
        _GATE_AUTOMATON.append(auto)
        _GATE_LISTS.update({id(pattern): len(lists) for pattern, lists in _GATES.items()})
    found: set[tuple[int, int]] = set()
    for _, ids in _GATE_AUTOMATON[0].iter(low):
        found |= ids
    lists_found: dict[int, int] = {}
    for pid, _ in found:
        lists_found[pid] = lists_found.get(pid, 0) + 1
    return {pid for pid, n in lists_found.items() if n == _GATE_LISTS[pid]}


def _scan(pattern: re.Pattern, t: str, gates: set[int]):
    if pattern in _GATES and id(pattern) not in gates:
        return ()
    return pattern.finditer(t)


_ROLE_GATE = tuple(sorted({w.lower().rstrip(".").rstrip("\\") for w in _ROLE_NOUNS.split("|")}))
_SAY_GATE = tuple(_SAY.split("|"))
_gate(_P_ROLE_BEFORE, *_ROLE_GATE)
_gate(_P_ROLE_OF, *_ROLE_GATE)
_gate(_P_ROLE_OF, " of ")
_gate(_P_ROLE_OF, ",")
_gate(_P_APPOSITION, ", ")
_gate(_P_APPOSITION, *_ROLE_GATE, "individual", "member", "veteran", "pioneer", "co-inventor", "co-author", "one of")
_gate(_P_SAID_AFTER, *_SAY_GATE)
_gate(_P_SAID_BEFORE, "said", "says", "according to", "told by", "spoke", "talked to", "interviewed")
_gate(_P_ADMINISTRATION, "administration")
_gate(_P_ORG_SUFFIX, *(sep + w.lower().rstrip("?").replace("\\.", "") for sep in " \n" for w in
                       (_ORG_SUFFIX_COMPANY + "|" + _ORG_SUFFIX_RESEARCH + "|" + _ORG_SUFFIX_GOV + "|"
                        + _ORG_SUFFIX_ORG + "|research").split("|")))
_gate(_P_OF_BODY, " of ", " for ")
_gate(_P_ORG_CUE, *(w for w in _ORG_CUE.split("|")))
_gate(_P_ORG_LIST, "such as", "like", "including")
_gate(_P_COALITION, "coalition", "alliance", "consortium", "partnership", "initiative", "intelligence")
_gate(_P_MODEL, *"0123456789")
_gate(_P_FAMILY, "series", "line", "family", "model", "chatbot")
_gate(_P_MODEL_LIST, "models")
_gate(_P_MODEL_LIST, ",", "and", "or")
_gate(_P_MODELS_LIKE, "model")
_gate(_P_LICENSE, "licen")
_gate(_P_OWNER, "'s ", "’s ")
_gate(_P_CORP_SUBJECT, "announced", "released", "launched", "unveiled", "suspended", "agreed", "reported",
      "restricted", "said it", "stated it", "shut", "introduced")
_gate(_P_NAMED_POLICY, " act", " code", "directive", "regulation", " law", " bill", " rule", "accord",
      "declaration", "treaty", "agreement", "convention", "framework", "strategy", "action plan", "executive order")
_gate(_P_UNNAMED, "anonymous", "unnamed", "senior", "former", "familiar")
_gate(_P_POLICY_HEAD, "ban", "order", "control", "directive", "restriction", "standards", "framework", "regime",
      "rules", "moratorium", "embargo", "sanctions", "decision", "limits")


_P_MODEL_GATE = re.compile(r"[A-Za-z][- ]?\d")


def _heading_models(d: _Doc, sent: Span, m: _Matcher) -> None:
    """A versioned model named only in a headline ("Vela 3 tops coding charts") when the body
    names its family ("Vela was trained on code"): title case makes every word look like a
    name, so only the last word before the version is the family, and only a family the body
    uses and names no version of counts."""
    for mo in _P_MODEL.finditer(sent.text):
        fam = mo.group("fam").split()[-1]
        if fam in _STOP or fam in m.demonyms or fam in m.by_name or mo.group("sep") == " " and mo.group("ver")[0].isalpha():
            continue
        if _QUANTITY.match(sent.text, mo.end()) or fam in d.names or any(
                l.startswith(fam) and t == "AIModel" for l, t in d.new.values()):
            continue
        used = re.compile(rf"(?<![\w.-]){re.escape(fam)}(?![\w-]*\w|\.\w|[- ]?\d)")
        if not any(used.search(x.text) and _MODEL_CUE.search(x.text)
                   for x, h in zip(d.sents, d.heading) if not h):
            continue
        s = sent.start + mo.end("fam") - len(fam)
        e = sent.start + mo.end()
        surface = d.text[s:e]
        key = "model/" + _slug(surface)
        _define(d, key, surface, "AIModel", [surface])
        _add(d, s, e, key, surface, "AIModel", 2)


def _looks_like_model_name(name: str, t: str, pos: int) -> bool:
    """A capitalised word before "model(s)" that is not an ordinary title-cased word."""
    if pos == 0:
        return False
    if name.lower() in ("ai", "frontier", "open", "language", "foundation", "reasoning", "agentic", "chinese"):
        return False
    return True


def _skip_space(text: str, s: int) -> int:
    while s < len(text) and text[s].isspace():
        s += 1
    return s


def _doc_tag(d: _Doc) -> str:
    import hashlib
    return hashlib.sha256(d.text.encode()).hexdigest()[:8]


def _link_aliases(d: _Doc, m: _Matcher) -> None:
    """'X, which operates as Y' / 'X, also referred to as Y': Y names X."""
    for s_idx, sent in enumerate(d.sents):
        for mo in _P_ALIAS.finditer(sent.text):
            a_s = sent.start + mo.start()
            # the entity ending right before the alias clause
            left = [c for c in d.cands if c.end <= a_s and c.end >= a_s - 3 and c.start >= sent.start
                    and c.type not in ("AIModel?",) and not c.key.startswith("policy?")]
            if not left and _ANAPHOR.search(sent.text, 0, mo.start()):
                # "The company, which operates as Y": the latest company named before
                left = [c for c in d.cands if c.end <= a_s and c.type == "Company"]
            if not left:
                continue
            left.sort(key=lambda c: (c.end, c.end - c.start))
            target = left[-1]
            alias = mo.group("alias")
            s = sent.start + mo.start("alias")
            entries = m.by_name.get(alias)
            if target.entry is None and entries:
                # the alias is the reference name: move the left entity to the reference key
                ref = entries[0]
                old = target.key
                for c in d.cands:
                    if c.key == old:
                        c.key, c.label, c.type, c.entry, c.priority = ref.key, ref.label, ref.type, ref, 3
                for n, k in list(d.names.items()):
                    if k == old:
                        d.names[n] = ref.key
                d.new.pop(old, None)
                continue
            if entries:
                continue
            other = d.names.get(alias)
            if other is not None and other != target.key and other in d.new and not other.startswith("person/"):
                # the alias was recognised on its own ("Lumiere AI"): it is the same entity
                for c in d.cands:
                    if c.key == other:
                        c.key = target.key
                for n, k in list(d.names.items()):
                    if k == other:
                        d.names[n] = target.key
                d.new.pop(other, None)
            d.names.setdefault(alias, target.key)
            if target.entry is None:
                _define(d, target.key, d.new.get(target.key, (target.label,))[0], target.type, [alias])
            _add(d, s, s + len(alias), target.key, target.label, target.type, 2)


def _propagate(d: _Doc, m: _Matcher) -> None:
    """Every occurrence of a known new name (and a person's single name part) is a mention."""
    names: dict[str, str] = dict(d.names)
    # person name parts: only when one person of the document carries the part
    part_owner: dict[str, set[str]] = {}
    for key, words in d.persons.items():
        for w in (words[0], words[-1]):
            part_owner.setdefault(w, set()).add(key)
    for w, keys in part_owner.items():
        if len(keys) == 1 and w not in names and w not in m.by_name and w not in _STOP and len(w) > 2:
            names[w] = next(iter(keys))
    # confirmed weak model candidates: family confirmed by a strong model or family entity
    strong_fams = {}
    for key, (label, type_) in d.new.items():
        if type_ == "AIModel":
            strong_fams[_family_of(label)] = True
    weak = [c for c in d.cands if c.type == "AIModel?"]
    sent_starts = [x.start for x in d.sents]
    changed = True
    while changed:
        changed = False
        confirmed_in = {bisect_right(sent_starts, c.start) for c in d.cands if c.type == "AIModel" and c.priority == 2}
        for c in weak:
            if c.type != "AIModel?":
                continue
            if (_family_of(c.label) in strong_fams or _family_of(c.label) in m.model_families
                    or bisect_right(sent_starts, c.start) in confirmed_in):
                c.type, c.priority = "AIModel", 2
                _define(d, c.key, c.label, "AIModel", [c.label])
                names.setdefault(c.label, c.key)
                strong_fams[_family_of(c.label)] = True
                changed = True
    # the possessor of a model is its developer: "Anthropic's Claude Opus 4.8"
    for c in d.cands:
        if c.type == "AIModel" and c.entry is None:
            mo = _POSSESSOR.search(d.text, max(0, c.start - 40), c.start)
            if mo:
                name = mo.group("name")
                if name not in names and name not in m.by_name and name not in _STOP and name not in _GENERIC_CAPS \
                        and name not in m.demonyms \
                        and not any(name in w for w in d.persons.values()):
                    key = "org/" + _org_slug(name)
                    _define(d, key, name, "Company", [name])
                    names[name] = key
    # bare family names ("Mythos") of the document's versioned models ("Mythos 5")
    for key, (label, type_) in list(d.new.items()):
        if type_ != "AIModel":
            continue
        fam = _family_of(label)
        if fam and fam != label and len(fam.split()) == 1 and fam not in _STOP and fam not in m.by_name:
            names.setdefault(fam, "model/" + _slug(fam))
            if names[fam] == "model/" + _slug(fam):
                _define(d, names[fam], fam, "AIModel", [])
    # people from the reference data: their name parts corefer too
    for c in d.cands:
        if c.entry is not None and c.entry.type == "Person":
            words = c.entry.label.split()
            for w in (words[0], words[-1]):
                if w not in names and w not in m.by_name and len(w) > 2 and len(part_owner.get(w, ())) == 0:
                    names[w] = c.key
    if not names:
        return
    automaton = ahocorasick.Automaton()
    for name in names:
        automaton.add_word(name, name)
    automaton.make_automaton()
    for sent in d.sents:
        for start, name in _whole_names(automaton, sent.text):
            key = names[name]
            label, type_ = d.new.get(key, (name, "Organization"))
            s = sent.start + start
            _add(d, s, s + len(name), key, label, type_, 1)


_NAME_MAY_START = re.compile(r"(?<![\w.-])")
_NAME_GOES_ON = re.compile(r"[\w-]*\w|\.\w")


def _whole_names(automaton, t: str):
    """``(start, name)`` as ``re.finditer`` would give them for the alternation of the automaton's
    names, longest first, between ``(?<![\\w.-])`` and ``(?![\\w-]*\\w|\\.\\w)``: scanning left to
    right, the longest name at a position that is not inside a word or name wins. A per-document
    regex of the document's names would cost more to compile than to run."""
    at: dict[int, list[str]] = {}
    for end, name in automaton.iter(t):
        at.setdefault(end + 1 - len(name), []).append(name)
    taken_to = 0
    for start in sorted(at):
        if start < taken_to or not _NAME_MAY_START.match(t, start):
            continue
        for name in sorted(at[start], key=len, reverse=True):
            if not _NAME_GOES_ON.match(t, start + len(name)):
                yield start, name
                taken_to = start + len(name)
                break


def _family_of(label: str) -> str:
    mo = re.match(r"(.*?)[- ]?[A-Z]?\d", label)
    return (mo.group(1) if mo else label).strip()


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Non-overlapping candidates: longer first, then higher priority, then earlier."""
    cands = [c for c in cands if c.type != "AIModel?" and c.end > c.start]
    order = sorted(cands, key=lambda c: (-(c.end - c.start), -c.priority, c.start, c.key))
    # taken intervals are disjoint, so sorted by start they are sorted by end too: a candidate
    # overlaps one iff it overlaps the last taken interval starting before the candidate ends
    starts: list[int] = []
    ends: list[int] = []
    chosen = []
    for c in order:
        i = bisect_left(starts, c.end) - 1
        if i >= 0 and ends[i] > c.start:
            continue
        starts.insert(i + 1, c.start)
        ends.insert(i + 1, c.end)
        chosen.append(c)
    chosen.sort(key=lambda c: (c.start, c.end))
    return chosen


def _resolve_families(d: _Doc, chosen: list[_Cand], m: _Matcher) -> list[_Cand]:
    """Bare family names to the document's one version; descriptive policies to their keys."""
    # versions per family name in this document
    versions: dict[str, set[str]] = {}
    for c in chosen:
        if c.type == "AIModel" and c.key.startswith("model/"):
            label = d.text[c.start:c.end]
            fam = _family_of(label)
            if fam and fam != label:
                versions.setdefault(fam, set()).add(c.key)
                # the last word of a multi-word family ("Claude Opus" -> "Opus") names it too
    sub_versions: dict[str, set[str]] = {}
    for fam, keys in versions.items():
        for w in fam.split()[1:]:
            sub_versions.setdefault(w, set()).update(keys)
    out = []
    # "Opus 4.8" after "Claude Opus 4.8": the shorter version is the same model
    full_labels = {c.key: d.text[c.start:c.end] for c in chosen if c.type == "AIModel"}
    for c in chosen:
        if c.type == "AIModel":
            label = d.text[c.start:c.end]
            if c.entry is None:
                for k, full in full_labels.items():
                    if k != c.key and full.endswith(" " + label) and _family_of(label) != _family_of(full):
                        c.key = k
                        break
            fam_only = _family_of(label) == label
            if fam_only and "series" not in d.text[c.end:c.end + 8] and "family" not in d.text[c.end:c.end + 8] \
                    and "line" != d.text[c.end + 1:c.end + 5]:
                keys = versions.get(label) or sub_versions.get(label)
                if keys and len(keys) == 1:
                    c.key = next(iter(keys))
                    c.entry = None
        out.append(c)
    _resolve_policies(d, out)
    return out


_P_POLICY_OWNER_GAP = re.compile(r"(?:['’]s?)?\s+(?:(?:the|a|an|its|new|current|proposed)\s+)?")
_ISSUER_TYPES = ("GovernmentBody", "Country")


def _policy_issuer(d: _Doc, chosen: list[_Cand], c: _Cand) -> str | None:
    """Who a descriptive policy is of: a country or government body right before it ("US export
    controls", "India's new export ban"), else a government body earlier in its sentence (the
    subject that "imposed an export ban")."""
    i = bisect_right([x.start for x in d.sents], c.start) - 1
    lo = d.sents[i].start if i >= 0 else 0
    k = bisect_left([x.start for x in chosen], c.start)
    for x in reversed(chosen[:k]):
        if x.start < lo:
            break
        if x.type not in _ISSUER_TYPES or x.end > c.start:
            continue
        if _P_POLICY_OWNER_GAP.fullmatch(d.text, x.end, c.start) or x.type == "GovernmentBody":
            return x.key
    return None


def _resolve_policies(d: _Doc, chosen: list[_Cand]) -> None:
    """Give descriptive policies their keys (see module docstring)."""
    policies = [c for c in chosen if c.key.startswith("policy?")]
    if not policies:
        return
    by_words: list[tuple[set[str], str, str]] = []
    keyed: dict[int, str] = {}
    unqualified: set[str] = set()
    tag = _doc_tag(d)
    # first pass: phrases with modifiers
    for c in policies:
        words = c.key[len("policy?"):].split("-")
        if len(words) == 1:
            continue
        label = c.label.split("\x00")[0]
        key_words = list(words)
        if "\x00" in c.label:
            _, os_, oe = c.label.split("\x00")
            os_, oe = int(os_), int(oe)
            objs = [x for x in chosen if os_ <= x.start and x.end <= oe and not x.key.startswith("policy?")]
            objs.sort(key=lambda x: (x.type != "AIModel", x.type not in ("Company", "Organization"), x.start))
            if objs and objs[0].type in ("AIModel", "Company", "Organization"):
                key_words += ["on", objs[0].key.split("/", 1)[1]]
        key = "policy/" + "-".join(key_words)
        # "the governance regime" after "an international AI governance regime": the same one
        wider = [k for ws, k, _ in by_words if set(words) < ws]
        if wider and key_words == words:
            key = wider[-1]
        elif key_words == words:
            # Key words alone ("export ban") do not tell two articles' policies apart: the issuer
            # does ("India's export ban", "the ministry ... imposed an export ban"); without one,
            # the phrase is this document's own policy, or names one it qualified already.
            issuer = _policy_issuer(d, chosen, c)
            if issuer:
                key = f"policy/{issuer.split('/', 1)[1]}-{'-'.join(words)}"
            else:
                same = [k for ws, k, _ in by_words if ws == set(words) and k not in unqualified]
                key = same[-1] if same else f"policy/{'-'.join(words)}-{tag}"
                unqualified.add(key)
        keyed[id(c)] = key
        by_words.append((set(words), key, label))
        d.new.setdefault(key, (label, c.type))
    for c in policies:
        label = c.label.split("\x00")[0]
        if id(c) in keyed:
            c.key = keyed[id(c)]
        else:
            head = c.key[len("policy?"):]
            same = [k for ws, k, _ in by_words if head in ws]
            same = list(dict.fromkeys(same))
            if len(same) >= 1:
                # most recent antecedent before, else the first after
                before = [x for x in policies if id(x) in keyed and x.start < c.start and keyed[id(x)] in same]
                c.key = keyed[id(before[-1])] if before else same[0]
            else:
                c.key = f"policy/{head}-{tag}"
                d.new.setdefault(c.key, (label, c.type))
        c.label = label
    # drop bare generic heads that found no antecedent and are weak ("the controls")
    chosen[:] = [c for c in chosen if not (c.key.startswith("policy/") and c.key.endswith("-" + tag)
                                           and c.key not in unqualified
                                           and c.key.split("/")[1].rsplit("-", 1)[0] not in _STRONG_BARE_HEADS)]
