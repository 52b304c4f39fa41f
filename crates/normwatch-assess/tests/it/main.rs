//! The integration tests of normwatch-assess, in one binary.

mod common;
mod reports;
mod roundtrip;
mod verbatim;
mod workflow;
