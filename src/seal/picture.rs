//! Seal picture formats, told from their bytes.

use std::fmt;

/// A seal picture format allowed in SES_ESPictrueInfo.type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PictureFormat {
    /// PNG image.
    Png,
    /// JPEG image (type "JPG").
    Jpeg,
    /// GIF image.
    Gif,
    /// Windows bitmap.
    Bmp,
    /// SVG drawing.
    Svg,
    /// An OFD package used as the stamp image.
    Ofd,
}

impl PictureFormat {
    /// The type name written into new seals.
    pub fn type_name(self) -> &'static str {
        match self {
            Self::Png => "PNG",
            Self::Jpeg => "JPG",
            Self::Gif => "GIF",
            Self::Bmp => "BMP",
            Self::Svg => "SVG",
            Self::Ofd => "OFD",
        }
    }

    /// Reads a declared type name, in any letter case; "JPEG" is accepted for JPG.
    pub fn from_type_name(name: &str) -> Option<Self> {
        match name.to_ascii_uppercase().as_str() {
            "PNG" => Some(Self::Png),
            "JPG" | "JPEG" => Some(Self::Jpeg),
            "GIF" => Some(Self::Gif),
            "BMP" => Some(Self::Bmp),
            "SVG" => Some(Self::Svg),
            "OFD" => Some(Self::Ofd),
            _ => None,
        }
    }

    /// Tells the format from the first bytes of a picture.
    pub fn detect(data: &[u8]) -> Option<Self> {
        if data.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if data.starts_with(&[0xff, 0xd8, 0xff]) {
            Some(Self::Jpeg)
        } else if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
            Some(Self::Gif)
        } else if data.starts_with(b"BM") && data.len() >= 26 {
            Some(Self::Bmp)
        } else if data.starts_with(b"PK\x03\x04") {
            Some(Self::Ofd)
        } else if looks_like_svg(data) {
            Some(Self::Svg)
        } else {
            None
        }
    }
}

impl fmt::Display for PictureFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.type_name())
    }
}

fn looks_like_svg(data: &[u8]) -> bool {
    let head = &data[..data.len().min(1024)];
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    (text.starts_with("<?xml") || text.starts_with("<svg") || text.starts_with("<!--"))
        && text.contains("<svg")
}

/// Checks a declared picture type against the picture's bytes.
pub(crate) fn check_declared_type(declared: &str, data: &[u8]) -> Result<PictureFormat, String> {
    let Some(format) = PictureFormat::from_type_name(declared) else {
        return Err(format!("unknown picture type {declared:?}"));
    };
    match PictureFormat::detect(data) {
        Some(found) if found == format => Ok(format),
        Some(found) => Err(format!("type {declared:?} but the bytes are {found}")),
        None => Err(format!(
            "type {declared:?} but the bytes are no known picture format"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_format() {
        assert_eq!(
            PictureFormat::detect(b"\x89PNG\r\n\x1a\nrest"),
            Some(PictureFormat::Png)
        );
        assert_eq!(
            PictureFormat::detect(&[0xff, 0xd8, 0xff, 0xe0]),
            Some(PictureFormat::Jpeg)
        );
        assert_eq!(
            PictureFormat::detect(b"GIF89a..."),
            Some(PictureFormat::Gif)
        );
        assert_eq!(
            PictureFormat::detect(&[b"BM".as_slice(), &[0u8; 30]].concat()),
            Some(PictureFormat::Bmp)
        );
        assert_eq!(
            PictureFormat::detect(b"<?xml version=\"1.0\"?><svg></svg>"),
            Some(PictureFormat::Svg)
        );
        assert_eq!(
            PictureFormat::detect(b"PK\x03\x04zip"),
            Some(PictureFormat::Ofd)
        );
        assert_eq!(PictureFormat::detect(b"plain text"), None);
    }

    #[test]
    fn declared_type_must_match() {
        assert!(check_declared_type("png", b"\x89PNG\r\n\x1a\n").is_ok());
        assert!(check_declared_type("GIF", b"\x89PNG\r\n\x1a\n").is_err());
        assert!(check_declared_type("TIFF", b"II*\0").is_err());
    }
}
