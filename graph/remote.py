"""SPARQL over HTTP: a remote store (any SPARQL 1.1 endpoint, e.g. Virtuoso), the standard result
formats, safe parameter binding for endpoints, and a read-only endpoint over a store snapshot.

The SPARQL protocol has no typed bindings, so parameters are bound by :func:`inline_values`: every
value is a pyoxigraph term (IRIs are validated by ``NamedNode``, literals are escaped by their
N-Triples serialization) placed in a ``VALUES`` block at the start of the outermost group pattern.
A term's N-Triples text is always exactly one SPARQL token, so user text can never become syntax.

Engine differences (Virtuoso 7.2 vs pyoxigraph), each checked in tests/test_remote.py, where every
library query must give the embedded store's answers on the corpus:

* Default graph. policykg queries the *union of all named graphs* as the default graph.
  pyoxigraph does this with ``use_default_graph_as_union``, ``oxigraph serve-read-only`` with
  ``--union-default-graph``; Virtuoso's default graph is the union of *every* graph it holds,
  including its own system graphs, so ``quads()`` here lists only policykg's graphs.
* Numbers. Virtuoso types ``COUNT`` as ``xsd:int`` (pyoxigraph: ``xsd:integer``): compare numbers
  by value, not by datatype. Left as is (both are valid integers).
* Booleans. Virtuoso returns stored ``xsd:boolean`` as ``"1"``/``"0"``: :func:`portable_term`
  rewrites them to ``"true"``/``"false"`` (same value, canonical form).
* Durations. Virtuoso keeps ``xsd:duration`` as a number: months for year-month durations
  (``P1Y2M`` -> ``"14"``), seconds for day-time ones (``P14D`` -> ``"1.2096e+06"``), and rejects
  duration literals in INSERT DATA (see :func:`insert_ops`). :func:`portable_term` gives back the
  canonical lexical form pyoxigraph returns (``P14D``, ``P1Y2M``, ``P1DT12H`` for ``PT36H``).
  Durations mixing months and days come back as written. The form as written in the article is
  ``pkg:durationText`` either way.
* Boolean *expressions* (``EXISTS {...}``, comparisons, ``true``) in a projection or BIND come
  back from Virtuoso as ``xsd:integer`` 0/1, which cannot be told from a count afterwards. Library
  queries cast them (``xsd:boolean(BOUND(?flag))`` after an OPTIONAL, not ``BIND(EXISTS ...)``).
* ``MIN``/``MAX`` over long literals (stored out of line by Virtuoso) are unbound or not the
  smallest string; library queries aggregate ``STR(?x)``.
* Transitive property paths (``rdfs:subClassOf*``) joined to other patterns are evaluated once
  per distinct (start, end) pair by Virtuoso, so rows are lost; entities-by-country spells out
  the (at most three) ``rdfs:subClassOf`` steps of the ontology instead.
* A group inside OPTIONAL that uses a variable bound (or left unbound) by a *sibling* OPTIONAL is
  evaluated differently by Virtuoso (restrictions-on lost every event); library queries match
  such values again inside the group.
* GROUP_CONCAT order is unspecified by SPARQL: values joined with " | " may come in any order.

Ad-hoc queries (``policykg query --store http://...``) still meet the last five differences.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import islice
from pathlib import Path

from pyoxigraph import (BlankNode, DefaultGraph, Literal, NamedNode, Quad, QueryBoolean, QueryResultsFormat,
                        RdfFormat, parse, parse_query_results, serialize)

from policykg.errors import QueryError, StoreError, UsageError
from policykg.graph.binding import inline_values
from policykg.graph.store import ONTOLOGY_GRAPH, QueryResult, quad_text
from policykg.ontology.terms import PKG

DEFAULT_SERVE_PORT = 7878          # oxigraph's own default port
DEFAULT_SERVE_HOST = "127.0.0.1"   # loopback: nothing is exposed unless asked
ENV_UPDATE_URL = "POLICYKG_SPARQL_UPDATE_URL"
ENV_GSP_URL = "POLICYKG_SPARQL_GSP_URL"
ENV_USER = "POLICYKG_SPARQL_USER"
ENV_PASSWORD = "POLICYKG_SPARQL_PASSWORD"
_JSON = "application/sparql-results+json"


# ---------------------------------------------------------------------------- result formats
def term_json(term) -> dict:
    """One RDF term as a SPARQL 1.1 Query Results JSON binding."""
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def results_json(result: QueryResult) -> str:
    """A QueryResult as SPARQL 1.1 Query Results JSON."""
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean})
    bindings = [{v: term_json(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows]
    return json.dumps({"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}},
                      ensure_ascii=False)


def results_csv(result: QueryResult) -> str:
    """A QueryResult as SPARQL 1.1 CSV (values only: IRIs bare, literals by lexical form, CRLF)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if result.boolean is not None:
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
        return buf.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else ("_:" + t.value if isinstance(t, BlankNode) else t.value)
                         for t in row])
    return buf.getvalue()


def parse_results(data: bytes, *, limit: int | None = None) -> QueryResult:
    """SPARQL JSON results into a QueryResult of pyoxigraph terms (at most ``limit`` rows)."""
    if b'"bnode"' in data:
        data = _clean_bnodes(data)
    try:
        res = parse_query_results(data, format=QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as exc:
        raise QueryError(f"unreadable SPARQL results from the endpoint: {str(exc).splitlines()[0]}") from None
    if isinstance(res, QueryBoolean):
        return QueryResult(boolean=bool(res))
    names = [v.value for v in res.variables]
    rows = [tuple(sol[n] for n in names) for sol in (res if limit is None else islice(res, limit + 1))]
    truncated = limit is not None and len(rows) > limit
    return QueryResult(variables=names, rows=rows[:limit] if truncated else rows, truncated=truncated)


def _clean_bnodes(data: bytes) -> bytes:
    """Virtuoso names blank nodes ``nodeID://b1234``, which is not a valid blank node label."""
    doc = json.loads(data)
    for binding in doc.get("results", {}).get("bindings", []):
        for term in binding.values():
            if term.get("type") == "bnode":
                term["value"] = "b" + re.sub(r"[^A-Za-z0-9]", "_", term["value"])
    return json.dumps(doc).encode("utf-8")


# ---------------------------------------------------------------------------- portable literals
_XSD = "http://www.w3.org/2001/XMLSchema#"
_BOOLEAN = NamedNode(_XSD + "boolean")
_DURATION = NamedNode(_XSD + "duration")
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def portable_term(term):
    """A result term in the standard lexical form where an endpoint returned an internal one.

    Only lexical forms that are *invalid* for their datatype are rewritten, so a conforming
    endpoint's answers pass through unchanged:

    * ``"1"/"0"^^xsd:boolean`` (Virtuoso) -> ``"true"/"false"`` (both valid; "true" is canonical);
    * a number typed ``xsd:duration`` (Virtuoso keeps durations as numbers): an integer is a count
      of months (``P14M`` -> ``"14"``), a decimal or float a count of seconds (``P14D`` ->
      ``"1.2096e+06"``); rewritten to the canonical form pyoxigraph returns (``P1Y2M``, ``P14D``).
    """
    if not isinstance(term, Literal):
        return term
    dt = term.datatype
    if dt == _BOOLEAN and term.value in ("1", "0"):
        return Literal("true" if term.value == "1" else "false", datatype=_BOOLEAN)
    if dt == _DURATION and _NUMBER.fullmatch(term.value):
        return Literal(_duration_text(term.value), datatype=_DURATION)
    return term


def _duration_text(number: str) -> str:
    """Canonical xsd:duration from Virtuoso's number: integer = months, otherwise seconds."""
    value = Decimal(number)
    sign, value = ("-" if value < 0 else ""), abs(value)
    if re.fullmatch(r"-?\d+", number):
        years, months = divmod(int(value), 12)
        text = (f"{years}Y" if years else "") + (f"{months}M" if months else "")
        return sign + "P" + text if text else "PT0S"
    days, rest = divmod(value, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    secs = format(seconds.normalize(), "f") if seconds else ""
    time = (f"{int(hours)}H" if hours else "") + (f"{int(minutes)}M" if minutes else "") + (f"{secs}S" if secs else "")
    text = (f"{int(days)}D" if days else "") + (f"T{time}" if time else "")
    return sign + "P" + text if text else "PT0S"


def portable_result(result: QueryResult) -> QueryResult:
    """The result with every term through :func:`portable_term`."""
    result.rows = [tuple(portable_term(t) for t in row) for row in result.rows]
    return result


# ---------------------------------------------------------------------------- HTTP
class _Http:
    """Tiny SPARQL-protocol client on urllib; credentials answer the endpoint's challenge.

    Credentials are never sent pre-emptively: Virtuoso's ``/sparql-auth`` answers a request that
    carries an unasked-for ``Authorization: Basic`` with a bare 401 (no ``WWW-Authenticate``), so
    the Digest handshake could not even start. The server's challenge picks the scheme: Digest
    (Virtuoso) anywhere, Basic only over https or to a loopback host (it sends the password).
    """

    def __init__(self, user: str | None, password: str | None):
        handlers = []
        self.user, self.password = user, password
        self._mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        if user is not None:
            # Digest first: urllib tries handlers in order and Digest must see the challenge.
            handlers += [urllib.request.HTTPDigestAuthHandler(self._mgr), _GuardedBasicAuth(self._mgr)]
        self.opener = urllib.request.build_opener(*handlers)

    def request(self, url: str, *, data: bytes | None = None, headers: dict | None = None,
                method: str | None = None, timeout: float | None = None) -> bytes:
        if self.user is not None:
            self._mgr.add_password(None, url, self.user, self.password or "")
        req = urllib.request.Request(url, data=data, headers=dict(headers or {}), method=method)
        try:
            with self.opener.open(req, timeout=timeout) as resp:
                return resp.read()
        except urllib.error.HTTPError as exc:
            body = exc.read()[:300].decode("utf-8", "replace").strip().splitlines()
            raise StoreError(f"{url}: HTTP {exc.code} {exc.reason}" + (f": {body[0]}" if body else "")) from None
        except (TimeoutError, socket.timeout):
            raise QueryError(f"{url}: no answer within {timeout:g} s (raise --timeout or narrow the query)") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                raise QueryError(f"{url}: no answer within {timeout:g} s (raise --timeout or narrow the query)") from None
            raise StoreError(f"{url}: cannot reach the SPARQL endpoint ({exc.reason})") from None


class _GuardedBasicAuth(urllib.request.HTTPBasicAuthHandler):
    """Basic auth, but never the password in clear text to a remote host over plain http."""

    def http_error_401(self, req, fp, code, msg, headers):
        if req.full_url.startswith("http://") and not _is_loopback(req.full_url):
            return None  # the 401 reaches the caller as "HTTP 401 Unauthorized"
        return super().http_error_401(req, fp, code, msg, headers)


def _is_loopback(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    return host in ("localhost", "127.0.0.1", "::1")


# ---------------------------------------------------------------------------- the store
class _DumpAdapter:
    """The two pyoxigraph ``Store`` methods export/import call on ``store.ox``."""

    def __init__(self, store: "RemoteStore"):
        self.store = store

    def dump(self, output=None, format=RdfFormat.N_QUADS, *, from_graph=None):
        graph = from_graph.value if isinstance(from_graph, NamedNode) else None
        return serialize(self.store.quads(graph), output, format=format)

    def load(self, input, format, *, to_graph=None, **_):
        quads = list(parse(input, format=format))
        if to_graph is not None:
            quads = [Quad(q.subject, q.predicate, q.object, to_graph) for q in quads]
        self.store.extend(quads)


class RemoteStore:
    """A SPARQL 1.1 endpoint behind the EmbeddedStore interface used by build, query and export.

    ``query_url`` answers queries; ``update_url`` (default: the query URL) takes SPARQL Update;
    ``gsp_url`` (optional) is a Graph Store Protocol endpoint used to read whole graphs.
    Credentials (``user``/``password``) default to POLICYKG_SPARQL_USER/PASSWORD.
    """

    path = None

    def __init__(self, query_url: str, *, update_url: str | None = None, gsp_url: str | None = None,
                 user: str | None = None, password: str | None = None, read_only: bool = False,
                 timeout: float = 60.0):
        if not query_url.startswith(("http://", "https://")):
            raise UsageError(f"{query_url}: a SPARQL endpoint URL starts with http:// or https://")
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.gsp_url = gsp_url
        self.read_only = read_only
        self.timeout = timeout
        self.http = _Http(user, password)
        self.ox = _DumpAdapter(self)

    @classmethod
    def from_env(cls, query_url: str, *, read_only: bool = False) -> "RemoteStore":
        """A RemoteStore configured from POLICYKG_SPARQL_* environment variables."""
        env = os.environ
        return cls(query_url, update_url=env.get(ENV_UPDATE_URL), gsp_url=env.get(ENV_GSP_URL),
                   user=env.get(ENV_USER), password=env.get(ENV_PASSWORD), read_only=read_only)

    def close(self) -> None:
        """Nothing to release (kept for the store interface)."""

    def __enter__(self) -> "RemoteStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- SPARQL ---------------------------------------------------------------------------
    def query(self, sparql: str, *, substitutions: dict | None = None, limit: int | None = None,
              timeout: float | None = None) -> QueryResult:
        """Run a SELECT/ASK on the endpoint; ``substitutions`` are bound as a VALUES block."""
        text = inline_values(sparql, substitutions)
        data = urllib.parse.urlencode({"query": text}).encode()
        body = self.http.request(self.query_url, data=data, timeout=timeout or self.timeout, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": _JSON})
        result = parse_results(body, limit=limit)
        # Only Virtuoso-style internal forms are rewritten (cheap test on the raw answer first).
        return portable_result(result) if b"#boolean" in body or b"#duration" in body else result

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update (one request, so the endpoint applies it as one unit)."""
        if self.read_only:
            raise StoreError(f"{self.query_url}: opened read-only")
        data = urllib.parse.urlencode({"update": sparql}).encode()
        self.http.request(self.update_url, data=data, timeout=max(self.timeout, 300), headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"})

    # -- documents ---------------------------------------------------------------------------
    def graphs_of_document(self, doc_iri: str) -> list[str]:
        """Extraction graphs currently holding this document (normally zero or one)."""
        rows = self.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g <{PKG}extractionOf> ?doc }} }}",
                          substitutions={"doc": NamedNode(doc_iri)}).rows
        return sorted(r[0].value for r in rows)

    def documents(self) -> dict[str, str]:
        """Document IRI -> its extraction graph IRI."""
        rows = self.query(f"SELECT ?doc ?g WHERE {{ GRAPH ?g {{ ?g <{PKG}extractionOf> ?doc }} }}").rows
        return {d.value: g.value for d, g in rows}

    def replace_graphs(self, drop: Iterable[str], quads: list) -> None:
        """Drop the named graphs and insert the quads, in one update request."""
        ops = [f"DROP SILENT GRAPH {NamedNode(g)}" for g in drop] + insert_ops(quads)
        if ops:
            self.update(" ;\n".join(ops))

    def ensure_ontology(self) -> None:
        """Keep the ontology in its own graph, so SPARQL can follow rdfs:subClassOf."""
        from policykg.ontology import ontology_text
        quads = [Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH)
                 for t in parse(ontology_text(), format=RdfFormat.TURTLE)]
        have = list(self.quads(ONTOLOGY_GRAPH.value))
        # Blank nodes get new labels on every insert: compare the ground quads and the count.
        ground = lambda qs: {q for q in qs if not isinstance(q.subject, BlankNode)  # noqa: E731
                             and not isinstance(q.object, BlankNode)}
        if len(have) != len(quads) or ground(have) != ground(quads):
            self.replace_graphs([ONTOLOGY_GRAPH.value], quads)

    def policykg_graphs(self) -> list[str]:
        """The named graphs policykg wrote (not the endpoint's own system graphs)."""
        prefixes = sorted({g.rsplit("/", 1)[0] + "/" for g in self.documents().values()})
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
        return sorted(r[0].value for r in rows if isinstance(r[0], NamedNode) and (
            r[0] == ONTOLOGY_GRAPH or any(r[0].value.startswith(p) for p in prefixes)))

    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        """Every policykg quad, or those of one named graph (via the Graph Store Protocol if set)."""
        graphs = [graph] if graph else self.policykg_graphs()
        for g in graphs:
            node = NamedNode(g)
            if self.gsp_url:
                sep = "&" if "?" in self.gsp_url else "?"
                try:
                    body = self.http.request(self.gsp_url + sep + urllib.parse.urlencode({"graph": g}),
                                             headers={"Accept": "application/n-triples"}, timeout=self.timeout)
                except StoreError as exc:
                    if "HTTP 404" in str(exc):
                        continue
                    raise
                for t in parse(body, format=RdfFormat.N_TRIPLES):
                    yield Quad(t.subject, t.predicate, portable_term(t.object), node)
                continue
            yield from self.quads_for_pattern(None, None, None, node)

    def quads_for_pattern(self, s=None, p=None, o=None, g=None) -> Iterator[Quad]:
        """Quads matching the pattern (None = any), from the named graphs."""
        subs = {k: v for k, v in (("s", s), ("p", p), ("o", o), ("g", g)) if v is not None}
        res = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", substitutions=subs)
        for row in res.rows:
            vals = dict(zip(res.variables, row))
            yield Quad(vals["s"], vals["p"], vals["o"], vals["g"])

    def extend(self, quads: Iterable[Quad]) -> None:
        ops = insert_ops([q for q in quads if not isinstance(q.graph_name, DefaultGraph)])
        if ops:
            self.update(" ;\n".join(ops))

    def remove(self, quads: Iterable[Quad]) -> None:
        quads = list(quads)
        if quads:
            self.update("DELETE DATA { " + quad_text(quads) + " }")

    def __len__(self) -> int:
        graphs = self.policykg_graphs()
        if not graphs:
            return 0
        vals = " ".join(str(NamedNode(g)) for g in graphs)
        rows = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {vals} }} GRAPH ?g {{ ?s ?p ?o }} }}").rows
        return int(rows[0][0].value)


# Virtuoso 7 rejects xsd:duration literals inside INSERT DATA ("SQ200: No column P14DD") and blank
# nodes there ("not allowed in a constant clause"). Both go into one INSERT ... WHERE of the same
# request: blank nodes in a template keep their identity within it, STRDT builds the literal.
_BUILT_TYPES = frozenset({"http://www.w3.org/2001/XMLSchema#duration"})


def _needs_template(q: Quad) -> bool:
    return (isinstance(q.subject, BlankNode) or isinstance(q.object, BlankNode)
            or (isinstance(q.object, Literal) and q.object.datatype.value in _BUILT_TYPES))


def insert_ops(quads: list) -> list[str]:
    """SPARQL Update operations inserting the quads: INSERT DATA, plus one INSERT ... WHERE for
    blank nodes and the literals some endpoints cannot parse as data."""
    plain = [q for q in quads if not _needs_template(q)]
    special = [q for q in quads if _needs_template(q)]
    ops = ["INSERT DATA { " + quad_text(plain) + " }"] if plain else []
    if special:
        by_graph: dict[str, list[str]] = {}
        binds = []
        for i, q in enumerate(special):
            obj = str(q.object)
            if isinstance(q.object, Literal) and q.object.datatype.value in _BUILT_TYPES:
                obj = f"?v{i}"
                binds.append(f"BIND(STRDT({Literal(q.object.value)}, {q.object.datatype}) AS ?v{i})")
            by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {obj} .")
        template = " ".join(f"GRAPH {g} {{ {' '.join(lines)} }}" for g, lines in by_graph.items())
        ops.append(f"INSERT {{ {template} }} WHERE {{ {' '.join(binds)} }}")
    return ops


def is_endpoint(location) -> bool:
    """True when a --store value names a SPARQL endpoint rather than a folder."""
    return isinstance(location, str) and location.startswith(("http://", "https://"))


# ---------------------------------------------------------------------------- serving
def snapshot(store, target: str | os.PathLike) -> Path:
    """Copy an embedded store into ``target`` (a new folder) as an independent on-disk store.

    A server must not read a store another process may write (undefined behaviour), so it
    serves a snapshot: a RocksDB backup of an on-disk store, or a bulk copy of an in-memory one.
    """
    from pyoxigraph import Store as OxStore
    target = Path(target)
    if isinstance(store, RemoteStore):
        raise UsageError("the store is already a SPARQL endpoint; serve an embedded store instead")
    if store.path is not None:
        try:
            store.ox.backup(str(target))
            return target
        except OSError:
            pass  # read-only stores cannot checkpoint: fall back to copying the quads
    copy = OxStore(str(target))
    copy.bulk_extend(store.quads())
    copy.flush()
    del copy
    return target


DEFAULT_SERVE_TIMEOUT = 30.0


class SparqlServer:
    """``oxigraph serve-read-only`` over a snapshot: SPARQL 1.1 Protocol at ``/query``, updates refused."""

    def __init__(self, store, *, host: str = DEFAULT_SERVE_HOST, port: int = DEFAULT_SERVE_PORT,
                 oxigraph: str | None = None, timeout: float = DEFAULT_SERVE_TIMEOUT):
        self.host, self.port, self.timeout = host, port, timeout
        self.binary = oxigraph or shutil.which("oxigraph")
        if self.binary is None:
            raise StoreError("the 'oxigraph' server is not installed: pip install oxigraph")
        self.dir = Path(tempfile.mkdtemp(prefix="policykg-serve-"))
        self.proc: subprocess.Popen | None = None
        try:
            snapshot(store, self.dir / "store")
        except BaseException:
            shutil.rmtree(self.dir, ignore_errors=True)
            raise

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/query"

    def start(self, *, wait: float = 20.0) -> "SparqlServer":
        """Start the server and wait until it answers."""
        self.proc = subprocess.Popen(
            [self.binary, "serve-read-only", "--location", str(self.dir / "store"),
             "--bind", f"{self.host}:{self.port}", "--union-default-graph",
             "--timeout-s", str(max(1, round(self.timeout)))],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + wait
        probe = self.url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = (self.proc.stderr.read() or b"").decode("utf-8", "replace").strip().splitlines()
                self.stop()
                raise StoreError(f"oxigraph server did not start on {self.host}:{self.port}"
                                 + (f": {err[-1]}" if err else ""))
            try:
                with urllib.request.urlopen(probe, timeout=1) as resp:
                    resp.read()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise StoreError(f"oxigraph server did not answer on {self.host}:{self.port} within {wait:g} s")

    def wait(self) -> int:
        """Block until the server exits."""
        assert self.proc is not None
        return self.proc.wait()

    def stop(self) -> None:
        """Stop the server and delete the snapshot."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "SparqlServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
