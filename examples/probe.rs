fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap();
        match eseal::seal::Seal::from_der(&bytes) {
            Ok(seal) => {
                let re = seal.to_der().unwrap();
                let cert = seal.maker_certificate();
                let ok = cert.as_ref().ok().and_then(|c| c.public_key().ok()).map(|pk| {
                    let mut f = Vec::new();
                    let sig = eseal::crypto::SignatureValue::decode(&seal.signed_value, "x", 0, &mut f).unwrap();
                    pk.verify(eseal::crypto::DEFAULT_SM2_ID, &seal.signed_message(), &sig)
                });
                println!("{path}: {:?} {} roundtrip={} maker_ok={:?} cert={:?} findings={:?}", seal.version, seal.info.es_id, re == bytes, ok, cert.map(|c| c.subject()).map_err(|e| e.to_string()), seal.findings().iter().map(|f| f.to_string()).collect::<Vec<_>>());
            }
            Err(e) => println!("{path}: ERROR {e}"),
        }
    }
}
