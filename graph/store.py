"""The triple store behind policykg: an embedded pyoxigraph store (default), in memory or on disk.

Every document lives in its own named graph; replacing a document is one transaction, so a
crash leaves either the old or the new version, never half of one. A writer takes an exclusive
lock file next to an on-disk store, so a second build fails with a clear "store in use".
"""
from __future__ import annotations

import ctypes
import fcntl
import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, QuerySolutions, QueryBoolean, Store as OxStore

from policykg.errors import QueryError, StoreError, StoreInUseError
from policykg.graph.binding import inline_values
from policykg.ontology.terms import PKG

DEFAULT_STORE_DIR = ".policykg/store"
ONTOLOGY_GRAPH = NamedNode("https://w3id.org/policykg/ontology")
_EXTRACTION_OF = NamedNode(PKG + "extractionOf")


@dataclass
class QueryResult:
    """Rows of a SELECT (``variables`` + ``rows`` of pyoxigraph terms, None when unbound),
    or the answer of an ASK (``boolean``)."""

    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    truncated: bool = False

    def dicts(self) -> list[dict]:
        """Rows as dicts of variable -> term (unbound variables left out)."""
        return [{v: t for v, t in zip(self.variables, row) if t is not None} for row in self.rows]


def quad_text(quads: Iterable[Quad]) -> str:
    """Quads as the body of a SPARQL ``INSERT DATA`` (terms print in N-Triples syntax)."""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    return " ".join(f"GRAPH {g} {{\n{chr(10).join(lines)}\n}}" for g, lines in by_graph.items())


class EmbeddedStore:
    """pyoxigraph store; ``path=None`` keeps everything in memory."""

    def __init__(self, path: str | os.PathLike | None = None, *, read_only: bool = False):
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._lock_fd: int | None = None
        try:
            if self.path is None:
                self.ox = OxStore()
            elif read_only:
                if not self.path.exists():
                    raise StoreError(f"{self.path}: no store here (run 'policykg build' first)")
                self.ox = OxStore.read_only(str(self.path))
            else:
                self._lock()
                self._discard_staging()
                self.ox = OxStore(str(self.path))
        except OSError as exc:
            self._unlock()
            raise StoreError(f"{self.path}: cannot open store ({exc})") from exc

    # -- locking -----------------------------------------------------------------------------
    def _lock(self) -> None:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(str(self.path) + ".lock", os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StoreInUseError(f"{self.path}: store in use by another policykg process; "
                                  "wait for it to finish or use another --store") from None
        self._lock_fd = fd

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    # -- fresh builds ------------------------------------------------------------------------
    def holds_no_data(self) -> bool:
        """True when nothing but the ontology is stored (a new or emptied store)."""
        if any(g != ONTOLOGY_GRAPH for g in self.ox.named_graphs()):
            return False
        return next(self.ox.quads_for_pattern(None, None, None, DefaultGraph()), None) is None

    def _staging_paths(self) -> tuple[Path, Path]:
        assert self.path is not None
        return self.path.with_name(self.path.name + ".staging"), self.path.with_name(self.path.name + ".old")

    def _discard_staging(self) -> None:
        """Remove what an interrupted staged build left beside the store (we hold the lock)."""
        for leftover in self._staging_paths():
            shutil.rmtree(leftover, ignore_errors=True)
            Path(str(leftover) + ".lock").unlink(missing_ok=True)

    @contextmanager
    def staged_replacement(self) -> Iterator["EmbeddedStore"]:
        """A new on-disk store beside this one, which takes this store's place when the block
        succeeds. Nobody sees the new store before that, so it may be bulk-loaded (pyoxigraph's
        ``bulk_extend`` is not transactional); if the block fails or the process dies, this store
        is left as it was and the next writer discards the staging folder."""
        if self.path is None or self.read_only:
            raise StoreError("a staged replacement needs a writable on-disk store")
        staging, old = self._staging_paths()
        self._discard_staging()
        fresh = EmbeddedStore(staging)
        try:
            yield fresh
        except BaseException:
            fresh.close()
            self._discard_staging()
            raise
        fresh.close()
        self.ox.flush()
        self.ox = None  # type: ignore[assignment]  # release RocksDB before its folder moves
        try:
            _exchange(staging, self.path, old)
        finally:
            self.ox = OxStore(str(self.path))
            self._discard_staging()

    def bulk_extend(self, quads: Iterable[Quad]) -> None:
        """Fast, non-transactional load: only for a store nobody sees yet (staged_replacement)."""
        self.ox.bulk_extend(quads)

    def in_memory_copy(self) -> "EmbeddedStore":
        """A memory store holding the same quads, for a query session. The on-disk store answers
        whole-graph queries several times slower (docs/benchmarks.md); the copy costs about one
        full read of the store and ~0.35-0.5 GB of RAM per million quads, so it pays off over many
        queries, not for one. Later writes to this store do not reach the copy."""
        copy = EmbeddedStore(None)
        # Quad by quad rather than dump and parse: a parser renames blank nodes (the ontology has some).
        copy.ox.bulk_extend(self.ox.quads_for_pattern(None, None, None, None))
        return copy

    def close(self) -> None:
        """Flush and release the store."""
        if self.path is not None and not self.read_only:
            self.ox.flush()
        self.ox = None  # type: ignore[assignment]
        self._unlock()

    def __enter__(self) -> "EmbeddedStore":
        return self

    def __exit__(self, *exc) -> None:
        if self.ox is not None:
            self.close()

    # -- documents -------------------------------------------------------------------------
    def graphs_of_document(self, doc_iri: str) -> list[str]:
        """Extraction graphs currently holding this document (normally zero or one)."""
        doc = NamedNode(doc_iri)
        return sorted({q.subject.value for q in self.ox.quads_for_pattern(None, _EXTRACTION_OF, doc, None)})

    def documents(self) -> dict[str, str]:
        """Document IRI -> its extraction graph IRI."""
        return {q.object.value: q.subject.value
                for q in self.ox.quads_for_pattern(None, _EXTRACTION_OF, None, None)}

    def replace_graphs(self, drop: Iterable[str], quads: list[Quad]) -> None:
        """Drop the named graphs and insert the quads, in one transaction."""
        drop = list(drop)
        if not drop:
            # A new document: Store.extend is one transaction too, and skips rendering the quads
            # as SPARQL text and parsing it back (measured: docs/benchmarks.md).
            if quads:
                self.ox.extend(quads)
            return
        ops = [f"DROP SILENT GRAPH <{g}>" for g in drop]
        if quads:
            ops.append("INSERT DATA { " + quad_text(quads) + " }")
        if ops:
            self.ox.update(" ;\n".join(ops))

    def ensure_ontology(self) -> None:
        """Keep the ontology in its own graph, so SPARQL can follow rdfs:subClassOf."""
        from pyoxigraph import RdfFormat, parse
        from policykg.ontology import ontology_text
        quads = [Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH)
                 for t in parse(ontology_text(), format=RdfFormat.TURTLE)]
        current = set(self.ox.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH))
        if current != set(quads):
            self.replace_graphs([ONTOLOGY_GRAPH.value], quads)

    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        """Every quad, or those of one named graph."""
        g = NamedNode(graph) if graph else None
        return self.ox.quads_for_pattern(None, None, None, g)

    def quads_for_pattern(self, s=None, p=None, o=None, g=None) -> Iterator[Quad]:
        return self.ox.quads_for_pattern(s, p, o, g)

    def remove(self, quads: Iterable[Quad]) -> None:
        for q in quads:
            self.ox.remove(q)

    def extend(self, quads: Iterable[Quad]) -> None:
        self.ox.extend(quads)

    def __len__(self) -> int:
        return len(self.ox)

    # -- SPARQL -----------------------------------------------------------------------------
    def query(self, sparql: str, *, substitutions: dict | None = None, limit: int | None = None) -> QueryResult:
        """Run a SPARQL query over the union of all graphs; ``substitutions`` bind variables to
        typed RDF terms (never to pasted text).

        With ``limit``, at most that many rows are read (``truncated`` tells whether more existed).
        """
        if substitutions:
            # Bound as a VALUES block of typed terms opening the WHERE clause (the same mechanism
            # as for remote endpoints): Oxigraph 0.5 plans a query before applying
            # ``substitutions``, so a bound parameter did not make the query selective
            # (measured at 1.1M triples: conflicts-about 234 ms -> 0.6 ms, same answers).
            sparql = inline_values(sparql, {k.lstrip("?$"): v for k, v in substitutions.items()})
        try:
            res = self.ox.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {str(exc).splitlines()[0]}") from None
        except RuntimeError as exc:
            raise QueryError(str(exc).splitlines()[0]) from None
        if isinstance(res, QueryBoolean):
            return QueryResult(boolean=bool(res))
        if isinstance(res, QuerySolutions):
            names = [v.value for v in res.variables]
            if limit is None:
                return QueryResult(variables=names, rows=[tuple(sol[n] for n in names) for sol in res])
            rows = [tuple(sol[n] for n in names) for sol in islice(res, limit + 1)]
            return QueryResult(variables=names, rows=rows[:limit], truncated=len(rows) > limit)
        raise StoreError("CONSTRUCT/DESCRIBE queries are not supported here; use SELECT or ASK")

    def update(self, sparql: str) -> None:
        self.ox.update(sparql)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(new: Path, current: Path, old: Path) -> None:
    """Put folder ``new`` at ``current`` (the previous one ends up at ``new``): one atomic
    renameat2(RENAME_EXCHANGE) on Linux; elsewhere two renames via ``old`` (a crash between them
    leaves no store at ``current``, which is acceptable because staged builds start from an empty one)."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None and renameat2(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(current),
                                           _RENAME_EXCHANGE) == 0:
        return
    os.rename(current, old)
    os.rename(new, current)


def open_store(location: str | os.PathLike | None = None, *, memory: bool = False,
               read_only: bool = False):
    """Open the store named by the CLI's ``--store``/``--memory`` (default: ``.policykg/store``).

    An ``http://``/``https://`` location is a SPARQL endpoint: a RemoteStore (graph/remote.py).
    """
    if isinstance(location, str) and location.startswith(("http://", "https://")):
        from policykg.graph.remote import RemoteStore
        return RemoteStore.from_env(location, read_only=read_only)
    if memory:
        return EmbeddedStore(None)
    return EmbeddedStore(location or DEFAULT_STORE_DIR, read_only=read_only)
