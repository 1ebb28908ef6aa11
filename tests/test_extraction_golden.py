"""Regression guard: extraction output equals the committed snapshot ``tests/golden/extraction.json``.

The snapshot is not a gold standard (``tests/test_annotated_eval.py`` measures quality); it pins what
the rules produce today so that refactoring and speed work cannot change output unnoticed. When a
rule change is meant to change output, regenerate it with ``python tests/golden_extraction.py --write``
and review the diff of the JSON before committing.
"""
from __future__ import annotations

import json

from golden_extraction import SNAPSHOT, dumps, snapshot


def test_extraction_matches_snapshot():
    want = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    got = json.loads(dumps(snapshot()))
    assert sorted(got) == sorted(want), "documents differ from the snapshot"
    for name in sorted(want):
        for part in ("document", "entities", "mentions", "facts", "claims", "events"):
            assert got[name][part] == want[name][part], f"{name}: {part} differ from the snapshot"
