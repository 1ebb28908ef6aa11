"""Build: files -> extractions -> one transaction per document -> shared entity layer.

Re-building an unchanged document (same content, same rules) is a no-op; a changed document
replaces its own graph only; a document that fails leaves the store as it was.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode

from policykg import __version__
from policykg.errors import DocumentError
from policykg.graph import derive
from policykg.graph.entity_layer import entity_layer_quads, pending_quads, refresh_pending, touched_entities
from policykg.graph.iris import IRIMinter
from policykg.graph.mapping import extraction_quads
from policykg.graph.store import EmbeddedStore
from policykg.loaders.pipeline import extract, rules_hash
from policykg.loaders.read import discover, read_documents
from policykg.loaders.records import Extraction, SourceDocument
from policykg.loaders.reference import ReferenceData, load_reference
from policykg.ontology.terms import PROV_GENERATED_BY

Progress = Callable[[str, int, int], None]
BULK_BATCH = 50_000   # quads per bulk_extend in a fresh build (measured: ~50k gave the best rate)


@dataclass
class BuildReport:
    """What a build did. ``skipped`` holds (source, problem) for every rejected file."""

    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    quads_written: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.skipped


@dataclass
class PreparedDocument:
    """A document ready to write: its graph and quads, built in a worker process if --jobs > 1."""

    source_id: str
    doc_iri: str
    graph_iri: str
    quads: list
    entity_iris: set[str]


def check_spans(extraction: Extraction) -> None:
    """Cheap structural guard: every span must match its document's text exactly."""
    text = extraction.document.text
    spans = [m.span for m in extraction.mentions] + [f.evidence for f in extraction.facts]
    spans += [c.quote for c in extraction.claims] + [c.evidence for c in extraction.claims if c.evidence]
    spans += [e.evidence for e in extraction.events]
    for s in spans:
        if not (0 <= s.start <= s.end <= len(text)) or text[s.start:s.end] != s.text:
            raise DocumentError(extraction.document.source_id,
                                f"extraction produced a span {s.start}:{s.end} that does not match the text")
    for key in {m.entity for m in extraction.mentions} - extraction.entities.keys():
        raise DocumentError(extraction.document.source_id, f"mention of unknown entity {key!r}")


def prepare(doc: SourceDocument, minter: IRIMinter, reference: ReferenceData, rules: str,
            validate: bool = False) -> PreparedDocument:
    """Extract one document and map it to quads (pure; safe to run in a worker process).
    With ``validate`` the document's graph must also pass the SHACL shapes, or it is rejected."""
    extraction = extract(doc, reference)
    check_spans(extraction)
    quads = extraction_quads(extraction, minter, rules)
    if validate:
        from policykg.graph.validate import document_violations
        problems = document_violations(quads)
        if problems:
            raise DocumentError(doc.source_id, "fails the SHACL shapes: " + "; ".join(problems))
    entity_iris = {minter.entity(k) for k in extraction.entities}
    return PreparedDocument(doc.source_id, minter.document(doc.source_id),
                            minter.extraction_graph(doc), quads, entity_iris)


_WORKER: dict = {}


def _init_worker(minter: IRIMinter, reference: ReferenceData, rules: str, validate: bool) -> None:
    """Runs once per worker process: the reference data (and its matcher cache) stays warm."""
    _WORKER.update(minter=minter, reference=reference, rules=rules, validate=validate)


def _prepare_remote(doc: SourceDocument):  # top-level so a process pool can pickle it
    try:
        p = prepare(doc, _WORKER["minter"], _WORKER["reference"], _WORKER["rules"], _WORKER["validate"])
        # pyoxigraph terms do not pickle: ship N-Quads text back to the writer.
        from pyoxigraph import RdfFormat, serialize
        return p.source_id, p.doc_iri, p.graph_iri, serialize(p.quads, format=RdfFormat.N_QUADS), p.entity_iris
    except DocumentError as exc:
        return exc
    except Exception as exc:  # a rule bug must cost one document, not the whole build
        return DocumentError(doc.source_id, internal_error(exc))


def internal_error(exc: BaseException) -> str:
    """One-line reason for a document that crashed a reader or a rule (a bug to report)."""
    first = (str(exc).splitlines() or [""])[0][:200]
    return f"internal error while processing it ({type(exc).__name__}: {first}); please report this file"


def _from_remote(result) -> PreparedDocument:
    from pyoxigraph import RdfFormat, parse
    source_id, doc_iri, graph_iri, nq, ents = result
    return PreparedDocument(source_id, doc_iri, graph_iri, list(parse(nq, format=RdfFormat.N_QUADS)), ents)


class Builder:
    """Builds documents into a store. One writer; extraction may run in ``jobs`` processes."""

    def __init__(self, store: EmbeddedStore, *, minter: IRIMinter | None = None,
                 reference: ReferenceData | None = None, jobs: int = 1, progress: Progress | None = None,
                 validate: bool = False, commit_each: bool = False):
        self.store = store
        self.commit_each = commit_each
        self.minter = minter or IRIMinter()
        self.reference = reference or load_reference()
        self.rules = rules_hash(self.reference.digest)
        self.activity = NamedNode(self.minter.activity(__version__, self.rules))
        self.jobs = max(1, jobs)
        self.progress = progress or (lambda stage, done, total: None)
        self.validate = validate

    def is_current(self, doc: SourceDocument, existing: list[str]) -> bool:
        """True when the store already holds exactly this content, made by these rules."""
        graph = self.minter.extraction_graph(doc)
        if existing != [graph]:
            return False
        g = NamedNode(graph)
        return next(self.store.quads_for_pattern(g, NamedNode(PROV_GENERATED_BY), self.activity, g), None) is not None

    def write(self, prepared: PreparedDocument, existing: list[str], report: BuildReport) -> None:
        """Replace the document's graphs with the prepared one, in one transaction."""
        old = [q for g in existing for q in self.store.quads(g)]
        markers = pending_quads(self.minter, prepared.entity_iris | touched_entities(old))
        markers += derive.pending_markers(self.minter, prepared.quads + old)
        self.store.replace_graphs(existing, prepared.quads + markers)
        report.built.append(prepared.source_id)
        report.quads_written += len(prepared.quads)

    def build(self, paths: Iterable[Path], *, prune: bool = False) -> BuildReport:
        """Build every document under ``paths`` (files or folders)."""
        t0 = time.perf_counter()
        report = BuildReport()
        docs = self.read(paths, report)
        todo: list[tuple[SourceDocument, list[str]]] = []
        for doc in docs:
            existing = self.store.graphs_of_document(self.minter.document(doc.source_id))
            if self.is_current(doc, existing):
                report.unchanged.append(doc.source_id)
            else:
                todo.append((doc, existing))
        # Only the embedded store can stage a replacement; a remote endpoint is written document
        # by document (each an atomic update).
        if todo and not self.commit_each and isinstance(self.store, EmbeddedStore) and self.store.holds_no_data():
            self.build_fresh(todo, report)
        for i, (prepared, existing) in enumerate(self._prepared(todo, report)):
            self.write(prepared, existing, report)
            self.progress("build", i + 1, len(todo))
        if prune:
            self.prune({self.minter.document(d.source_id) for d in docs}, report)
        self.store.ensure_ontology()
        refresh_pending(self.store, self.minter, self.reference)
        derive.refresh(self.store, self.minter)
        report.seconds = time.perf_counter() - t0
        return report

    def build_fresh(self, todo: list, report: BuildReport) -> None:
        """Fill an empty store in one go (``todo`` is emptied): documents, then the entity layer
        and the derived links of everything at once, instead of per document and per marker.
        On disk the quads are bulk-loaded into a staged store that replaces the empty one only
        when all is written, so a crash leaves the empty store, never part of a build."""
        if self.store.path is None:
            self._fill(self.store, todo, report, self.store.extend)
        else:
            with self.store.staged_replacement() as staged:
                self._fill(staged, todo, report, staged.bulk_extend)
        todo.clear()

    def _fill(self, target: EmbeddedStore, todo: list, report: BuildReport, load: Callable) -> None:
        batch: list = []
        entities: set[str] = set()
        stance_keys: set = set()
        event_keys: set = set()
        for i, (prepared, _) in enumerate(self._prepared(todo, report)):
            batch += prepared.quads
            entities |= prepared.entity_iris
            stances, events = derive.touched_keys(prepared.quads)
            stance_keys |= stances
            event_keys |= events
            report.built.append(prepared.source_id)
            report.quads_written += len(prepared.quads)
            if len(batch) >= BULK_BATCH:
                load(batch)
                batch = []
            self.progress("build", i + 1, len(todo))
        load(batch)
        target.ensure_ontology()
        load([q for e in sorted(entities)
              for q in entity_layer_quads(target, self.minter, self.reference, NamedNode(e))])
        load([q for _, _, quads in derive.derived_quads(target, self.minter, stance_keys, event_keys)
              for q in quads])

    def read(self, paths: Iterable[Path], report: BuildReport) -> list[SourceDocument]:
        docs: list[SourceDocument] = []
        for path in paths:
            path = Path(path)
            if not path.exists():
                report.skipped.append((str(path), "no such file or directory"))
                continue
            found = discover([path])
            if not found:
                report.skipped.append((str(path), "no documents found (supported: .txt .md .html .json .jsonl)"))
            for file, root in found:
                try:
                    docs.extend(read_documents(file, root))
                except DocumentError as exc:
                    report.skipped.append((exc.source, exc.problem))
                except Exception as exc:  # a reader bug must cost one file, not the whole build
                    report.skipped.append((str(file), internal_error(exc)))
        seen: set[str] = set()
        unique = []
        for d in docs:
            if d.source_id in seen:
                report.skipped.append((d.source_id, "duplicate source identifier; kept the first"))
                continue
            seen.add(d.source_id)
            unique.append(d)
        return unique

    def _prepared(self, todo, report):
        """Yield (PreparedDocument, existing graphs), extracting in parallel when jobs > 1."""
        if self.jobs == 1 or len(todo) < 2:
            for doc, existing in todo:
                try:
                    prepared = prepare(doc, self.minter, self.reference, self.rules, self.validate)
                except DocumentError as exc:
                    report.skipped.append((exc.source, exc.problem))
                    continue
                except Exception as exc:  # a rule bug must cost one document, not the whole build
                    report.skipped.append((doc.source_id, internal_error(exc)))
                    continue
                yield prepared, existing
            return
        with ProcessPoolExecutor(self.jobs, initializer=_init_worker,
                                 initargs=(self.minter, self.reference, self.rules, self.validate)) as pool:
            docs = (doc for doc, _ in todo)
            for (doc, existing), result in zip(todo, pool.map(_prepare_remote, docs, chunksize=8)):
                if isinstance(result, DocumentError):
                    report.skipped.append((result.source, result.problem))
                else:
                    yield _from_remote(result), existing

    def prune(self, keep: set[str], report: BuildReport) -> None:
        """Remove documents that are in the store but were not among this build's inputs."""
        for doc_iri, graph in sorted(self.store.documents().items()):
            if doc_iri not in keep:
                old = list(self.store.quads(graph))
                markers = pending_quads(self.minter, touched_entities(old)) + derive.pending_markers(self.minter, old)
                self.store.replace_graphs([graph], markers)
                report.removed.append(doc_iri)


def build(store: EmbeddedStore, paths: Iterable[Path], **options) -> BuildReport:
    """Build documents into the store; see :class:`Builder` for options (``prune`` goes to build)."""
    prune = options.pop("prune", False)
    return Builder(store, **options).build(paths, prune=prune)
