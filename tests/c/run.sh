#!/usr/bin/env bash
# Builds the C ABI test against include/eseal.h and runs it: with AddressSanitizer and
# UndefinedBehaviorSanitizer, comparing each report's JSON with `eseal verify --json`, then
# under valgrind for 1,000 make/sign/verify rounds with no leak allowed.
# Usage: tests/c/run.sh (from the repository root, after `cargo build --release` and
# `cargo build --release --example time_stamp_authority`, the test time stamp authority).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
vectors="${ESEAL_VECTORS:-$root/../shared/vectors}"
rounds="${ESEAL_C_ROUNDS:-1000}"
out="$root/target/c-test"
authority="${ESEAL_TSA:-$root/target/release/examples/time_stamp_authority}"
rm -rf "$out"
mkdir -p "$out/json" "$out/authority"
if [ ! -x "$authority" ]; then
    echo "c-test: $authority not found; run cargo build --release --example time_stamp_authority" >&2
    exit 1
fi

cflags=(-std=c11 -Wall -Wextra -Werror -g -I"$root/include")
libs=("$root/target/release/libeseal.a" -lpthread -ldl -lm)

echo "c-test: sanitizers"
gcc "${cflags[@]}" -fsanitize=address,undefined -fno-sanitize-recover=all \
    "$root/tests/c/eseal_test.c" "${libs[@]}" -o "$out/eseal_test_sanitized"
ASAN_OPTIONS=detect_leaks=1 "$out/eseal_test_sanitized" "$vectors" "$out/json" "$root" \
    "$authority" "$out/authority"

echo "c-test: JSON equals the eseal tool's"
for json in "$out"/json/ofd-*.json; do
    name=$(basename "$json" .json)
    "$root/target/release/eseal" verify "$vectors/ofd/${name#ofd-}.ofd" --json > "$out/cli.json" || true
    if ! cmp -s "$json" "$out/cli.json"; then
        echo "c-test: $name: the C report JSON differs from eseal verify --json" >&2
        diff "$json" "$out/cli.json" | head -20 >&2
        exit 1
    fi
    rm "$json"
done
for json in "$out"/json/*.json; do
    folder=$(basename "$json" .json)
    args=("$vectors/signatures/$folder/SignedValue.dat")
    if [ -f "$vectors/signatures/$folder/Signature.xml" ]; then
        args+=(--data "$vectors/signatures/$folder/Signature.xml")
    fi
    "$root/target/release/eseal" verify "${args[@]}" --json > "$out/cli.json" || true
    if ! cmp -s "$json" "$out/cli.json"; then
        echo "c-test: $folder: the C report JSON differs from eseal verify --json" >&2
        diff "$json" "$out/cli.json" | head -20 >&2
        exit 1
    fi
done

echo "c-test: valgrind, $rounds rounds"
gcc "${cflags[@]}" -O1 "$root/tests/c/eseal_test.c" "${libs[@]}" -o "$out/eseal_test_plain"
valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
    --error-exitcode=1 "$out/eseal_test_plain" "$vectors" --rounds "$rounds"
echo "c-test: passed"
