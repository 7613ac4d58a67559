fn main() {
    for dir in std::env::args().skip(1) {
        let bytes = std::fs::read(format!("{dir}/SignedValue.dat")).unwrap();
        let data = std::fs::read(format!("{dir}/Signature.xml")).ok();
        match eseal::signature::Signature::from_der(&bytes) {
            Ok(sig) => {
                let d = match &data { Some(d) => eseal::verify::SignedData::Bytes(d), None => eseal::verify::SignedData::Absent };
                let r = eseal::verify::verify_signature(&sig, d, &Default::default());
                println!("== {dir}: valid={} sig={} hash={:?} inlist={} reenc={}", r.valid, r.signature_valid, r.data_hash_valid, r.signer_in_cert_list, sig.to_der().unwrap() == bytes);
                for c in &r.checks { if c.status != eseal::report::CheckStatus::Passed { println!("   {} {:?} {}", c.name, c.status, c.message); } }
                for f in &r.findings { println!("   F {f}"); }
            }
            Err(e) => println!("{dir}: ERROR {e}"),
        }
    }
}
