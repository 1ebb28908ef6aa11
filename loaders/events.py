"""Dated events. (Stub: filled by the knowledge-from-text issue.)"""
from __future__ import annotations

from policykg.loaders.context import TextContext
from policykg.loaders.records import Event


def extract_events(ctx: TextContext) -> list[Event]:
    """Events reported in the document, with dates as written and normalized."""
    return []
