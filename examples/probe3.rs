fn main() {
    for dir in std::env::args().skip(1) {
        let bytes = std::fs::read(format!("{dir}/SignedValue.dat")).unwrap();
        let data = std::fs::read(format!("{dir}/Signature.xml")).ok();
        let sig = eseal::Signature::from_der(&bytes).unwrap();
        let d = match &data { Some(d) => eseal::SignedData::Bytes(d), None => eseal::SignedData::Absent };
        let r = eseal::verify_signature(&sig, d, &Default::default());
        let codes: Vec<_> = r.findings.iter().map(|f| f.code.as_str()).collect();
        let failed: Vec<_> = r.checks.iter().filter(|c| c.status == eseal::report::CheckStatus::Failed).map(|c| c.name).collect();
        println!("{dir} {:?} es_id={} seal={:?} time={} codes={codes:?} failed={failed:?}", sig.version, r.seal.es_id, r.seal.version, r.signing_time);
    }
}
