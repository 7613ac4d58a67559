#!/usr/bin/env bash
# Runs every test of the project: the Rust tests, then the C ABI, Python and Java tests against
# the release build. Run from anywhere; needs the vectors at $ESEAL_VECTORS or ../shared/vectors.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export ESEAL_VECTORS="${ESEAL_VECTORS:-$root/../shared/vectors}"

echo "tests: cargo test"
cargo test --locked

echo "tests: release build for the C, Python and Java tests"
cargo build --release --locked
cargo build --release --locked --example time_stamp_authority

echo "tests: C ABI"
bash tests/c/run.sh

for binding in python java; do
    if [ -f "bindings/$binding/run-tests.sh" ]; then
        echo "tests: $binding binding"
        bash "bindings/$binding/run-tests.sh"
    fi
done
echo "tests: all passed"
