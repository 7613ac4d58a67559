//! A DER reader that keeps offsets and stored bytes.
//!
//! The `der` crate's decoders reject the non-canonical encodings that real seal producers write,
//! and they do not return the byte ranges that verification must hash. This reader only splits
//! the input into tag-length-value elements, bounds every length by the input, and reports the
//! structure, field and offset of the first problem. Interpreting values, tolerantly, is left to
//! the decoders of each structure.

use crate::error::{ParseError, ParseErrorKind};

/// Maximum depth of nested readers; seal structures need fewer than ten levels.
const MAX_DEPTH: u8 = 32;

/// One tag-length-value element, borrowed from the input.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tlv<'a> {
    /// The identifier octet.
    pub tag: u8,
    /// Offset of the identifier octet in the whole input.
    pub offset: usize,
    /// The whole element: identifier, length and contents, as stored.
    pub raw: &'a [u8],
    /// The contents octets.
    pub value: &'a [u8],
    /// Offset of the first contents octet in the whole input.
    pub value_offset: usize,
}

impl<'a> Tlv<'a> {
    /// Opens the contents of a constructed element for reading its fields.
    pub(crate) fn reader(
        &self,
        structure: &'static str,
        depth: u8,
    ) -> Result<Reader<'a>, ParseError> {
        if depth >= MAX_DEPTH {
            return Err(ParseError {
                structure,
                field: "",
                offset: self.offset,
                kind: ParseErrorKind::TooDeep,
            });
        }
        Ok(Reader {
            input: self.value,
            pos: 0,
            base: self.value_offset,
            structure,
            depth: depth + 1,
        })
    }

    /// Builds a parse error about this element.
    pub(crate) fn error(
        &self,
        structure: &'static str,
        field: &'static str,
        kind: ParseErrorKind,
    ) -> ParseError {
        ParseError {
            structure,
            field,
            offset: self.offset,
            kind,
        }
    }

    /// Builds an "invalid value" parse error about this element.
    pub(crate) fn invalid(
        &self,
        structure: &'static str,
        field: &'static str,
        why: impl Into<String>,
    ) -> ParseError {
        self.error(structure, field, ParseErrorKind::InvalidValue(why.into()))
    }
}

/// Reads consecutive elements from the contents of one structure.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    input: &'a [u8],
    pos: usize,
    base: usize,
    structure: &'static str,
    depth: u8,
}

impl<'a> Reader<'a> {
    /// Starts reading a whole input; offsets count from its first byte.
    pub(crate) fn new(input: &'a [u8], structure: &'static str) -> Self {
        Self {
            input,
            pos: 0,
            base: 0,
            structure,
            depth: 0,
        }
    }

    /// The nesting depth, to pass on to [`Tlv::reader`].
    pub(crate) fn depth(&self) -> u8 {
        self.depth
    }

    /// Offset of the next element in the whole input.
    pub(crate) fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// Tells whether every element has been read.
    pub(crate) fn is_empty(&self) -> bool {
        self.pos >= self.input.len()
    }

    /// The identifier octet of the next element, if any.
    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    /// Builds an error at the reader's position.
    pub(crate) fn error(&self, field: &'static str, kind: ParseErrorKind) -> ParseError {
        ParseError {
            structure: self.structure,
            field,
            offset: self.offset(),
            kind,
        }
    }

    /// Reads the next element whatever its tag.
    pub(crate) fn read_any(&mut self, field: &'static str) -> Result<Tlv<'a>, ParseError> {
        let start = self.pos;
        let rest = &self.input[start..];
        let Some(&tag) = rest.first() else {
            let kind = if self.depth == 0 && self.input.is_empty() {
                ParseErrorKind::Empty
            } else {
                ParseErrorKind::Missing
            };
            return Err(self.error(field, kind));
        };
        if tag & 0x1f == 0x1f {
            return Err(self.error(
                field,
                ParseErrorKind::InvalidValue(
                    "multi-byte tags are not used in seal structures".into(),
                ),
            ));
        }
        let Some(&first) = rest.get(1) else {
            return Err(self.error(
                field,
                ParseErrorKind::Truncated {
                    needed: 2,
                    available: rest.len(),
                },
            ));
        };
        let (header_len, length) = if first < 0x80 {
            (2, usize::from(first))
        } else {
            let count = usize::from(first & 0x7f);
            // 0x80 is BER's indefinite form; more than four length octets cannot describe an
            // input this reader is handed.
            if count == 0 || count > 4 {
                return Err(self.error(field, ParseErrorKind::InvalidLength));
            }
            let Some(octets) = rest.get(2..2 + count) else {
                return Err(self.error(
                    field,
                    ParseErrorKind::Truncated {
                        needed: 2 + count,
                        available: rest.len(),
                    },
                ));
            };
            let length = octets
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            (2 + count, length)
        };
        let Some(end) = header_len.checked_add(length) else {
            return Err(self.error(field, ParseErrorKind::InvalidLength));
        };
        if end > rest.len() {
            return Err(self.error(
                field,
                ParseErrorKind::Truncated {
                    needed: end,
                    available: rest.len(),
                },
            ));
        }
        self.pos = start + end;
        Ok(Tlv {
            tag,
            offset: self.base + start,
            raw: &rest[..end],
            value: &rest[header_len..end],
            value_offset: self.base + start + header_len,
        })
    }

    /// Reads the next element and requires the given tag.
    pub(crate) fn read(&mut self, tag: u8, field: &'static str) -> Result<Tlv<'a>, ParseError> {
        match self.peek_tag() {
            None => self.read_any(field),
            Some(found) if found != tag => Err(self.error(
                field,
                ParseErrorKind::UnexpectedTag {
                    expected: tag,
                    found,
                },
            )),
            Some(_) => self.read_any(field),
        }
    }

    /// Reads the next element when it has the given tag.
    pub(crate) fn read_optional(
        &mut self,
        tag: u8,
        field: &'static str,
    ) -> Result<Option<Tlv<'a>>, ParseError> {
        if self.peek_tag() == Some(tag) {
            self.read_any(field).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Requires that every element has been read.
    pub(crate) fn finish(&self, field: &'static str) -> Result<(), ParseError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.error(
                field,
                ParseErrorKind::TrailingData(self.input.len() - self.pos),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_lengths() {
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([0xaa; 0x80]);
        let mut input = vec![0x02, 0x01, 0x05];
        input.extend(&long);
        let mut reader = Reader::new(&input, "Test");
        let first = reader.read(0x02, "a").unwrap();
        assert_eq!(first.value, [0x05]);
        let second = reader.read(0x04, "b").unwrap();
        assert_eq!(second.offset, 3);
        assert_eq!(second.value_offset, 6);
        assert_eq!(second.value.len(), 0x80);
        assert!(reader.finish("end").is_ok());
    }

    #[test]
    fn length_beyond_input_is_truncated() {
        let input = [0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00];
        let error = Reader::new(&input, "Test").read_any("x").unwrap_err();
        assert_eq!(
            error.kind,
            ParseErrorKind::Truncated {
                needed: 0xffff_ffff + 6,
                available: 7
            }
        );
        assert_eq!(error.offset, 0);
    }

    #[test]
    fn indefinite_length_is_rejected() {
        let input = [0x30, 0x80, 0x00, 0x00];
        let error = Reader::new(&input, "Test").read_any("x").unwrap_err();
        assert_eq!(error.kind, ParseErrorKind::InvalidLength);
    }

    #[test]
    fn unexpected_tag_names_both_tags() {
        let input = [0x16, 0x00];
        let error = Reader::new(&input, "Test")
            .read(0x02, "version")
            .unwrap_err();
        assert_eq!(error.field, "version");
        assert_eq!(
            error.kind,
            ParseErrorKind::UnexpectedTag {
                expected: 0x02,
                found: 0x16
            }
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let tlv = Tlv {
            tag: 0x30,
            offset: 0,
            raw: &[0x30, 0x00],
            value: &[],
            value_offset: 2,
        };
        let error = tlv.reader("Test", MAX_DEPTH).unwrap_err();
        assert_eq!(error.kind, ParseErrorKind::TooDeep);
    }
}
