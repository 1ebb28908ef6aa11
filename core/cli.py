"""The policykg command line: thin commands over the library; errors become one-line messages."""
from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import click

from policykg import __version__
from policykg.errors import PolicyKGError
from policykg.output import FORMATS, render_rows

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


class Context:
    """Global options, with the store opened lazily (read-only unless a command writes)."""

    def __init__(self, store: str | None, memory: bool, base: str):
        from policykg.graph.iris import IRIMinter
        self.store_path = store
        self.memory = memory
        self.minter = IRIMinter(base)
        self._store = None

    def store(self, *, write: bool = False):
        from policykg.graph.store import open_store
        if self._store is None:
            self._store = open_store(self.store_path, memory=self.memory, read_only=not write)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def one_line(text: str) -> str:
    """Control characters (newlines in a file name, say) escaped, so a message stays one line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def problem_line(exc: PolicyKGError) -> str:
    """The one-line message of an error: ``file: problem`` for documents, else the first line."""
    from policykg.errors import DocumentError
    if isinstance(exc, DocumentError):
        return f"{one_line(exc.source)}: {one_line(exc.problem)}"
    text = str(exc)
    return one_line(text.splitlines()[0]) if text.strip() else type(exc).__name__


class PolicyGroup(click.Group):
    """Turns PolicyKGError into ``Error: <one line>`` and its exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PolicyKGError as exc:
            click.echo(f"Error: {problem_line(exc)}", err=True)
            ctx.exit(exc.exit_code)


format_option = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                             show_default=True, help="Output format.")


def emit(columns, rows, fmt: str) -> None:
    click.echo(render_rows(columns, rows, fmt), nl=False)


@click.group(cls=PolicyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policykg")
@click.option("--store", "store", metavar="PATH", envvar="POLICYKG_STORE",
              help="Store folder (default: .policykg/store in the working directory; env POLICYKG_STORE).")
@click.option("--memory", is_flag=True, help="Use a throw-away in-memory store (nothing is kept).")
@click.option("--base", default="https://w3id.org/policykg/id/", show_default=True,
              help="Base IRI for instance IRIs.")
@click.pass_context
def cli(ctx, store, memory, base):
    """policykg: a provenance-aware knowledge graph of AI-governance news.

    Build the graph from articles, query it with SPARQL, export Turtle, draw maps.
    Every fact keeps the article and exact words it came from.
    """
    ctx.obj = Context(store, memory, base)
    ctx.call_on_close(ctx.obj.close)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              help="Also write policykg.ttl, policykg.trig, the ontology and map.html here.")
@click.option("--jobs", "-j", default=1, show_default=True, help="Extraction processes (one writer).")
@click.option("--prune", is_flag=True, help="Remove documents no longer among the inputs.")
@click.option("--reference", type=click.Path(exists=True, dir_okay=False),
              help="Reference entity YAML to use instead of the bundled one.")
@click.option("--validate", "validate_docs", is_flag=True,
              help="Check each document against the SHACL shapes before storing it (slower).")
@click.option("--commit-each", is_flag=True,
              help="Commit every document as it is written, even into an empty store (slower; an "
                   "interrupted first build keeps what it wrote). By default a build into an empty "
                   "store is bulk-loaded beside it and appears all at once.")
@click.pass_obj
def build(obj: Context, paths, out_dir, jobs, prune, reference, validate_docs, commit_each):
    """Build the graph from PATHS (files or folders; default: the bundled sample corpus).

    Exit code 1 when any file was skipped; every skipped file gets a one-line reason.
    """
    from policykg.graph.build import build as run_build
    from policykg.loaders.reference import load_reference
    paths = list(paths) or [DEFAULT_CORPUS]
    store = obj.store(write=True)
    with _progress() as progress:
        report = run_build(store, paths, minter=obj.minter, jobs=jobs, prune=prune, progress=progress,
                           validate=validate_docs, commit_each=commit_each,
                           reference=load_reference(reference) if reference else None)
    for source, problem in report.skipped:
        click.echo(f"skipped {one_line(source)}: {one_line(problem)}", err=True)
    click.echo(f"built {len(report.built)}, unchanged {len(report.unchanged)}, removed {len(report.removed)}, "
               f"skipped {len(report.skipped)} documents in {report.seconds:.2f} s", err=True)
    if out_dir:
        from policykg.publish import write_outputs
        for path in write_outputs(store, out_dir, obj.minter):
            click.echo(f"wrote {path}", err=True)
    if report.skipped:
        sys.exit(1)


class _progress:
    """A rich progress bar on stderr for multi-document builds."""

    def __enter__(self):
        from rich.console import Console
        from rich.progress import Progress
        self.bar = Progress(console=Console(stderr=True), transient=True)
        self.task = None
        self.bar.start()
        return self.update

    def update(self, stage: str, done: int, total: int) -> None:
        if self.task is None:
            self.task = self.bar.add_task(stage, total=total)
        self.bar.update(self.task, completed=done)

    def __exit__(self, *exc):
        self.bar.stop()


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["turtle", "trig", "nquads", "jsonld"]),
              default="turtle", show_default=True, help="RDF format.")
@click.option("-o", "--output", default="-", show_default=True, help="File to write, or - for stdout.")
@click.pass_obj
def export(obj: Context, fmt, output):
    """Export the graph (Turtle is the union of all graphs; the others keep one graph per document)."""
    from policykg.graph.export import export as run_export
    run_export(obj.store(), fmt, output, obj.minter)


@cli.command()
@format_option
@click.pass_obj
def stats(obj: Context, fmt):
    """Counts: triples, documents, statements, claims, events, spans, entities per type."""
    from policykg.graph.inspect import stats as get_stats
    s = get_stats(obj.store())
    if fmt == "json":
        click.echo(json.dumps(s, indent=2))
        return
    rows = [(k, v) for k, v in s.items() if k != "entities_by_type"]
    rows += [(f"entities: {t}", n) for t, n in s["entities_by_type"].items()]
    emit(["what", "count"], [(k, str(v)) for k, v in rows], fmt)


@cli.command()
@click.option("--type", "type_", metavar="CLASS", help="Only this class, e.g. Company or pkg:Person.")
@format_option
@click.pass_obj
def entities(obj: Context, type_, fmt):
    """List entities with their type, article count and aliases."""
    from policykg.queries.library import run_named
    res = run_named(obj.store(), "entities", {"type": type_} if type_ else {})
    emit(res.variables, res.rows, fmt)


@cli.command()
@click.argument("entity")
@format_option
@click.pass_obj
def show(obj: Context, entity, fmt):
    """Everything the graph knows about ENTITY (any name or alias), each fact with article and quote."""
    from policykg.graph.inspect import profile
    p = profile(obj.store(), entity)
    if fmt == "json":
        click.echo(json.dumps(dataclasses.asdict(p), indent=2, ensure_ascii=False))
        return
    click.echo(f"{p.label} <{p.iri}>\ntypes: {', '.join(p.types)}\naliases: {', '.join(p.aliases)}")
    sections = [
        ("Facts", p.facts, [("direction", "direction"), ("relation", "relation"), ("other", "otherLabel|other"),
                            ("negated", "negated"), ("quote", "quote"), ("article", "article")]),
        ("Said", p.said, [("cue", "cue"), ("quote", "quote"), ("article", "article")]),
        ("Said about it", p.said_about, [("speaker", "speakerLabel|speakerText"), ("cue", "cue"),
                                         ("polarity", "polarity"), ("quote", "quote"), ("article", "article")]),
        ("Events", p.events, [("date", "dateText"), ("kind", "kind"), ("quote", "quote"), ("article", "article")]),
    ]
    for title, rows, cols in sections:
        click.echo(f"\n{title} ({len(rows)})")
        if rows:
            emit([c for c, _ in cols], [[_first(r, keys) for _, keys in cols] for r in rows], fmt)


def _first(row: dict, keys: str) -> str:
    """The first non-empty of ``a|b|c`` in a row."""
    return next((row[k] for k in keys.split("|") if row.get(k)), "")


@cli.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_obj
def import_(obj: Context, files):
    """Load Turtle/N-Triples/TriG/N-Quads/JSON-LD FILES into the store (one transaction per file)."""
    from policykg.errors import DocumentError
    from policykg.graph.importer import import_file
    store = obj.store(write=True)
    failed = False
    for f in files:
        try:
            n = import_file(store, f, obj.minter)
            click.echo(f"imported {f}: {n} quads", err=True)
        except DocumentError as exc:
            click.echo(f"skipped {problem_line(exc)}", err=True)
            failed = True
    if failed:
        sys.exit(1)


@cli.command()
@click.option("--no-reasoner", is_flag=True, help="Skip the OWL reasoner (SHACL only).")
@click.pass_obj
def validate(obj: Context, no_reasoner):
    """Check the graph: HermiT (OWL consistency, needs Java) and SHACL shapes. Exit 1 when it fails."""
    from policykg.graph.validate import validate as run_validate
    report = run_validate(obj.store(), reasoner=not no_reasoner)
    click.echo(report.text)
    if not report.ok:
        sys.exit(1)


def _register_extensions() -> None:
    """Commands that live in their own modules (queries, maps, conflicts)."""
    import importlib
    for module in ("policykg.cli_query", "policykg.cli_viz", "policykg.cli_conflicts"):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        mod.register(cli)


_register_extensions()


def main() -> None:
    cli(prog_name="policykg")
