//! The shared data folder of the real-data tests.

use std::path::PathBuf;

/// `NORMWATCH_SHARED`, or `../shared` next to the workspace.
pub fn shared() -> PathBuf {
    match std::env::var_os("NORMWATCH_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    }
}

/// A file of the shared data, or `None` when it is absent and `NORMWATCH_SKIP_REAL_DATA=1`
/// (the test then says that it skips). Panics with a clear message otherwise.
#[allow(dead_code)]
pub fn shared_file(relative: &str) -> Option<PathBuf> {
    let path = shared().join(relative);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("NORMWATCH_SKIP_REAL_DATA").as_deref() == Ok("1") {
        eprintln!("skipping: {} is absent and NORMWATCH_SKIP_REAL_DATA=1", path.display());
        return None;
    }
    panic!(
        "{} is missing; set NORMWATCH_SHARED to the shared data folder, or NORMWATCH_SKIP_REAL_DATA=1 to skip",
        path.display()
    );
}

/// The verb lexicon as shipped in `config/measurement.toml` (read with the TOML reader
/// only; `normwatch-measure` owns the configuration's parser).
#[allow(dead_code)]
pub fn shipped_lexicon() -> normwatch_text::lexicon::VerbLexicon {
    let text = include_str!("../../../../config/measurement.toml");
    let root: toml::Table = text.parse().expect("config/measurement.toml parses");
    let verbs = root["language"]["verbs"].as_table().expect("[language.verbs]");
    normwatch_text::lexicon::VerbLexicon::new(verbs.iter().map(|(name, param)| {
        let verb: normwatch_core::domain::OperativeVerb = name.parse().unwrap_or_else(|e| panic!("{e}"));
        let value = param["value"].as_float().or_else(|| param["value"].as_integer().map(|i| i as f64));
        (verb, value.expect("a number"))
    }))
    .unwrap()
}
