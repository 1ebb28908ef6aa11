"""The policykg OWL ontology and SHACL shapes, shipped as package data."""
from importlib import resources

ONTOLOGY_FILE = "policykg.ttl"
SHAPES_FILE = "shapes.ttl"


def asset_text(name: str) -> str:
    """Return the text of an asset shipped in this package (e.g. ``policykg.ttl``)."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def ontology_text() -> str:
    """The ontology as Turtle."""
    return asset_text(ONTOLOGY_FILE)


def shapes_text() -> str:
    """The SHACL shapes as Turtle."""
    return asset_text(SHAPES_FILE)
