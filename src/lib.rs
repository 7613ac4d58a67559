#![doc = include_str!("../README.md")]
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod asn1;
pub mod cert;
pub mod crypto;
pub mod error;
pub mod finding;
pub mod time;

pub use error::{Error, ParseError, ParseErrorKind, Result};
pub mod seal;
pub mod signature;
pub mod report;
pub mod verify;
