#!/usr/bin/env bash
# Test the Python binding against the release build of the eseal library.
#
# Run from anywhere after `cargo build --release`; builds the test time stamp authority
# (examples/time_stamp_authority.rs) when it is missing. Creates (or reuses) a virtual environment
# in target/python-venv, installs cffi, pytest and this package, and runs pytest on
# bindings/python/tests. Vectors come from $ESEAL_VECTORS, by default shared/vectors beside
# the repository. Exits non-zero when anything fails.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

library="$root/target/release/libeseal.so"
cli="$root/target/release/eseal"
authority="${ESEAL_TSA:-$root/target/release/examples/time_stamp_authority}"
for built in "$library" "$cli"; do
    if [ ! -f "$built" ]; then
        echo "run-tests: $built not found. Run \`cargo build --release\` first" >&2
        exit 1
    fi
done
# The test time stamp authority that the time stamp tests call.
if [ ! -x "$authority" ]; then
    echo "run-tests: building the test time stamp authority"
    cargo build --release --locked --example time_stamp_authority
fi

venv="$root/target/python-venv"
if [ ! -x "$venv/bin/python" ]; then
    echo "run-tests: creating $venv"
    python3 -m venv "$venv"
fi

echo "run-tests: installing cffi, pytest and the eseal package"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "cffi>=1.15" "pytest>=7"
# A regular (not editable) install, so the tests import the package as users get it.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall \
    --no-deps "$root/bindings/python"

export ESEAL_LIBRARY="$library"
export ESEAL_CLI="$cli"
export ESEAL_TSA="$authority"
export ESEAL_VECTORS="${ESEAL_VECTORS:-$root/../shared/vectors}"

echo "run-tests: pytest (library $ESEAL_LIBRARY, vectors $ESEAL_VECTORS)"
# Run from the tests folder so that `import eseal` finds the installed package, not the
# source folder.
cd "$root/bindings/python/tests"
"$venv/bin/python" -m pytest -p no:cacheprovider "$@" .
