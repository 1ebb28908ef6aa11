"""The reference entity file: names, aliases, types and stable facts of well-known entities."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from policykg.errors import ReferenceDataError
from policykg.ontology.terms import ENTITY_CLASSES

REFERENCE_FILE = "reference.yaml"


@dataclass(frozen=True)
class ReferenceEntry:
    key: str
    label: str
    type: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    wikidata: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class ReferenceData:
    entries: tuple[ReferenceEntry, ...]
    digest: str                      # sha256 of the file text, part of the rules hash

    def by_key(self, key: str) -> ReferenceEntry | None:
        for e in self.entries:
            if e.key == key:
                return e
        return None


def parse_reference(text: str, source: str = REFERENCE_FILE) -> ReferenceData:
    """Parse reference YAML text (``entities: [{key, label, type, aliases, country, wikidata}]``)."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ReferenceDataError(f"{source}: not valid YAML ({exc})") from exc
    items = data.get("entities", []) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ReferenceDataError(f"{source}: expected a mapping with an 'entities' list")
    entries = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not {"key", "label", "type"} <= item.keys():
            raise ReferenceDataError(f"{source}: entity #{i + 1} needs key, label and type")
        if item["type"] not in ENTITY_CLASSES:
            raise ReferenceDataError(f"{source}: entity {item['key']!r} has unknown type {item['type']!r}")
        entries.append(ReferenceEntry(
            key=str(item["key"]), label=str(item["label"]), type=str(item["type"]),
            aliases=tuple(str(a) for a in item.get("aliases") or ()),
            country=item.get("country"), wikidata=item.get("wikidata")))
    return ReferenceData(tuple(entries), hashlib.sha256(text.encode()).hexdigest())


@lru_cache(maxsize=8)
def load_reference(path: str | None = None) -> ReferenceData:
    """Load the bundled reference file, or the one at ``path``."""
    if path is None:
        text = resources.files(__package__).joinpath(REFERENCE_FILE).read_text(encoding="utf-8")
        return parse_reference(text)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ReferenceDataError(f"{path}: cannot read ({exc.strerror})") from exc
    return parse_reference(text, path)
