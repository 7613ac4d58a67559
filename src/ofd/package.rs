//! Reading an OFD package (a ZIP archive) with limits, and resolving paths inside it.
//!
//! Every path an OFD file names is resolved inside the package: `..` may not climb above the
//! package root, and backslashes, drive letters and URL schemes are rejected. Nothing outside
//! the archive is ever opened.

use std::collections::HashMap;
use std::io::{Read, Seek};

use zip::ZipArchive;

use super::OfdError;
use crate::crypto::{Sm3Hasher, sm3_many};

/// Limits applied while reading an OFD package, against zip bombs and oversized XML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest uncompressed entry, in bytes.
    pub max_entry_bytes: u64,
    /// Largest total of uncompressed bytes read from one package.
    pub max_total_bytes: u64,
    /// Largest number of entries in the archive.
    pub max_entries: usize,
    /// Largest XML file parsed, in bytes.
    pub max_xml_bytes: u64,
    /// Deepest element nesting accepted in an XML file.
    pub max_xml_depth: usize,
    /// Largest number of XML nodes in one file.
    pub max_xml_nodes: u32,
}

impl Default for Limits {
    /// Limits sized for documents of several hundred megabytes: 1 GiB per entry, 4 GiB in all,
    /// 100,000 entries, and 64 MiB, depth 256 and 4 million nodes per XML file.
    fn default() -> Self {
        Self {
            max_entry_bytes: 1 << 30,
            max_total_bytes: 4 << 30,
            max_entries: 100_000,
            max_xml_bytes: 64 << 20,
            max_xml_depth: 256,
            max_xml_nodes: 4_000_000,
        }
    }
}

/// An opened OFD package.
pub(crate) struct Package<R> {
    archive: ZipArchive<R>,
    /// Normalised entry name (no leading `/`) to archive index.
    names: HashMap<String, usize>,
    /// Archive index to normalised name; `None` for folders.
    by_index: Vec<Option<String>>,
    pub(crate) limits: Limits,
    total_read: u64,
}

impl<R: Read + Seek> Package<R> {
    pub(crate) fn open(reader: R, limits: Limits) -> Result<Self, OfdError> {
        let archive = ZipArchive::new(reader).map_err(|e| OfdError::NotZip(e.to_string()))?;
        if archive.len() > limits.max_entries {
            return Err(OfdError::TooManyEntries {
                count: archive.len(),
                limit: limits.max_entries,
            });
        }
        let mut names = HashMap::new();
        let mut by_index = Vec::with_capacity(archive.len());
        for index in 0..archive.len() {
            let Some(Ok(name)) = archive.name_for_index(index) else {
                return Err(OfdError::NotZip(format!(
                    "entry {index} has no readable name"
                )));
            };
            if name.ends_with('/') {
                by_index.push(None);
                continue;
            }
            let normalised = name.trim_start_matches('/').to_owned();
            if names.insert(normalised.clone(), index).is_some() {
                return Err(OfdError::DuplicateEntry(normalised));
            }
            by_index.push(Some(normalised));
        }
        Ok(Self {
            archive,
            names,
            by_index,
            limits,
            total_read: 0,
        })
    }

    /// Streams the file at the resolved `path` into `sink`, enforcing the size limits on the
    /// bytes actually decompressed (a declared size may lie).
    fn stream(&mut self, path: &str, mut sink: impl FnMut(&[u8])) -> Result<u64, OfdError> {
        let index = *self
            .names
            .get(path)
            .ok_or_else(|| OfdError::Missing(path.to_owned()))?;
        let limits = self.limits;
        let mut file = self
            .archive
            .by_index(index)
            .map_err(|e| OfdError::Corrupt {
                path: path.to_owned(),
                reason: e.to_string(),
            })?;
        if file.size() > limits.max_entry_bytes {
            return Err(OfdError::EntryTooLarge {
                path: path.to_owned(),
                limit: limits.max_entry_bytes,
            });
        }
        let mut buffer = vec![0u8; 64 * 1024];
        let mut read_here = 0u64;
        loop {
            let count = file.read(&mut buffer).map_err(|e| OfdError::Corrupt {
                path: path.to_owned(),
                reason: e.to_string(),
            })?;
            if count == 0 {
                break;
            }
            read_here += count as u64;
            self.total_read += count as u64;
            if read_here > limits.max_entry_bytes {
                return Err(OfdError::EntryTooLarge {
                    path: path.to_owned(),
                    limit: limits.max_entry_bytes,
                });
            }
            if self.total_read > limits.max_total_bytes {
                return Err(OfdError::TotalTooLarge {
                    limit: limits.max_total_bytes,
                });
            }
            sink(&buffer[..count]);
        }
        Ok(read_here)
    }

    /// Normalised names of every file, in archive order.
    pub(crate) fn file_names(&self) -> Vec<String> {
        self.by_index.iter().flatten().cloned().collect()
    }

    /// Number of entries in the archive, folders included.
    pub(crate) fn entry_count(&self) -> usize {
        self.archive.len()
    }

    /// The archive, for copying entries unchanged when signing.
    pub(crate) fn archive_mut(&mut self) -> &mut ZipArchive<R> {
        &mut self.archive
    }

    /// The normalised name of an archive entry, or `None` for a folder.
    pub(crate) fn name_of(&self, index: usize) -> Option<&str> {
        self.by_index.get(index).and_then(Option::as_deref)
    }

    /// Reads a whole file, up to `max` bytes.
    pub(crate) fn read(&mut self, path: &str, max: u64) -> Result<Vec<u8>, OfdError> {
        let mut out = Vec::new();
        let mut too_large = false;
        self.stream(path, |chunk| {
            if out.len() as u64 + chunk.len() as u64 > max {
                too_large = true;
            } else {
                out.extend_from_slice(chunk);
            }
        })?;
        if too_large {
            return Err(OfdError::EntryTooLarge {
                path: path.to_owned(),
                limit: max,
            });
        }
        Ok(out)
    }

    /// Computes the SM3 digest of a file without holding it in memory.
    pub(crate) fn sm3(&mut self, path: &str) -> Result<[u8; 32], OfdError> {
        let mut hasher = Sm3Hasher::new();
        self.stream(path, |chunk| hasher.update(chunk))?;
        Ok(hasher.finalize())
    }

    /// Computes the SM3 digests of files, in the order given, with one result per path.
    ///
    /// A file of up to [`SMALL_FILE_BYTES`] is held in memory. The files held are hashed side
    /// by side with [`sm3_many`] when they reach [`SMALL_FILES_GROUP_BYTES`] together, and at
    /// the end. A larger file is hashed as it is decompressed, as [`Package::sm3`] does.
    /// The limits of the package apply to every file.
    pub(crate) fn sm3_of_files(&mut self, paths: &[String]) -> Vec<Result<[u8; 32], OfdError>> {
        let mut results: Vec<Option<Result<[u8; 32], OfdError>>> = Vec::new();
        results.resize_with(paths.len(), || None);
        let mut in_memory: Vec<(usize, Vec<u8>)> = Vec::new();
        let mut in_memory_bytes = 0;
        for (index, path) in paths.iter().enumerate() {
            let mut buffer = Vec::new();
            let mut hasher: Option<Sm3Hasher> = None;
            let streamed = self.stream(path, |chunk| match &mut hasher {
                Some(hasher) => hasher.update(chunk),
                None if buffer.len() + chunk.len() > SMALL_FILE_BYTES => {
                    let mut large = Sm3Hasher::new();
                    large.update(&buffer);
                    large.update(chunk);
                    buffer = Vec::new();
                    hasher = Some(large);
                }
                None => buffer.extend_from_slice(chunk),
            });
            match (streamed, hasher) {
                (Err(error), _) => results[index] = Some(Err(error)),
                (Ok(_), Some(hasher)) => results[index] = Some(Ok(hasher.finalize())),
                (Ok(_), None) => {
                    in_memory_bytes += buffer.len();
                    in_memory.push((index, buffer));
                }
            }
            if in_memory_bytes >= SMALL_FILES_GROUP_BYTES {
                hash_in_memory(&mut in_memory, &mut results);
                in_memory_bytes = 0;
            }
        }
        hash_in_memory(&mut in_memory, &mut results);
        results
            .into_iter()
            .map(|result| result.expect("every path has a result"))
            .collect()
    }
}

/// The largest file that [`Package::sm3_of_files`] keeps in memory to hash side by side.
const SMALL_FILE_BYTES: usize = 1 << 20;

/// How many bytes of small files [`Package::sm3_of_files`] keeps before hashing them.
const SMALL_FILES_GROUP_BYTES: usize = 8 << 20;

/// Hashes the files held in memory side by side, stores their digests and empties the list.
fn hash_in_memory(
    in_memory: &mut Vec<(usize, Vec<u8>)>,
    results: &mut [Option<Result<[u8; 32], OfdError>>],
) {
    let messages: Vec<&[u8]> = in_memory
        .iter()
        .map(|(_, bytes)| bytes.as_slice())
        .collect();
    for ((index, _), digest) in in_memory.iter().zip(sm3_many(&messages)) {
        results[*index] = Some(Ok(digest));
    }
    in_memory.clear();
}

/// Resolves `reference` as OFD does: absolute from the package root when it starts with `/`,
/// otherwise relative to the folder `base_dir` (no leading or trailing `/`; empty for the root).
/// Repeated slashes and `.` are ignored; `..` may not climb above the root.
pub(crate) fn resolve(base_dir: &str, reference: &str) -> Result<String, OfdError> {
    let reference = reference.trim();
    let outside = || OfdError::PathOutsidePackage(reference.to_owned());
    if reference.is_empty()
        || reference.contains('\\')
        || reference.contains(':')
        || reference.contains('\0')
    {
        return Err(outside());
    }
    let mut parts: Vec<&str> = Vec::new();
    if !reference.starts_with('/') {
        parts.extend(base_dir.split('/').filter(|p| !p.is_empty()));
    }
    for part in reference.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(outside());
                }
            }
            name => parts.push(name),
        }
    }
    if parts.is_empty() {
        return Err(outside());
    }
    Ok(parts.join("/"))
}

/// The folder of a resolved path (`Doc_0/Signs` for `Doc_0/Signs/Signatures.xml`).
pub(crate) fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_digests_match_one_by_one() {
        use std::io::{Cursor, Write};

        // Files around the in-memory limit and enough small ones to hash in two groups.
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        for (index, length) in [0, 1, 64, 4096, SMALL_FILE_BYTES, SMALL_FILE_BYTES + 1]
            .into_iter()
            .enumerate()
        {
            files.push((
                format!("Doc_0/Res/file{index}.bin"),
                vec![index as u8; length],
            ));
        }
        for index in 0..10 {
            let length = 900 * 1024 + index;
            files.push((
                format!("Doc_0/Res/large{index}.bin"),
                vec![0x5a ^ index as u8; length],
            ));
        }
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in &files {
            zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(bytes).unwrap();
        }
        let archive = zip.finish().unwrap().into_inner();

        let mut package = Package::open(Cursor::new(archive), Limits::default()).unwrap();
        let mut paths: Vec<String> = files.iter().map(|(name, _)| name.clone()).collect();
        paths.insert(3, "Doc_0/Res/missing.bin".to_string());
        let results = package.sm3_of_files(&paths);
        assert_eq!(results.len(), paths.len());
        assert!(matches!(results[3], Err(OfdError::Missing(_))));
        for (path, result) in paths.iter().zip(&results) {
            if path.ends_with("missing.bin") {
                continue;
            }
            let bytes = &files.iter().find(|(name, _)| name == path).unwrap().1;
            assert_eq!(
                result.as_ref().unwrap(),
                &crate::crypto::sm3(bytes),
                "{path}"
            );
            assert_eq!(
                result.as_ref().unwrap(),
                &package.sm3(path).unwrap(),
                "{path}"
            );
        }
    }

    #[test]
    fn absolute_and_relative_paths() {
        assert_eq!(
            resolve("Doc_0/Signs", "/Doc_0/Pages/Page_0/Content.xml").unwrap(),
            "Doc_0/Pages/Page_0/Content.xml"
        );
        assert_eq!(
            resolve("Doc_0/Signs", "Sign_0/Signature.xml").unwrap(),
            "Doc_0/Signs/Sign_0/Signature.xml"
        );
        assert_eq!(
            resolve("Doc_0/Signs", "//Doc_0/Signs/Sign_1/Seal.esl").unwrap(),
            "Doc_0/Signs/Sign_1/Seal.esl"
        );
        assert_eq!(
            resolve("Doc_0/Signs/Sign_0", "../Signatures.xml").unwrap(),
            "Doc_0/Signs/Signatures.xml"
        );
        assert_eq!(resolve("", "./OFD.xml").unwrap(), "OFD.xml");
    }

    #[test]
    fn escaping_paths_are_rejected() {
        for bad in [
            "../secret",
            "/../etc/passwd",
            "Doc_0/../../x",
            "C:\\Windows\\win.ini",
            "file:///etc/passwd",
            "a\\b",
            "",
            "/",
        ] {
            assert!(
                matches!(resolve("", bad), Err(OfdError::PathOutsidePackage(_))),
                "{bad}"
            );
        }
        assert!(resolve("Doc_0", "../../etc/passwd").is_err());
    }

    #[test]
    fn parent_folder() {
        assert_eq!(parent("Doc_0/Signs/Signatures.xml"), "Doc_0/Signs");
        assert_eq!(parent("OFD.xml"), "");
    }
}
