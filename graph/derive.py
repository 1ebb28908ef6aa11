"""Cross-document links computed when documents are added: stance between claims and conflicts
between sources. (First version: nothing derived yet; see the knowledge-from-text issue.)"""
from __future__ import annotations

from policykg.graph.iris import IRIMinter


def refresh(store, minter: IRIMinter) -> None:
    """Recompute derived links for what changed."""
    return None
