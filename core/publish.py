"""The quick start's outputs in one call: data exports, the ontology and the map."""
from __future__ import annotations

from pathlib import Path

from policykg.graph.export import export, write_atomic
from policykg.graph.iris import IRIMinter
from policykg.ontology import ontology_text


def write_outputs(store, out_dir: str | Path, minter: IRIMinter | None = None) -> list[Path]:
    """Write policykg.ttl, policykg.trig, policykg-ontology.ttl and map.html into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt, name in (("turtle", "policykg.ttl"), ("trig", "policykg.trig")):
        export(store, fmt, out / name, minter)
        written.append(out / name)
    write_atomic(out / "policykg-ontology.ttl", ontology_text().encode("utf-8"))
    written.append(out / "policykg-ontology.ttl")
    try:
        from policykg.viz.maps import write_map
    except ImportError:
        return written
    written.append(write_map(store, out / "map.html"))
    return written
