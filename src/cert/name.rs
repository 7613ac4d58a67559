//! RFC 4514 strings of certificate names, as x509-cert's `Display` writes them.
//!
//! x509-cert finds an attribute's short name by scanning the whole `const-oid` database, once
//! per attribute, which costs several microseconds per certificate name, and a verification
//! report names its certificates. Here the attributes that certificates use are looked up
//! once per process; other attributes still go through the database. The output is the same;
//! a test compares the two.

use std::fmt::Write as _;
use std::sync::OnceLock;

use der::asn1::{Ia5StringRef, PrintableStringRef, TeletexStringRef, Utf8StringRef};
use der::oid::db::DB;
use der::{Encode, Tag, Tagged};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::Name;

use der::asn1::ObjectIdentifier;

/// Attribute types of the names in seal makers' and signers' certificates.
const COMMON: [ObjectIdentifier; 12] = [
    ObjectIdentifier::new_unwrap("2.5.4.3"),
    ObjectIdentifier::new_unwrap("2.5.4.6"),
    ObjectIdentifier::new_unwrap("2.5.4.7"),
    ObjectIdentifier::new_unwrap("2.5.4.8"),
    ObjectIdentifier::new_unwrap("2.5.4.9"),
    ObjectIdentifier::new_unwrap("2.5.4.10"),
    ObjectIdentifier::new_unwrap("2.5.4.11"),
    ObjectIdentifier::new_unwrap("2.5.4.5"),
    ObjectIdentifier::new_unwrap("2.5.4.12"),
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.1"),
    ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.25"),
    ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.1"),
];

/// Returns the upper-case short name of an attribute type: the shortest of its names in the
/// database, the first of them when several are as short.
fn short_name(oid: &ObjectIdentifier) -> Option<String> {
    static NAMES: OnceLock<Vec<Option<String>>> = OnceLock::new();
    match COMMON.iter().position(|common| common == oid) {
        Some(index) => NAMES
            .get_or_init(|| COMMON.iter().map(lookup).collect())
            .get(index)
            .cloned()
            .flatten(),
        None => lookup(oid),
    }
}

fn lookup(oid: &ObjectIdentifier) -> Option<String> {
    DB.find_names_for_oid(*oid)
        .fold(None, |shortest: Option<&str>, name| match shortest {
            Some(shortest) if shortest.len() <= name.len() => Some(shortest),
            _ => Some(name),
        })
        .map(str::to_ascii_uppercase)
}

/// Writes `name` with the last RDN first, RDNs separated by `,` and the attributes of one
/// RDN by `+`.
pub(crate) fn to_rfc4514(name: &Name) -> String {
    let mut out = String::new();
    let rdns: Vec<_> = name.iter_rdn().collect();
    for (index, rdn) in rdns.iter().rev().enumerate() {
        if index > 0 {
            out.push(',');
        }
        for (position, attribute) in rdn.iter().enumerate() {
            if position > 0 {
                out.push('+');
            }
            write_attribute(&mut out, attribute);
        }
    }
    out
}

/// Writes `TYPE=value` with the characters RFC 4514 section 2.4 requires escaped, or, for an
/// unknown type or a value that is not a string, `OID=#` and the value's DER in hexadecimal.
fn write_attribute(out: &mut String, attribute: &AttributeTypeAndValue) {
    let value = &attribute.value;
    let text = match value.tag() {
        Tag::PrintableString => PrintableStringRef::try_from(value).ok().map(|s| s.as_str()),
        Tag::Utf8String => Utf8StringRef::try_from(value).ok().map(|s| s.as_str()),
        Tag::Ia5String => Ia5StringRef::try_from(value).ok().map(|s| s.as_str()),
        Tag::TeletexString => TeletexStringRef::try_from(value).ok().map(|s| s.as_str()),
        _ => None,
    };
    if let (Some(key), Some(text)) = (short_name(&attribute.oid), text) {
        out.push_str(&key);
        out.push('=');
        let last = text.chars().count().saturating_sub(1);
        for (index, c) in text.chars().enumerate() {
            match c {
                '#' if index == 0 => out.push_str("\\#"),
                ' ' if index == 0 || index == last => out.push_str("\\ "),
                '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                    out.push('\\');
                    out.push(c);
                }
                '\u{0}'..='\u{1f}' | '\u{7f}' => {
                    let _ = write!(out, "\\{:02x}", c as u32);
                }
                _ => out.push(c),
            }
        }
    } else {
        let _ = write!(out, "{}=#", attribute.oid);
        if let Ok(der) = value.to_der() {
            for byte in der {
                let _ = write!(out, "{byte:02x}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn same_as_x509_cert_display() {
        for text in [
            "CN=USER,OU=IT,O=Example,L=Haidian,ST=Beijing,C=CN",
            "CN=\\#hash\\ ,O=a\\,b+OU=c\\+d,C=CN",
            "CN=\\ lead,SERIALNUMBER=123,STREET=x\\;y,TITLE=t",
            "UID=u,DC=example,DC=com",
            "CN=张三,O=某大学,C=CN",
            "EMAILADDRESS=a@example.com,CN=x\\\"y\\<z\\>",
            "2.5.4.65=#0c0170,CN=x",
        ] {
            let name = Name::from_str(text).expect(text);
            assert_eq!(to_rfc4514(&name), name.to_string(), "{text}");
        }
        assert_eq!(to_rfc4514(&Name::default()), "");
    }
}
