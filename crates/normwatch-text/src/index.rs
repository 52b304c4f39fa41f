//! The pre-tokenised form of a collection of texts: an inverted index from each
//! lower-cased token (a *term*) to its postings, the documents it occurs in and its
//! positions there, compactly encoded so that a store can persist one blob per term.
//!
//! A document is identified by its index in the collection (0, 1, 2, … in the order the
//! texts were added); the caller keeps a table of documents in the same order
//! ([`crate::count::SpeechMeta`]). Counting a pattern then reads only the postings of the
//! terms the pattern can match ([`Element::term_range`]), never the texts.
//!
//! ## Encoding of one term's postings
//!
//! A sequence of document entries in increasing document order; each is
//! `varint(document - previous document)` (the first: the document itself), `varint(n)`
//! and `n` varints of position deltas (the first: the position itself), where a position
//! is the 0-based index of the token in its text. Varints are LEB128, 7 bits a byte.

use std::hash::Hasher;

use crate::pattern::{Element, Pattern};
use crate::token::{lower_into, tokens};

/// Builds a [`TermIndex`] from texts added one by one.
#[derive(Debug, Default)]
pub struct IndexBuilder {
    ids: Interner,
    terms: Vec<Building>,
    docs: u32,
    touched: Vec<u32>,
    buffer: String,
}

#[derive(Debug, Default)]
struct Building {
    bytes: Vec<u8>,
    last_doc: Option<u32>,
    positions: Vec<u32>,
}

/// What adding a text produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Added {
    /// The document's id: its index in the collection.
    pub doc: u32,
    /// Its number of tokens.
    pub words: u32,
}

impl IndexBuilder {
    pub fn new() -> IndexBuilder {
        IndexBuilder::default()
    }

    /// Adds the next document's text.
    pub fn add(&mut self, text: &str) -> Added {
        let doc = self.docs;
        self.docs += 1;
        let mut words = 0u32;
        for token in tokens(text) {
            words = token.position + 1;
            lower_into(&text[token.start..token.end], &mut self.buffer);
            let (id, new) = self.ids.intern(self.buffer.as_bytes());
            if new {
                self.terms.push(Building::default());
            }
            let term = &mut self.terms[id as usize];
            if term.positions.is_empty() {
                self.touched.push(id);
            }
            term.positions.push(token.position);
        }
        for id in self.touched.drain(..) {
            let term = &mut self.terms[id as usize];
            put_varint(&mut term.bytes, doc - term.last_doc.unwrap_or(0));
            term.last_doc = Some(doc);
            put_varint(&mut term.bytes, term.positions.len() as u32);
            let mut previous = 0;
            for &position in &term.positions {
                put_varint(&mut term.bytes, position - previous);
                previous = position;
            }
            term.positions.clear();
        }
        Added { doc, words }
    }

    /// How many documents have been added.
    pub fn documents(&self) -> u32 {
        self.docs
    }

    /// The finished index, its terms sorted.
    pub fn finish(self) -> TermIndex {
        let terms: Vec<(String, Vec<u8>)> = self
            .terms
            .into_iter()
            .enumerate()
            .map(|(id, building)| (self.ids.term(id as u32).to_string(), building.bytes))
            .collect();
        let mut terms = terms;
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        TermIndex { documents: self.docs, terms }
    }
}

/// An inverted index: every term of a collection with its encoded postings, sorted by term.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TermIndex {
    documents: u32,
    terms: Vec<(String, Vec<u8>)>,
}

impl TermIndex {
    /// Builds the index of a collection of texts, in order.
    pub fn build<'a>(texts: impl IntoIterator<Item = &'a str>) -> TermIndex {
        let mut builder = IndexBuilder::new();
        for text in texts {
            builder.add(text);
        }
        builder.finish()
    }

    /// How many documents the index was built over.
    pub fn documents(&self) -> u32 {
        self.documents
    }

    /// Every term and its encoded postings, sorted by term: what a store persists.
    pub fn terms(&self) -> &[(String, Vec<u8>)] {
        &self.terms
    }

    pub fn into_terms(self) -> Vec<(String, Vec<u8>)> {
        self.terms
    }

    /// The postings of exactly one term.
    pub fn get(&self, term: &str) -> Option<&[u8]> {
        self.terms.binary_search_by(|(t, _)| t.as_str().cmp(term)).ok().map(|i| self.terms[i].1.as_slice())
    }

    /// The terms an element can match, with their postings.
    pub fn matching(&self, element: &Element) -> &[(String, Vec<u8>)] {
        let (start, end) = element.term_range();
        let from = self.terms.partition_point(|(t, _)| t.as_str() < start.as_str());
        let to = match end {
            Some(end) => self.terms.partition_point(|(t, _)| t.as_str() < end.as_str()),
            None => self.terms.len(),
        };
        &self.terms[from..to.max(from)]
    }

    /// The postings a pattern needs, as a store would hand them back.
    pub fn postings_for(&self, pattern: &Pattern) -> PostingSet {
        let mut set = PostingSet::default();
        for element in pattern.elements() {
            for (term, bytes) in self.matching(element) {
                set.insert(term.clone(), bytes.clone());
            }
        }
        set
    }
}

/// The postings of some terms: what a store reads for a pattern (every term in each
/// element's [`Element::term_range`]) and hands to [`count`]. Terms that match no element
/// are ignored, so a store may hand back more than needed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PostingSet {
    terms: Vec<(String, Vec<u8>)>,
}

impl PostingSet {
    pub fn new(terms: Vec<(String, Vec<u8>)>) -> PostingSet {
        let mut set = PostingSet { terms };
        set.terms.sort_by(|a, b| a.0.cmp(&b.0));
        set.terms.dedup_by(|a, b| a.0 == b.0);
        set
    }

    pub fn insert(&mut self, term: String, postings: Vec<u8>) {
        match self.terms.binary_search_by(|(t, _)| t.cmp(&term)) {
            Ok(i) => self.terms[i].1 = postings,
            Err(i) => self.terms.insert(i, (term, postings)),
        }
    }

    pub fn terms(&self) -> &[(String, Vec<u8>)] {
        &self.terms
    }
}

/// The postings of a term, decoded: `(document, positions)` in document order.
pub fn decode(term: &str, bytes: &[u8]) -> Result<Vec<(u32, Vec<u32>)>, PostingsError> {
    let mut out = Vec::new();
    let mut cursor = Cursor { bytes, at: 0, term };
    let mut doc: Option<u32> = None;
    while cursor.at < bytes.len() {
        let delta = cursor.varint()?;
        let this = match doc {
            None => delta,
            Some(previous) if delta > 0 => {
                previous.checked_add(delta).ok_or_else(|| cursor.error("document overflow"))?
            }
            Some(_) => return Err(cursor.error("documents are not increasing")),
        };
        doc = Some(this);
        let n = cursor.varint()? as usize;
        if n == 0 || n > bytes.len() - cursor.at {
            return Err(cursor.error("a document entry's position count does not fit"));
        }
        let mut positions = Vec::with_capacity(n);
        let mut position = 0u32;
        for i in 0..n {
            let delta = cursor.varint()?;
            if i > 0 && delta == 0 {
                return Err(cursor.error("positions are not increasing"));
            }
            position = position.checked_add(delta).ok_or_else(|| cursor.error("position overflow"))?;
            positions.push(position);
        }
        out.push((this, positions));
    }
    Ok(out)
}

/// Encodes postings (documents increasing, positions increasing and non-empty).
pub fn encode(postings: &[(u32, Vec<u32>)]) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut previous_doc = 0;
    for (doc, positions) in postings {
        put_varint(&mut bytes, doc - previous_doc);
        previous_doc = *doc;
        put_varint(&mut bytes, positions.len() as u32);
        let mut previous = 0;
        for &p in positions {
            put_varint(&mut bytes, p - previous);
            previous = p;
        }
    }
    bytes
}

/// Postings that do not decode: a corrupt blob in a store.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the postings of the term `{term}` are corrupt at byte {at}: {reason}")]
pub struct PostingsError {
    pub term: String,
    pub at: usize,
    pub reason: &'static str,
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
    term: &'a str,
}

impl Cursor<'_> {
    fn varint(&mut self) -> Result<u32, PostingsError> {
        let mut value: u64 = 0;
        for shift in (0..35).step_by(7) {
            let byte = *self.bytes.get(self.at).ok_or_else(|| self.error("the blob ends inside a number"))?;
            self.at += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return u32::try_from(value).map_err(|_| self.error("a number is too large"));
            }
        }
        Err(self.error("a number is too long"))
    }

    fn error(&self, reason: &'static str) -> PostingsError {
        PostingsError { term: self.term.to_string(), at: self.at, reason }
    }
}

fn put_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// How often a pattern occurs in one document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocHit {
    pub doc: u32,
    /// Occurrences (for a phrase: start positions of the whole phrase).
    pub count: u32,
    /// The position of the first occurrence.
    pub first: u32,
}

/// Where a pattern occurs in a collection: one entry per document with at least one
/// occurrence, in document order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hits {
    pub docs: Vec<DocHit>,
}

impl Hits {
    pub fn total(&self) -> u64 {
        self.docs.iter().map(|h| u64::from(h.count)).sum()
    }
}

/// Counts a pattern from the postings of its terms.
pub fn count(pattern: &Pattern, postings: &PostingSet) -> Result<Hits, PostingsError> {
    let elements = pattern.elements();
    // Per element: document → sorted positions (the union over the element's terms).
    let mut per_element: Vec<Vec<(u32, Vec<u32>)>> = Vec::with_capacity(elements.len());
    for element in elements {
        let mut merged: Vec<(u32, Vec<u32>)> = Vec::new();
        let mut parts = 0;
        for (term, bytes) in postings.terms() {
            if !element.matches(term) {
                continue;
            }
            parts += 1;
            merged.extend(decode(term, bytes)?);
        }
        if parts > 1 {
            merged.sort_by_key(|(doc, _)| *doc);
            let mut out: Vec<(u32, Vec<u32>)> = Vec::with_capacity(merged.len());
            for (doc, positions) in merged {
                match out.last_mut() {
                    Some((last, existing)) if *last == doc => existing.extend(positions),
                    _ => out.push((doc, positions)),
                }
            }
            for (_, positions) in &mut out {
                positions.sort_unstable();
            }
            merged = out;
        }
        per_element.push(merged);
    }
    let mut hits = Hits::default();
    let (first, rest) = per_element.split_first().expect("a pattern has at least one element");
    if rest.is_empty() {
        hits.docs = first
            .iter()
            .map(|(doc, positions)| DocHit { doc: *doc, count: positions.len() as u32, first: positions[0] })
            .collect();
        return Ok(hits);
    }
    let mut cursors = vec![0usize; rest.len()];
    'docs: for (doc, starts) in first {
        let mut lists: Vec<&[u32]> = Vec::with_capacity(rest.len());
        for (list, cursor) in rest.iter().zip(cursors.iter_mut()) {
            while *cursor < list.len() && list[*cursor].0 < *doc {
                *cursor += 1;
            }
            match list.get(*cursor) {
                Some((d, positions)) if d == doc => lists.push(positions),
                _ => continue 'docs,
            }
        }
        let mut count = 0u32;
        let mut first_at = None;
        for &start in starts {
            let all = lists.iter().enumerate().all(|(i, positions)| {
                start.checked_add(i as u32 + 1).is_some_and(|p| positions.binary_search(&p).is_ok())
            });
            if all {
                count += 1;
                first_at.get_or_insert(start);
            }
        }
        if let Some(first) = first_at {
            hits.docs.push(DocHit { doc: *doc, count, first });
        }
    }
    Ok(hits)
}

/// The positions where a pattern starts in one text, found by scanning it.
pub fn positions_in_text(pattern: &Pattern, text: &str) -> Vec<u32> {
    let words = crate::token::words(text);
    let n = pattern.elements().len();
    if words.len() < n {
        return Vec::new();
    }
    (0..=words.len() - n).filter(|&i| pattern.matches(&words[i..i + n])).map(|i| i as u32).collect()
}

/// Term → id, the terms' bytes kept in one arena: a small working set for the tens of
/// millions of lookups of an import (open addressing, linear probing, a hash tag per slot).
#[derive(Debug, Default)]
struct Interner {
    /// 0: empty; else the hash's high 32 bits and `id + 1`.
    slots: Vec<u64>,
    /// id → (offset, length) in `arena`.
    spans: Vec<(u32, u32)>,
    arena: Vec<u8>,
}

impl Interner {
    fn hash(key: &[u8]) -> u64 {
        let mut hasher = Fx(0);
        hasher.write(key);
        hasher.add(key.len() as u64);
        // Mix the high bits down: Fx's low bits depend on the first bytes only.
        let mut h = hasher.0;
        h ^= h >> 29;
        h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h ^ (h >> 32)
    }

    /// The id of `key`, and whether it is new.
    fn intern(&mut self, key: &[u8]) -> (u32, bool) {
        if (self.spans.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let hash = Interner::hash(key);
        let tag = hash >> 32 << 32;
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                let id = self.spans.len() as u32;
                self.spans.push((self.arena.len() as u32, key.len() as u32));
                self.arena.extend_from_slice(key);
                self.slots[i] = tag | u64::from(id + 1);
                return (id, true);
            }
            if slot & 0xffff_ffff_0000_0000 == tag {
                let id = (slot as u32) - 1;
                if self.key(id) == key {
                    return (id, false);
                }
            }
            i = (i + 1) & mask;
        }
    }

    fn key(&self, id: u32) -> &[u8] {
        let (offset, len) = self.spans[id as usize];
        &self.arena[offset as usize..(offset + len) as usize]
    }

    fn term(&self, id: u32) -> &str {
        std::str::from_utf8(self.key(id)).expect("terms are interned from strings")
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(1 << 12);
        let mut slots = vec![0u64; size];
        for id in 0..self.spans.len() as u32 {
            let hash = Interner::hash(self.key(id));
            let mut i = hash as usize & (size - 1);
            while slots[i] != 0 {
                i = (i + 1) & (size - 1);
            }
            slots[i] = (hash >> 32 << 32) | u64::from(id + 1);
        }
        self.slots = slots;
    }
}

/// FxHash (as in rustc): fast hashing of the many short terms of a corpus. Not resistant
/// to crafted collisions, which only slow an import down.
struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TEXTS: [&str; 4] = [
        "Cyber-security and cybercrime: the cyber domain. Critical infrastructure!",
        "Nothing here but critical infrastructures, critical infrastructure and CYBER.",
        "",
        "cyber cyber cyber",
    ];

    fn hits(pattern: &str) -> Vec<(u32, u32, u32)> {
        let index = TermIndex::build(TEXTS);
        let pattern = Pattern::parse(pattern).unwrap();
        let found = count(&pattern, &index.postings_for(&pattern)).unwrap();
        found.docs.into_iter().map(|h| (h.doc, h.count, h.first)).collect()
    }

    #[test]
    fn counts_words_prefixes_and_phrases_from_postings() {
        assert_eq!(hits("cyber"), [(0, 2, 0), (1, 1, 8), (3, 3, 0)]);
        assert_eq!(hits("cyber*"), [(0, 3, 0), (1, 1, 8), (3, 3, 0)]);
        assert_eq!(hits("\"critical infrastructure\""), [(0, 1, 7), (1, 1, 5)]);
        assert_eq!(hits("\"critical infrastructure*\""), [(0, 1, 7), (1, 2, 3)]);
        assert_eq!(hits("\"cyber cyber\""), [(3, 2, 0)]);
        assert!(hits("absent").is_empty());
        assert!(hits("\"cyber absent\"").is_empty());
    }

    #[test]
    fn the_index_knows_its_documents_and_terms() {
        let index = TermIndex::build(TEXTS);
        assert_eq!(index.documents(), 4);
        assert!(index.terms().windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(
            decode("cyber", index.get("cyber").unwrap()).unwrap(),
            [(0, vec![0, 5]), (1, vec![8]), (3, vec![0, 1, 2])]
        );
        let names: Vec<&str> =
            index.matching(&Element::Prefix("cyber".into())).iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(names, ["cyber", "cybercrime"]);
    }

    #[test]
    fn corrupt_postings_are_errors_not_panics() {
        for bytes in [&[0x80][..], &[0, 0], &[0, 1, 0, 0, 1, 0], &[0, 2, 1, 0], &[0xff, 0xff, 0xff, 0xff, 0xff, 0x01]] {
            let error = decode("war", bytes).unwrap_err();
            assert_eq!(error.term, "war");
        }
    }

    proptest! {
        #[test]
        fn counting_from_the_index_equals_scanning_the_texts(
            texts in proptest::collection::vec("(cyber|Cyber|cybercrime|war|the|a|,|\\.| |\n){0,30}", 0..6),
            pattern in "(cyber\\*?|war|the|\"the cyber\\*\"|\"war war\")",
        ) {
            let pattern = Pattern::parse(&pattern).unwrap();
            let index = TermIndex::build(texts.iter().map(String::as_str));
            let found = count(&pattern, &index.postings_for(&pattern)).unwrap();
            let mut expected = Vec::new();
            for (doc, text) in texts.iter().enumerate() {
                let positions = positions_in_text(&pattern, text);
                if let Some(&first) = positions.first() {
                    expected.push(DocHit { doc: doc as u32, count: positions.len() as u32, first });
                }
            }
            prop_assert_eq!(found.docs, expected);
        }

        #[test]
        fn postings_round_trip(raw in proptest::collection::btree_map(0u32..1000, proptest::collection::btree_set(0u32..5000, 1..8), 0..20)) {
            let postings: Vec<(u32, Vec<u32>)> = raw.into_iter().map(|(d, p)| (d, p.into_iter().collect())).collect();
            prop_assert_eq!(decode("t", &encode(&postings)).unwrap(), postings);
        }

        #[test]
        fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = decode("t", &bytes);
        }
    }
}
