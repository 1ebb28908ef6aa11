"""Attributed claims. (Stub: filled by the knowledge-from-text issue.)"""
from __future__ import annotations

from policykg.loaders.context import TextContext
from policykg.loaders.records import Claim


def extract_claims(ctx: TextContext) -> list[Claim]:
    """Claims made by identifiable sources in the document."""
    return []
