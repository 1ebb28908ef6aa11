"""Relations between entities from sentence patterns. (Stub: filled by the knowledge-from-text issue.)"""
from __future__ import annotations

from policykg.loaders.context import TextContext
from policykg.loaders.records import Fact


def extract_facts(ctx: TextContext) -> list[Fact]:
    """Relations and attributes found in the context's sentences."""
    return []
