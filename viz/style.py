"""How each node type and relation looks, in one table shared by the page, its legend and the
Gephi export. Colours are from the Okabe–Ito and ColorBrewer palettes (readable for the common
colour-vision deficiencies); red is kept for negations, disputes and contested facts."""
from __future__ import annotations

# type -> (legend label, colour, vis-network shape)
NODE_STYLES: dict[str, tuple[str, str, str]] = {
    "Person": ("Person", "#E69F00", "dot"),
    "UnnamedSource": ("Unnamed source", "#999999", "dot"),
    "Speaker": ("Speaker as written", "#BBBBBB", "dot"),
    "Organization": ("Organization", "#56B4E9", "square"),
    "Company": ("Company", "#0072B2", "square"),
    "GovernmentBody": ("Government body", "#6A3D9A", "square"),
    "ResearchInstitution": ("Research institution", "#009E73", "square"),
    "Coalition": ("Coalition", "#80B1D3", "hexagon"),
    "Country": ("Country", "#CC79A7", "triangle"),
    "AIModel": ("AI model", "#F0E442", "star"),
    "Product": ("Product", "#B3DE69", "star"),
    "Policy": ("Policy", "#A6761D", "diamond"),
    "Regulation": ("Regulation", "#8C510A", "diamond"),
    "ExportControl": ("Export control", "#543005", "diamond"),
    "License": ("License", "#66A61E", "triangleDown"),
    "Claim": ("Claim (quote)", "#FFF2AE", "box"),
    "Event": ("Event", "#1B9E77", "hexagon"),
    "Article": ("Article (its own assertion)", "#DDDDDD", "square"),
}
FALLBACK_STYLE = ("Other", "#7F7F7F", "dot")

EDGE_COLOUR = "#8A8A8A"
SUPPORT_COLOUR = "#2CA02C"
CONFLICT_COLOUR = "#D62728"   # negated, disputes, contested


def node_style(type_: str) -> tuple[str, str, str]:
    """(legend label, colour, shape) of a node type."""
    return NODE_STYLES.get(type_, (type_,) + FALLBACK_STYLE[1:])


def hex_rgb(colour: str) -> tuple[int, int, int]:
    """``#RRGGBB`` -> (r, g, b)."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)
