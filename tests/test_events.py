"""Event rules (loaders/events.py) and date normalization (loaders/dates.py)."""
from __future__ import annotations

from _kft import corpus, from_text

from policykg.loaders import dates as D


def _ev(x, key):
    return next(e for e in x.events if e.key == key)


def test_order_dated_june_12_dq1():
    x = corpus("000")
    order = _ev(x, "order/org/anthropic")
    assert order.date_text == "June 12"
    assert order.date == "--06-12" and order.date_type == "gMonthDay"
    assert "org/us-department-of-commerce" in order.participants


def test_shutdown_durations_disagree_dq5():
    a, b = _ev(corpus("000"), "shutdown/org/anthropic"), _ev(corpus("002"), "shutdown/org/anthropic")
    assert (a.duration, a.duration_text) == ("P18D", "Eighteen days")
    assert (b.duration, b.duration_text) == ("P14D", "two-week")


def test_relative_dates_resolve_against_events_000():
    x = corpus("000")
    assert _ev(x, "shutdown/org/anthropic").date == "--06-12"
    rel = _ev(x, "release/model/glm-5-2")
    assert rel.date_text == "About a day after the shutdown" and rel.date == "--06-13"
    rev = _ev(x, "reversal/org/anthropic")
    assert rev.date_text == "Eighteen days after the shutdown" and rev.date == "--06-30"
    assert rev.date_basis == "relative-to-event"


def test_per_model_reversal_dates_002():
    x = corpus("002")
    assert _ev(x, "reversal/model/mythos").date_text == "on Friday"
    assert _ev(x, "reversal/model/fable").date_text == "late Tuesday"


def test_other_date_forms():
    x = corpus("001")
    conf = next(e for e in x.events if e.kind == "conference")
    assert conf.date_text == "June 29–30" and conf.date == "--06-29"
    assert _ev(corpus("003"), "directive/org/anthropic").date_text == "February"
    order = _ev(corpus("004"), "order/org/anthropic")
    assert order.date_text == "Mid-2025" and order.date == "2025" and order.date_type == "gYear"


def test_keys_match_across_documents():
    keys = [{e.key for e in corpus(p).events} for p in ("000", "002")]
    assert "shutdown/org/anthropic" in keys[0] & keys[1]
    assert "reversal/org/anthropic" in keys[0] & keys[1]


def test_document_date_normalizes_relative_words():
    x = from_text("On Friday, the U.S. Commerce Department ordered Anthropic to suspend access to Mythos 5. "
                  "Anthropic said it would begin restoring access yesterday.", date="2026-06-17")
    order = _ev(x, "order/org/anthropic")
    assert order.date == "2026-06-12" and order.date_basis == "weekday-before-document-date"
    resto = _ev(x, "restoration/org/anthropic")
    assert resto.date == "2026-06-16" and resto.date_basis == "document-date"


def test_date_expressions():
    text = "In February and on June 12, 2026, and mid-2025, 2022–2023, yesterday, late Tuesday, June 29–30."
    found = {d.text: d.kind for d in D.find_dates(text, 0, len(text))}
    assert found == {"February": "m", "June 12, 2026": "mdy", "mid-2025": "y-part", "2022–2023": "y-range",
                     "yesterday": "day-rel", "late Tuesday": "weekday", "June 29–30": "md-range"}
    assert D.normalize(D.find_dates("June 12", 0, 7)[0], None) == D.Normalized("--06-12", "gMonthDay", "explicit")
    assert D.normalize(D.find_dates("June 12", 0, 7)[0], "2026-07-01").value == "2026-06-12"
    assert D.normalize(D.find_dates("in May", 0, 6)[0], None) is None
    assert D.find_dates("you may go", 0, 10) == []
    assert D.find_durations("a two-week shutdown", 0, 19)[0][2:4] == ("two-week", "P14D")


def test_no_dates_from_boilerplate():
    x = corpus("001")
    assert not any(e.date_text and "24" in e.date_text for e in x.events)   # "June 24, 2026" is a caption


def test_speed_a_few_ms_per_article():
    import time

    from policykg.loaders import claims, events, relations
    from policykg.loaders.pipeline import build_context
    from policykg.loaders.reference import load_reference
    doc = corpus("004").document
    ctx = build_context(doc, load_reference())
    relations.extract_facts(ctx), claims.extract_claims(ctx), events.extract_events(ctx)   # warm caches
    best = 1e9
    for _ in range(3):
        ctx = build_context(doc, load_reference())
        t = time.perf_counter()
        relations.extract_facts(ctx), claims.extract_claims(ctx), events.extract_events(ctx)
        best = min(best, time.perf_counter() - t)
    assert best < 0.25, best     # generous for loaded CI machines; typically well under 50 ms
