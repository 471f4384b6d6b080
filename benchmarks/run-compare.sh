#!/usr/bin/env bash
# Builds everything, then runs the end-to-end comparison; arguments go to Compare (try --help).
# Example: benchmarks/run-compare.sh --out benchmarks/target/compare.md
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q install -DskipTests
exec mvn -q -pl benchmarks exec:java@compare -Dexec.args="$*"
