"""Import RDF files (Turtle, N-Triples, TriG, N-Quads) into the store, one transaction per file."""
from __future__ import annotations

import hashlib
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat

from policykg.errors import DocumentError
from policykg.graph.iris import IRIMinter
from policykg.graph.store import EmbeddedStore

_FORMATS = {".ttl": RdfFormat.TURTLE, ".nt": RdfFormat.N_TRIPLES, ".trig": RdfFormat.TRIG,
            ".nq": RdfFormat.N_QUADS, ".jsonld": RdfFormat.JSON_LD}


def import_file(store: EmbeddedStore, path: str | Path, minter: IRIMinter | None = None) -> int:
    """Load one file; triples of graph-less formats go to ``graph/import/<content hash>``.

    Returns the number of quads added. A syntax error raises DocumentError naming the file and
    the position, and nothing of that file is written (pyoxigraph loads transactionally).
    """
    path = Path(path)
    minter = minter or IRIMinter()
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise DocumentError(str(path), f"unknown RDF format {path.suffix!r} (use {', '.join(_FORMATS)})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(str(path), f"cannot read ({exc.strerror})") from exc
    target = None
    if fmt in (RdfFormat.TURTLE, RdfFormat.N_TRIPLES):
        target = NamedNode(minter.base + "graph/import/" + hashlib.sha256(data).hexdigest()[:32])
    before = len(store)
    try:
        store.ox.load(data, format=fmt, to_graph=target)
    except SyntaxError as exc:
        raise DocumentError(str(path), f"RDF syntax error: {str(exc).splitlines()[0]}") from None
    return len(store) - before
