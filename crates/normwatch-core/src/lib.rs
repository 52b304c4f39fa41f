//! The normwatch core: the domain model of the UN's cyber-security work and the
//! knowledge base that describes it.
//!
//! Nothing here does I/O or knows about databases, HTTP or JSON: the core takes text and
//! values and returns values. See `ARCHITECTURE.md` for where the rest lives.

pub mod domain;
pub mod kb;
pub mod scan;
pub mod state;
pub mod suggest;
pub mod symbol;
pub mod view;

pub use state::Iso3;
pub use symbol::Symbol;
