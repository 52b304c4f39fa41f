//! UN General Assembly roll-call votes: reading the three datasets normwatch knows, a
//! compact in-memory model, and the analyses researchers run first.
//!
//! - [`formats`] reads each dataset from any `impl Read` (gzip or plain, detected by its
//!   magic bytes) into a [`VoteTable`]; errors name the file, line and column.
//! - [`model`] holds roll calls with one vote byte per state of
//!   [`normwatch_core::state::StateRegistry::global`], in the table's order.
//! - [`analysis`] and [`crosscheck`] are pure functions over roll calls; [`claims`] turns
//!   a roll call into the knowledge-base claims it supports.
//!
//! Nothing here touches files, databases or the terminal: callers hand in readers and get
//! values back. The store keeps tables in SQLite; the CLI and the web layer present them.

pub mod analysis;
pub mod claims;
pub mod crosscheck;
pub mod error;
pub mod formats;
pub mod model;
pub mod states;

pub use error::ImportError;
pub use formats::{FileKind, Input, Parsed};
pub use model::{Body, Dataset, Part, RollCall, VoteTable};
