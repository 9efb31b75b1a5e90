//! A document's text, kept compressed from extraction to indexing.

use std::fmt;

use serde::{Serialize, Serializer};

/// The whole text of a document, markup removed, held LZ4-compressed: it
/// is most of a document's memory (317 MB of the six shared locales'
/// 436 MB of records, 89 MB packed) and is read only by the steps that
/// look through it (the credits' name search, the KB mention counts, the
/// index writer), each once.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Body {
    packed: Vec<u8>,
}

impl Body {
    /// Packs `text`.
    pub fn new(text: &str) -> Body {
        Body {
            packed: lz4_flex::compress_prepend_size(text.as_bytes()),
        }
    }

    /// The text, unpacked.
    pub fn text(&self) -> String {
        if self.packed.is_empty() {
            return String::new();
        }
        // Only `new` writes `packed`, from a valid string: neither step fails.
        let bytes = lz4_flex::decompress_size_prepended(&self.packed).unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// Bytes of the text.
    pub fn len(&self) -> usize {
        // `compress_prepend_size` puts the text's length first.
        match self.packed.get(..4) {
            Some(n) => u32::from_le_bytes([n[0], n[1], n[2], n[3]]) as usize,
            None => 0,
        }
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes held.
    pub fn packed_len(&self) -> usize {
        self.packed.len()
    }
}

impl From<&str> for Body {
    fn from(text: &str) -> Body {
        Body::new(text)
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Body({} bytes packed)", self.packed.len())
    }
}

/// Written as the text (`extract FILE` prints it).
impl Serialize for Body {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_gives_back_its_text() {
        for text in [
            "",
            "MS07-017 KB925902",
            &"Sårbarhed i GDI — 脆弱性\n".repeat(500),
        ] {
            let b = Body::new(text);
            assert_eq!(b.text(), text);
            assert_eq!(b.len(), text.len());
            assert_eq!(
                serde_json::to_string(&b).unwrap(),
                serde_json::to_string(text).unwrap()
            );
        }
        let long = Body::new(
            &"Sårbarhed i GDI kan give mulighed for fjernudførelse af kode\n".repeat(500),
        );
        assert!(long.packed_len() < 2_000, "{}", long.packed_len());
    }
}
