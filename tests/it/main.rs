//! normwatch's integration tests, in one binary (as rust-analyzer and zero2prod keep
//! theirs): one module per user-visible surface, all over [`support::TestApp`].

mod accounts;
mod admin;
mod api;
mod assess;
mod browser;
mod cli;
mod dataset;
mod kb_inferences;
mod measure;
mod norms;
mod parity;
mod search;
mod seed_symbols;
mod store_pg;
mod support;
mod texts;
mod votes;
mod web;
