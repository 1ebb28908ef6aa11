#!/bin/sh
# Freeze a commit (default HEAD) for a benchmark run: git archive into a temp folder, laid out as
# the installed package (core/ -> policykg/, graph/ -> policykg/graph/, ...), with the commit id in
# COMMIT (machine_info reports it). Prints the folder; run with PYTHONPATH set to it, e.g.
#   SNAP=$(sh benchmarks/snapshot.sh) && cd $SNAP && PYTHONPATH=$SNAP nohup python -m benchmarks ... &
set -eu
REV=${1:-HEAD}
ROOT=$(git rev-parse --show-toplevel)
SNAP=${SNAP:-/tmp/pkg-snap-$(git -C "$ROOT" rev-parse --short "$REV")}
rm -rf "$SNAP"
mkdir -p "$SNAP/raw" "$SNAP/policykg"
git -C "$ROOT" archive "$REV" | tar -x -C "$SNAP/raw"
cp -r "$SNAP/raw/core/." "$SNAP/policykg/"
for p in ontology graph loaders queries viz; do cp -r "$SNAP/raw/$p" "$SNAP/policykg/$p"; done
cp -r "$SNAP/raw/benchmarks" "$SNAP/raw/tests" "$SNAP/raw/corpus" "$SNAP/raw/pyproject.toml" "$SNAP/"
git -C "$ROOT" rev-parse "$REV" > "$SNAP/COMMIT"
echo "$SNAP"
