"""Where sources disagree: a lookup over the pkg:Conflict nodes derive.py maintains."""
from __future__ import annotations

from pyoxigraph import Literal

from policykg.queries.library import get_query

COLUMNS = ("kind", "about", "value", "quote", "article", "side", "conflict")


def list_conflicts(store, *, kind: str | None = None) -> list[dict[str, str]]:
    """Every side of every conflict as plain strings: kind, what it is about, the side's value as
    written (date, duration or polarity), its quote and article."""
    query = get_query("conflicts-by-kind")
    rows = []
    for row in store.query(query.sparql, substitutions={"kind": Literal(kind)} if kind else None).dicts():
        flat = {k: v.value for k, v in row.items()}
        field = {"date": "dateText", "duration": "durationText"}.get(flat["kind"], "polarity")
        value = flat.get(field, "")
        rows.append({"kind": flat["kind"], "about": flat.get("conflictKey", ""), "value": value,
                     "quote": flat["quote"], "article": flat["article"], "side": flat["side"],
                     "conflict": flat["conflict"]})
    return rows
