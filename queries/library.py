"""The named query library: ``queries/*.rq`` files with a self-documenting header.

Header lines (valid SPARQL comments, grlc-style)::

    #+ summary: One line saying what question the query answers.
    #+ params: name:kind = example ; other:kind? = example
    #+ columns: a, b, c

``kind`` is entity | document | class | string | integer | date | iri; ``?`` marks optional.
Values are bound as typed RDF terms (a VALUES block of validated, escaped terms opening the
WHERE clause; see ``EmbeddedStore.query``), never pasted user text. Every parameter variable is
also projected (and grouped by, in aggregates), so the answer rows say what they were asked
about; a test checks this for every file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from pyoxigraph import Literal, NamedNode

from policykg.errors import QueryError
from policykg.ontology import terms as T

PARAM_KINDS = ("entity", "document", "class", "string", "integer", "date", "iri")
_HEADER = re.compile(r"^#\+\s*(\w+):\s*(.*)$")
_PARAM = re.compile(r"^\s*(\w+)\s*:\s*(\w+)(\?)?\s*(?:=\s*(.*?))?\s*$")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    optional: bool = False
    example: str | None = None


@dataclass(frozen=True)
class NamedQuery:
    name: str
    summary: str
    sparql: str
    params: tuple[Param, ...] = ()
    columns: tuple[str, ...] = ()


def parse_query_file(name: str, text: str) -> NamedQuery:
    """Parse a .rq file's header; raises QueryError when the header is incomplete."""
    header: dict[str, str] = {}
    for line in text.splitlines():
        m = _HEADER.match(line.strip())
        if m:
            header[m.group(1)] = m.group(2).strip()
    if not header.get("summary"):
        raise QueryError(f"{name}.rq: missing '#+ summary:' header")
    params = []
    for part in filter(None, (p.strip() for p in header.get("params", "").split(";"))):
        m = _PARAM.match(part)
        if not m or m.group(2) not in PARAM_KINDS:
            raise QueryError(f"{name}.rq: cannot read parameter {part!r} (want name:kind = example)")
        params.append(Param(m.group(1), m.group(2), bool(m.group(3)), (m.group(4) or "").strip('"') or None))
    columns = tuple(c.strip() for c in header.get("columns", "").split(",") if c.strip())
    return NamedQuery(name, header["summary"], text, tuple(params), columns)


@lru_cache(maxsize=1)
def load_library() -> dict[str, NamedQuery]:
    """Every named query shipped in this package, by name."""
    out = {}
    for res in sorted(resources.files(__package__).iterdir(), key=lambda r: r.name):
        if res.name.endswith(".rq"):
            name = res.name[:-3]
            out[name] = parse_query_file(name, res.read_text(encoding="utf-8"))
    return out


def get_query(name: str) -> NamedQuery:
    lib = load_library()
    if name not in lib:
        raise QueryError(f"unknown query {name!r}; 'policykg queries' lists them")
    return lib[name]


# Exact names first: an index lookup; the case-insensitive scan over all names only when needed.
_ENTITY_EXACT = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?e ?label ?wanted WHERE {
  { ?e rdfs:label ?wanted } UNION { ?e skos:altLabel ?wanted }
  ?e rdfs:label ?label .
} ORDER BY ?e
"""
_ENTITY_LOOKUP = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?e ?label ?wanted WHERE {
  { ?e rdfs:label ?name } UNION { ?e skos:altLabel ?name }
  FILTER(LCASE(STR(?name)) = LCASE(STR(?wanted)))
  ?e rdfs:label ?label .
} ORDER BY ?e
"""


def resolve_entity(store, name: str, base: str = T.DEFAULT_BASE) -> NamedNode:
    """An entity IRI from any of its names (label or alias, case-insensitive), its key or its IRI."""
    name = name.strip()
    if name.startswith(("http://", "https://")):
        return NamedNode(name)
    hits = store.query(_ENTITY_EXACT, substitutions={"wanted": Literal(name)}).rows
    if not hits:
        hits = store.query(_ENTITY_LOOKUP, substitutions={"wanted": Literal(name)}).rows
    iris = sorted({row[0].value for row in hits})
    if len(iris) == 1:
        return NamedNode(iris[0])
    if len(iris) > 1:
        # A label beats an alias; otherwise the name is ambiguous.
        exact = sorted({row[0].value for row in hits if row[1].value.lower() == name.lower()})
        if len(exact) == 1:
            return NamedNode(exact[0])
        raise QueryError(f"{name!r} names several entities: {', '.join(iris)}; pass the IRI")
    if re.fullmatch(r"[a-z]+/[\w.-]+", name):
        return NamedNode(base + name)
    raise QueryError(f"no entity is called {name!r}; 'policykg entities' lists them")


def bind(store, query: NamedQuery, values: dict[str, str]) -> dict[str, object]:
    """Typed RDF terms for the query's parameters; rejects unknown or missing ones."""
    known = {p.name: p for p in query.params}
    for key in values:
        if key not in known:
            raise QueryError(f"query {query.name!r} has no parameter {key!r} "
                             f"(it takes: {', '.join(known) or 'none'})")
    out: dict[str, object] = {}
    for p in query.params:
        if p.name not in values:
            if not p.optional:
                raise QueryError(f"query {query.name!r} needs --param {p.name}=… (e.g. {p.example})")
            continue
        out[p.name] = to_term(store, p, values[p.name])
    return out


def to_term(store, param: Param, raw: str):
    """One parameter value as a typed RDF term."""
    if param.kind == "entity":
        return resolve_entity(store, raw)
    if param.kind == "class":
        local = raw.split(":", 1)[1] if raw.startswith("pkg:") else raw
        try:
            return NamedNode(T.pkg(local))
        except KeyError:
            raise QueryError(f"{raw!r} is not a policykg class (e.g. pkg:Company)") from None
    if param.kind == "integer":
        if not re.fullmatch(r"-?\d+", raw.strip()):
            raise QueryError(f"parameter {param.name} must be an integer, got {raw!r}")
        return Literal(raw.strip(), datatype=NamedNode(T.XSD_INTEGER))
    if param.kind == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.strip()):
            raise QueryError(f"parameter {param.name} must be a date YYYY-MM-DD, got {raw!r}")
        return Literal(raw.strip(), datatype=NamedNode(T.XSD_DATE))
    if param.kind in ("iri", "document"):
        if param.kind == "document" and not raw.startswith(("http://", "https://")):
            from policykg.graph.iris import IRIMinter
            return NamedNode(IRIMinter().document(raw))
        try:
            return NamedNode(raw)
        except ValueError:
            raise QueryError(f"parameter {param.name} is not a valid IRI: {raw!r}") from None
    return Literal(raw)


def run_named(store, name: str, values: dict[str, str] | None = None, *,
              timeout: float | None = None, limit: int | None = None):
    """Run a library query with parameters; returns a QueryResult.

    ``timeout`` (seconds) and ``limit`` (rows) as in :func:`run_query`; both unlimited by default.
    :raises QueryError: unknown query, bad parameter, timeout.
    """
    q = get_query(name)
    return run_query(store, q.sparql, substitutions=bind(store, q, values or {}), timeout=timeout, limit=limit)


DEFAULT_TIMEOUT = 30.0      # seconds, for the CLI's --timeout
DEFAULT_LIMIT = 10_000      # rows, for the CLI's --limit


def run_query(store, sparql: str, *, substitutions: dict | None = None, timeout: float | None = None,
              limit: int | None = None):
    """Run SPARQL with an optional time limit and row limit; returns a QueryResult
    (``truncated`` is True when the row limit cut the answer).

    pyoxigraph cannot interrupt a running query, so with a ``timeout`` an embedded store is queried
    in a forked child process that is killed when time runs out (an on-disk store is reopened
    read-only there; an in-memory one is the child's copy-on-write copy). Remote stores use the
    HTTP timeout.
    :raises QueryError: syntax error, or no answer within ``timeout`` seconds.
    """
    if getattr(store, "query_url", None) is not None:
        return store.query(sparql, substitutions=substitutions, limit=limit, timeout=timeout)
    if timeout is None:
        return store.query(sparql, substitutions=substitutions, limit=limit)
    return _query_in_child(store, sparql, substitutions, timeout, limit)


def _query_in_child(store, sparql: str, substitutions: dict | None, timeout: float, limit: int | None):
    import multiprocessing
    from policykg.errors import StoreError
    from policykg.graph.remote import parse_results
    ctx = multiprocessing.get_context("fork")
    reader, writer = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(store, sparql, substitutions, limit, writer), daemon=True)
    proc.start()
    writer.close()
    try:
        if not reader.poll(timeout):
            raise QueryError(f"query timed out after {timeout:g} s; narrow it with parameters or raise --timeout")
        try:
            msg = reader.recv_bytes()
        except EOFError:
            raise QueryError(f"query process died (exit code {proc.exitcode}); the query may need too much memory") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        reader.close()
    kind, body = msg[:1], msg[1:]
    if kind == b"E":
        raise QueryError(body.decode("utf-8", "replace"))
    if kind == b"S":
        raise StoreError(body.decode("utf-8", "replace"))
    result = parse_results(body)
    result.truncated = kind == b"T"
    return result


def _child(store, sparql, substitutions, limit, writer) -> None:
    """Runs in the forked process: query, send SPARQL JSON back (or the error)."""
    from policykg.errors import PolicyKGError
    from policykg.graph.remote import results_json
    try:
        if store.path is not None:
            # Never touch the parent's RocksDB handle after fork: open our own, read-only.
            from policykg.graph.store import EmbeddedStore
            store = EmbeddedStore(store.path, read_only=True)
        res = store.query(sparql, substitutions=substitutions, limit=limit)
        writer.send_bytes((b"T" if res.truncated else b"F") + results_json(res).encode("utf-8"))
    except PolicyKGError as exc:
        writer.send_bytes((b"E" if isinstance(exc, QueryError) else b"S") + str(exc).encode("utf-8"))
    except Exception as exc:  # anything else must still reach the parent as a message
        writer.send_bytes(b"E" + f"{type(exc).__name__}: {exc}".encode("utf-8"))
    finally:
        writer.close()
