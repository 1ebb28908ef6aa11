"""Generators of hostile and synthetic inputs for the hardening tests (nothing binary is committed)."""
