"""`policykg conflicts`: where sources disagree, with the words on each side."""
from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    from policykg.cli import emit, format_option

    @cli.command()
    @click.option("--kind", type=click.Choice(["date", "duration", "actor", "dispute", "yes-no"]),
                  help="Only conflicts of this kind.")
    @format_option
    @click.pass_obj
    def conflicts(obj, kind, fmt):
        """Where sources disagree: dates, durations, actors, disputed claims, yes/no contradictions.

        Conflicts are computed when documents are added, so this is a lookup.
        """
        from policykg.graph.conflicts import list_conflicts
        rows = list_conflicts(obj.store(), kind=kind)
        cols = ["kind", "about", "value", "quote", "article"]
        emit(cols, [[r[c] for c in cols] for r in rows], fmt)
