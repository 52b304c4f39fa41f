//! Helpers shared by the integration tests: the built binary, a fresh database, and the
//! shared data beside the repository.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// `../shared` beside the repository (CI clones the repository with it there);
/// `NORMWATCH_SHARED` overrides.
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("NORMWATCH_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")),
    }
}

pub fn kb_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/kb"))
}

/// A temporary folder holding a database file for one test.
pub struct TestDb {
    pub dir: tempfile::TempDir,
}

impl TestDb {
    pub fn new() -> TestDb {
        TestDb { dir: tempfile::tempdir().expect("a temporary folder") }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("normwatch.sqlite")
    }

    /// Runs `normwatch --db <this db> ARGS…`.
    pub fn run(&self, args: &[&str]) -> Output {
        let mut full = vec!["--db".to_string(), self.path().display().to_string()];
        full.extend(args.iter().map(|a| a.to_string()));
        normwatch(&full.iter().map(String::as_str).collect::<Vec<_>>())
    }

    /// Runs a command that must succeed and returns its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "normwatch {args:?} failed with {}:\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8 output")
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let text = self.ok(args);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("normwatch {args:?} printed invalid JSON ({e}):\n{text}"))
    }
}

pub fn normwatch(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_normwatch"))
        .args(args)
        .env_remove("NORMWATCH_DB")
        .env("NORMWATCH_LOG", "warn")
        .output()
        .expect("the normwatch binary runs")
}
