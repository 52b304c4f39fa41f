//! Norms and the crosswalk: `normwatch norms`, `normwatch crosswalk`, `/api/norms`.

use serde::Serialize;
use utoipa::ToSchema;

use normwatch_app::norms::{CrosswalkRow, Instrument, NormView};

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

impl From<&CrosswalkRow> for CrosswalkJson {
    fn from(e: &CrosswalkRow) -> Self {
        CrosswalkJson {
            norm: e.norm.clone(),
            symbol: e.symbol.clone(),
            item: e.item.clone(),
            relation: e.relation.as_str(),
            rationale: e.rationale.clone(),
            source: e.source.to_string(),
            record_kind: e.target_kind.as_str(),
            list: e.list.clone(),
            wording: e.wording.clone(),
            paraphrase: e.paraphrase,
            basis: e.basis.as_str(),
            note: e.note.clone(),
            unverified: e.unverified.clone(),
            origin: e.origin.clone(),
        }
    }
}

fn instrument_rows(i: &Instrument) -> impl Iterator<Item = NormInstrumentJson> + '_ {
    i.edges.iter().map(move |e| NormInstrumentJson {
        symbol: i.symbol.clone(),
        item: e.item.clone(),
        relation: e.relation.as_str(),
        source: e.source.to_string(),
        record_kind: i.kind_of_record.as_str(),
        title: i.title.clone(),
        date: i.date.map(|d| d.to_string()),
        year: i.year,
        modality: i.modality.map(|m| m.as_str()),
        votes: i.votes.map(VotesJson::from),
        sponsors: i.sponsors.iter().map(|s| s.to_string()).collect(),
        list: e.list.clone(),
        wording: e.wording.clone(),
        paraphrase: e.paraphrase,
        rationale: e.rationale.clone(),
        basis: e.basis.as_str(),
    })
}

impl From<&NormView> for NormJson {
    fn from(n: &NormView) -> Self {
        NormJson {
            id: n.id.clone(),
            name: n.name.clone(),
            theme: n.theme.clone(),
            first_year: n.first_year(),
            stage: n.lifecycle.as_ref().map(|l| l.stage.as_str()),
            instruments: n.instruments.iter().flat_map(instrument_rows).collect(),
            definition: n.definition.clone(),
            stage_reason: n.lifecycle.as_ref().map(|l| l.reason.clone()),
            stage_rule: n.lifecycle.as_ref().map(|l| l.rule.clone()),
            sources: n.record.sources.iter().map(SourceJson::from).collect(),
        }
    }
}
