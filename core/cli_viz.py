"""The ``viz`` command: interactive maps (one offline HTML file) and Gephi exports."""
from __future__ import annotations

import sys

import click


def register(cli: click.Group) -> None:
    """Add ``viz`` to the CLI."""

    @cli.command()
    @click.option("-o", "--output", default="map.html", show_default=True,
                  help="File to write, or - for stdout.")
    @click.option("--view", type=click.Choice(["entities", "claims", "timeline"]), default="entities",
                  show_default=True,
                  help="entities: actors, models, policies and relations; claims: speaker -> claim -> "
                       "subject with supports/disputes; timeline: events by date.")
    @click.option("--focus", metavar="ENTITY", help="Only this entity's neighbourhood (any name or alias).")
    @click.option("--depth", default=1, show_default=True, type=click.IntRange(0, 10),
                  help="Steps from the --focus entity.")
    @click.option("--type", "types", multiple=True, metavar="CLASS",
                  help="Keep only nodes of this type, e.g. Company (repeatable).")
    @click.option("--relation", "relations", multiple=True, metavar="NAME",
                  help="Keep only edges of this relation, e.g. developedBy (repeatable).")
    @click.option("--article", "articles", multiple=True, metavar="ID",
                  help="Keep only what this article (identifier or exact title) supports (repeatable).")
    @click.option("--max-nodes", type=int, metavar="N",
                  help="Draw the N most-connected nodes (needed to draw views above the safe size).")
    @click.option("--format", "fmt", type=click.Choice(["html", "graphml", "gexf"]), default="html",
                  show_default=True, help="An offline HTML page, or GraphML/GEXF for Gephi.")
    @click.option("--layout", type=click.Choice(["auto", "force", "sfdp"]), default="auto", show_default=True,
                  help="Layout engine (auto: hash-seeded force layout for small views, Graphviz sfdp for big).")
    @click.pass_obj
    def viz(obj, output, view, focus, depth, types, relations, articles, max_nodes, fmt, layout):
        """Draw the graph as an interactive map: one HTML file that works offline.

        Click a node or a line for its articles and exact quotes; search any name or alias;
        filter by type, relation and article. The page opens on the most-connected nodes.
        """
        from policykg.graph.export import write_atomic
        from policykg.viz.maps import MapOptions, build_map, render
        options = MapOptions(view=view, focus=focus, depth=depth, types=tuple(types), relations=tuple(relations),
                             articles=tuple(articles), max_nodes=max_nodes, layout=layout)
        data = build_map(obj.store(), options)
        payload = render(data, fmt)
        if output == "-":
            sys.stdout.buffer.write(payload)
            sys.stdout.flush()
        else:
            write_atomic(output, payload)
        edges = data.graph.number_of_edges()
        click.echo(f"wrote {output}: {fmt}, {data.graph.number_of_nodes()} nodes, {edges} edges"
                   + (f" (of {data.total_nodes} in the view)" if data.total_nodes > data.graph.number_of_nodes() else ""),
                   err=True)
