"""Precision/recall of the knowledge-from-text rules against the hand-annotated set in
tests/annotated/ (articles and gold written before the rules were tuned; see its README).

The gold entities are added to the reference data ("oracle entities"), so the figures measure the
relation, claim and event rules rather than entity recognition. Floors are modest and below what
the rules reach today; the printed figures are the real measure (run with ``-s``).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from policykg.loaders.pipeline import extract
from policykg.loaders.records import Extraction, SourceDocument
from policykg.loaders.reference import ReferenceData, load_reference, parse_reference

HERE = Path(__file__).parent / "annotated"
GOLD = yaml.safe_load((HERE / "gold.yaml").read_text(encoding="utf-8"))
POLICY = "<Policy>"
POLICY_TYPES = {"Policy", "Regulation", "ExportControl"}


def _reference() -> ReferenceData:
    base = load_reference()
    extra = parse_reference(yaml.safe_dump({"entities": [e for d in GOLD["documents"] for e in d["entities"]]},
                                           allow_unicode=True), "tests/annotated/gold.yaml")
    known = {e.key for e in base.entries}
    entries = base.entries + tuple(e for e in extra.entries if e.key not in known)
    return ReferenceData(entries, base.digest + extra.digest)


def _extract(name: str, reference: ReferenceData | None) -> Extraction:
    path = HERE / name
    raw = path.read_bytes()
    doc = SourceDocument(source_id=name, text=raw.decode("utf-8"), sha256=hashlib.sha256(raw).hexdigest(),
                         format="txt", path=str(path))
    return extract(doc, reference)


def _names(x: Extraction, key: str) -> set[str]:
    ref = x.entities.get(key)
    if ref is None:
        return {key.casefold()}
    return {n.casefold() for n in {ref.label, *ref.aliases}}


def _is(x: Extraction, key: str, gold: str, literal: bool = False) -> bool:
    if literal:
        return gold.casefold() == key.casefold() or gold.casefold() in key.casefold()
    if gold == POLICY:
        ref = x.entities.get(key)
        return ref is not None and ref.type in POLICY_TYPES
    return gold.casefold() in _names(x, key)


def _match_fact(x: Extraction, fact, gold: list) -> bool:
    s, p, o = gold
    literal = p in ("role", "openWeights")
    return fact.predicate == p and _is(x, fact.subject, s) and _is(x, fact.object, str(o), literal)


def _speaker_ok(x: Extraction, claim, gold_speaker: str) -> bool:
    g = gold_speaker.casefold()
    if claim.speaker and g in _names(x, claim.speaker):
        return True
    return g in claim.speaker_text.casefold() or (claim.speaker and g in claim.speaker.replace("-", " "))


def _score(reference: ReferenceData | None) -> dict[str, tuple[int, int, int]]:
    """(true positives, predicted, gold) for relations, claims and events over the set."""
    totals = {"relations": [0, 0, 0], "claims": [0, 0, 0], "events": [0, 0, 0], "negatives": [0, 0, 0]}
    for d in GOLD["documents"]:
        x = _extract(d["file"], reference)
        facts = [f for f in x.facts if not f.negated]
        used: set[int] = set()
        for g in d["relations"]:
            hit = next((i for i, f in enumerate(facts) if i not in used and _match_fact(x, f, g)), None)
            if hit is not None:
                used.add(hit)
                totals["relations"][0] += 1
        # A predicted fact is correct when it matches some gold relation (duplicates count once).
        totals["relations"][1] += len({(f.subject, f.predicate, f.object) for f in facts})
        totals["relations"][1] -= len({(f.subject, f.predicate, f.object) for i, f in enumerate(facts)
                                        if i not in used and any(_match_fact(x, f, g) for g in d["relations"])})
        totals["relations"][2] += len(d["relations"])
        for g in d["negatives"]:
            totals["negatives"][2] += 1
            if any(_match_fact(x, f, g) for f in facts):
                totals["negatives"][1] += 1          # a denied relation asserted: an error
        cl_used: set[int] = set()
        for g in d["claims"]:
            hit = next((i for i, c in enumerate(x.claims) if i not in cl_used and c.cue.casefold() == g["cue"].casefold()
                        and _speaker_ok(x, c, g["speaker"])), None)
            if hit is not None:
                cl_used.add(hit)
                totals["claims"][0] += 1
        totals["claims"][1] += len(x.claims)
        totals["claims"][2] += len(d["claims"])
        ev_used: set[int] = set()
        for g in d["events"]:
            want = (g["date_text"] or "").casefold()
            hit = next((i for i, e in enumerate(x.events) if i not in ev_used and e.kind == g["kind"]
                        and (e.date_text or "").casefold().removeprefix("on ") == want.removeprefix("on ")), None)
            if hit is not None:
                ev_used.add(hit)
                totals["events"][0] += 1
        totals["events"][1] += len(x.events)
        totals["events"][2] += len(d["events"])
    return {k: tuple(v) for k, v in totals.items()}


def _pr(tp: int, pred: int, gold: int) -> tuple[float, float]:
    return (tp / pred if pred else 0.0, tp / gold if gold else 0.0)


@pytest.fixture(scope="module")
def oracle_scores():
    scores = _score(_reference())
    for k in ("relations", "claims", "events"):
        p, r = _pr(*scores[k])
        print(f"\n[annotated, oracle entities] {k}: precision {p:.2f} recall {r:.2f} {scores[k]}")
    print(f"[annotated, oracle entities] denied relations asserted: {scores['negatives'][1]} of {scores['negatives'][2]}")
    return scores


def test_relation_precision_recall(oracle_scores):
    p, r = _pr(*oracle_scores["relations"])
    assert r >= 0.6 and p >= 0.6, (p, r)


def test_claim_precision_recall(oracle_scores):
    p, r = _pr(*oracle_scores["claims"])
    assert r >= 0.6 and p >= 0.6, (p, r)


def test_event_recall(oracle_scores):
    _, r = _pr(*oracle_scores["events"])
    assert r >= 0.4, r


def test_denied_relations_never_asserted(oracle_scores):
    assert oracle_scores["negatives"][1] == 0


def test_end_to_end_figures_without_oracle():
    """The same measure with the bundled reference only (entity recognition included)."""
    scores = _score(None)
    for k in ("relations", "claims"):
        p, r = _pr(*scores[k])
        print(f"\n[annotated, bundled reference] {k}: precision {p:.2f} recall {r:.2f} {scores[k]}")
    assert _pr(*scores["claims"])[1] >= 0.3
