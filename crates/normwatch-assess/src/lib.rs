//! The GA resolution 64/211 self-assessment, pure: frameworks as data (`framework`), the
//! review workflow and its answers (`workflow`, `assessment`), and reports over a snapshot of
//! an assessment (`report`). No database, no HTTP, no file I/O: callers hand in text and
//! values and get values (or bytes of a report) back.

pub mod assessment;
pub mod evidence;
pub mod framework;
pub mod report;
pub mod workflow;
