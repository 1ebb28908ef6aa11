"""The one exception tree of policykg. The CLI turns these into one-line messages."""
from __future__ import annotations


class PolicyKGError(Exception):
    """Base of every error policykg raises on purpose."""

    exit_code = 1


class DocumentError(PolicyKGError):
    """A document could not be read or extracted. Names the file and the problem."""

    def __init__(self, source: str, problem: str):
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class ReferenceDataError(PolicyKGError):
    """The reference entity file is malformed."""


class StoreError(PolicyKGError):
    """The store cannot be opened or written (in use, corrupt, unreachable)."""


class StoreInUseError(StoreError):
    """Another policykg process holds the store."""


class QueryError(PolicyKGError):
    """A query is unknown, malformed, timed out, or got a bad parameter."""


class ValidationFailed(PolicyKGError):
    """The graph does not conform (OWL inconsistency or SHACL violations)."""

    def __init__(self, report: str):
        super().__init__(report)
        self.report = report


class UsageError(PolicyKGError):
    """The user asked for something that cannot be done as asked."""

    exit_code = 2
