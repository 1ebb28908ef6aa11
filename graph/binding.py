"""Binding query parameters: a VALUES block of typed terms opening the WHERE clause.

One mechanism for every store. Terms are pyoxigraph NamedNode/Literal objects written in
N-Triples syntax (IRIs validated, literals escaped), so a value is always one token and can never
change the query's structure. Oxigraph 0.5 plans a query before applying ``substitutions``, so
this form is also the one that makes a bound parameter selective; SPARQL endpoints have no typed
bindings at all.
"""
from __future__ import annotations

import re

from pyoxigraph import Literal, NamedNode

from policykg.errors import QueryError

_SKIP = re.compile(r"""
    \#[^\n]*                                   # comment
  | <[^<>"{}|^`\\\s]*>                         # IRI reference
  | '''(?:[^'\\]|\\.|'(?!''))*'''              # long strings
  | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
  | '(?:[^'\\\n\r]|\\.)*'                       # short strings
  | "(?:[^"\\\n\r]|\\.)*"
""", re.VERBOSE)


def _where_brace(sparql: str) -> int:
    """Offset of the ``{`` opening the outermost WHERE group (outside comments, IRIs, strings and
    the parentheses of projection expressions)."""
    depth, i = 0, 0
    while i < len(sparql):
        m = _SKIP.match(sparql, i)
        if m and m.end() > i:
            i = m.end()
            continue
        c = sparql[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "{" and depth == 0:
            return i
        i += 1
    raise QueryError("cannot bind parameters: the query has no group pattern")


def values_block(substitutions: dict) -> str:
    """``VALUES (?a ?b) { (t1 t2) }`` from variable name -> pyoxigraph term (N-Triples syntax)."""
    names, terms = [], []
    for name, term in substitutions.items():
        var = name.lstrip("?$")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", var):
            raise QueryError(f"invalid parameter name {name!r}")
        if not isinstance(term, (NamedNode, Literal)):
            raise QueryError(f"parameter {var} must be an IRI or a literal, not {type(term).__name__}")
        names.append("?" + var)
        terms.append(str(term))  # N-Triples: IRIs validated, literals escaped -> one token each
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"


def inline_values(sparql: str, substitutions: dict | None) -> str:
    """The query with its parameters bound by a VALUES block opening the outermost group pattern."""
    if not substitutions:
        return sparql
    at = _where_brace(sparql) + 1
    return sparql[:at] + " " + values_block(substitutions) + " " + sparql[at:]
