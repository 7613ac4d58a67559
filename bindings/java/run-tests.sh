#!/usr/bin/env bash
# Compiles the Java binding and runs its JUnit 5 tests against target/release/libeseal.so,
# using the Debian packages of JNA and JUnit 5 (no Maven repository needed).
#
# Run after `cargo build --release`, from any directory; CI calls it from the repository root.
# Builds the test time stamp authority (examples/time_stamp_authority.rs) when it is missing.
# Installs libjna-java and junit5 with apt-get when they are missing (needs root or sudo).
# Reads the vectors from $ESEAL_VECTORS (default: ../shared/vectors beside the repository) and
# the command-line tool from $ESEAL_CLI (default: target/release/eseal).
# Exits non-zero when compiling fails or any test fails.
set -euo pipefail

cd "$(dirname "$0")/../.."
root=$(pwd)

library_dir="$root/target/release"
if [ ! -f "$library_dir/libeseal.so" ] || [ ! -x "$library_dir/eseal" ]; then
    echo "run-tests: $library_dir/libeseal.so or $library_dir/eseal is missing;" \
        "run 'cargo build --release' first" >&2
    exit 1
fi

export ESEAL_VECTORS="${ESEAL_VECTORS:-$root/../shared/vectors}"
export ESEAL_CLI="${ESEAL_CLI:-$library_dir/eseal}"
# The test time stamp authority that the time stamp tests call.
export ESEAL_TSA="${ESEAL_TSA:-$library_dir/examples/time_stamp_authority}"
if [ ! -x "$ESEAL_TSA" ]; then
    echo "run-tests: building the test time stamp authority"
    cargo build --release --locked --example time_stamp_authority
fi

# Debian packages: JNA, JUnit 5 with its console launcher, and a JDK when none is installed.
jars=/usr/share/java
launcher="$jars/junit-platform-console-standalone.jar"
missing=()
[ -f "$jars/jna.jar" ] || missing+=(libjna-java)
[ -f "$launcher" ] || missing+=(junit5)
command -v javac >/dev/null || missing+=(default-jdk-headless)
if [ ${#missing[@]} -gt 0 ]; then
    echo "run-tests: installing ${missing[*]}"
    sudo_cmd=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null; then
            echo "run-tests: installing ${missing[*]} needs root; run as root or install" \
                "them first" >&2
            exit 1
        fi
        sudo_cmd=(sudo)
    fi
    "${sudo_cmd[@]}" apt-get update -q
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The standalone launcher bundles the JUnit API, engine and their dependencies, so it is also
# the test compile classpath.
out="$root/target/java"
rm -rf "$out/classes" "$out/test-classes" "$out/examples" "$out/test-reports"
mkdir -p "$out/classes" "$out/test-classes"

echo "run-tests: compiling main sources (javac --release 8)"
find "$root/bindings/java/src/main/java" -name '*.java' > "$out/main-sources.txt"
javac --release 8 -encoding UTF-8 -Xlint:all -Werror \
    -cp "$jars/jna.jar" -d "$out/classes" @"$out/main-sources.txt"

echo "run-tests: compiling test sources (javac --release 8)"
find "$root/bindings/java/src/test/java" -name '*.java' > "$out/test-sources.txt"
javac --release 8 -encoding UTF-8 -Xlint:all -Werror \
    -cp "$out/classes:$jars/jna.jar:$launcher" -d "$out/test-classes" @"$out/test-sources.txt"

echo "run-tests: compiling the examples"
mkdir -p "$out/examples"
javac --release 8 -encoding UTF-8 -Xlint:all -Werror \
    -cp "$out/classes:$jars/jna.jar" -d "$out/examples" "$root"/bindings/java/examples/*.java

echo "run-tests: running the tests (vectors: $ESEAL_VECTORS, tool: $ESEAL_CLI)"
java -Djna.library.path="$library_dir" -jar "$launcher" \
    --disable-banner \
    --disable-ansi-colors \
    --details=tree \
    --fail-if-no-tests \
    --class-path "$out/classes:$out/test-classes:$jars/jna.jar" \
    --select-package cn.eseal \
    --reports-dir "$out/test-reports"
