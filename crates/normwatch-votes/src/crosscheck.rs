//! Cross-check.
