"""Performance and scale benchmarks for policykg: synthetic and recombined corpora at any size,
build / query / export / incremental measurements side by side with rdflib and raw pyoxigraph.

Run ``python -m benchmarks --sizes 100,1000 --out bench-out``; see ``benchmarks/README.md``.
"""
