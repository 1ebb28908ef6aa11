"""Interactive maps of the graph: one self-contained HTML page (or GraphML/GEXF for Gephi).

Library entry points: :func:`build_map` (choose and lay out what to draw), :func:`render` (the
page or an export as bytes), :func:`write_map` (both, written atomically; the quick start calls it
with the defaults).

Size policy (figures in docs/maps.md): a view with more than ``SAFE_NODES`` nodes is refused
with advice unless the caller passes ``max_nodes`` (the N most-connected nodes are drawn, even
above the threshold: the user insists) or ``overflow="top"`` (the quick start: draw the
``SAFE_NODES`` most-connected and say so on the page). Only ``OVERVIEW_NODES`` are visible when
the page opens; search, filters and "show all" reveal the rest.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

import networkx as nx

from policykg.errors import UsageError
from policykg.viz.views import VIEWS, Corpus, build_view, load_corpus

SAFE_NODES = 2000       # largest view drawn without --max-nodes (docs/maps.md: timings)
OVERVIEW_NODES = 60     # visible when the page opens
FORMATS = ("html", "graphml", "gexf")


@dataclass(frozen=True)
class MapOptions:
    """What to draw. ``types``/``relations``/``articles`` keep only matching nodes/edges."""

    view: str = "entities"
    focus: str | None = None
    depth: int = 1
    types: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    max_nodes: int | None = None
    overflow: str = "refuse"     # or "top": draw the SAFE_NODES most-connected instead of refusing
    layout: str = "auto"


@dataclass
class MapData:
    """A laid-out view ready to render: the graph (nodes carry ``x``, ``y``, ``rank``) and the
    facts the page header states."""

    graph: nx.MultiDiGraph
    corpus: Corpus
    options: MapOptions
    title: str
    graph_hash: str
    total_nodes: int                   # in the view before the size cap
    focus: str | None = None           # IRI of the focus entity
    notes: list[str] = field(default_factory=list)


def graph_hash(store) -> str:
    """SHA-256 of the store's quads in sorted N-Quads form: the same corpus and rules give the
    same hash, whenever and wherever built. Left out: the ontology graph (its blank-node ids
    change on every load; the page states the policykg version instead) and internal
    bookkeeping graphs; blank-node ids elsewhere are hashed as ``_:``."""
    from pyoxigraph import BlankNode
    from policykg.graph.store import ONTOLOGY_GRAPH

    def term(t) -> str:
        return "_:" if isinstance(t, BlankNode) else str(t)
    lines = sorted(f"{term(q.subject)} {q.predicate} {term(q.object)} {q.graph_name} .\n"
                   for q in store.quads()
                   if q.graph_name != ONTOLOGY_GRAPH and not str(q.graph_name).endswith("/graph/pending>"))
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def rank_nodes(g: nx.MultiDiGraph) -> list[str]:
    """Nodes from most to least connected: distinct neighbours, then articles, then label."""
    def key(n):
        neighbours = set(g.predecessors(n)) | set(g.successors(n))
        neighbours.discard(n)
        return (-len(neighbours), -len(g.nodes[n]["articles"]), g.nodes[n]["label"].lower(), n)
    return sorted(g, key=key)


def _type_matches(type_: str, wanted: set[str]) -> bool:
    return type_.lower() in wanted


def _filter(g: nx.MultiDiGraph, options: MapOptions, corpus: Corpus, keep: set[str]) -> nx.MultiDiGraph:
    """Apply --type/--relation/--article; nodes in ``keep`` (the focus) always stay."""
    g = g.copy()
    if options.articles:
        wanted = set()
        by_title = {t.lower(): a for a, t in corpus.titles.items()}
        for a in options.articles:
            art = a if a in corpus.titles else by_title.get(a.lower())
            if art is None:
                raise UsageError(f"no article {a!r} in the graph (give its identifier or exact title)")
            wanted.add(art)
        g.remove_edges_from([(s, o, k) for s, o, k, d in g.edges(keys=True, data=True)
                             if not wanted & set(d["articles"])])
        g.remove_nodes_from([n for n, d in g.nodes(data=True) if n not in keep and not wanted & set(d["articles"])])
    if options.types:
        wanted_types = {t.split(":", 1)[-1].lower() for t in options.types}
        known = {d["type"].lower() for _, d in g.nodes(data=True)}
        if not wanted_types & known:
            raise UsageError(f"no node of type {', '.join(options.types)} in this view "
                             f"(types here: {', '.join(sorted({d['type'] for _, d in g.nodes(data=True)}))})")
        g.remove_nodes_from([n for n, d in g.nodes(data=True)
                             if n not in keep and not _type_matches(d["type"], wanted_types)])
    if options.relations:
        wanted_rel = {r.split(":", 1)[-1].lower() for r in options.relations}
        g.remove_edges_from([(s, o, k) for s, o, k, d in g.edges(keys=True, data=True)
                             if d["relation"].lower() not in wanted_rel])
        g.remove_nodes_from([n for n in list(g) if n not in keep and g.degree(n) == 0])
    return g


def build_map(store, options: MapOptions = MapOptions()) -> MapData:
    """Choose, filter, cap and lay out one view of the graph.

    :raises UsageError: unknown view, focus entity absent from the view, or a view larger than
        SAFE_NODES without ``max_nodes`` (the message says what to do).
    """
    from policykg.queries.library import resolve_entity
    from policykg.viz.layout import compute_layout
    if options.view not in VIEWS:
        raise UsageError(f"unknown view {options.view!r} (choose {', '.join(VIEWS)})")
    if options.max_nodes is not None and options.max_nodes < 1:
        raise UsageError("--max-nodes must be at least 1")
    corpus = load_corpus(store)
    g = build_view(store, options.view, corpus)
    title = f"policykg map: {options.view}"
    focus = None
    if options.focus:
        focus = resolve_entity(store, options.focus).value
        if focus not in g:
            raise UsageError(f"{options.focus!r} has no node in the {options.view} view; try another --view")
        g = nx.ego_graph(g, focus, radius=max(0, options.depth), undirected=True).copy()
        title += f" around {g.nodes[focus]['label']} (depth {options.depth})"
    g = _filter(g, options, corpus, {focus} if focus else set())
    ranked = rank_nodes(g)
    total = len(ranked)
    notes = []
    limit = options.max_nodes
    if limit is None and total > SAFE_NODES:
        if options.overflow != "top":
            raise UsageError(
                f"the {options.view} view has {total:,} nodes; a browser stays responsive up to about "
                f"{SAFE_NODES:,}: narrow it with --focus ENTITY --depth N or --type/--relation/--article, "
                f"or pass --max-nodes N to draw the N most-connected anyway")
        limit = SAFE_NODES
    if limit is not None and total > limit:
        if focus and focus not in ranked[:limit]:
            ranked.remove(focus)
            ranked.insert(0, focus)
        g.remove_nodes_from(ranked[limit:])
        ranked = ranked[:limit]
        notes.append(f"Drawn: the {limit:,} most-connected of {total:,} nodes "
                     "(use --focus or filters for the others).")
    for i, n in enumerate(ranked):
        g.nodes[n]["rank"] = i
    if not all("x" in d for _, d in g.nodes(data=True)):
        edges = [(s, o, len(d["articles"])) for s, o, d in g.edges(data=True)]
        for n, (x, y) in compute_layout(list(g), edges, engine=options.layout).items():
            g.nodes[n]["x"], g.nodes[n]["y"] = x, y
    return MapData(g, corpus, options, title, graph_hash(store), total, focus, notes)


def render(data: MapData, fmt: str = "html") -> bytes:
    """The page (``html``) or a Gephi file (``graphml``, ``gexf``) of a built map."""
    if fmt == "html":
        from policykg.viz.page import render_page
        return render_page(data).encode("utf-8")
    if fmt in ("graphml", "gexf"):
        from policykg.viz.export import render_export
        return render_export(data, fmt)
    raise UsageError(f"unknown map format {fmt!r} (choose {', '.join(FORMATS)})")


def write_map(store, path: str | Path, options: MapOptions | None = None, *, fmt: str = "html") -> Path:
    """Build and write a map; ``path`` ``-`` is not handled here (the CLI writes stdout).

    Called with defaults by the quick start (``policykg build --out``): an oversized graph then
    gets the SAFE_NODES most-connected nodes and a note on the page, instead of no map at all.
    """
    from policykg.graph.export import write_atomic
    options = options or replace(MapOptions(), overflow="top")
    out = Path(path)
    write_atomic(out, render(build_map(store, options), fmt))
    return out
