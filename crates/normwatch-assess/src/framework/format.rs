//! The TOML format of framework and scale files (see `docs/frameworks.md`), as serde
//! structs that keep the span of every value the loader may complain about.

use serde::Deserialize;
use toml::Spanned;

use super::{CopiedFrom, Style};

/// One file: either a `[framework]` with `[[section]]`s or a `[scale]` with `[[stage]]`s.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    pub format: Spanned<i64>,
    pub framework: Option<Spanned<RawFramework>>,
    #[serde(default)]
    pub section: Vec<RawSection>,
    pub scale: Option<Spanned<RawScale>>,
    #[serde(default)]
    pub stage: Vec<Spanned<RawStage>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFramework {
    pub id: Spanned<String>,
    pub version: Spanned<String>,
    pub title: Spanned<String>,
    pub document: Spanned<String>,
    pub part: Spanned<String>,
    pub unit: Spanned<String>,
    pub style: Style,
    pub maturity: Spanned<String>,
    pub copied_from: Spanned<RawCopiedFrom>,
    pub mandate: Option<RawPassage>,
    pub introduction: Option<RawPassage>,
    pub note: Option<RawPassage>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCopiedFrom {
    pub file: String,
    pub section: String,
}

impl RawCopiedFrom {
    pub fn into_model(self) -> CopiedFrom {
        CopiedFrom { file: self.file, section: self.section }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPassage {
    pub text: Spanned<String>,
    pub copied_from: Option<Spanned<RawCopiedFrom>>,
    pub note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSection {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    #[serde(default)]
    pub item: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawItem {
    pub label: Spanned<String>,
    pub heading: Option<Spanned<String>>,
    pub text: Spanned<String>,
    #[serde(default)]
    pub sub: Vec<RawSub>,
    #[serde(default)]
    pub link: Vec<Spanned<RawLink>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSub {
    pub label: Spanned<String>,
    pub text: Spanned<String>,
    #[serde(default)]
    pub link: Vec<Spanned<RawLink>>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(super) enum RawBasis {
    Resolution,
    Curator,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLink {
    pub to: Spanned<String>,
    pub basis: RawBasis,
    pub quote: Option<Spanned<String>>,
    pub rationale: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawScale {
    pub id: Spanned<String>,
    pub version: Spanned<String>,
    pub title: Spanned<String>,
    pub source: Spanned<RawScaleSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawScaleSource {
    pub address: Spanned<String>,
    pub retrieved: Spanned<String>,
    pub says: Spanned<String>,
    pub unverified: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStage {
    pub level: Spanned<i64>,
    pub name: Spanned<String>,
    pub summary: Spanned<String>,
    pub anchors: Spanned<Vec<String>>,
}
