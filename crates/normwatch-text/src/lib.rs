//! normwatch-text: texts as data (placeholder; documented below once complete).

pub mod count;
pub mod index;
pub mod pattern;
pub mod token;
pub mod ungdc;
