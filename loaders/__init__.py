"""Loaders: documents in, plain extraction records out (no RDF here)."""
