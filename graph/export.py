"""Deterministic exports: sorted N-Triples/N-Quads lines are the canonical order for every format,
so building an unchanged corpus twice gives byte-identical files. Files are written to a temporary
name and renamed, so an interrupted export never leaves a partial file.

Turtle and TriG are written here, straight from the sorted lines of ``Store.dump`` (one dump per
graph), in the layout pyoxigraph's serializer gives (same prefixes, ``a``, ``;``/``,`` grouping,
tab indentation, local-name escapes): parsing a million lines back into Python ``Quad`` objects
only to serialize them again cost more than the rest of the export put together."""
from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, RdfFormat, parse, serialize

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


def graph_dumps(store: EmbeddedStore, minter: IRIMinter) -> list[tuple[str | None, bytes]]:
    """``(graph IRI, its triples as N-Triples)`` for every exported graph, in canonical graph order:
    the default graph (``None``) first if it holds anything, then named graphs by IRI. The ontology
    and internal graphs are left out. Lines within a graph are not sorted."""
    internal = {pending_graph(minter).value, ONTOLOGY_GRAPH.value}
    ox = store.ox
    if hasattr(ox, "named_graphs"):  # a pyoxigraph Store: one dump per graph, grouped by the store
        names = [None] + [g.value for g in ox.named_graphs() if g.value not in internal]
        dumps = [(g, ox.dump(format=RdfFormat.N_TRIPLES, from_graph=NamedNode(g) if g else DefaultGraph()) or b"")
                 for g in names]
    else:  # a remote store's adapter only dumps: group its quads here
        groups: dict[str | None, list] = {}
        for q in parse(ox.dump(format=RdfFormat.N_QUADS) or b"", format=RdfFormat.N_QUADS):
            g = q.graph_name.value if isinstance(q.graph_name, NamedNode) else None
            if g not in internal:
                groups.setdefault(g, []).append(q.triple)
        dumps = [(g, serialize(ts, format=RdfFormat.N_TRIPLES) or b"") for g, ts in groups.items()]
    # "<g> ." sorts as the graph's last N-Quads term did in the earlier line sort, so the layout holds.
    return sorted(((g, d) for g, d in dumps if d), key=lambda gd: b"" if gd[0] is None else gd[0].encode() + b">")


def _lines(data: bytes) -> list[bytes]:
    """The sorted lines of an N-Triples/N-Quads dump (every line ends with a newline)."""
    lines = data.split(b"\n")
    lines.pop()
    lines.sort()
    return lines


def _with_graph(graph: str | None, ntriples: bytes) -> bytes:
    """N-Triples of one graph as N-Quads: a raw newline only ends a line (literals escape theirs)."""
    return ntriples if graph is None else ntriples.replace(b" .\n", f" <{graph}> .\n".encode())


def sorted_nquads(store: EmbeddedStore, minter: IRIMinter) -> list[bytes]:
    """Every exported quad (not the ontology or internal graphs) as an N-Quads line, sorted."""
    return _lines(b"".join(_with_graph(g, d) for g, d in graph_dumps(store, minter)))


# ---------------------------------------------------------------------- Turtle and TriG writer
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_:]([A-Za-z0-9_:.\-]*[A-Za-z0-9_:\-])?\Z")
_ESCAPABLE = frozenset("_~.-!$&'()*+,;=/?#@%")
_PN_CHARS_BASE = ((0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x2FF), (0x370, 0x37D), (0x37F, 0x1FFF),
                  (0x200C, 0x200D), (0x2070, 0x218F), (0x2C00, 0x2FEF), (0x3001, 0xD7FF),
                  (0xF900, 0xFDCF), (0xFDF0, 0xFFFD), (0x10000, 0xEFFFF))
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INLINE_LITERALS = {  # datatype -> lexical forms Turtle writes bare (INTEGER, DECIMAL, DOUBLE, BOOLEAN)
    f"<{_XSD}boolean>".encode(): re.compile(rb"(?:true|false)\Z"),
    f"<{_XSD}integer>".encode(): re.compile(rb"[+-]?[0-9]+\Z"),
    f"<{_XSD}decimal>".encode(): re.compile(rb"[+-]?[0-9]*\.[0-9]+\Z"),
    f"<{_XSD}double>".encode(): re.compile(rb"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+\Z"),
}
_RDF_TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def _pn_chars_u(c: str) -> bool:
    if c == "_" or "A" <= c <= "Z" or "a" <= c <= "z":
        return True
    o = ord(c)
    return any(lo <= o <= hi for lo, hi in _PN_CHARS_BASE)


def _pn_chars(c: str) -> bool:
    o = ord(c)
    return _pn_chars_u(c) or c == "-" or "0" <= c <= "9" or o == 0xB7 or 0x300 <= o <= 0x36F or 0x203F <= o <= 0x2040


def escape_local_name(local: str) -> str | None:
    """``local`` as a Turtle PN_LOCAL (reserved characters backslash-escaped, as pyoxigraph does), or
    None if it cannot be one. Unlike pyoxigraph, a name ending in "." is not abbreviated: rdflib
    rejects the legal ``pkg:name\\.``."""
    if _PLAIN_LOCAL.match(local):
        return local
    if local.endswith("."):
        return None
    out = []
    last = len(local) - 1
    for i, c in enumerate(local):
        if (_pn_chars_u(c) or c == ":" or "0" <= c <= "9") if i == 0 else \
                (_pn_chars(c) or c == ":" or (c == "." and i < last)):
            out.append(c)
        elif c in _ESCAPABLE:
            out.append("\\" + c)
        else:
            return None
    return "".join(out)


class _TurtleTerms(dict):
    """N-Triples form of an IRI or typed literal -> its Turtle form (prefixed name, bare number), cached."""

    def __init__(self, prefixes: dict[str, str]):
        super().__init__()
        # Longest namespace first, as pyoxigraph tries them.
        self.prefixes = sorted(prefixes.items(), key=lambda kv: (-len(kv[1]), kv[0]))

    def header(self) -> bytes:
        return b"".join(f"@prefix {name}: <{iri}> .\n".encode() for name, iri in self.prefixes)

    def __missing__(self, term: bytes) -> bytes:
        if term[:1] == b"<":
            iri, value = term[1:-1].decode(), term
            for name, base in self.prefixes:
                if iri.startswith(base):
                    local = escape_local_name(iri[len(base):]) if len(iri) > len(base) else ""
                    if local is not None:
                        value = f"{name}:{local}".encode()
                        break
        elif term[:1] == b'"' and term[-1:] == b">":  # a typed literal "lexical"^^<datatype>
            cut = term.rfind(b'"^^<')
            lexical, datatype = term[1:cut], term[cut + 3:]
            bare = _INLINE_LITERALS.get(datatype)
            value = lexical if bare is not None and bare.match(lexical) else term[:cut + 1] + b"^^" + self[datatype]
        else:  # a blank node or a plain literal, as in N-Triples
            return term
        self[term] = value
        return value


class _Predicates(dict):
    def __init__(self, terms: _TurtleTerms):
        super().__init__({_RDF_TYPE: b"a"})
        self.terms = terms

    def __missing__(self, term: bytes) -> bytes:
        value = self[term] = self.terms[term]
        return value


def _statements(lines: Iterable[bytes], terms: _TurtleTerms, out: list[bytes], indent: bytes = b"") -> None:
    """Append Turtle statements for sorted N-Triples lines to ``out``; repeated lines are written once."""
    append = out.append
    predicates = _Predicates(terms)
    next_predicate, next_subject = b" ;\n\t" + indent, b" .\n" + indent
    s0 = p0 = o0 = None
    first = True
    for line in lines:
        s, p, o = line[:-2].split(b" ", 2)  # subject and predicate hold no space; the line ends " ."
        if s == s0:
            if p == p0:
                if o == o0:
                    continue
                append(b" , ")
            else:
                append(next_predicate)
                append(predicates[p])
                append(b" ")
                p0 = p
        else:
            if first:
                first = False
            else:
                append(next_subject)
            append(terms[s] if s[0] == 60 else s)  # an IRI, or a blank node
            append(b" ")
            append(predicates[p])
            append(b" ")
            s0, p0 = s, p
        c = o[0]  # an IRI, or a typed literal (ends with its datatype IRI), may get shorter
        append(terms[o] if c == 60 or (c == 34 and o[-1] == 62) else o)
        o0 = o
    if not first:
        append(b" .\n")


def _turtle(store: EmbeddedStore, minter: IRIMinter) -> Iterator[bytes]:
    lines = _lines(b"".join(d for _, d in graph_dumps(store, minter)))
    if lines:
        terms = _TurtleTerms(PREFIXES)
        out = [terms.header()]
        _statements(lines, terms, out)
        yield b"".join(out)


def _trig(store: EmbeddedStore, minter: IRIMinter) -> Iterator[bytes]:
    terms = _TurtleTerms(PREFIXES)
    header = terms.header()
    for graph, data in graph_dumps(store, minter):
        out = [header]
        header = b""
        if graph is None:
            _statements(_lines(data), terms, out)
        else:
            out.append(terms[f"<{graph}>".encode()] + b" {\n\t")
            _statements(_lines(data), terms, out, b"\t")
            out.append(b"}\n")
        yield b"".join(out)


def _nquads(store: EmbeddedStore, minter: IRIMinter) -> Iterator[bytes]:
    lines = sorted_nquads(store, minter)
    step = 100_000
    for i in range(0, len(lines), step):
        yield b"\n".join(lines[i:i + step]) + b"\n"


def _jsonld(store: EmbeddedStore, minter: IRIMinter) -> Iterator[bytes]:
    # Graph by graph, each graph's lines sorted; pyoxigraph writes the JSON-LD.
    data = b"".join(_with_graph(g, b"\n".join(_lines(d)) + b"\n") for g, d in graph_dumps(store, minter))
    yield serialize(parse(data, format=RdfFormat.N_QUADS), format=RdfFormat.JSON_LD) or b""


_WRITERS = {"turtle": _turtle, "trig": _trig, "nquads": _nquads, "jsonld": _jsonld}


def chunks(store: EmbeddedStore, fmt: str, minter: IRIMinter | None = None) -> Iterator[bytes]:
    """The whole store in one format, as consecutive pieces of the file (see :func:`render`).

    :raises UsageError: for an unknown format.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    return _WRITERS[fmt](store, minter or IRIMinter())


def render(store: EmbeddedStore, fmt: str, minter: IRIMinter | None = None) -> bytes:
    """The whole store in one format: ``turtle`` is the union of all graphs, the rest keep graphs."""
    return b"".join(chunks(store, fmt, minter))


def write_atomic(path: str | os.PathLike, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or pieces written in turn) to ``path`` via a temporary file in the same
    folder and an atomic rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; an export is for others to read
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, (bytes, bytearray, memoryview)):
                fh.write(data)
            else:
                for piece in data:
                    fh.write(piece)
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
    """Export to a file (``-`` for stdout), written piece by piece; returns the number of bytes written.

    :raises UsageError: for an unknown format.
    """
    pieces = chunks(store, fmt, minter)
    size = 0

    def counted() -> Iterator[bytes]:
        nonlocal size
        for piece in pieces:
            size += len(piece)
            yield piece
    if str(output) == "-":
        for piece in counted():
            sys.stdout.buffer.write(piece)
        sys.stdout.buffer.flush()
    else:
        write_atomic(output, counted())
    return size
