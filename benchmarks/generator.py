"""Synthetic AI-governance news articles at any size, seeded and deterministic.

Article ``i`` depends only on ``(seed, i)``, so a corpus of 1,000 articles is the first 1,000 of a
corpus of 10,000 and a benchmark can add "10 more" articles that nobody has seen yet.

The pools of actors, models and policies are generated from name parts and are several times
larger than ``loaders/reference.yaml`` (see :func:`pool_sizes`); a share of mentions also uses
reference names so the reference matcher is exercised. Names are drawn with a Zipf-like skew,
as in real news: a few actors appear everywhere, most appear rarely. Every article carries:
attributed quotes with curly quotes ("…,” said X), dated events, sources that disagree,
and boilerplate lines ("Also read: …", "Share this post").
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TARGET_CHARS = 5000
_POOL_SEED = 20240601  # the pools are fixed; the article seed only changes which names are drawn

_FIRST = """Amara Anders Beatriz Bilal Camille Chen Dmitri Elena Farah Gideon Hana Ibrahim Ingrid Jamal
Julia Kenji Laila Lucas Mei Mateo Nadia Naveen Olga Omar Priya Rafael Rosa Samir Sofia Tariq Tomas
Uma Victor Wei Yara Yusuf Zofia Adrian Bianca Carlos Daniela Emil Fatima Grace Hugo Isabel Jonas
Katarina Leon Marta Nikolai Oren Paula Quentin Rina Stefan Thea Ulrich Vera Walter Ximena Yusra""".split()
_LAST = """Abbott Achterberg Banerjee Berger Castillo Delacroix Eriksen Fischer Gallagher Haddad Ishikawa
Jansen Kowalski Lindqvist Moreau Nakamura Okafor Petrov Quintero Rahman Santos Takahashi Underwood
Varga Whitfield Xu Yamamoto Zielinski Albrecht Brennan Carvalho Dubois Esposito Ferreira Grunwald
Holm Iqbal Jovanovic Kaur Lambert Mendes Novak Oyelaran Pereira Rossi Schmidt Tanaka Ueda Voss
Wagner Young Zhang Bauer Costa Duarte Engel Fontaine Garcia Hartmann""".split()
_ROLES = ["Commerce Secretary", "chief executive", "chief technology officer", "head of policy",
          "senior fellow", "spokesperson", "general counsel", "minister for digital affairs",
          "professor of computer science", "director", "research scientist", "senator",
          "trade representative", "deputy director", "chief scientist", "analyst"]
_SYL = """ver tal on ax ion quar lum nex sol ar bri cor del en fal gra hel ist jun kai lor mer nov
or pra qui ros sen tor ul vel wyn xen yor zen cal dri est fin gol hal""".split()
_CO_SUFFIX = ["AI", "Labs", "Technologies", "Systems", "Robotics", "Intelligence", "Computing",
              "Analytics", "Networks", "Semiconductor"]
_PLACES = ["Nordland", "Veloria", "Eastmarch", "Southreach", "Kestria", "Almeria", "Baltora",
           "Corvania", "Drevia", "Estoria", "Falkmark", "Galvia", "Hollandia", "Istria", "Jorvik",
           "Kalmar", "Lysia", "Moravia", "Norvania", "Ostmark", "Pellonia", "Quarria", "Ruthenia",
           "Sarvia", "Tirania", "Ulmland", "Valmora", "Westria", "Yorvania", "Zantia"]
_GOV_HEADS = ["Ministry of Digital Affairs", "Data Protection Authority", "Competition Commission",
              "Office for AI", "Cybersecurity Agency", "Trade Council", "Export Control Bureau",
              "Department of Science and Technology", "AI Safety Institute"]
_RES_HEADS = ["Institute for AI Safety", "University", "Institute of Technology",
              "Academy of Sciences", "Centre for Machine Ethics", "Policy Lab"]
_MODEL_STEMS = """Aurora Kestrel Halcyon Meridian Tessera Corvid Lumen Nimbus Quill Sable Tundra Vireo
Zephyr Atlas Cobalt Ember Fathom Gossamer Harbor Iris Juniper Kiln Larkspur Mosaic Nova Onyx Pylon
Quasar Rune Solace Talon Umbra Vesper Wren Xylo Yonder Zenith""".split()
_MODEL_SUFFIX = ["", "", "", " Pro", " Mini", " Turbo", " Flash", " Ultra", " Coder"]
_POLICY_FORMS = ["{p} AI Accountability Act", "{p} Frontier Model Safety Act",
                 "{p} Algorithmic Transparency Directive", "{p} Compute Export Rule",
                 "{p} Data Sovereignty Act", "{p} Open Weights Licensing Framework",
                 "{p} Chip Security Act", "{p} Digital Services Code", "{p} AI Liability Directive",
                 "{p} Model Registration Regulation"]
_BOILERPLATE = ["Also read: {title}", "Share this post", "Subscribe to our newsletter for weekly AI policy updates.",
                "Related: {title}", "Read more: {title}", "Follow us on LinkedIn", "Advertisement",
                "Sign up for the briefing", "Photo: Reuters", "5 min read"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_SAY = ["said", "told reporters", "argued", "warned", "noted", "wrote in a statement", "added"]
_ISSUES = ["export controls on advanced chips", "open-weight model releases", "frontier model audits",
           "the licensing of training data", "incident reporting rules", "compute thresholds",
           "cross-border data flows", "watermarking of generated content", "model evaluations",
           "access for foreign nationals", "safety testing before deployment"]


@dataclass(frozen=True)
class Actor:
    name: str
    kind: str      # person | company | gov | research | model | policy
    detail: str = ""   # role for people, maker for models, issuer for policies


@dataclass(frozen=True)
class Pools:
    people: tuple[Actor, ...]
    companies: tuple[Actor, ...]
    governments: tuple[Actor, ...]
    research: tuple[Actor, ...]
    models: tuple[Actor, ...]
    policies: tuple[Actor, ...]

    def sizes(self) -> dict[str, int]:
        return {k: len(getattr(self, k)) for k in self.__dataclass_fields__}


def _reference_names() -> dict[str, list[str]]:
    """Labels from the reference data by kind, so generated text also hits the reference matcher."""
    try:
        from policykg.loaders.reference import load_reference
        entries = load_reference().entries
    except Exception:  # the generator must work even if the loaders are mid-edit
        entries = ()
    kinds = {"Person": "person", "Company": "company", "GovernmentBody": "gov",
             "ResearchInstitution": "research", "AIModel": "model", "Regulation": "policy",
             "ExportControl": "policy", "Policy": "policy"}
    out: dict[str, list[str]] = {k: [] for k in set(kinds.values())}
    for e in entries:
        if e.type in kinds:
            out[kinds[e.type]].append(e.label)
    return out


@lru_cache(maxsize=1)
def pools() -> Pools:
    """The fixed name pools (deterministic). Every pool is larger than its reference-data share."""
    rng = random.Random(_POOL_SEED)
    ref = _reference_names()
    people = sorted({f"{f} {l}" for f in _FIRST for l in _LAST})
    rng.shuffle(people)
    people = people[:2500] + ref["person"]
    companies: set[str] = set()
    while len(companies) < 900:
        stem = "".join(rng.choice(_SYL) for _ in range(rng.choice((2, 2, 3)))).capitalize()
        companies.add(f"{stem} {rng.choice(_CO_SUFFIX)}")
    companies_l = sorted(companies) + ref["company"]
    govs = sorted({f"{p} {h}" for p in _PLACES for h in _GOV_HEADS}) + ref["gov"]
    research = sorted({f"{p} {h}" for p in _PLACES for h in _RES_HEADS}) + ref["research"]
    models = sorted({f"{s}-{v}{suf}" for s in _MODEL_STEMS for v in ("2", "3", "3.5", "4", "5", "5.2")
                     for suf in _MODEL_SUFFIX}) + ref["model"]
    policies = sorted({form.format(p=p) for p in _PLACES for form in _POLICY_FORMS}) + ref["policy"]
    # Mix reference names into the pools (seeded) so some of them land in the frequent head.
    for pool in (people, companies_l, govs, research, models, policies):
        rng.shuffle(pool)
    return Pools(
        people=tuple(Actor(n, "person", rng.choice(_ROLES)) for n in people),
        companies=tuple(Actor(n, "company") for n in companies_l),
        governments=tuple(Actor(n, "gov") for n in govs),
        research=tuple(Actor(n, "research") for n in research),
        models=tuple(Actor(n, "model", rng.choice(companies_l)) for n in models),
        policies=tuple(Actor(n, "policy", rng.choice(govs)) for n in policies),
    )


def _zipf(rng: random.Random, pool: tuple[Actor, ...]) -> Actor:
    """A Zipf-like draw: index ~ n**u with u uniform, so the head of the pool recurs often."""
    i = int(len(pool) ** rng.random()) - 1
    return pool[min(max(i, 0), len(pool) - 1)]


def _date(rng: random.Random) -> tuple[str, str]:
    y, m, d = rng.choice((2024, 2025, 2026)), rng.randrange(12), rng.randint(1, 28)
    return f"{_MONTHS[m]} {d}, {y}", f"{y}-{m + 1:02d}-{d:02d}"


class _Article:
    def __init__(self, rng: random.Random, p: Pools):
        self.rng, self.p = rng, p
        self.gov = _zipf(rng, p.governments)
        self.company = _zipf(rng, p.companies)
        self.rival = _zipf(rng, p.companies)
        self.model = _zipf(rng, p.models)
        self.policy = _zipf(rng, p.policies)
        self.issue = rng.choice(_ISSUES)
        self.when, self.iso = _date(rng)

    def person(self) -> Actor:
        return _zipf(self.rng, self.p.people)

    def quote(self) -> str:
        r, a = self.rng, self.person()
        org = r.choice([self.company, self.gov, _zipf(r, self.p.research)]).name
        said = r.choice(_SAY)
        body = r.choice([
            f"We cannot let {self.issue} be decided by a handful of firms",
            f"The {self.policy.name} is the most consequential rule our industry has faced",
            f"{self.model.name} was tested for months before release, and we stand by that work",
            f"This decision will push developers toward open models that nobody can recall",
            f"Nobody asked us before the order was signed, and the timing makes no sense",
            f"We expect every lab to comply within ninety days",
        ])
        form = r.randrange(4)
        if form == 0:
            return f"“{body},” {said.split()[0]} {a.name}, {a.detail} at {org}."
        if form == 1:
            return f"{a.name}, the {a.detail} of {org}, {said}: “{body}.”"
        if form == 2:
            return f"“{body},” {a.name} {said}. “We will keep making that case in {self.when.split()[0]}.”"
        return f"According to {a.name}, {a.detail} at {org}, {body}."

    def event(self) -> str:
        r = self.rng
        when, _ = _date(r)
        return r.choice([
            f"On {when}, the {self.gov.name} ordered {self.company.name} to suspend access to {self.model.name} for users outside the country.",
            f"{self.company.name} released {self.model.name} on {when} under an open license, days after the {self.policy.name} took effect.",
            f"The {self.policy.name}, issued by the {self.policy.detail}, was announced on {when} and takes effect in 18 months.",
            f"On {when}, {self.rival.name} said it had restored access to its models after a two-week shutdown.",
            f"The {self.gov.name} withdrew the order on {when}, less than a month after it was issued.",
            f"Officials met at a summit in {r.choice(_PLACES)} on {when} to discuss {self.issue}.",
        ])

    def disagreement(self) -> str:
        r, a, b = self.rng, self.person(), self.person()
        return r.choice([
            f"{a.name} said the {self.policy.name} would restrict {self.company.name}. {b.name} disputed that, saying the rule does not apply to {self.model.name}.",
            f"The {self.gov.name} said {self.model.name} was developed by {self.company.name}; {self.rival.name} denied any role in the project, a spokesperson said.",
            f"Some analysts argued that the controls were effective. Others, including {b.name} of {_zipf(r, self.p.research).name}, said they had failed.",
            f"{self.company.name} said it had complied with the order. The {self.gov.name} said it had not, and that an investigation was continuing.",
        ])

    def background(self) -> str:
        r = self.rng
        other = _zipf(r, self.p.models)
        return r.choice([
            f"{self.company.name} and {self.rival.name} have competed for government contracts since {r.randint(2015, 2023)}, "
            f"and both have lobbied on {self.issue}. {other.name}, developed by {other.detail}, is widely used by researchers.",
            f"The debate over {self.issue} has intensified as models such as {self.model.name} and {other.name} close the gap with "
            f"the most capable proprietary systems. Critics say the rules lag the technology by years.",
            f"Under the {self.policy.name}, developers must register models above a compute threshold, publish a summary of training "
            f"data and report serious incidents within 15 days. Fines can reach 3 percent of global turnover.",
            f"The {_zipf(r, self.p.research).name} estimated in a report published in {r.choice(_MONTHS)} that compliance would cost "
            f"small developers more than $2 million a year, a figure the {self.gov.name} called exaggerated.",
            f"Investors have poured money into {self.rival.name}, which is based in {r.choice(_PLACES)} and employs about "
            f"{r.randint(2, 90) * 10} people. Its chief executive, {self.person().name}, has called for a global framework.",
        ])

    def boiler(self, title: str) -> str:
        return self.rng.choice(_BOILERPLATE).format(title=title)


def article(index: int, seed: int = 0, target_chars: int = TARGET_CHARS) -> str:
    """The text of synthetic article ``index`` (title line, byline, dateline, body of ~target_chars)."""
    rng = random.Random(f"{seed}:{index}")
    a = _Article(rng, pools())
    title = rng.choice([
        f"{a.gov.name} orders {a.company.name} to pull {a.model.name}",
        f"{a.company.name} defies {a.policy.name} with open release",
        f"Why the {a.policy.name} divides {a.company.name} and {a.rival.name}",
        f"Inside the fight over {a.issue}",
    ])
    reporter = a.person().name
    parts = [title, f"By {reporter}", f"{a.when}", a.event()]
    makers = [a.quote, a.event, a.disagreement, a.background, a.background, a.quote]
    size = sum(len(x) + 2 for x in parts)
    while size < target_chars:
        if rng.random() < 0.12:
            para = a.boiler(rng.choice([f"{a.rival.name} bets on {a.issue}", f"What the {a.policy.name} means"]))
        else:
            para = " ".join(rng.choice(makers)() for _ in range(rng.randint(1, 3)))
        parts.append(para)
        size += len(para) + 2
    parts += ["Share this post", f"{reporter} covers technology policy."]
    return "\n\n".join(parts) + "\n"


def write_corpus(out: str | Path, count: int, *, seed: int = 0, start: int = 0,
                 target_chars: int = TARGET_CHARS) -> list[Path]:
    """Write articles ``start .. start+count-1`` as ``out/art-<index>.txt``; returns the paths.

    Files that already exist with the same content are left alone (cheap re-runs).
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + count):
        path = out / f"art-{seed}-{i:07d}.txt"
        text = article(i, seed, target_chars)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
