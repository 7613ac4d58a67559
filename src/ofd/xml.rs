//! Reading the OFD XML files that signatures depend on: OFD.xml, Signatures.xml and
//! Signature.xml. Elements are matched by local name, because producers bind the namespace
//! `http://www.ofdspec.org/2016` to different prefixes.
//!
//! DTDs and entity declarations are rejected before parsing, and nesting depth and node count
//! are bounded.

use roxmltree::{Document, Node, ParsingOptions};

use super::OfdError;
use super::package::Limits;

/// Parses `bytes` as the XML file `path` and hands its root element to `read`.
pub(crate) fn parse_with<T>(
    bytes: &[u8],
    path: &str,
    limits: &Limits,
    read: impl FnOnce(Node<'_, '_>) -> Result<T, OfdError>,
) -> Result<T, OfdError> {
    let xml_error = |reason: String| OfdError::Xml {
        path: path.to_owned(),
        reason,
    };
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| xml_error("not UTF-8".into()))?;
    if text.contains("<!DOCTYPE") || text.contains("<!ENTITY") {
        return Err(OfdError::DtdNotAllowed(path.to_owned()));
    }
    check_depth(text, limits.max_xml_depth).map_err(|depth| OfdError::XmlTooDeep {
        path: path.to_owned(),
        limit: depth,
    })?;
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: limits.max_xml_nodes,
        ..ParsingOptions::default()
    };
    let document =
        Document::parse_with_options(text, options).map_err(|e| xml_error(e.to_string()))?;
    read(document.root_element())
}

/// Fails with the limit when elements nest deeper than `max`. Comments, CDATA sections,
/// processing instructions and quoted attribute values are skipped.
fn check_depth(text: &str, max: usize) -> Result<(), usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &text[i..];
        let skip_to = |end: &str| rest.find(end).map_or(bytes.len(), |p| i + p + end.len());
        if rest.starts_with("<!--") {
            i = skip_to("-->");
        } else if rest.starts_with("<![CDATA[") {
            i = skip_to("]]>");
        } else if rest.starts_with("<?") || rest.starts_with("<!") {
            i = skip_to(">");
        } else if rest.starts_with("</") {
            depth = depth.saturating_sub(1);
            i = skip_to(">");
        } else {
            // A start tag: find its end outside quoted attribute values.
            let mut j = i + 1;
            let mut quote: Option<u8> = None;
            while j < bytes.len() {
                match (quote, bytes[j]) {
                    (None, b'"' | b'\'') => quote = Some(bytes[j]),
                    (Some(q), c) if c == q => quote = None,
                    (None, b'>') => break,
                    _ => {}
                }
                j += 1;
            }
            let self_closing = j > 0 && j < bytes.len() && bytes[j - 1] == b'/';
            if !self_closing {
                depth += 1;
                if depth > max {
                    return Err(max);
                }
            }
            i = j + 1;
        }
    }
    Ok(())
}

fn children<'a, 'input>(
    node: Node<'a, 'input>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'input>> + 'a {
    node.children()
        .filter(move |n| n.is_element() && n.tag_name().name() == name)
}

fn child<'a, 'input>(node: Node<'a, 'input>, name: &'a str) -> Option<Node<'a, 'input>> {
    children(node, name).next()
}

fn text_of(node: Node<'_, '_>) -> String {
    node.text().unwrap_or("").trim().to_owned()
}

/// The `Signatures` paths named by the DocBody elements of OFD.xml.
pub(crate) fn signature_lists(root: Node<'_, '_>) -> Vec<String> {
    children(root, "DocBody")
        .filter_map(|body| child(body, "Signatures"))
        .map(text_of)
        .filter(|path| !path.is_empty())
        .collect()
}

/// The `DocRoot` paths of OFD.xml.
pub(crate) fn doc_roots(root: Node<'_, '_>) -> Vec<String> {
    children(root, "DocBody")
        .filter_map(|body| child(body, "DocRoot"))
        .map(text_of)
        .collect()
}

/// The IDs of the Page objects of Document.xml, in page order.
pub(crate) fn page_ids(root: Node<'_, '_>) -> Vec<String> {
    child(root, "Pages")
        .map(|pages| {
            children(pages, "Page")
                .map(|p| p.attribute("ID").unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The namespace prefix of an element as written, with its colon (`ofd:`), or empty.
fn prefix_of(node: Node<'_, '_>) -> String {
    let source = &node.document().input_text()[node.range()];
    let name: String = source[1..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
        .collect();
    match name.split_once(':') {
        Some((prefix, _)) => format!("{prefix}:"),
        None => String::new(),
    }
}

/// The byte position just after the first DocBody's DocRoot element, and the DocBody's prefix.
pub(crate) fn doc_root_end(root: Node<'_, '_>) -> Option<(usize, String)> {
    let body = child(root, "DocBody")?;
    let doc_root = child(body, "DocRoot")?;
    Some((doc_root.range().end, prefix_of(body)))
}

/// Where Signatures.xml is edited to add an entry.
pub(crate) struct ListEditPoints {
    /// The root element's prefix (`ofd:`).
    pub prefix: String,
    /// Byte range of MaxSignId's text, when the element exists.
    pub max_sign_id_text: Option<std::ops::Range<usize>>,
    /// Byte position of the root element's end tag.
    pub end_tag_start: usize,
}

pub(crate) fn list_edit_points(root: Node<'_, '_>) -> ListEditPoints {
    let text = root.document().input_text();
    let range = root.range();
    let end_tag_start = text[..range.end].rfind("</").unwrap_or(range.end);
    let max_sign_id_text = child(root, "MaxSignId")
        .and_then(|m| m.first_child())
        .filter(|t| t.is_text())
        .map(|t| t.range());
    ListEditPoints {
        prefix: prefix_of(root),
        max_sign_id_text,
        end_tag_start,
    }
}

/// One entry of Signatures.xml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ListEntry {
    pub id: String,
    /// "Seal" (the default) or "Sign".
    pub kind: String,
    pub base_loc: String,
}

/// Signatures.xml: `MaxSignId` and the entries.
pub(crate) fn signature_list(root: Node<'_, '_>) -> (Option<String>, Vec<ListEntry>) {
    let max_sign_id = child(root, "MaxSignId").map(text_of);
    let entries = children(root, "Signature")
        .map(|node| ListEntry {
            id: node.attribute("ID").unwrap_or("").to_owned(),
            kind: node.attribute("Type").unwrap_or("Seal").to_owned(),
            base_loc: node.attribute("BaseLoc").unwrap_or("").to_owned(),
        })
        .collect();
    (max_sign_id, entries)
}

/// The Provider element of SignedInfo.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Provider {
    /// `ProviderName`.
    pub name: String,
    /// `Version`.
    pub version: Option<String>,
    /// `Company`.
    pub company: Option<String>,
}

/// A StampAnnot: where the seal appears.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StampAnnot {
    /// `ID`.
    pub id: String,
    /// `PageRef`: the ID of the page object.
    pub page_ref: String,
    /// `Boundary`: "x y w h" in millimetres.
    pub boundary: String,
    /// `Clip`, for a riding seal's part on one page.
    pub clip: Option<String>,
}

/// The parts of Signature.xml that verification uses.
#[derive(Debug, Clone, Default)]
pub(crate) struct SignatureXml {
    pub provider: Option<Provider>,
    pub signature_method: Option<String>,
    pub signature_date_time: Option<String>,
    pub check_method: Option<String>,
    /// (FileRef, CheckValue in base64).
    pub references: Vec<(String, String)>,
    pub stamp_annots: Vec<StampAnnot>,
    pub seal_base_loc: Option<String>,
    pub signed_value: Option<String>,
}

pub(crate) fn signature_xml(root: Node<'_, '_>) -> SignatureXml {
    let mut out = SignatureXml::default();
    let Some(info) = child(root, "SignedInfo") else {
        out.signed_value = child(root, "SignedValue").map(text_of);
        return out;
    };
    out.provider = child(info, "Provider").map(|p| Provider {
        name: p.attribute("ProviderName").unwrap_or("").to_owned(),
        version: p.attribute("Version").map(str::to_owned),
        company: p.attribute("Company").map(str::to_owned),
    });
    out.signature_method = child(info, "SignatureMethod").map(text_of);
    out.signature_date_time = child(info, "SignatureDateTime").map(text_of);
    if let Some(references) = child(info, "References") {
        out.check_method = references.attribute("CheckMethod").map(str::to_owned);
        out.references = children(references, "Reference")
            .map(|r| {
                let value = child(r, "CheckValue").map(text_of).unwrap_or_default();
                (r.attribute("FileRef").unwrap_or("").to_owned(), value)
            })
            .collect();
    }
    out.stamp_annots = children(info, "StampAnnot")
        .map(|a| StampAnnot {
            id: a.attribute("ID").unwrap_or("").to_owned(),
            page_ref: a.attribute("PageRef").unwrap_or("").to_owned(),
            boundary: a.attribute("Boundary").unwrap_or("").to_owned(),
            clip: a.attribute("Clip").map(str::to_owned),
        })
        .collect();
    out.seal_base_loc = child(info, "Seal")
        .and_then(|s| child(s, "BaseLoc"))
        .map(text_of);
    out.signed_value = child(root, "SignedValue").map(text_of);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_is_measured() {
        assert!(check_depth("<a><b><c/></b></a>", 2).is_ok());
        assert!(check_depth("<a><b><c></c></b></a>", 2).is_err());
        assert!(check_depth("<a x='>'><!-- <b><c> --><![CDATA[<d>]]></a>", 1).is_ok());
    }

    #[test]
    fn entity_declarations_are_rejected() {
        let xml = b"<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>";
        let error = parse_with(xml, "t.xml", &Limits::default(), |_| Ok(())).unwrap_err();
        assert!(matches!(error, OfdError::DtdNotAllowed(_)));
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let xml = "<a>".repeat(300) + &"</a>".repeat(300);
        let error =
            parse_with(xml.as_bytes(), "t.xml", &Limits::default(), |_| Ok(())).unwrap_err();
        assert!(matches!(error, OfdError::XmlTooDeep { .. }));
    }

    #[test]
    fn signature_list_reads_entries() {
        let xml = br#"<ofd:Signatures xmlns:ofd="http://www.ofdspec.org/2016"><ofd:MaxSignId>4</ofd:MaxSignId><ofd:Signature ID="2" Type="Seal" BaseLoc="Sign_1/Signature.xml"/><ofd:Signature ID="3" BaseLoc="/Doc_0/Signs/Sign_0/Signature.xml"/></ofd:Signatures>"#;
        let (max, entries) = parse_with(xml, "s.xml", &Limits::default(), |root| {
            Ok(signature_list(root))
        })
        .unwrap();
        assert_eq!(max.as_deref(), Some("4"));
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].kind, "Seal");
        assert_eq!(entries[0].base_loc, "Sign_1/Signature.xml");
    }
}
