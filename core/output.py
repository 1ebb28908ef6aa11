"""Formatting of tabular results for the CLI: table (rich), json, csv, markdown."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

FORMATS = ("table", "json", "csv", "markdown")


def term_text(term) -> str:
    """A pyoxigraph term (or plain value) as display text: IRIs bare, literals by value."""
    if term is None:
        return ""
    return getattr(term, "value", str(term))


def _compact_prefixes() -> list[tuple[str, str]]:
    from policykg.ontology.terms import DEFAULT_BASE, PREFIXES
    pairs = [(ns, p + ":") for p, ns in PREFIXES.items()] + [(DEFAULT_BASE, "id:")]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def compact(text: str) -> str:
    """Shorten well-known IRIs for people reading a table (pkg:developedBy, id:org/anthropic)."""
    for ns, prefix in _compact_prefixes():
        if text.startswith(ns):
            return prefix + text[len(ns):]
    return text


def render_rows(columns: Sequence[str], rows: Sequence[Sequence], fmt: str) -> str:
    """Rows of display values in the chosen format."""
    cells = [[term_text(v) for v in row] for row in rows]
    if fmt in ("table", "markdown"):
        cells = [[compact(c) for c in row] for row in cells]
    if fmt == "json":
        return json.dumps([dict(zip(columns, r)) for r in cells], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(cells)
        return buf.getvalue()
    if fmt == "markdown":
        esc = lambda s: s.replace("|", "\\|").replace("\n", " ")  # noqa: E731
        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(esc(c) for c in r) + " |" for r in cells]
        return "\n".join(lines) + "\n"
    from rich.console import Console
    from rich.table import Table
    table = Table(*columns, show_lines=False)
    for r in cells:
        table.add_row(*r)
    buf = io.StringIO()
    Console(file=buf, width=160, force_terminal=False, color_system=None).print(table)
    return buf.getvalue()
