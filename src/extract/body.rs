//! A document's text, kept compressed from extraction to indexing, and
//! during a build in a file beside the index rather than in memory.

use std::fmt;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The whole text of a document, markup removed, held LZ4-compressed: it
/// is most of a document's memory (317 MB of the six shared locales'
/// 436 MB of records, 89–94 MB packed) and is read only by the steps that
/// look through it (the credits' name search, the KB mention counts, the
/// index writer), each once. A build moves it to a [`Spill`] file, so that
/// what a build holds does not grow with the corpus's text.
#[derive(Clone, Default)]
pub struct Body {
    held: Held,
}

#[derive(Clone)]
enum Held {
    /// Packed, in memory.
    Here(Vec<u8>),
    /// Packed, in a spill file: where, and how many bytes.
    Spilled {
        spill: Arc<Spill>,
        at: u64,
        packed: usize,
        len: usize,
    },
}

impl Default for Held {
    fn default() -> Held {
        Held::Here(Vec::new())
    }
}

impl Body {
    /// Packs `text`.
    pub fn new(text: &str) -> Body {
        Body {
            held: Held::Here(lz4_flex::compress_prepend_size(text.as_bytes())),
        }
    }

    /// The text, unpacked.
    ///
    /// # Panics
    /// When a spilled body cannot be read back from its file (a disk
    /// failure during the build: the build stops and the index in use is
    /// left as it was).
    pub fn text(&self) -> String {
        let packed = match &self.held {
            Held::Here(packed) => std::borrow::Cow::Borrowed(packed),
            Held::Spilled {
                spill, at, packed, ..
            } => match spill.read(*at, *packed) {
                Ok(bytes) => std::borrow::Cow::Owned(bytes),
                Err(e) => panic!("cannot read back {}: {e}", spill.path.display()),
            },
        };
        if packed.is_empty() {
            return String::new();
        }
        // Only `new` packs, from a valid string: neither step fails.
        let bytes = lz4_flex::decompress_size_prepended(&packed).unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// Bytes of the text.
    pub fn len(&self) -> usize {
        match &self.held {
            // `compress_prepend_size` puts the text's length first.
            Held::Here(packed) => match packed.get(..4) {
                Some(n) => u32::from_le_bytes([n[0], n[1], n[2], n[3]]) as usize,
                None => 0,
            },
            Held::Spilled { len, .. } => *len,
        }
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes held, in memory or in a spill file.
    pub fn packed_len(&self) -> usize {
        match &self.held {
            Held::Here(packed) => packed.len(),
            Held::Spilled { packed, .. } => *packed,
        }
    }

    /// The packed text, where it is held in memory.
    pub fn packed(&self) -> Option<&[u8]> {
        match &self.held {
            Held::Here(packed) => Some(packed),
            Held::Spilled { .. } => None,
        }
    }

    /// A body from what [`Body::packed`] gave, if it unpacks.
    pub fn from_packed(packed: Vec<u8>) -> Option<Body> {
        if !packed.is_empty() {
            let text = lz4_flex::decompress_size_prepended(&packed).ok()?;
            std::str::from_utf8(&text).ok()?;
        }
        Some(Body {
            held: Held::Here(packed),
        })
    }

    /// Moves the packed text to `spill`; where it cannot be written, the
    /// text stays in memory (and the error is returned).
    pub fn spill(&mut self, spill: &Arc<Spill>) -> io::Result<()> {
        let Held::Here(packed) = &self.held else {
            return Ok(());
        };
        let len = self.len();
        let at = spill.append(packed)?;
        self.held = Held::Spilled {
            spill: Arc::clone(spill),
            at,
            packed: packed.len(),
            len,
        };
        Ok(())
    }
}

impl PartialEq for Body {
    fn eq(&self, other: &Body) -> bool {
        self.len() == other.len() && self.text() == other.text()
    }
}

impl Eq for Body {}

impl From<&str> for Body {
    fn from(text: &str) -> Body {
        Body::new(text)
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.held {
            Held::Here(packed) => write!(f, "Body({} bytes packed)", packed.len()),
            Held::Spilled { packed, .. } => write!(f, "Body({packed} bytes packed, spilled)"),
        }
    }
}

/// Written as the text (`extract FILE` prints it).
impl Serialize for Body {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text())
    }
}

/// Read back from its written form, the text.
impl<'de> Deserialize<'de> for Body {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Body, D::Error> {
        String::deserialize(d).map(|text| Body::new(&text))
    }
}

/// A file that holds packed bodies for as long as a [`Body`] refers to it,
/// removed when the last one is dropped.
pub struct Spill {
    path: PathBuf,
    file: Mutex<(File, u64)>,
}

impl Spill {
    /// Creates the file at `path` (which must not exist).
    pub fn create(path: &Path) -> io::Result<Arc<Spill>> {
        let file = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(path)?;
        Ok(Arc::new(Spill {
            path: path.to_path_buf(),
            file: Mutex::new((file, 0)),
        }))
    }

    /// Bytes written so far.
    pub fn len(&self) -> u64 {
        self.lock().1
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (File, u64)> {
        // The file and its end are only changed together, in one step that
        // does not panic between them: a poisoned lock still holds them.
        self.file.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes `bytes` at the end; returns where they start.
    fn append(&self, bytes: &[u8]) -> io::Result<u64> {
        let mut guard = self.lock();
        let (file, end) = &mut *guard;
        let at = *end;
        file.seek(SeekFrom::Start(at))?;
        // Bytes written in part before an error are never referred to, and
        // the next append writes over them.
        file.write_all(bytes)?;
        *end = at + bytes.len() as u64;
        Ok(at)
    }

    fn read(&self, at: u64, len: usize) -> io::Result<Vec<u8>> {
        let mut guard = self.lock();
        let (file, _) = &mut *guard;
        file.seek(SeekFrom::Start(at))?;
        let mut bytes = vec![0; len];
        file.read_exact(&mut bytes)?;
        Ok(bytes)
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
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

    #[test]
    fn spilled_bodies_give_back_their_text_and_the_file_goes_with_the_last() {
        let dir = std::env::temp_dir().join(format!("bs-spill-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bodies");
        let spill = Spill::create(&path).unwrap();
        let texts = ["MS07-017 KB925902", "", &"脆弱性 — Sårbarhed\n".repeat(300)];
        let mut bodies: Vec<Body> = texts.iter().map(|t| Body::new(t)).collect();
        let held: Vec<usize> = bodies.iter().map(Body::packed_len).collect();
        for b in &mut bodies {
            b.spill(&spill).unwrap();
        }
        assert_eq!(spill.len(), held.iter().sum::<usize>() as u64);
        drop(spill);
        for ((b, text), packed) in bodies.iter().zip(texts).zip(held) {
            assert_eq!(b.text(), text);
            assert_eq!((b.len(), b.packed_len()), (text.len(), packed));
            assert_eq!(
                format!("{b:?}"),
                format!("Body({packed} bytes packed, spilled)")
            );
            assert_eq!(b, &Body::new(text));
        }
        assert!(path.exists());
        let copy = bodies[2].clone();
        drop(bodies);
        assert_eq!(copy.text(), texts[2]);
        drop(copy);
        assert!(!path.exists(), "the spill file outlived its bodies");
        // Created anew, never over a file that exists.
        std::fs::write(&path, b"x").unwrap();
        assert!(Spill::create(&path).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
