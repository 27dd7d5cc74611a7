//! How a block's HTML and text are serialized (for the build cache): the versions of a policy
//! share one copy of each text they repeat ([`super::share_texts`]), and within
//! [`writing_shared`] each shared text is written once, later uses as its number; within
//! [`reading_shared`] they are read back shared. The table lives on the thread doing the
//! (de)serialization, for the length of one call.

use std::cell::RefCell;
use std::collections::hash_map::{Entry, HashMap};
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

thread_local! {
    /// Texts written so far, by address, with their numbers.
    static WRITTEN: RefCell<Option<HashMap<usize, u32>>> = const { RefCell::new(None) };
    /// Texts read so far, in order.
    static READ: RefCell<Option<Vec<Arc<str>>>> = const { RefCell::new(None) };
}

/// A text as stored: itself, or the number of a text stored before.
#[derive(Serialize, Deserialize)]
enum Stored<'a> {
    Text(&'a str),
    Again(u32),
}

#[derive(Deserialize)]
enum Owned {
    Text(String),
    Again(u32),
}

/// Runs `write` (which serializes blocks) so that a text shared by several blocks is written
/// once.
pub fn writing_shared<T>(write: impl FnOnce() -> T) -> T {
    let outer = WRITTEN.replace(Some(HashMap::new()));
    // Put back what was there even if `write` panics.
    let mut outer = Some(outer);
    let _restore = Restore(|| WRITTEN.set(outer.take().flatten()));
    write()
}

/// Runs `read` (which deserializes what [`writing_shared`] wrote) so that shared texts are
/// shared again.
pub fn reading_shared<T>(read: impl FnOnce() -> T) -> T {
    let outer = READ.replace(Some(Vec::new()));
    let mut outer = Some(outer);
    let _restore = Restore(|| READ.set(outer.take().flatten()));
    read()
}

/// Runs its closure when dropped.
struct Restore<F: FnMut()>(F);

impl<F: FnMut()> Drop for Restore<F> {
    fn drop(&mut self) {
        (self.0)()
    }
}

pub(crate) fn serialize<S: Serializer>(text: &Arc<str>, serializer: S) -> Result<S::Ok, S::Error> {
    let address = Arc::as_ptr(text) as *const u8 as usize;
    let before = WRITTEN.with_borrow_mut(|table| {
        let table = table.as_mut()?;
        let next = table.len() as u32;
        match table.entry(address) {
            Entry::Occupied(known) => Some(*known.get()),
            Entry::Vacant(new) => {
                new.insert(next);
                None
            }
        }
    });
    match before {
        Some(number) => Stored::Again(number).serialize(serializer),
        None => Stored::Text(text).serialize(serializer),
    }
}

pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Arc<str>, D::Error> {
    match Owned::deserialize(deserializer)? {
        Owned::Text(text) => {
            let text: Arc<str> = text.into();
            READ.with_borrow_mut(|table| {
                if let Some(table) = table.as_mut() {
                    table.push(Arc::clone(&text));
                }
            });
            Ok(text)
        }
        Owned::Again(number) => READ
            .with_borrow(|table| table.as_ref().and_then(|t| t.get(number as usize)).cloned())
            .ok_or_else(|| serde::de::Error::custom(format!("no shared text number {number}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse, share_texts, Document};
    use super::*;

    #[test]
    fn shared_texts_are_written_once_and_read_back_shared() {
        let text = "# Title\n\nA long clause that both versions keep, word for word, as most do.\n";
        let mut documents: Vec<Document> = vec![parse(text), parse(&format!("{text}\nA new one.\n"))];
        share_texts(documents.iter_mut().flat_map(|d| d.blocks.iter_mut()));
        let shared = writing_shared(|| postcard::to_stdvec(&documents).unwrap());
        let unshared = postcard::to_stdvec(&documents).unwrap();
        assert!(
            shared.len() + 60 < unshared.len(),
            "{} vs {}",
            shared.len(),
            unshared.len()
        );

        let read: Vec<Document> = reading_shared(|| postcard::from_bytes(&shared).unwrap());
        assert_eq!(read, documents);
        assert!(Arc::ptr_eq(&read[0].blocks[1].text, &read[1].blocks[1].text));
        // Outside `reading_shared`, a back-reference has nothing to refer to: an error, not a panic.
        assert!(postcard::from_bytes::<Vec<Document>>(&shared).is_err());
    }
}
