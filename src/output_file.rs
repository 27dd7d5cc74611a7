//! One file of the built site, the unit every stage hands on (render, output, archive,
//! serve): a leaf type, so that none of them depends on another for it.

/// A file of the built site: its path relative to the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}
