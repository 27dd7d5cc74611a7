//! A file of the served site as watch mode holds it in memory: LZ4-compressed (the only user of
//! `lz4_flex`), so that the site held to answer requests takes about a third of its size (a
//! 1,000-organisation hub's 1.7 GB of pages in 0.5 GB). Two packed files are equal exactly
//! when their bytes are: the same bytes are always packed alike.

/// A file's bytes, packed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Packed {
    /// LZ4 with the length before it, for what compresses.
    Lz4(Box<[u8]>),
    /// As they are: what does not compress (images, fonts) or is too large for one block.
    Raw(Box<[u8]>),
}

/// Past this, a file is kept as it is (an LZ4 block records its length in 32 bits).
const LARGEST_BLOCK: usize = 1 << 30;

impl Packed {
    /// Packs `bytes`.
    pub fn new(bytes: &[u8]) -> Packed {
        if bytes.len() <= LARGEST_BLOCK {
            let packed = lz4_flex::compress_prepend_size(bytes);
            if packed.len() < bytes.len() {
                return Packed::Lz4(packed.into_boxed_slice());
            }
        }
        Packed::Raw(bytes.into())
    }

    /// The bytes, unpacked.
    pub fn bytes(&self) -> Vec<u8> {
        match self {
            // Only this module packs, so what it packed always unpacks.
            Packed::Lz4(packed) => lz4_flex::decompress_size_prepended(packed).unwrap_or_default(),
            Packed::Raw(bytes) => bytes.to_vec(),
        }
    }

    /// How many bytes it holds, unpacked.
    pub fn len(&self) -> usize {
        match self {
            Packed::Lz4(packed) => lz4_flex::block::uncompressed_size(packed).map_or(0, |(size, _)| size),
            Packed::Raw(bytes) => bytes.len(),
        }
    }

    /// True when it holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpacks_what_it_packed_and_compares_by_bytes() {
        let page = "<p>We collect your data.</p>\n".repeat(200).into_bytes();
        let packed = Packed::new(&page);
        assert!(
            matches!(packed, Packed::Lz4(ref b) if b.len() * 4 < page.len()),
            "pages compress"
        );
        assert_eq!((packed.bytes(), packed.len()), (page.clone(), page.len()));
        assert_eq!(packed, Packed::new(&page));
        let mut edited = page.clone();
        edited[100] = b'X';
        assert_ne!(packed, Packed::new(&edited));
        for raw in [Vec::new(), vec![7u8], (0..=255u8).collect()] {
            let packed = Packed::new(&raw);
            assert!(
                matches!(packed, Packed::Raw(_)),
                "what does not compress is kept as it is"
            );
            assert_eq!(
                (packed.bytes(), packed.len(), packed.is_empty()),
                (raw.clone(), raw.len(), raw.is_empty())
            );
        }
    }
}
