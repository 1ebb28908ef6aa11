"""Where sources disagree: a lookup over the pkg:Conflict nodes derive.py maintains."""
from __future__ import annotations

from policykg.queries.library import run_named


def list_conflicts(store, *, kind: str | None = None) -> list[dict[str, str]]:
    """Every side of every conflict as plain strings (kind, about, value, quote, article, ...)."""
    rows = []
    for row in run_named(store, "conflicts").dicts():
        flat = {k: v.value for k, v in row.items()}
        if kind is None or flat["kind"] == kind:
            rows.append({c: flat.get(c, "") for c in ("conflict", "kind", "about", "side", "value", "quote", "article")})
    return rows
