#!/usr/bin/env bash
# Measures time and peak memory of signing and verifying a 200 MiB OFD document with the
# release build of eseal. The document is ofdrw-hello.ofd without its signature plus a
# 200 MiB incompressible resource. Needs python3 and /usr/bin/time (Debian package "time").
# Usage: benches/ofd-memory.sh (from the repository root, after cargo build --release).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
vectors="${ESEAL_VECTORS:-$root/../shared/vectors}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$vectors/ofd/ofdrw-hello.ofd" "$work/unsigned.ofd" <<'PY'
import random, sys, zipfile
source, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
    for info in src.infolist():
        if "Signs" in info.filename or info.is_dir():
            continue
        data = src.read(info.filename)
        if info.filename == "OFD.xml":
            data = data.replace(b"<ofd:Signatures>/Doc_0/Signs/Signatures.xml</ofd:Signatures>", b"")
        out.writestr(info.filename, data)
    block = random.Random(1).randbytes(1 << 20)
    with out.open("Doc_0/Res/scan.bin", "w", force_zip64=True) as resource:
        for i in range(200):
            resource.write(block[i:] + block[:i])
PY

eseal="$root/target/release/eseal"
ls -l "$work/unsigned.ofd"
/usr/bin/time -f "sign:   %e s, peak RSS %M KiB" "$eseal" sign "$work/unsigned.ofd" \
    --seal "$vectors/seals/UserV4.esl" --key "$vectors/keys/USER.key.pem" \
    --cert "$vectors/keys/USER.cert.pem" --page 1 --at 100,150 --time 2021-06-01 \
    --out "$work/signed.ofd" > /dev/null
/usr/bin/time -f "verify: %e s, peak RSS %M KiB" "$eseal" verify "$work/signed.ofd" > /dev/null
