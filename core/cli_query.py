"""Query commands: the named query library, ad-hoc SPARQL, paths, centrality and a SPARQL endpoint."""
from __future__ import annotations

import sys

import click

from policykg.errors import UsageError


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--param wants key=value, got {pair!r}")
        out[key.strip()] = value
    return out


def _limit_note(result, limit: int | None) -> None:
    if result.truncated:
        click.echo(f"note: stopped at {limit} rows (--limit); narrow the query or raise --limit", err=True)


def register(cli: click.Group) -> None:
    """Add queries, query, sparql, path, central and serve to the CLI."""
    from policykg.cli import emit, format_option
    from policykg.queries.library import DEFAULT_LIMIT, DEFAULT_TIMEOUT

    timeout_option = click.option("--timeout", type=click.FloatRange(min=0.1), default=DEFAULT_TIMEOUT,
                                  show_default=True, help="Give up after this many seconds.")
    limit_option = click.option("--limit", type=click.IntRange(min=1), default=DEFAULT_LIMIT,
                                show_default=True, help="Return at most this many rows.")

    @cli.command()
    @format_option
    def queries(fmt):
        """List the named queries: name, what each answers, and its parameters."""
        from policykg.queries.library import load_library
        rows = []
        for q in load_library().values():
            params = "; ".join(f"{p.name}:{p.kind}{'?' if p.optional else ''}" for p in q.params)
            rows.append((q.name, q.summary, params))
        emit(["name", "summary", "params"], rows, fmt)

    @cli.command()
    @click.argument("name")
    @click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
                  help="A parameter value (repeatable); entities may be given by any alias.")
    @format_option
    @timeout_option
    @limit_option
    @click.pass_obj
    def query(obj, name, params, fmt, timeout, limit):
        """Run the named query NAME ('policykg queries' lists them), e.g.

        policykg query who-said-about -p entity="Some Lab" --format markdown
        """
        from policykg.queries.library import run_named
        res = run_named(obj.store(), name, _parse_params(params), timeout=timeout, limit=limit)
        emit(res.variables, res.rows, fmt)
        _limit_note(res, limit)

    @cli.command()
    @click.argument("file", type=click.File("r", encoding="utf-8"))
    @click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "markdown"]), default="table",
                  show_default=True, help="json and csv are the standard SPARQL 1.1 result formats.")
    @timeout_option
    @limit_option
    @click.pass_obj
    def sparql(obj, file, fmt, timeout, limit):
        """Run an ad-hoc SPARQL SELECT or ASK from FILE (- for stdin) over the union of all graphs."""
        from policykg.graph.remote import results_csv, results_json
        from policykg.queries.library import run_query
        res = run_query(obj.store(), file.read(), timeout=timeout, limit=limit)
        if fmt == "json":
            click.echo(results_json(res))
        elif fmt == "csv":
            click.echo(results_csv(res), nl=False)
        elif res.boolean is not None:
            click.echo("true" if res.boolean else "false")
        else:
            emit(res.variables, res.rows, fmt)
        _limit_note(res, limit)

    @cli.command()
    @click.argument("a")
    @click.argument("b")
    @click.option("--max-paths", default=5, show_default=True, help="At most this many shortest paths.")
    @format_option
    @click.pass_obj
    def path(obj, a, b, max_paths, fmt):
        """Shortest chains of relations between entities A and B, each hop with a quote and article."""
        from policykg.graph.paths import find_paths
        paths = find_paths(obj.store(), a, b, max_paths=max_paths)
        cols = ["path", "hop", "source", "relation", "target", "quote", "article", "articles"]
        rows = [(str(i), str(j), h.source_label, h.relation if h.forward else f"{h.relation} (reverse)",
                 h.target_label, h.quote, h.article, str(h.articles))
                for i, hops in enumerate(paths, 1) for j, h in enumerate(hops, 1)]
        emit(cols, rows, fmt)

    @cli.command()
    @click.option("--type", "type_", metavar="CLASS", help="Only entities of this class, e.g. Company.")
    @click.option("--top", default=20, show_default=True, help="How many entities to list (0 = all).")
    @format_option
    @click.pass_obj
    def central(obj, type_, top, fmt):
        """The most connected entities: betweenness, degree and supporting-article counts."""
        from policykg.graph.paths import central_entities
        rows = central_entities(obj.store(), type_=type_, top=top or None)
        emit(["entity", "type", "degree", "betweenness", "articles", "iri"],
             [(c.label, c.type, str(c.degree), f"{c.betweenness:.4f}", str(c.articles), c.entity) for c in rows], fmt)

    @cli.command()
    @click.option("--host", default="127.0.0.1", show_default=True,
                  help="Address to listen on (loopback by default; 0.0.0.0 exposes it to the network).")
    @click.option("--port", default=7878, show_default=True, help="TCP port (7878 is oxigraph's default).")
    @click.option("--timeout", default=30, show_default=True, type=click.IntRange(min=1),
                  help="Seconds a query may run before the server stops it.")
    @click.pass_obj
    def serve(obj, host, port, timeout):
        """Serve a read-only SPARQL 1.1 endpoint (GET/POST /query) over a snapshot of the store.

        Runs the oxigraph server on a private copy, so builds may go on meanwhile (the endpoint
        keeps answering from the snapshot). Updates are refused. Stop with Ctrl-C.
        """
        from policykg.graph.remote import SparqlServer
        server = SparqlServer(obj.store(), host=host, port=port, timeout=timeout)
        obj.close()  # the snapshot is taken; release the store for writers
        try:
            server.start()
            click.echo(f"serving a snapshot at {server.url} (read-only; Ctrl-C stops)", err=True)
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()
        sys.stdout.flush()
