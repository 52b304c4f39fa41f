//! Conversions from the norms read-models into the contract types of `normwatch-api`.
//! They live here, beside the read-models, so that the contract crate stays below the
//! application (serde only, no store); both presenters use them.

use normwatch_api::{BreadthJson, ContestJson, CrosswalkJson, NormInstrumentJson, NormJson, SourceJson, VotesJson};

use crate::norms::{BREADTH_RULE, CrosswalkRow, Instrument, NormView};

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

fn codes(states: &[normwatch_core::Iso3]) -> Vec<String> {
    states.iter().map(|s| s.to_string()).collect()
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
            breadth: n
                .breadth
                .iter()
                .map(|b| BreadthJson {
                    year: b.year,
                    states: b.states,
                    with_consensus: b.with_consensus,
                    new: codes(&b.new),
                    instruments: b.instruments.clone(),
                })
                .collect(),
            breadth_rule: BREADTH_RULE.to_string(),
            contested: n
                .contested
                .iter()
                .map(|c| ContestJson {
                    symbol: c.symbol.clone(),
                    year: c.year,
                    source: c.vote.source.clone(),
                    yes: c.vote.yes.len(),
                    no: codes(&c.vote.no),
                    abstain: codes(&c.vote.abstain),
                    sponsors: codes(&c.sponsors),
                })
                .collect(),
            opposed_by: n.opposed_by().iter().map(|(s, _)| s.to_string()).collect(),
        }
    }
}
