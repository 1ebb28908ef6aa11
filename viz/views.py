"""The three map views as networkx graphs with everything the page shows.

Every view is a ``networkx.MultiDiGraph`` with the same attributes, so focus, filters, ranking,
layout and the Gephi exports work on any of them:

* node: ``label``, ``type`` (a pkg: class local name, or Claim/Event/Speaker/Article),
  ``aliases`` (list), ``articles`` (sorted article ids), ``evidence`` (list of Quote),
  ``contested`` (bool), ``detail`` (list of (name, value) lines for the side panel),
  optional ``x``/``y`` (fixed positions: the timeline);
* edge (keyed by relation): ``relation``, ``label``, ``negated``, ``contested``, ``articles``,
  ``evidence``.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from policykg.graph.network import entity_graph
from policykg.ontology.terms import PKG
from policykg.queries.library import run_named

VIEWS = ("entities", "claims", "timeline")
_MAX_QUOTE = 320          # characters of context shown around a mention
_MENTIONS_PER_ARTICLE = 3


@dataclass(frozen=True, order=True)
class Quote:
    """Exact words of one article (``text`` is a substring of it, cut at ``…`` when long)."""

    article: str
    start: int
    text: str


@dataclass
class Corpus:
    """The articles behind a view: id -> (title, date), plus their texts for quoting."""

    titles: dict[str, str]
    dates: dict[str, str]
    texts: dict[str, str]
    sha256: dict[str, str]

    @property
    def newest(self) -> str | None:
        """The newest article date known, or None."""
        return max(self.dates.values(), default=None)


def load_corpus(store) -> Corpus:
    """Article ids, titles, dates and texts."""
    titles, dates, texts, hashes = {}, {}, {}, {}
    for row in run_named(store, "viz-documents").dicts():
        art = row["article"].value
        titles[art] = row["title"].value if "title" in row else art
        if "date" in row:
            dates[art] = row["date"].value
        if "text" in row:
            texts[art] = row["text"].value
        if "sha256" in row:
            hashes[art] = row["sha256"].value
    return Corpus(titles, dates, texts, hashes)


def local(iri: str) -> str:
    """``pkg:`` local name of an IRI (other IRIs unchanged)."""
    return iri[len(PKG):] if iri.startswith(PKG) else iri


def sentence_around(text: str, start: int, end: int, limit: int = _MAX_QUOTE) -> tuple[int, str]:
    """The sentence holding text[start:end], exactly as written (cut with … beyond ``limit``)."""
    lo = start
    while lo > 0 and not (text[lo - 1] == "\n" or (text[lo - 1] in " \t" and lo > 1 and text[lo - 2] in ".!?")):
        lo -= 1
    m = re.compile(r"[.!?](?=\s)|\n").search(text, end)
    hi = m.end() if m else len(text)
    if hi - lo > limit:  # keep the mention in view
        half = (limit - (end - start)) // 2
        lo2, hi2 = max(lo, start - half), min(hi, end + half)
        return lo2, ("…" if lo2 > lo else "") + text[lo2:hi2].strip() + ("…" if hi2 < hi else "")
    return lo, text[lo:hi].strip()


def _mention_quotes(store, corpus: Corpus) -> dict[str, list[Quote]]:
    """Per entity: the sentence around its first mentions in each article."""
    per: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for row in run_named(store, "viz-mentions").dicts():
        per[(row["entity"].value, row["article"].value)].append((int(row["start"].value), int(row["end"].value)))
    out: dict[str, list[Quote]] = defaultdict(list)
    for (entity, article), spans in sorted(per.items()):
        text = corpus.texts.get(article)
        if text is None:
            continue
        seen = set()
        for s, e in sorted(spans):
            lo, sentence = sentence_around(text, s, e)
            if lo in seen:
                continue
            seen.add(lo)
            out[entity].append(Quote(article, lo, sentence))
            if len(seen) >= _MENTIONS_PER_ARTICLE:
                break
    return out


def _conflict_sides(store) -> tuple[set[str], set[tuple[str, str, str]]]:
    """IRIs of every conflict side, and (subject, relation, object) of the statement sides."""
    sides, triples = set(), set()
    for row in run_named(store, "viz-conflicts").dicts():
        sides.add(row["side"].value)
        if "subject" in row and "object" in row:
            triples.add((row["subject"].value, local(row["relation"].value), row["object"].value))
    return sides, triples


def _entity_nodes(store, corpus: Corpus) -> nx.MultiDiGraph:
    """Entities and their relations (negated ones included, marked), with quotes on both."""
    base = entity_graph(store, include_negated=True)
    quotes = _mention_quotes(store, corpus)
    _, contested_triples = _conflict_sides(store)
    g = nx.MultiDiGraph()
    for node, d in base.nodes(data=True):
        g.add_node(node, label=d["label"], type=d["type"], aliases=[a for a in d["aliases"] if a != d["label"]],
                   articles=list(d["documents"]), evidence=quotes.get(node, []), contested=False, detail=[])
    for s, o, key, d in base.edges(keys=True, data=True):
        rel = d["relation"]
        both = base.has_edge(s, o, rel) and base.has_edge(s, o, rel + " (negated)")
        contested = both or (s, rel, o) in contested_triples
        g.add_edge(s, o, key=key, relation=rel, label=("not " if d["negated"] else "") + _words(rel),
                   negated=d["negated"], contested=contested,
                   articles=sorted({ev.article for ev in d["evidence"]}),
                   evidence=sorted(Quote(ev.article, ev.start, ev.quote) for ev in d["evidence"]))
    return g


def _words(name: str) -> str:
    """``affiliatedWith`` -> ``affiliated with``."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()


def entities_view(store, corpus: Corpus) -> nx.MultiDiGraph:
    """Actors, models, policies and the relations between them."""
    return _entity_nodes(store, corpus)


def _add_entity(g: nx.MultiDiGraph, entities: nx.MultiDiGraph, iri: str) -> bool:
    """Copy one entity node into a view; False when the graph does not know it."""
    if iri in g:
        return True
    if iri not in entities:
        return False
    g.add_node(iri, **entities.nodes[iri])
    return True


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def claims_view(store, corpus: Corpus) -> nx.MultiDiGraph:
    """Speaker -> claim -> what it is about, with supports/disputes between claims."""
    entities = _entity_nodes(store, corpus)
    contested, _ = _conflict_sides(store)
    g = nx.MultiDiGraph()
    for row in run_named(store, "viz-claims").dicts():
        claim, article = row["claim"].value, row["article"].value
        if claim in g:
            continue
        quote = row["quote"].value
        polarity = row["polarity"].value if "polarity" in row else "affirms"
        spoken = row["speakerText"].value if "speakerText" in row else ""
        detail = [("speaker as written", spoken), ("cue", row["cue"].value if "cue" in row else ""),
                  ("polarity", polarity)]
        g.add_node(claim, label="“" + _short(quote, 32) + "”", type="Claim", aliases=[], articles=[article],
                   evidence=[Quote(article, int(row["start"].value) if "start" in row else 0, quote)],
                   contested=claim in contested or polarity != "affirms",
                   detail=[(k, v) for k, v in detail if v])
        if "speaker" in row and _add_entity(g, entities, row["speaker"].value):
            speaker = row["speaker"].value
        elif spoken.lower() == "article" or not spoken:
            speaker = "article:" + article
            g.add_node(speaker, label=_short(corpus.titles.get(article, article), 48), type="Article",
                       aliases=[], articles=[article], evidence=[], contested=False,
                       detail=[("article", article)])
        else:  # an unnamed speaker is only the same speaker within one article
            speaker = "speaker:" + article + "#" + spoken
            g.add_node(speaker, label=_short(spoken, 48), type="Speaker", aliases=[], articles=[article],
                       evidence=[], contested=False, detail=[("article", article)])
        g.add_edge(speaker, claim, key="states", relation="states", label=row["cue"].value if "cue" in row else "states",
                   negated=False, contested=False, articles=[article], evidence=[])
    for row in run_named(store, "viz-claim-links").dicts():
        claim, link, target = row["claim"].value, local(row["link"].value), row["target"].value
        if claim not in g:
            continue
        if link == "about":
            if not _add_entity(g, entities, target):
                continue
        elif target not in g:
            continue
        arts = sorted(set(g.nodes[claim]["articles"]) | set(g.nodes[target]["articles"]))
        g.add_edge(claim, target, key=link, relation=link, label=link, negated=link == "disputes",
                   contested=link == "disputes", articles=arts if link != "about" else g.nodes[claim]["articles"],
                   evidence=[])
    return g


_DATE = re.compile(r"^(-?\d{4}|--)?-?(\d{2})?-?(\d{2})?")


def date_key(value: str | None, datatype: str | None, doc_date: str | None) -> tuple[int, int, int] | None:
    """Sort key (year, month, day; 0 = unknown part) of a pkg:date literal; a month-day borrows the
    reporting article's year when it has one."""
    if not value:
        return None
    kind = (datatype or "").rsplit("#", 1)[-1]
    try:
        if kind == "gMonthDay" or value.startswith("--"):
            if not doc_date:
                return None
            return int(doc_date[:4]), int(value[2:4]), int(value[5:7])
        if kind == "gYear":
            return int(value[:4]), 0, 0
        if kind == "gYearMonth":
            return int(value[:4]), int(value[5:7]), 0
        return int(value[:4]), int(value[5:7]), int(value[8:10])
    except (ValueError, IndexError):
        return None


_TIMELINE_STEP = 280      # pixels between consecutive dates
_TIMELINE_ROW = 90


def timeline_view(store, corpus: Corpus) -> nx.MultiDiGraph:
    """Events left to right by date (as far as known: full dates, then month-days whose year is
    unknown, then undated ones by article date), their participants below, and a dotted link between reports of the same happening."""
    entities = _entity_nodes(store, corpus)
    contested, _ = _conflict_sides(store)
    g = nx.MultiDiGraph()
    keys: dict[str, tuple] = {}
    by_key: dict[str, list[str]] = defaultdict(list)
    for row in run_named(store, "viz-events").dicts():
        ev, article = row["event"].value, row["article"].value
        if ev in g:
            continue
        date = row.get("date")
        key = date_key(date.value if date else None, date.datatype.value if date else None,
                       row["docDate"].value if "docDate" in row else corpus.dates.get(article))
        date_text = row["dateText"].value if "dateText" in row else ""
        label = row["label"].value if "label" in row else (row["eventType"].value if "eventType" in row else "event")
        shown_date = date_text or (date.value if date else "") or "undated"
        detail = [("date", date.value if date else "unknown"), ("date as written", date_text),
                  ("date basis", row["dateBasis"].value if "dateBasis" in row else ""),
                  ("duration as written", row["durationText"].value if "durationText" in row else ""),
                  ("kind", row["eventType"].value if "eventType" in row else "")]
        g.add_node(ev, label=_short(f"{shown_date} · {label}", 40), type="Event", aliases=[date_text] if date_text else [],
                   articles=[article], contested=ev in contested, detail=[(k, v) for k, v in detail if v],
                   evidence=[Quote(article, int(row["start"].value), row["quote"].value)] if "quote" in row else [])
        if key:
            keys[ev] = (0,) + key
        elif date and date.value.startswith("--"):  # month-day, year unknown: by month and day
            keys[ev] = (1, date.value)
        else:
            keys[ev] = (2, corpus.dates.get(article, "9999"), article)
        if "eventKey" in row:
            by_key[row["eventKey"].value].append(ev)
    for row in run_named(store, "viz-participants").dicts():
        ev, who = row["event"].value, row["participant"].value
        if ev in g and _add_entity(g, entities, who):
            g.add_edge(ev, who, key="participant", relation="participant", label="", negated=False,
                       contested=False, articles=g.nodes[ev]["articles"], evidence=[])
    for evs in by_key.values():
        evs = sorted(evs)
        for a, b in zip(evs, evs[1:]):
            g.add_edge(a, b, key="sameEvent", relation="sameEvent", label="same event", negated=False,
                       contested=g.nodes[a]["contested"] or g.nodes[b]["contested"],
                       articles=sorted(set(g.nodes[a]["articles"]) | set(g.nodes[b]["articles"])), evidence=[])
    _place_timeline(g, keys)
    return g


def _place_timeline(g: nx.MultiDiGraph, keys: dict[str, tuple]) -> None:
    """Fixed positions: one column per distinct date, stacked events; participants under their
    events' mean column, spread over three rows."""
    columns: dict[tuple, list[str]] = defaultdict(list)
    for ev in sorted(keys, key=lambda e: (keys[e], e)):
        columns[keys[ev]].append(ev)
    xs = {}
    for i, col in enumerate(sorted(columns)):
        for j, ev in enumerate(columns[col]):
            g.nodes[ev]["x"], g.nodes[ev]["y"] = i * _TIMELINE_STEP, -j * _TIMELINE_ROW
            xs[ev] = i * _TIMELINE_STEP
    others = [n for n in g if n not in keys]
    mean_x = {}
    for n in others:
        cols = [xs[e] for e in g.predecessors(n) if e in xs]
        mean_x[n] = sum(cols) / len(cols) if cols else 0.0
    last = [-1e9, -1e9, -1e9]
    for n in sorted(others, key=lambda n: (mean_x[n], n)):
        row = min(range(3), key=lambda r: (last[r] > mean_x[n] - 160, last[r]))
        x = max(mean_x[n], last[row] + 160)
        last[row] = x
        g.nodes[n]["x"], g.nodes[n]["y"] = int(round(x)), 200 + row * _TIMELINE_ROW


def build_view(store, view: str, corpus: Corpus | None = None) -> nx.MultiDiGraph:
    """One of VIEWS as a graph (see the module docstring for its attributes)."""
    corpus = corpus or load_corpus(store)
    return {"entities": entities_view, "claims": claims_view, "timeline": timeline_view}[view](store, corpus)
