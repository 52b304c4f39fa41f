//! Imported roll-call votes as the pages show them, on the votes crate's analyses and the
//! store's vote tables: a document's adoption vote by regional group and by state, a
//! state's votes on the cyber series, and a pair's agreement year by year.
//!
//! Layer 5: refers to `ui`, `routes` and `charts`.

use normwatch_core::domain::VoteValue;
use normwatch_core::view::DocumentView;
use normwatch_votes::model::Part;
use serde_json::json;

use crate::charts::{self, Series};
use crate::routes;
use crate::ui::Link;
use normwatch_api::Table;
use normwatch_app::App;

pub struct GroupRow {
    pub code: String,
    pub name: String,
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    pub non_voting: u32,
}

impl GroupRow {
    pub fn count(&self, vote: VoteValue) -> u32 {
        match vote {
            VoteValue::Yes => self.yes,
            VoteValue::No => self.no,
            VoteValue::Abstain => self.abstain,
            VoteValue::NonVoting => self.non_voting,
        }
    }
}

pub struct StateVoteRow {
    pub state: Link,
    pub iso3: String,
    pub group: String,
    pub vote: &'static str,
}

pub struct OtherRollCall {
    pub record: String,
    pub date: String,
    pub part: &'static str,
    pub totals: String,
}

/// A document's adoption vote as the imported roll-call data give it.
pub struct DocumentVotes {
    /// `unvotes rcid=4618`: the dataset record the tables come from.
    pub source: String,
    pub date: String,
    pub totals: String,
    pub groups: Vec<GroupRow>,
    pub states: Vec<StateVoteRow>,
    /// Roll calls on the same symbol in other datasets or on parts of the text.
    pub others: Vec<OtherRollCall>,
    pub chart: String,
    pub figure_href: String,
}

impl DocumentVotes {
    pub fn tables(&self) -> Vec<Table> {
        let mut by_group =
            Table::new("votes-by-group", &["group", "name", "yes", "no", "abstain", "non_voting", "source"]);
        for g in &self.groups {
            by_group.push(vec![
                json!(g.code),
                json!(g.name),
                json!(g.yes),
                json!(g.no),
                json!(g.abstain),
                json!(g.non_voting),
                json!(self.source),
            ]);
        }
        let mut by_state = Table::new("votes", &["iso3", "name", "regional_group", "vote", "source"]);
        for s in &self.states {
            by_state.push(vec![json!(s.iso3), json!(s.state.label), json!(s.group), json!(s.vote), json!(self.source)]);
        }
        vec![by_state, by_group]
    }
}

/// The adoption vote of a document in the preferred dataset, if any dataset has one.
pub async fn document_votes(app: &App, view: &DocumentView) -> Result<Option<DocumentVotes>, normwatch_app::AppError> {
    let Some(found) = app.document_votes(view).await? else { return Ok(None) };
    let roll_call = &found.adoption;
    let report = &found.report;
    let symbol = view.symbol.to_string();
    let groups: Vec<GroupRow> = report
        .groups
        .iter()
        .filter(|g| g.yes + g.no + g.abstain + g.non_voting > 0)
        .map(|g| GroupRow {
            code: g.group.unwrap_or("none").to_string(),
            name: g.name.to_string(),
            yes: g.yes,
            no: g.no,
            abstain: g.abstain,
            non_voting: g.non_voting,
        })
        .collect();
    let mut states: Vec<StateVoteRow> = report
        .votes
        .iter()
        .map(|v| StateVoteRow {
            state: Link::new(format!("{} ({})", v.name, v.state), routes::state(v.state.as_str())),
            iso3: v.state.to_string(),
            group: v.state.info().regional_group.map(|g| g.code()).unwrap_or("none").to_string(),
            vote: v.vote.as_str(),
        })
        .collect();
    // Noes and abstentions first: they are what readers look for.
    states.sort_by_key(|s| {
        (
            match s.vote {
                "no" => 0,
                "abstain" => 1,
                "non_voting" => 2,
                _ => 3,
            },
            s.iso3.clone(),
        )
    });
    let others = found
        .others
        .iter()
        .map(|r| OtherRollCall {
            record: format!("{} {}", r.dataset.source_id(), r.record_ref()),
            date: r.date.map(|d| d.to_string()).unwrap_or_else(|| r.year.to_string()),
            part: match r.part {
                Part::Whole => "whole",
                Part::Paragraph => "paragraph",
                Part::Amendment => "amendment",
            },
            totals: r.totals.to_string(),
        })
        .collect();
    let chart = votes_chart(&symbol, &groups);
    Ok(Some(DocumentVotes {
        source: found.source(),
        date: roll_call.date.map(|d| d.to_string()).unwrap_or_else(|| roll_call.year.to_string()),
        totals: roll_call.totals.to_string(),
        groups,
        states,
        others,
        chart,
        figure_href: routes::figure("document-votes", "symbol", &symbol),
    }))
}

pub use normwatch_app::votes::{DocumentVote, YearAgreement};

/// The regional-group chart of a document's adoption vote.
pub fn votes_chart(symbol: &str, groups: &[GroupRow]) -> String {
    let categories: Vec<String> = groups.iter().map(|g| g.code.clone()).collect();
    let series = [
        ("Yes", charts::YES, VoteValue::Yes),
        ("No", charts::NO, VoteValue::No),
        ("Abstain", charts::ABSTAIN, VoteValue::Abstain),
        ("Non-voting", charts::NON_VOTING, VoteValue::NonVoting),
    ]
    .into_iter()
    .map(|(label, color, vote)| Series {
        label: label.to_string(),
        color,
        values: groups.iter().map(|g| Some(f64::from(g.count(vote)))).collect(),
    })
    .collect::<Vec<_>>();
    charts::stacked_bars(
        &format!("{symbol}: votes by UN regional group"),
        "Yes, no, abstain and non-voting counts of the adoption vote for each UN regional group, from the imported roll-call data.",
        &categories,
        &series,
    )
}
