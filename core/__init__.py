"""policykg: a provenance-aware knowledge graph of AI-governance news."""
__version__ = "0.1.0"
