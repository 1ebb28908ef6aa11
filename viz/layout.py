"""Node positions computed before the page opens, so the browser never runs physics on big views.

Two engines, chosen by size (figures in docs/maps.md):

* ``force`` — a vectorised Fruchterman–Reingold in numpy whose starting point for every node is a
  hash of its IRI. A node keeps its seed from build to build, so adding an article moves the
  nodes it touches and leaves the rest of the map roughly where readers last saw it.
  Dense O(n²) per iteration: fine up to ``FORCE_MAX`` nodes.
* ``sfdp`` — Graphviz's multilevel force layout (Debian ``graphviz``) for larger views: seconds
  for 10,000 nodes. It ignores initial positions, so it is deterministic but not stable under
  additions; views that big are only drawn when the user insists.

Both return integer coordinates (vis-network pixels), so the page is byte-identical for the same
input.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Sequence

import numpy as np

from policykg.errors import UsageError

FORCE_MAX = 2500      # above this the dense force layout takes longer than sfdp (measured)
_SPACING = 110.0      # ideal edge length in pixels at vis-network's default zoom


def seed_position(node_id: str) -> tuple[float, float]:
    """A point in the unit square derived from the node's IRI alone."""
    h = hashlib.sha256(node_id.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(h[:4], "big") / 2**32, int.from_bytes(h[4:8], "big") / 2**32


def compute_layout(nodes: Sequence[str], edges: Sequence[tuple[str, str, float]], *,
                   engine: str = "auto", iterations: int = 120) -> dict[str, tuple[int, int]]:
    """Positions for ``nodes`` (ids) joined by ``edges`` (source, target, weight).

    :param engine: ``auto`` (force up to FORCE_MAX nodes, then sfdp when installed), ``force``
        or ``sfdp``.
    :raises UsageError: when ``sfdp`` is asked for and Graphviz is not installed.
    """
    nodes = sorted(set(nodes))
    if not nodes:
        return {}
    if engine == "auto":
        engine = "sfdp" if len(nodes) > FORCE_MAX and shutil.which("sfdp") else "force"
    if engine == "sfdp":
        return sfdp_layout(nodes, edges)
    if engine != "force":
        raise UsageError(f"unknown layout engine {engine!r} (auto, force or sfdp)")
    return force_layout(nodes, edges, iterations=iterations)


def force_layout(nodes: Sequence[str], edges: Sequence[tuple[str, str, float]], *,
                 iterations: int = 120) -> dict[str, tuple[int, int]]:
    """Fruchterman–Reingold from hash-seeded starting points, with a weak pull to the centre so
    isolated nodes and small components stay on screen."""
    nodes = sorted(set(nodes))
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    pos = np.array([seed_position(node) for node in nodes], dtype=np.float32)
    if n == 1:
        return {nodes[0]: (0, 0)}
    pairs = sorted({(min(index[s], index[t]), max(index[s], index[t]))
                    for s, t, _ in edges if s in index and t in index and s != t})
    src = np.array([p[0] for p in pairs], dtype=np.int64)
    dst = np.array([p[1] for p in pairs], dtype=np.int64)
    k = 1.0 / np.sqrt(n)                      # ideal distance in the unit square
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    block = max(1, 2_000_000 // n)            # rows per block: bounds memory to ~50 MB
    for _ in range(iterations):
        disp = np.zeros_like(pos)
        xs, ys = pos[None, :, 0], pos[None, :, 1]
        for lo in range(0, n, block):
            # x and y apart: two 2-D arrays are several times faster than one 3-D einsum
            dx = pos[lo:lo + block, 0, None] - xs
            dy = pos[lo:lo + block, 1, None] - ys
            force = dx * dx
            force += dy * dy
            np.maximum(force, 1e-9, out=force)
            np.divide(k * k, force, out=force)
            disp[lo:lo + block, 0] += (dx * force).sum(axis=1)
            disp[lo:lo + block, 1] += (dy * force).sum(axis=1)
        if len(src):
            delta = pos[src] - pos[dst]
            dist = np.sqrt(np.einsum("ij,ij->i", delta, delta)) + 1e-9
            pull = delta * (dist / k)[:, None]
            np.subtract.at(disp, src, pull)
            np.add.at(disp, dst, pull)
        disp -= (pos - 0.5) * 1.5              # gravity: keeps small components near the rest (tuned on the sample views)
        length = np.sqrt(np.einsum("ij,ij->i", disp, disp)) + 1e-9
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    return _to_pixels(nodes, pos, k)


def sfdp_layout(nodes: Sequence[str], edges: Sequence[tuple[str, str, float]]) -> dict[str, tuple[int, int]]:
    """Graphviz sfdp; nodes are passed by index in sorted order so the output is deterministic."""
    exe = shutil.which("sfdp")
    if exe is None:
        raise UsageError("Graphviz sfdp is not installed (apt-get install graphviz); use a smaller view")
    index = {node: i for i, node in enumerate(nodes)}
    lines = ["graph G {", "graph [overlap=scale, splines=false];", "node [shape=point];"]
    lines += [f"n{i};" for i in range(len(nodes))]
    seen = set()
    for s, t, _ in edges:
        if s in index and t in index and s != t:
            pair = (min(index[s], index[t]), max(index[s], index[t]))
            if pair not in seen:
                seen.add(pair)
    lines += [f"n{a} -- n{b};" for a, b in sorted(seen)]
    lines.append("}")
    proc = subprocess.run([exe, "-Tplain"], input="\n".join(lines), capture_output=True, text=True)
    if proc.returncode != 0:
        raise UsageError(f"sfdp failed: {proc.stderr.strip().splitlines()[0] if proc.stderr.strip() else proc.returncode}")
    pos = np.zeros((len(nodes), 2))
    for line in proc.stdout.splitlines():
        parts = line.split()
        if parts and parts[0] == "node":
            pos[int(parts[1][1:])] = (float(parts[2]), float(parts[3]))
    # sfdp works in inches with unit edge length ~1; flip y (Graphviz y grows upwards).
    pos[:, 1] = -pos[:, 1]
    return _to_pixels(nodes, pos, 1.0)


def _to_pixels(nodes: Sequence[str], pos: np.ndarray, unit: float) -> dict[str, tuple[int, int]]:
    pos = (pos - pos.mean(axis=0)) * (_SPACING / unit)
    return {node: (int(round(x)), int(round(y))) for node, (x, y) in zip(nodes, pos.tolist())}
