#!/usr/bin/env bash
# Compares eseal's SM2 signing, SM2 verification and SM3 speed with OpenSSL's libcrypto (Debian's
# libssl-dev) and, when GMSSL_DIR names a GmSSL 3 build with include/ and lib/, with GmSSL's.
# GMSSL_PLAIN_DIR may name a second GmSSL build, such as one configured with
# -DENABLE_SM3_SSE=OFF, which appears as the column "GmSSL plain C". ESEAL_BASELINE may name
# the speed example built from another eseal commit, which appears as "eseal baseline". The
# RustCrypto sm2 and sm3 crates (examples/speed.rs --rustcrypto) always run, and BouncyCastle
# (BouncyCastleBench.java) runs when Debian's libbcprov-java and a JDK are installed.
# It builds examples/speed.rs and the C programs beside this script into target/compare. Then it
# runs them in turn for ROUNDS rounds (eseal, OpenSSL[, GmSSL ...], eseal, ...), on CPU 0 when
# taskset works. Last it prints the median of each rate and the ratios of eseal to each other
# program, where a ratio above 1 means eseal is faster. It does so twice: per wall-clock
# second, and per CPU second of the measuring thread, which leaves out time spent waiting while
# other processes run. The key is USER.key.pem of the vectors. eseal also measures full
# GB/T 38540 signature verification (see examples/speed.rs), which is printed last with its
# ratio to each program's SM2 verification.
# Usage: benches/compare/run.sh [ROUNDS [SECONDS]]   (defaults: 5 rounds, 2 s per measurement)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
vectors="${ESEAL_VECTORS:-$root/../shared/vectors}"
key="$vectors/keys/USER.key.pem"
rounds="${1:-5}"
seconds="${2:-2}"
out="$root/target/compare"

if [ ! -r "$key" ]; then
    echo "run.sh: $key not found; set ESEAL_VECTORS to the vectors folder" >&2
    exit 2
fi
if ! echo '#include <openssl/evp.h>' | cc -E - > /dev/null 2>&1; then
    echo "run.sh: the OpenSSL headers are missing; install them with: apt-get install libssl-dev" >&2
    exit 2
fi
mkdir -p "$out"

echo "Building examples/speed.rs and the C programs"
cargo build --release --quiet --example speed --manifest-path "$root/Cargo.toml"
names=(eseal OpenSSL)
programs=("$root/target/release/examples/speed" "$out/openssl_bench")
cc -O2 -Wall -Wextra -o "$out/openssl_bench" "$here/openssl_bench.c" -lcrypto

# Builds gmssl_bench.c against the GmSSL build in $3 as $out/$2 and adds it as column $1.
# $4 is the variable that names the build, for the messages.
add_gmssl() {
    local name=$1 program=$2 gmssl_dir=$3 variable=$4
    if [ -z "$gmssl_dir" ]; then
        echo "$name skipped: $variable is not set"
    elif [ ! -f "$gmssl_dir/include/gmssl/sm2.h" ] || [ ! -d "$gmssl_dir/lib" ]; then
        echo "$name skipped: $gmssl_dir has no include/gmssl/sm2.h or no lib/"
    else
        cc -O2 -Wall -Wextra -I"$gmssl_dir/include" -o "$out/$program" "$here/gmssl_bench.c" \
            -L"$gmssl_dir/lib" -Wl,-rpath,"$gmssl_dir/lib" -lgmssl
        names+=("$name")
        programs+=("$out/$program")
    fi
}
add_gmssl GmSSL gmssl_bench "${GMSSL_DIR:-}" GMSSL_DIR
add_gmssl "GmSSL plain C" gmssl_plain_bench "${GMSSL_PLAIN_DIR:-}" GMSSL_PLAIN_DIR

# Writes a script $1 that runs the rest of the arguments followed by KEY and SECONDS, so that
# every column is a program that takes KEY and SECONDS.
wrapper() {
    local script=$1
    shift
    printf '#!/bin/sh\nexec' > "$script"
    printf ' "%s"' "$@" >> "$script"
    printf ' "$@"\n' >> "$script"
    chmod +x "$script"
}

# The RustCrypto sm2 and sm3 crates, through the same example with --rustcrypto.
wrapper "$out/rustcrypto_bench" "$root/target/release/examples/speed" --rustcrypto
names+=(RustCrypto)
programs+=("$out/rustcrypto_bench")

# BouncyCastle from Debian's libbcprov-java, when it and a JDK are installed.
bcprov=/usr/share/java/bcprov.jar
if [ ! -r "$bcprov" ]; then
    echo "BouncyCastle skipped: $bcprov is missing; install it with: apt-get install libbcprov-java"
elif ! command -v javac > /dev/null || ! command -v java > /dev/null; then
    echo "BouncyCastle skipped: javac or java is missing"
else
    mkdir -p "$out/bouncycastle"
    javac -cp "$bcprov" -d "$out/bouncycastle" "$here/BouncyCastleBench.java"
    wrapper "$out/bouncycastle_bench" java -cp "$out/bouncycastle:$bcprov" BouncyCastleBench
    names+=(BouncyCastle)
    programs+=("$out/bouncycastle_bench")
fi

baseline="${ESEAL_BASELINE:-}"
if [ -n "$baseline" ]; then
    if [ ! -x "$baseline" ]; then
        echo "run.sh: ESEAL_BASELINE=$baseline is not an executable file" >&2
        exit 2
    fi
    names+=("eseal baseline")
    programs+=("$baseline")
fi

pin=()
if command -v taskset > /dev/null && taskset -c 0 true 2> /dev/null; then
    pin=(taskset -c 0)
    echo "Pinned to CPU 0 with taskset"
else
    echo "Not pinned: taskset is missing or does not work here"
fi

echo "CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(nproc) cores"
echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$rounds rounds, $seconds s per measurement"

results="$out/results.txt"
: > "$results"
for round in $(seq 1 "$rounds"); do
    for i in "${!names[@]}"; do
        output=$("${pin[@]}" "${programs[$i]}" "$key" "$seconds")
        if [ "$round" -eq 1 ]; then
            echo "${names[$i]}: $(grep '^#' <<< "$output" | sed 's/^# //')"
        fi
        # Input lines: "metric WALL unit cpu CPU unit". Output: "program round metric unit WALL CPU",
        # with spaces in the program name written as underscores.
        grep -v '^#' <<< "$output" | awk -v name="${names[$i]// /_}" -v round="$round" \
            '{ print name, round, $1, $3, $2, $5 }' >> "$results"
    done
    echo "round $round done"
done
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Raw results (program round metric unit wall-clock-rate CPU-time-rate): $results"

# Prints the median, minimum and maximum of one program's metric over the rounds, from the
# results column given as $3 (5: per wall-clock second, 6: per CPU second).
statistics() {
    awk -v name="$1" -v metric="$2" -v column="$3" \
        '$1 == name && $3 == metric { print $column }' "$results" |
        sort -g |
        awk '{ v[NR] = $1 }
             END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
                   printf "%.1f %.1f %.1f\n", m, v[1], v[NR] }'
}

# Prints the medians with the ratios eseal/other, then the minimum and maximum of each rate.
print_tables() {
    local column=$1 title=$2
    local header line spread="" metric unit name i median low high
    local -a medians

    echo
    echo "Medians of $rounds rounds, $title"
    header=$(printf '%-12s %-6s' metric unit)
    for name in "${names[@]}"; do
        header+=$(printf ' %14s' "$name")
    done
    for name in "${names[@]:1}"; do
        header+=$(printf ' %20s' "eseal/$name")
    done
    echo "$header"
    for metric in sm2_sign sm2_verify sm3_1MiB; do
        unit=$(awk -v metric="$metric" '$3 == metric { print $4; exit }' "$results")
        line=$(printf '%-12s %-6s' "$metric" "$unit")
        medians=()
        spread+=$(printf '%-12s' "$metric")
        for name in "${names[@]}"; do
            read -r median low high <<< "$(statistics "${name// /_}" "$metric" "$column")"
            medians+=("$median")
            line+=$(printf ' %14s' "$median")
            spread+=$(printf ' %21s' "$low..$high")
        done
        spread+=$'\n'
        for i in "${!medians[@]}"; do
            [ "$i" -eq 0 ] && continue
            line+=$(awk -v a="${medians[0]}" -v b="${medians[$i]}" 'BEGIN { printf " %20.2f", a / b }')
        done
        echo "$line"
    done

    echo "Minimum..maximum over the rounds, $title"
    header=$(printf '%-12s' metric)
    for name in "${names[@]}"; do
        header+=$(printf ' %21s' "$name")
    done
    echo "$header"
    printf '%s' "$spread"
}

# Prints eseal's full signature verification rates (which only eseal measures) and their
# ratios to each program's SM2 verification rate.
print_full_verification() {
    local column=$1 title=$2
    local header line metric name median low high other
    if ! awk '$3 ~ /^full_verify_/ { found = 1 } END { exit !found }' "$results"; then
        echo
        echo "Full signature verification skipped: the key is not in the vectors' keys folder"
        return
    fi
    echo
    echo "eseal full signature verification, medians of $rounds rounds, $title,"
    echo "and their ratio to each program's SM2 verification"
    header=$(printf '%-28s %12s %21s' metric median minimum..maximum)
    for name in "${names[@]}"; do
        header+=$(printf ' %14s' "/$name")
    done
    echo "$header"
    for metric in full_verify_alone full_verify_distinct_seals full_verify_same_seal; do
        read -r median low high <<< "$(statistics eseal "$metric" "$column")"
        line=$(printf '%-28s %12s %21s' "$metric" "$median" "$low..$high")
        for name in "${names[@]}"; do
            read -r other _ _ <<< "$(statistics "${name// /_}" sm2_verify "$column")"
            line+=$(awk -v a="$median" -v b="$other" 'BEGIN { printf " %14.2f", a / b }')
        done
        echo "$line"
    done
}

print_tables 5 "rates per wall-clock second"
print_tables 6 "rates per CPU second of the measuring thread"
print_full_verification 5 "per wall-clock second"
print_full_verification 6 "per CPU second of the measuring thread"
