"""The reference entity file: names, aliases, types and stable facts of well-known entities."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from policykg.errors import ReferenceDataError
from policykg.ontology.terms import ENTITY_CLASSES

REFERENCE_FILE = "reference.yaml"
CATEGORIES = ("person", "org", "place", "model", "product", "policy", "license", "source")
_KEY = re.compile(r"(?:%s)/[a-z0-9]+(?:-[a-z0-9]+)*" % "|".join(CATEGORIES))
_FIELDS = {"key", "label", "type", "aliases", "country", "wikidata", "demonyms"}


@dataclass(frozen=True)
class ReferenceEntry:
    key: str
    label: str
    type: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    wikidata: str | None = None
    # Adjectives/demonyms ("Chinese") that mention the entity without naming it; countries only.
    demonyms: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class ReferenceData:
    """All reference entries. ``ReferenceData((), "")`` is valid: no reference knowledge."""

    entries: tuple[ReferenceEntry, ...] = ()
    digest: str = ""                 # sha256 of the file text, part of the rules hash

    def by_key(self, key: str) -> ReferenceEntry | None:
        """The entry with this key, or None."""
        return self._index().get(key)

    def _index(self) -> dict[str, ReferenceEntry]:
        # Frozen dataclass: keep the lazily built index outside the fields.
        idx = self.__dict__.get("_by_key")
        if idx is None:
            idx = {e.key: e for e in self.entries}
            object.__setattr__(self, "_by_key", idx)
        return idx


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
    seen: set[str] = set()
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not {"key", "label", "type"} <= item.keys():
            raise ReferenceDataError(f"{source}: entity #{i + 1} needs key, label and type")
        key = str(item["key"])
        if not _KEY.fullmatch(key):
            raise ReferenceDataError(f"{source}: entity key {key!r} is not category/slug "
                                     f"(categories: {', '.join(CATEGORIES)}; slug: a-z, 0-9, -)")
        if key in seen:
            raise ReferenceDataError(f"{source}: entity key {key!r} appears twice")
        seen.add(key)
        if item["type"] not in ENTITY_CLASSES:
            raise ReferenceDataError(f"{source}: entity {key!r} has unknown type {item['type']!r}")
        unknown = set(item) - _FIELDS
        if unknown:
            raise ReferenceDataError(f"{source}: entity {key!r} has unknown field(s) {', '.join(sorted(unknown))}")
        for field_name in ("aliases", "demonyms"):
            value = item.get(field_name) or []
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise ReferenceDataError(f"{source}: entity {key!r}: {field_name} must be a list of names")
        wikidata = item.get("wikidata")
        if wikidata is not None and not re.fullmatch(r"Q[1-9][0-9]*", str(wikidata)):
            raise ReferenceDataError(f"{source}: entity {key!r}: wikidata must look like Q123")
        entries.append(ReferenceEntry(
            key=key, label=str(item["label"]), type=str(item["type"]),
            aliases=tuple(str(a) for a in item.get("aliases") or ()),
            country=item.get("country"), wikidata=str(wikidata) if wikidata else None,
            demonyms=tuple(str(a) for a in item.get("demonyms") or ())))
    keys = {e.key for e in entries}
    for e in entries:
        if e.country is not None and e.country not in keys:
            raise ReferenceDataError(f"{source}: entity {e.key!r}: country {e.country!r} is not a key in the file")
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
