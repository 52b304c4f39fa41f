//! Norms and the crosswalk: `normwatch norms`, `normwatch crosswalk`, `/api/norms`.

use serde::Serialize;
use utoipa::ToSchema;

use crate::{SourceJson, VotesJson};

/// A norm with every instrument that carries it, in time order (undated ones last).
#[derive(Debug, Serialize, ToSchema)]
pub struct NormJson {
    pub id: String,
    pub name: String,
    /// The theme's id.
    pub theme: Option<String>,
    /// The year of the earliest dated instrument.
    pub first_year: Option<i32>,
    /// The life-cycle stage by the measurement's rule (`emergence`, `tipping_point`, …).
    pub stage: Option<&'static str>,
    /// One row per crosswalk edge, grouped by instrument, instruments in time order.
    pub instruments: Vec<NormInstrumentJson>,
    // Fields beyond the fixed contract.
    /// The definition, in the project's own words (its source is in `sources`).
    pub definition: Option<String>,
    /// Why this stage, in words, and the rule applied.
    pub stage_reason: Option<String>,
    pub stage_rule: Option<String>,
    /// The sources of the norm record's fields.
    pub sources: Vec<SourceJson>,
    /// Endorsement breadth over time: per year with an instrument, the states endorsing the
    /// norm so far (see `breadth_rule` for what counts).
    pub breadth: Vec<BreadthJson>,
    /// What endorsement breadth counts, in words.
    pub breadth_rule: String,
    /// The instruments carrying the norm that states voted against or abstained on, from
    /// the imported roll calls, with their sponsors (the other side).
    pub contested: Vec<ContestJson>,
    /// Every state that voted no on an instrument carrying the norm (ISO3), sorted.
    pub opposed_by: Vec<String>,
}

/// The states endorsing a norm by the end of a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct BreadthJson {
    pub year: i32,
    /// States endorsing it so far (cumulative): sponsors and yes votes.
    pub states: usize,
    /// `states` and the Member States at each consensus adoption so far (see `breadth_rule`).
    pub with_consensus: usize,
    /// States endorsing it for the first time this year (ISO3).
    pub new: Vec<String>,
    /// The year's instruments carrying it.
    pub instruments: Vec<String>,
}

/// An instrument carrying a norm, adopted by a recorded vote with votes against or abstentions.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContestJson {
    pub symbol: String,
    pub year: Option<i32>,
    /// The roll call: `unvotes rcid=4618`.
    pub source: String,
    pub yes: usize,
    pub no: Vec<String>,
    pub abstain: Vec<String>,
    pub sponsors: Vec<String>,
}

/// One element of an instrument that carries the norm (a crosswalk edge), with how the
/// instrument was adopted.
#[derive(Debug, Serialize, ToSchema)]
pub struct NormInstrumentJson {
    /// The document's symbol, or the id of the group, actor or body whose items hold it.
    pub symbol: String,
    /// The element's label, where the edge is to one element.
    pub item: Option<String>,
    /// `equivalent-to`, `subset-of`, `superset-of` or `intersects-with`.
    pub relation: &'static str,
    /// The edge's source, as written in the knowledge base.
    pub source: String,
    // Fields beyond the fixed contract.
    /// `document`, `group`, `actor`, …
    pub record_kind: &'static str,
    pub title: Option<String>,
    /// Adoption date, else issue date.
    pub date: Option<String>,
    pub year: Option<i32>,
    pub modality: Option<&'static str>,
    pub votes: Option<VotesJson>,
    pub sponsors: Vec<String>,
    /// The list of the instrument's items (`annex`, `recommendations`, …).
    pub list: String,
    pub wording: Option<String>,
    /// Whether `wording` is not the UN's text.
    pub paraphrase: bool,
    pub rationale: String,
    /// `document` (the source makes the link) or `curator` (a reviewed judgement).
    pub basis: &'static str,
}

/// One crosswalk edge: a norm carried by an instrument's element.
#[derive(Debug, Serialize, ToSchema)]
pub struct CrosswalkJson {
    pub norm: String,
    pub symbol: String,
    pub item: Option<String>,
    pub relation: &'static str,
    pub rationale: String,
    pub source: String,
    // Fields beyond the fixed contract.
    pub record_kind: &'static str,
    pub list: String,
    pub wording: Option<String>,
    pub paraphrase: bool,
    pub basis: &'static str,
    pub note: Option<String>,
    pub unverified: Option<String>,
    /// `file:line` in the knowledge base.
    pub origin: String,
}

/// What `normwatch export dataset DIR` wrote.
#[derive(Debug, Serialize, ToSchema)]
pub struct DatasetExportJson {
    pub dir: String,
    /// The package's version: the program's, with a digest of the tables as build metadata.
    pub version: String,
    pub tables: Vec<DatasetTableJson>,
    pub files: Vec<DatasetFileJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DatasetTableJson {
    pub name: String,
    pub rows: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DatasetFileJson {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}
