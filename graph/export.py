"""Deterministic exports: sorted N-Quads lines are the canonical order for every format, so
building an unchanged corpus twice gives byte-identical files. Files are written to a temporary
name and renamed, so an interrupted export never leaves a partial file."""
from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pyoxigraph import Quad, RdfFormat, Triple, parse, serialize

from policykg.errors import UsageError
from policykg.graph.entity_layer import pending_graph
from policykg.graph.iris import IRIMinter
from policykg.graph.store import ONTOLOGY_GRAPH, EmbeddedStore
from policykg.ontology.terms import PREFIXES

FORMATS = {
    "turtle": (RdfFormat.TURTLE, ".ttl"),
    "trig": (RdfFormat.TRIG, ".trig"),
    "nquads": (RdfFormat.N_QUADS, ".nq"),
    "jsonld": (RdfFormat.JSON_LD, ".jsonld"),
}


def sorted_nquads(store: EmbeddedStore, minter: IRIMinter, *, by_graph: bool = False) -> list[bytes]:
    """Every exported quad (not the ontology or internal graphs) as an N-Quads line, sorted (by graph first when ``by_graph``)."""
    raw = store.ox.dump(format=RdfFormat.N_QUADS) or b""
    internal = tuple(b" " + str(g).encode() + b" ." for g in (pending_graph(minter), ONTOLOGY_GRAPH))
    lines = [ln for ln in raw.split(b"\n") if ln and not ln.endswith(internal)]
    if by_graph:
        # Every quad sits in a named graph, and an IRI holds no space, so the graph is the last term.
        lines.sort(key=lambda ln: (ln.rsplit(b" <", 1)[-1], ln))
    else:
        lines.sort()
    return lines


def _union_triples(quads: Iterator[Quad]) -> Iterator[Triple]:
    """Triples of subject-sorted quads, each distinct triple once (duplicates are adjacent)."""
    previous = None
    for q in quads:
        t = q.triple
        if t != previous:
            yield t
            previous = t


def render(store: EmbeddedStore, fmt: str, minter: IRIMinter | None = None) -> bytes:
    """The whole store in one format: ``turtle`` is the union of all graphs, the rest keep graphs."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    minter = minter or IRIMinter()
    rdf_format = FORMATS[fmt][0]
    lines = sorted_nquads(store, minter, by_graph=fmt in ("trig", "jsonld"))
    if fmt == "nquads":
        return b"\n".join(lines) + (b"\n" if lines else b"")
    quads = parse(b"\n".join(lines), format=RdfFormat.N_QUADS)
    prefixes = dict(PREFIXES)
    if fmt == "turtle":
        return serialize(_union_triples(quads), format=rdf_format, prefixes=prefixes) or b""
    if fmt == "jsonld":
        return serialize(quads, format=rdf_format) or b""
    return serialize(quads, format=rdf_format, prefixes=prefixes) or b""


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and an atomic rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; an export is for others to read
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def export(store: EmbeddedStore, fmt: str, output: str | os.PathLike, minter: IRIMinter | None = None) -> int:
    """Export to a file (``-`` for stdout); returns the number of bytes written."""
    data = render(store, fmt, minter)
    if str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomic(output, data)
    return len(data)
