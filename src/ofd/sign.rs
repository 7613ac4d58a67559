//! Adding a seal signature to an OFD document.
//!
//! The new signature is written as `Signs/Sign_N/` beside the document's other signatures:
//! Seal.esl (the seal), Signature.xml (SignedInfo with a Reference to every file of the
//! package, StampAnnots, and the path of SignedValue.dat) and SignedValue.dat (the
//! SES_Signature over the SM3 digest of Signature.xml). Signatures.xml is created or extended,
//! and OFD.xml names it when it did not. Every other entry is copied byte for byte, without
//! recompression.

use std::collections::BTreeMap;
use std::io::{Read, Seek, Write};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use super::OfdError;
use super::package::{Limits, Package, parent, resolve};
use super::xml;
use crate::cert::Certificate;
use crate::crypto::{PrivateKey, sm3};
use crate::error::Error;
use crate::seal::Seal;
use crate::sign::{SignatureBuilder, TimeStamper};
use crate::time::Time;

const OFD_NAMESPACE: &str = "http://www.ofdspec.org/2016";

/// Where the seal appears: a page and a box in millimetres, with an optional clip for one part
/// of a riding seal (骑缝章).
#[derive(Debug, Clone, PartialEq)]
pub struct StampPlacement {
    /// Page number, counting from 1 in the order of Document.xml.
    pub page: usize,
    /// The seal's box on the page: x, y, width, height in millimetres.
    pub boundary: [f64; 4],
    /// The visible part of the seal, relative to its box: x, y, width, height in millimetres.
    pub clip: Option<[f64; 4]>,
}

impl StampPlacement {
    /// Places the whole seal on one page.
    pub fn new(page: usize, x: f64, y: f64, width: f64, height: f64) -> Self {
        Self {
            page,
            boundary: [x, y, width, height],
            clip: None,
        }
    }

    /// Splits a riding seal across `pages` (first to last, inclusive) at the right edge of
    /// pages `page_width` millimetres wide: page k of n shows the k-th vertical slice of the
    /// seal, flush with the edge, so that the slices join when the pages are fanned out.
    pub fn riding(
        pages: std::ops::RangeInclusive<usize>,
        page_width: f64,
        y: f64,
        width: f64,
        height: f64,
    ) -> Vec<Self> {
        let count = pages.clone().count().max(1) as f64;
        let slice = width / count;
        pages
            .enumerate()
            .map(|(k, page)| {
                let k = k as f64;
                Self {
                    page,
                    boundary: [page_width - slice * (k + 1.0), y, width, height],
                    clip: Some([slice * k, 0.0, slice, height]),
                }
            })
            .collect()
    }
}

/// Options of an OFD signature.
#[derive(Debug, Clone)]
pub struct OfdSignOptions {
    /// The signing time; the current time when `None`.
    pub time: Option<Time>,
    /// Where the seal appears; at least one placement.
    pub placements: Vec<StampPlacement>,
    /// Also protect Signatures.xml. Later signatures then invalidate this one, so leave it
    /// `false` unless this is the last signature the document will get.
    pub protect_signature_list: bool,
    /// SignedInfo Provider `ProviderName`.
    pub provider_name: String,
    /// SignedInfo Provider `Company`.
    pub provider_company: String,
}

impl Default for OfdSignOptions {
    fn default() -> Self {
        Self {
            time: None,
            placements: Vec::new(),
            protect_signature_list: false,
            provider_name: "eseal".into(),
            provider_company: "eseal".into(),
        }
    }
}

/// The signature that signing added to the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfdSignOutcome {
    /// The new signature's ID in Signatures.xml.
    pub id: String,
    /// The package path of its Signature.xml, with a leading `/`.
    pub signature_path: String,
    /// Number of files its References protect.
    pub references: usize,
}

/// Adds a seal signature to the OFD document read from `input` and writes the signed document
/// to `output`.
///
/// The seal, key and certificate are checked as [`SignatureBuilder`] checks them, so a
/// signature a verifier would reject is never written.
pub fn sign_ofd<R: Read + Seek, W: Write + Seek>(
    input: R,
    output: W,
    seal: &Seal,
    key: &PrivateKey,
    cert: &Certificate,
    options: &OfdSignOptions,
) -> Result<OfdSignOutcome, Error> {
    sign_ofd_inner(input, output, seal, key, cert, options, None)
}

/// Signs like [`sign_ofd`] and adds a time stamp from `stamper` (the application's time stamp
/// service) to the new SES_Signature, as [`SignatureBuilder::time_stamp_with`] does. The token
/// is checked to cover the signature value before anything is written.
pub fn sign_ofd_with_time_stamp<R: Read + Seek, W: Write + Seek>(
    input: R,
    output: W,
    seal: &Seal,
    key: &PrivateKey,
    cert: &Certificate,
    options: &OfdSignOptions,
    stamper: &TimeStamper<'_>,
) -> Result<OfdSignOutcome, Error> {
    sign_ofd_inner(input, output, seal, key, cert, options, Some(stamper))
}

fn sign_ofd_inner<R: Read + Seek, W: Write + Seek>(
    input: R,
    output: W,
    seal: &Seal,
    key: &PrivateKey,
    cert: &Certificate,
    options: &OfdSignOptions,
    stamper: Option<&TimeStamper<'_>>,
) -> Result<OfdSignOutcome, Error> {
    if options.placements.is_empty() {
        return Err(Error::Encode {
            field: "StampAnnot",
            reason: "no page placement was given for the seal".into(),
        });
    }
    for placement in &options.placements {
        check_box(&placement.boundary, "StampAnnot.Boundary")?;
        if let Some(clip) = &placement.clip {
            check_box(clip, "StampAnnot.Clip")?;
        }
    }
    let limits = Limits::default();
    let mut package = Package::open(input, limits)?;
    let ofd_xml = package.read("OFD.xml", limits.max_xml_bytes)?;
    let layout = read_layout(&mut package, &ofd_xml)?;

    // The new entries and the entries replaced, by package path.
    let mut replaced: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let signs_dir = parent(&layout.list_path).to_owned();
    let list_xml = match &layout.list_xml {
        Some(existing) => existing.clone(),
        None => {
            let ofd_with_list = add_list_to_ofd_xml(&ofd_xml, &layout.list_path)?;
            replaced.insert("OFD.xml".into(), ofd_with_list);
            empty_list()
        }
    };
    let (max_sign_id, entries) = xml::parse_with(&list_xml, &layout.list_path, &limits, |root| {
        Ok(xml::signature_list(root))
    })?;
    let id = next_id(max_sign_id.as_deref(), &entries);
    let folder = next_sign_folder(&package, &signs_dir);
    let signature_path = format!("{folder}/Signature.xml");
    let seal_path = format!("{folder}/Seal.esl");
    let value_path = format!("{folder}/SignedValue.dat");

    // Page object IDs for the StampAnnots.
    let mut annots = Vec::new();
    for (n, placement) in options.placements.iter().enumerate() {
        let page_id = layout
            .page_ids
            .get(placement.page.wrapping_sub(1))
            .ok_or_else(|| Error::Encode {
                field: "StampAnnot.PageRef",
                reason: format!(
                    "page {} does not exist; the document has {} pages",
                    placement.page,
                    layout.page_ids.len()
                ),
            })?;
        annots.push((n + 1, page_id.clone(), placement));
    }

    // The final list names this signature, so it is known before the References are.
    let list_xml = add_list_entry(&list_xml, &layout.list_path, &id, &signature_path, &limits)?;
    replaced.insert(layout.list_path.clone(), list_xml);

    // References: every file as it will be stored, except this signature's own Signature.xml
    // and SignedValue.dat, and Signatures.xml unless it is protected.
    let mut names = package.file_names();
    if !names.contains(&layout.list_path) {
        names.push(layout.list_path.clone());
    }
    let mut references: Vec<(String, [u8; 32])> = Vec::new();
    for name in names {
        if name == layout.list_path && !options.protect_signature_list {
            continue;
        }
        let digest = match replaced.get(&name) {
            Some(bytes) => sm3(bytes),
            None => package.sm3(&name)?,
        };
        references.push((name, digest));
    }
    references.push((seal_path.clone(), sm3(seal.as_der())));

    let time = options.time.unwrap_or_else(Time::now);
    let signature_xml = signature_xml(&SignatureXmlParts {
        provider_name: &options.provider_name,
        provider_company: &options.provider_company,
        time,
        references: &references,
        annots: &annots,
        seal_path: &seal_path,
        value_path: &value_path,
    });
    let mut builder = SignatureBuilder::new(seal, key, cert)
        .time(time)
        .property_info(format!("/{signature_path}"));
    if let Some(stamper) = stamper {
        builder = builder.time_stamp_with(stamper);
    }
    let signature = builder.sign(&signature_xml)?;
    let new_entries = [
        (seal_path, seal.as_der().to_vec()),
        (signature_path.clone(), signature_xml),
        (value_path, signature.as_der().to_vec()),
    ];
    write_package(&mut package, output, &replaced, &new_entries)?;
    Ok(OfdSignOutcome {
        id,
        signature_path: format!("/{signature_path}"),
        references: references.len(),
    })
}

/// Requires a box of finite millimetre values with x and y at least 0 and a positive size.
fn check_box(values: &[f64; 4], field: &'static str) -> Result<(), Error> {
    let [x, y, width, height] = *values;
    let finite = values.iter().all(|v| v.is_finite());
    if !finite || x < 0.0 || y < 0.0 || width <= 0.0 || height <= 0.0 {
        return Err(Error::Encode {
            field,
            reason: format!(
                "{x} {y} {width} {height} is not a box of non-negative position and positive size in millimetres"
            ),
        });
    }
    Ok(())
}

/// Writes a file through a temporary file beside it, renamed into place only when `write`
/// succeeds, so that a failure leaves no partial output and never touches an existing file.
/// Refuses an output that is the input file under another name.
pub fn write_output_file(
    input: &std::path::Path,
    output: &std::path::Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<(), Error>,
) -> Result<(), Error> {
    if same_file(input, output) {
        return Err(Error::Encode {
            field: "output",
            reason: format!(
                "{} is the input document; write the signed document to another file",
                output.display()
            ),
        });
    }
    let folder = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let temporary = folder.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let file = std::fs::File::create(&temporary)?;
        let mut writer = std::io::BufWriter::new(file);
        write(&mut writer)?;
        writer.flush()?;
        drop(writer);
        std::fs::rename(&temporary, output)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

/// Tells whether two paths name the same existing file (after links and `..`).
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

struct Layout {
    /// Package path of Signatures.xml (existing or to create).
    list_path: String,
    /// Its bytes, when it exists.
    list_xml: Option<Vec<u8>>,
    /// Page object IDs in document order.
    page_ids: Vec<String>,
}

fn read_layout<R: Read + Seek>(package: &mut Package<R>, ofd_xml: &[u8]) -> Result<Layout, Error> {
    let limits = package.limits;
    let (lists, roots) = xml::parse_with(ofd_xml, "OFD.xml", &limits, |root| {
        Ok((xml::signature_lists(root), xml::doc_roots(root)))
    })?;
    let doc_root = roots
        .first()
        .ok_or_else(|| OfdError::Missing("OFD.xml DocRoot".into()))?;
    let document_path = resolve("", doc_root)?;
    let document = package.read(&document_path, limits.max_xml_bytes)?;
    let page_ids = xml::parse_with(&document, &document_path, &limits, |root| {
        Ok(xml::page_ids(root))
    })?;
    let (list_path, list_xml) = match lists.first() {
        Some(list) => {
            let path = resolve("", list)?;
            let bytes = package.read(&path, limits.max_xml_bytes)?;
            (path, Some(bytes))
        }
        None => {
            let doc_dir = parent(&document_path);
            let path = if doc_dir.is_empty() {
                "Signs/Signatures.xml".to_owned()
            } else {
                format!("{doc_dir}/Signs/Signatures.xml")
            };
            (path, None)
        }
    };
    Ok(Layout {
        list_path,
        list_xml,
        page_ids,
    })
}

fn empty_list() -> Vec<u8> {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Signatures xmlns:ofd=\"{OFD_NAMESPACE}\"><ofd:MaxSignId>0</ofd:MaxSignId></ofd:Signatures>").into_bytes()
}

/// The next signature ID: one more than MaxSignId and every numeric ID in the list.
fn next_id(max_sign_id: Option<&str>, entries: &[xml::ListEntry]) -> String {
    let highest = entries
        .iter()
        .filter_map(|e| e.id.trim().parse::<u64>().ok())
        .chain(max_sign_id.and_then(|m| m.trim().parse::<u64>().ok()))
        .max()
        .unwrap_or(0);
    (highest + 1).to_string()
}

/// The first `Sign_N` folder with no file in it.
fn next_sign_folder<R: Read + Seek>(package: &Package<R>, signs_dir: &str) -> String {
    let names = package.file_names();
    (0..)
        .map(|n| {
            if signs_dir.is_empty() {
                format!("Sign_{n}")
            } else {
                format!("{signs_dir}/Sign_{n}")
            }
        })
        .find(|folder| {
            !names
                .iter()
                .any(|name| name.starts_with(&format!("{folder}/")))
        })
        .unwrap_or_else(|| format!("{signs_dir}/Sign_new"))
}

/// Escapes text for an XML attribute value or element content.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn millimetres(values: &[f64; 4]) -> String {
    values
        .iter()
        .map(|v| format!("{}", (v * 1000.0).round() / 1000.0))
        .collect::<Vec<_>>()
        .join(" ")
}

struct SignatureXmlParts<'a> {
    provider_name: &'a str,
    provider_company: &'a str,
    time: Time,
    references: &'a [(String, [u8; 32])],
    annots: &'a [(usize, String, &'a StampPlacement)],
    seal_path: &'a str,
    value_path: &'a str,
}

fn signature_xml(parts: &SignatureXmlParts<'_>) -> Vec<u8> {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<ofd:Signature xmlns:ofd=\"{OFD_NAMESPACE}\"><ofd:SignedInfo>"
    ));
    out.push_str(&format!(
        "<ofd:Provider ProviderName=\"{}\" Version=\"{}\" Company=\"{}\"/>",
        escape(parts.provider_name),
        env!("CARGO_PKG_VERSION"),
        escape(parts.provider_company)
    ));
    out.push_str("<ofd:SignatureMethod>1.2.156.10197.1.501</ofd:SignatureMethod>");
    let time = parts.time.to_string();
    // SignatureDateTime in the UTC GeneralizedTime form that GOMAIN and KingGrid write.
    let compact: String = time.chars().filter(|c| c.is_ascii_digit()).collect();
    out.push_str(&format!(
        "<ofd:SignatureDateTime>{compact}Z</ofd:SignatureDateTime>"
    ));
    out.push_str("<ofd:References CheckMethod=\"1.2.156.10197.1.401\">");
    for (path, digest) in parts.references {
        out.push_str(&format!(
            "<ofd:Reference FileRef=\"/{}\"><ofd:CheckValue>{}</ofd:CheckValue></ofd:Reference>",
            escape(path),
            STANDARD.encode(digest)
        ));
    }
    out.push_str("</ofd:References>");
    for (id, page_id, placement) in parts.annots {
        let clip = placement
            .clip
            .as_ref()
            .map(|c| format!(" Clip=\"{}\"", millimetres(c)))
            .unwrap_or_default();
        out.push_str(&format!(
            "<ofd:StampAnnot ID=\"{id}\" PageRef=\"{}\" Boundary=\"{}\"{clip}/>",
            escape(page_id),
            millimetres(&placement.boundary)
        ));
    }
    out.push_str(&format!(
        "<ofd:Seal><ofd:BaseLoc>/{}</ofd:BaseLoc></ofd:Seal>",
        escape(parts.seal_path)
    ));
    out.push_str("</ofd:SignedInfo>");
    out.push_str(&format!(
        "<ofd:SignedValue>/{}</ofd:SignedValue>",
        escape(parts.value_path)
    ));
    out.push_str("</ofd:Signature>");
    out.into_bytes()
}

/// Inserts `<ofd:Signatures>` naming the list into OFD.xml's first DocBody, after DocRoot.
fn add_list_to_ofd_xml(ofd_xml: &[u8], list_path: &str) -> Result<Vec<u8>, Error> {
    let limits = Limits::default();
    let (position, prefix) = xml::parse_with(ofd_xml, "OFD.xml", &limits, |root| {
        xml::doc_root_end(root).ok_or_else(|| OfdError::Missing("OFD.xml DocRoot".into()))
    })?;
    let text = std::str::from_utf8(ofd_xml).map_err(|_| OfdError::Xml {
        path: "OFD.xml".into(),
        reason: "not UTF-8".into(),
    })?;
    let offset = text.len() - text.trim_start_matches('\u{feff}').len();
    let at = position + offset;
    let element = format!(
        "<{prefix}Signatures>/{}</{prefix}Signatures>",
        escape(list_path)
    );
    Ok([&ofd_xml[..at], element.as_bytes(), &ofd_xml[at..]].concat())
}

/// Adds an entry to Signatures.xml and raises MaxSignId, keeping everything else as written.
fn add_list_entry(
    list_xml: &[u8],
    list_path: &str,
    id: &str,
    signature_path: &str,
    limits: &Limits,
) -> Result<Vec<u8>, Error> {
    let text = std::str::from_utf8(list_xml).map_err(|_| OfdError::Xml {
        path: list_path.into(),
        reason: "not UTF-8".into(),
    })?;
    let edits = xml::parse_with(list_xml, list_path, limits, |root| {
        Ok(xml::list_edit_points(root))
    })?;
    let offset = text.len() - text.trim_start_matches('\u{feff}').len();
    let prefix = &edits.prefix;
    let entry = format!(
        "<{prefix}Signature ID=\"{}\" Type=\"Seal\" BaseLoc=\"/{}\"/>",
        escape(id),
        escape(signature_path)
    );
    let mut out = String::with_capacity(text.len() + entry.len() + 32);
    match edits.max_sign_id_text {
        Some(range) => {
            out.push_str(&text[..offset + range.start]);
            out.push_str(id);
            out.push_str(&text[offset + range.end..offset + edits.end_tag_start]);
        }
        None => {
            out.push_str(&text[..offset + edits.end_tag_start]);
            out.push_str(&format!("<{prefix}MaxSignId>{id}</{prefix}MaxSignId>"));
        }
    }
    out.push_str(&entry);
    out.push_str(&text[offset + edits.end_tag_start..]);
    Ok(out.into_bytes())
}

fn write_package<R: Read + Seek, W: Write + Seek>(
    package: &mut Package<R>,
    output: W,
    replaced: &BTreeMap<String, Vec<u8>>,
    new_entries: &[(String, Vec<u8>)],
) -> Result<(), Error> {
    let zip_error = |e: zip::result::ZipError| {
        Error::from(OfdError::Corrupt {
            path: "output".into(),
            reason: e.to_string(),
        })
    };
    let mut writer = ZipWriter::new(output);
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut written_replacements = Vec::new();
    for index in 0..package.entry_count() {
        let name = package.name_of(index).map(str::to_owned);
        match name {
            Some(name) if replaced.contains_key(&name) => {
                writer
                    .start_file(name.as_str(), options)
                    .map_err(zip_error)?;
                writer.write_all(&replaced[&name]).map_err(Error::Io)?;
                written_replacements.push(name);
            }
            _ => {
                let file = package
                    .archive_mut()
                    .by_index_raw(index)
                    .map_err(zip_error)?;
                writer.raw_copy_file(file).map_err(zip_error)?;
            }
        }
    }
    for (name, bytes) in replaced
        .iter()
        .filter(|(n, _)| !written_replacements.contains(n))
    {
        writer
            .start_file(name.as_str(), options)
            .map_err(zip_error)?;
        writer.write_all(bytes).map_err(Error::Io)?;
    }
    for (name, bytes) in new_entries {
        writer
            .start_file(name.as_str(), options)
            .map_err(zip_error)?;
        writer.write_all(bytes).map_err(Error::Io)?;
    }
    writer.finish().map_err(zip_error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn riding_slices_join() {
        let parts = StampPlacement::riding(1..=5, 210.0, 128.5, 40.0, 40.0);
        assert_eq!(parts.len(), 5);
        assert_eq!(parts[0].boundary, [202.0, 128.5, 40.0, 40.0]);
        assert_eq!(parts[0].clip, Some([0.0, 0.0, 8.0, 40.0]));
        assert_eq!(parts[4].boundary, [170.0, 128.5, 40.0, 40.0]);
        assert_eq!(parts[4].clip, Some([32.0, 0.0, 8.0, 40.0]));
    }

    #[test]
    fn next_id_follows_the_highest() {
        let entry = |id: &str| xml::ListEntry {
            id: id.into(),
            kind: "Seal".into(),
            base_loc: String::new(),
        };
        assert_eq!(next_id(Some("2"), &[entry("1")]), "3");
        assert_eq!(next_id(Some("4"), &[entry("2"), entry("7")]), "8");
        assert_eq!(next_id(None, &[entry("s001")]), "1");
    }

    #[test]
    fn list_entry_is_added_and_max_raised() {
        let list = br#"<?xml version="1.0" encoding="UTF-8"?>
<ofd:Signatures xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Signature ID="1" Type="Seal" BaseLoc="/Doc_0/Signs/Sign_0/Signature.xml"/><ofd:MaxSignId>2</ofd:MaxSignId></ofd:Signatures>"#;
        let out = add_list_entry(
            list,
            "Doc_0/Signs/Signatures.xml",
            "3",
            "Doc_0/Signs/Sign_1/Signature.xml",
            &Limits::default(),
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("<ofd:MaxSignId>3</ofd:MaxSignId>"), "{text}");
        assert!(text.ends_with(r#"<ofd:Signature ID="3" Type="Seal" BaseLoc="/Doc_0/Signs/Sign_1/Signature.xml"/></ofd:Signatures>"#), "{text}");
        assert!(text.contains(
            r#"<ofd:Signature ID="1" Type="Seal" BaseLoc="/Doc_0/Signs/Sign_0/Signature.xml"/>"#
        ));
    }
}
