//! normwatch-text: texts as data (placeholder; documented below once complete).

pub mod count;
pub mod diff;
pub mod index;
pub mod lexicon;
pub mod pattern;
pub mod resolution;
pub mod token;
pub mod ungdc;
