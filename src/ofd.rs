//! OFD (GB/T 33190) documents: finding and verifying their seal signatures.
//!
//! An OFD file is a ZIP package. OFD.xml names, per document body, a signature list
//! (Signatures.xml); each entry's Signature.xml lists References (the SM3 digest of each
//! protected file) and points to the SES_Signature (SignedValue.dat), whose dataHash is the SM3
//! digest of Signature.xml. A signature is valid when every reference matches, the
//! SES_Signature verifies against Signature.xml, and the Seal.esl stored beside it, if any, is
//! the seal inside the signature.

mod package;
mod report;
mod sign;
mod verify;
mod xml;

pub use package::Limits;
pub use report::{OfdReport, OfdSignatureReport};
pub use sign::{
    OfdSignOptions, OfdSignOutcome, StampPlacement, sign_ofd, sign_ofd_with_time_stamp,
    write_output_file,
};
pub use verify::verify_ofd;
pub use xml::{Provider, StampAnnot};

/// Why an OFD package cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OfdError {
    /// The input is not a ZIP archive.
    #[error("not an OFD package (ZIP): {0}")]
    NotZip(String),
    /// The archive has more entries than the limit.
    #[error("the package has {count} entries, more than the limit of {limit}")]
    TooManyEntries {
        /// Entries in the archive.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// Two entries have the same name.
    #[error("the package has two entries named {0}")]
    DuplicateEntry(String),
    /// An entry decompresses to more than the limit.
    #[error("{path} is larger than the limit of {limit} bytes")]
    EntryTooLarge {
        /// The entry.
        path: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// The entries read decompress to more than the total limit.
    #[error("the package decompresses to more than the limit of {limit} bytes")]
    TotalTooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// A required file is not in the package.
    #[error("{0} is missing from the package")]
    Missing(String),
    /// A path points outside the package or is not a package path.
    #[error("the path {0:?} points outside the package")]
    PathOutsidePackage(String),
    /// An entry cannot be decompressed.
    #[error("{path} cannot be read: {reason}")]
    Corrupt {
        /// The entry.
        path: String,
        /// The decompressor's message.
        reason: String,
    },
    /// An XML file is not well-formed.
    #[error("{path} is not well-formed XML: {reason}")]
    Xml {
        /// The file.
        path: String,
        /// The parser's message.
        reason: String,
    },
    /// An XML file declares a DTD or entities, which OFD files never need.
    #[error("{0} declares a DTD or entities, which are not accepted")]
    DtdNotAllowed(String),
    /// An XML file nests deeper than the limit.
    #[error("{path} nests elements deeper than {limit}")]
    XmlTooDeep {
        /// The file.
        path: String,
        /// The limit.
        limit: usize,
    },
    /// OFD.xml names no signature list.
    #[error("the document has no signatures")]
    NoSignatures,
}
