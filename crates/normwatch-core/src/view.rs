//! Resolving a record's claims into what a user sees: one value per field, chosen by
//! basis, with every source listed and every disagreement kept as a conflict.
//!
//! There is one resolution rule, [`RecordView::resolve`]: claims are ordered by basis
//! (`dataset` before `document` before `seed`), then by their order in the knowledge base;
//! each field shows its first claim's value, except that a field the registry declares a
//! [`Merge::Union`] shows the union of every claim's list; fields declared
//! [`Merge::Narrative`] never conflict. The typed views (documents, groups, series) read
//! their values from a [`RecordView`].

use crate::domain::{Committee, Date, DocumentKind, GroupKind, Modality, Outcome, Stream, VoteCounts};
use std::str::FromStr;

use crate::kb::schema::Merge;
use crate::kb::{Basis, Claim, FactValue, Item, Origin, Paragraph, Record, RecordKind, SourceRef};
use crate::state::Iso3;
use crate::symbol::Symbol;

/// One source behind one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldSource {
    pub field: String,
    pub source: SourceRef,
    pub value: FactValue,
    pub quote: Option<String>,
    pub note: Option<String>,
    /// Where the claim was written; `None` for what the symbol itself implies.
    pub origin: Option<Origin>,
    /// Whether this claim supplies the value shown.
    pub shown: bool,
}

impl FieldSource {
    pub fn basis(&self) -> Basis {
        self.source.basis()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConflictClaim {
    pub value: FactValue,
    pub source: SourceRef,
    pub origin: Option<Origin>,
}

/// Sources that give one field different values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub field: String,
    pub claims: Vec<ConflictClaim>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sponsorship {
    pub introduced_by: Vec<Iso3>,
    pub on_behalf_of: Option<String>,
    pub cosponsors: Vec<Iso3>,
    pub total_count: Option<u32>,
    pub joined_later_count: Option<u32>,
    pub not_sponsoring: Vec<Iso3>,
}

/// A document as the knowledge base and the imported data describe it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentView {
    pub symbol: Symbol,
    pub kind: Option<DocumentKind>,
    pub title: Option<String>,
    pub body: Option<String>,
    pub committee: Option<Committee>,
    pub stream: Option<Stream>,
    pub series: Option<String>,
    pub agenda_item: Option<String>,
    pub adopted_on: Option<Date>,
    pub issued_on: Option<Date>,
    pub year: Option<i32>,
    pub modality: Option<Modality>,
    pub votes: Option<VoteCounts>,
    pub voted_no: Vec<Iso3>,
    pub sponsorship: Option<Sponsorship>,
    pub annex_items: u32,
    pub draft: Option<Symbol>,
    pub report: Option<Symbol>,
    pub resolution: Option<Symbol>,
    pub establishes: Option<String>,
    pub summary: Option<String>,
    pub changes: Option<String>,
    pub cited_as: Option<String>,
    pub correct_symbol: Option<Symbol>,
    pub miscited: bool,
    pub items: Vec<Item>,
    pub paragraphs: Vec<Paragraph>,
    pub sources: Vec<FieldSource>,
    pub conflicts: Vec<Conflict>,
}

/// A record of any kind, resolved by the one rule of this module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordView {
    pub kind: RecordKind,
    pub id: String,
    /// The shown value of each field, in order of first appearance (by basis, then file
    /// order); union fields hold the union of every source's list.
    pub values: Vec<(String, FactValue)>,
    /// Every claim as a source of its field, by basis then file order.
    pub sources: Vec<FieldSource>,
    pub conflicts: Vec<Conflict>,
    pub items: Vec<Item>,
}

impl RecordView {
    pub fn resolve(record: &Record) -> RecordView {
        let spec = record.kind.spec();
        let mut claims: Vec<&Claim> = record.claims.iter().collect();
        // Stable: within a basis, the order of the knowledge base decides.
        claims.sort_by_key(|c| c.source.basis().precedence());
        let mut values: Vec<(String, FactValue)> = Vec::new();
        let mut sources = Vec::new();
        for claim in &claims {
            let union = spec.merge(&claim.field) == Merge::Union;
            let shown = match values.iter().position(|(f, _)| f == &claim.field) {
                None => {
                    values.push((claim.field.clone(), claim.value.clone()));
                    true
                }
                Some(i) if union => {
                    merge_lists(&mut values[i].1, &claim.value);
                    true
                }
                Some(_) => false,
            };
            sources.push(FieldSource {
                field: claim.field.clone(),
                source: claim.source.clone(),
                value: claim.value.clone(),
                quote: claim.quote.clone(),
                note: claim.note.clone(),
                origin: Some(claim.origin.clone()),
                shown,
            });
        }
        let mut conflicts = Vec::new();
        let mut fields: Vec<&str> = Vec::new();
        for claim in &record.claims {
            if !fields.contains(&claim.field.as_str()) {
                fields.push(&claim.field);
            }
        }
        for field in fields {
            if spec.merge(field) != Merge::Shown {
                continue;
            }
            let in_field: Vec<&&Claim> = claims.iter().filter(|c| c.field == field).collect();
            let disagree = in_field
                .iter()
                .enumerate()
                .any(|(i, a)| in_field[i + 1..].iter().any(|b| !a.value.agrees_with(&b.value)));
            if disagree {
                conflicts.push(Conflict {
                    field: field.to_string(),
                    claims: in_field
                        .iter()
                        .map(|c| ConflictClaim {
                            value: c.value.clone(),
                            source: c.source.clone(),
                            origin: Some(c.origin.clone()),
                        })
                        .collect(),
                });
            }
        }
        RecordView { kind: record.kind, id: record.id.clone(), values, sources, conflicts, items: record.items.clone() }
    }

    pub fn value(&self, field: &str) -> Option<&FactValue> {
        self.values.iter().find(|(f, _)| f == field).map(|(_, v)| v)
    }

    /// The shown claim's source of a field (the first, for a union).
    pub fn shown_source(&self, field: &str) -> Option<&FieldSource> {
        self.sources.iter().find(|s| s.field == field && s.shown)
    }

    pub fn text(&self, field: &str) -> Option<&str> {
        match self.value(field) {
            Some(FactValue::Text(s) | FactValue::Id(s)) => Some(s),
            _ => None,
        }
    }

    /// A vocabulary field's value, parsed.
    pub fn parsed<T: FromStr>(&self, field: &str) -> Option<T> {
        self.text(field).and_then(|s| s.parse().ok())
    }

    pub fn int(&self, field: &str) -> Option<i64> {
        match self.value(field) {
            Some(FactValue::Int(n)) => Some(*n),
            _ => None,
        }
    }

    pub fn date(&self, field: &str) -> Option<Date> {
        match self.value(field) {
            Some(FactValue::Date(d)) => Some(*d),
            _ => None,
        }
    }

    pub fn symbol(&self, field: &str) -> Option<Symbol> {
        match self.value(field) {
            Some(FactValue::Symbol(s)) => Some(s.clone()),
            _ => None,
        }
    }

    pub fn flag(&self, field: &str) -> bool {
        matches!(self.value(field), Some(FactValue::Bool(true)))
    }

    pub fn ids(&self, field: &str) -> Vec<String> {
        match self.value(field) {
            Some(FactValue::Ids(list)) => list.clone(),
            Some(FactValue::Id(id)) => vec![id.clone()],
            _ => Vec::new(),
        }
    }

    pub fn states(&self, field: &str) -> Vec<Iso3> {
        match self.value(field) {
            Some(FactValue::States(list)) => list.clone(),
            _ => Vec::new(),
        }
    }

    /// The record's display name: `name`, else its id.
    pub fn name(&self) -> String {
        self.text("name").unwrap_or(&self.id).to_string()
    }

    /// The year an event happened: its date's, else its stated year.
    pub fn year(&self) -> Option<i32> {
        self.date("date").map(Date::year).or_else(|| self.int("year").map(|y| y as i32))
    }

    fn count(&self, field: &str) -> Option<u32> {
        self.int(field).and_then(|n| u32::try_from(n).ok())
    }
}

fn merge_lists(into: &mut FactValue, more: &FactValue) {
    match (into, more) {
        (FactValue::States(a), FactValue::States(b)) => {
            a.extend(b.iter().copied());
            a.sort();
            a.dedup();
        }
        (FactValue::Ids(a), FactValue::Ids(b)) => {
            for id in b {
                if !a.contains(id) {
                    a.push(id.clone());
                }
            }
        }
        _ => {}
    }
}

/// Every field of a record whose sources disagree.
pub fn record_conflicts(record: &Record) -> Vec<Conflict> {
    RecordView::resolve(record).conflicts
}

impl DocumentView {
    /// Resolves a document record. The symbol is the record's id.
    pub fn resolve(record: &Record) -> Option<DocumentView> {
        if record.kind != RecordKind::Document {
            return None;
        }
        let symbol = Symbol::parse(&record.id).ok()?;
        let claims = RecordView::resolve(record);
        let mut conflicts = claims.conflicts.clone();

        let mut sources = claims.sources.clone();

        let mut kind = claims.parsed::<DocumentKind>("kind");
        if kind.is_none()
            && let Some(implied) = symbol.implied_kind()
        {
            kind = Some(implied);
            sources.push(FieldSource {
                field: "kind".into(),
                source: SourceRef::Document { symbol: symbol.clone(), locator: None },
                value: FactValue::Text(implied.to_string()),
                quote: None,
                note: Some("implied by the form of the symbol".into()),
                origin: None,
                shown: true,
            });
        }

        let votes = match claims.value("votes") {
            Some(FactValue::Votes(v)) => Some(*v),
            _ => None,
        };
        let mut modality = claims.parsed::<Modality>("modality");
        if modality.is_none()
            && let Some(votes_claim) = claims.shown_source("votes")
        {
            modality = Some(Modality::RecordedVote);
            sources.push(FieldSource {
                field: "modality".into(),
                source: votes_claim.source.clone(),
                value: FactValue::Text(Modality::RecordedVote.to_string()),
                quote: None,
                note: Some("implied by the recorded vote this source gives".into()),
                origin: votes_claim.origin.clone(),
                shown: true,
            });
        }

        let annex_list: Vec<&Item> = record.items.iter().filter(|i| i.list == "annex").collect();
        let stated = claims.int("annex_items");
        let annex_items = if annex_list.is_empty() {
            stated.unwrap_or(0)
        } else {
            let held = annex_list.len() as i64;
            let disagreeing: Vec<&Claim> =
                record.claims_for("annex_items").filter(|c| c.value != FactValue::Int(held)).collect();
            if !disagreeing.is_empty() {
                let mut list = vec![ConflictClaim {
                    value: FactValue::Int(held),
                    source: annex_list[0].source.clone(),
                    origin: Some(annex_list[0].origin.clone()),
                }];
                list.extend(claims.sources.iter().filter(|c| c.field == "annex_items").map(|c| ConflictClaim {
                    value: c.value.clone(),
                    source: c.source.clone(),
                    origin: c.origin.clone(),
                }));
                conflicts.retain(|c| c.field != "annex_items");
                conflicts.push(Conflict { field: "annex_items".into(), claims: list });
            }
            held
        };

        let sponsorship_fields =
            ["introduced_by", "cosponsors", "cosponsor_count", "joined_later_count", "not_sponsoring", "on_behalf_of"];
        let sponsorship = sponsorship_fields.iter().any(|f| claims.value(f).is_some()).then(|| Sponsorship {
            introduced_by: claims.states("introduced_by"),
            on_behalf_of: claims.text("on_behalf_of").map(str::to_string),
            cosponsors: claims.states("cosponsors"),
            total_count: claims.count("cosponsor_count"),
            joined_later_count: claims.count("joined_later_count"),
            not_sponsoring: claims.states("not_sponsoring"),
        });

        let adopted_on = claims.date("adopted_on");
        let year = claims.int("year").map(|y| y as i32).or(adopted_on.map(Date::year));

        Some(DocumentView {
            kind,
            title: claims.text("title").map(str::to_string),
            body: claims.text("body").map(str::to_string),
            committee: claims.parsed("committee"),
            stream: claims.parsed("stream"),
            series: claims.text("series").map(str::to_string),
            agenda_item: claims.text("agenda_item").map(str::to_string),
            adopted_on,
            issued_on: claims.date("issued_on"),
            year,
            modality,
            votes,
            voted_no: claims.states("voted_no"),
            sponsorship,
            annex_items: u32::try_from(annex_items).unwrap_or(0),
            draft: claims.symbol("draft"),
            report: claims.symbol("report"),
            resolution: claims.symbol("resolution"),
            establishes: claims.text("establishes").map(str::to_string),
            summary: claims.text("summary").map(str::to_string),
            changes: claims.text("changes").map(str::to_string),
            cited_as: claims.text("cited_as").map(str::to_string),
            correct_symbol: claims.symbol("correct_symbol"),
            miscited: claims.flag("miscited"),
            items: record.items.clone(),
            paragraphs: record.paragraphs.clone(),
            sources,
            conflicts,
            symbol,
        })
    }
}

/// An expert group (GGE, OEWG, ad hoc committee) as its sources describe it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupView {
    pub id: String,
    pub name: Option<String>,
    pub kind: Option<GroupKind>,
    pub body: Option<String>,
    pub established_by: Option<Symbol>,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    pub members: Vec<Iso3>,
    pub member_count: Option<u32>,
    pub chair: Option<Iso3>,
    pub chair_person: Option<String>,
    pub meetings: Option<u32>,
    pub report: Option<Symbol>,
    pub outcome: Option<Outcome>,
    pub summary: Option<String>,
    pub items: Vec<Item>,
    pub sources: Vec<FieldSource>,
    pub conflicts: Vec<Conflict>,
}

impl GroupView {
    pub fn resolve(record: &Record) -> Option<GroupView> {
        if record.kind != RecordKind::Group {
            return None;
        }
        let claims = RecordView::resolve(record);
        Some(GroupView {
            id: record.id.clone(),
            name: claims.text("name").map(str::to_string),
            kind: claims.parsed("kind"),
            body: claims.text("body").map(str::to_string),
            established_by: claims.symbol("established_by"),
            start_year: claims.int("start_year").map(|y| y as i32),
            end_year: claims.int("end_year").map(|y| y as i32),
            members: claims.states("members"),
            member_count: claims.count("member_count"),
            chair: claims.states("chair").first().copied(),
            chair_person: claims.text("chair_person").map(str::to_string),
            meetings: claims.count("meetings"),
            report: claims.symbol("report"),
            outcome: claims.parsed("outcome"),
            summary: claims.text("summary").map(str::to_string),
            items: record.items.clone(),
            conflicts: claims.conflicts.clone(),
            sources: claims.sources,
        })
    }
}

/// A resolution series on one agenda item; its documents come from the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeriesView {
    pub id: String,
    pub title: Option<String>,
    pub committee: Option<Committee>,
    pub stream: Option<Stream>,
    pub body: Option<String>,
    pub agenda_item: Option<String>,
    pub summary: Option<String>,
    pub sources: Vec<FieldSource>,
    pub conflicts: Vec<Conflict>,
}

impl SeriesView {
    pub fn resolve(record: &Record) -> Option<SeriesView> {
        if record.kind != RecordKind::Series {
            return None;
        }
        let claims = RecordView::resolve(record);
        Some(SeriesView {
            id: record.id.clone(),
            title: claims.text("title").map(str::to_string),
            committee: claims.parsed("committee"),
            stream: claims.parsed("stream"),
            body: claims.text("body").map(str::to_string),
            agenda_item: claims.text("agenda_item").map(str::to_string),
            summary: claims.text("summary").map(str::to_string),
            conflicts: claims.conflicts.clone(),
            sources: claims.sources,
        })
    }
}

/// The order of documents in a series: by year (stated, else implied by the symbol),
/// then adoption date, then symbol.
pub fn chronological(a: &DocumentView, b: &DocumentView) -> std::cmp::Ordering {
    let key = |d: &DocumentView| (d.year.or_else(|| d.symbol.year_hint()), d.adopted_on, d.symbol.ga_session());
    key(a).cmp(&key(b)).then_with(|| a.symbol.cmp(&b.symbol))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::SourceRef;

    fn seed(section: &str) -> SourceRef {
        SourceRef::Seed { id: "maurer2011".into(), file: "001.txt".into(), section: section.into() }
    }

    fn claim(field: &str, value: FactValue, source: SourceRef, line: u32) -> Claim {
        Claim {
            field: field.into(),
            value,
            source,
            quote: None,
            note: None,
            origin: Origin { file: "documents/x.toml".into(), line },
        }
    }

    fn record(claims: Vec<Claim>) -> Record {
        Record {
            kind: RecordKind::Document,
            id: "A/RES/53/70".into(),
            origin: Origin { file: "documents/x.toml".into(), line: 1 },
            claims,
            items: Vec::new(),
            paragraphs: Vec::new(),
        }
    }

    fn date(s: &str) -> FactValue {
        FactValue::Date(s.parse().unwrap())
    }

    #[test]
    fn disagreeing_sources_make_a_conflict_and_keep_both() {
        let doc = SourceRef::Document { symbol: Symbol::parse("A/RES/53/70").unwrap(), locator: None };
        let view = DocumentView::resolve(&record(vec![
            claim("adopted_on", date("1999-01-04"), seed("II.1.1"), 3),
            claim("adopted_on", date("1998-12-04"), doc, 9),
        ]))
        .unwrap();
        // The document outranks the seed.
        assert_eq!(view.adopted_on.unwrap().to_string(), "1998-12-04");
        assert_eq!(view.conflicts.len(), 1);
        assert_eq!(view.conflicts[0].field, "adopted_on");
        assert_eq!(view.conflicts[0].claims.len(), 2);
        assert_eq!(view.sources.iter().filter(|s| s.field == "adopted_on").count(), 2);
    }

    #[test]
    fn agreeing_sources_are_both_cited_without_conflict() {
        let view = DocumentView::resolve(&record(vec![
            claim("modality", FactValue::Text("without_vote".into()), seed("II.1.1"), 3),
            claim("modality", FactValue::Text("without_vote".into()), seed("II.3"), 9),
        ]))
        .unwrap();
        assert_eq!(view.modality, Some(Modality::WithoutVote));
        assert!(view.conflicts.is_empty());
        assert_eq!(view.sources.len(), 3, "two modality sources and the kind the symbol implies");
    }

    #[test]
    fn sponsor_lists_add_up_and_counts_stay_null_without_a_source() {
        let rus = Iso3::parse("RUS").unwrap();
        let chn = Iso3::parse("CHN").unwrap();
        let view = DocumentView::resolve(&record(vec![
            claim("introduced_by", FactValue::States(vec![rus]), seed("II.1.1"), 3),
            claim("cosponsors", FactValue::States(vec![chn]), seed("II.1.1"), 4),
            claim("cosponsors", FactValue::States(vec![chn, rus]), seed("II.3"), 5),
        ]))
        .unwrap();
        let sponsorship = view.sponsorship.unwrap();
        assert_eq!(sponsorship.cosponsors, vec![chn, rus]);
        assert_eq!(sponsorship.total_count, None);
        assert!(view.conflicts.is_empty(), "lists are unions, not conflicts");
    }

    #[test]
    fn summaries_in_several_words_are_not_conflicts() {
        let view = DocumentView::resolve(&record(vec![
            claim("summary", FactValue::Text("One reading.".into()), seed("II.1.1"), 2),
            claim("summary", FactValue::Text("Another reading.".into()), seed("II.3"), 3),
        ]))
        .unwrap();
        assert!(view.conflicts.is_empty());
        assert_eq!(view.sources.iter().filter(|s| s.field == "summary").count(), 2);
    }

    #[test]
    fn no_sponsorship_claims_means_no_sponsorship() {
        let view =
            DocumentView::resolve(&record(vec![claim("title", FactValue::Text("T".into()), seed("1"), 2)])).unwrap();
        assert_eq!(view.sponsorship, None);
        assert_eq!(view.kind, Some(DocumentKind::Resolution));
        assert_eq!(view.modality, None);
    }

    #[test]
    fn held_annex_items_are_counted_and_checked_against_stated_counts() {
        let mut r = record(vec![claim("annex_items", FactValue::Int(9), seed("II.3"), 2)]);
        for label in ["1", "2"] {
            r.items.push(Item {
                list: "annex".into(),
                label: label.into(),
                heading: None,
                text: "x".into(),
                paraphrase: false,
                count: None,
                source: seed("Appendix"),
                origin: Origin { file: "documents/x.toml".into(), line: 10 },
            });
        }
        let view = DocumentView::resolve(&r).unwrap();
        assert_eq!(view.annex_items, 2);
        assert_eq!(view.conflicts.len(), 1);
        assert_eq!(view.conflicts[0].field, "annex_items");
    }

    #[test]
    fn a_tally_without_the_non_voting_count_does_not_conflict_with_one_that_has_it() {
        let short = VoteCounts { yes: 177, no: 1, abstain: 0, non_voting: None };
        let full = VoteCounts { non_voting: Some(13), ..short };
        let other = VoteCounts { yes: 176, ..full };
        let agreeing = DocumentView::resolve(&record(vec![
            claim("votes", FactValue::Votes(short), seed("II.1.1"), 2),
            claim("votes", FactValue::Votes(full), seed("II.3"), 3),
        ]))
        .unwrap();
        assert!(agreeing.conflicts.is_empty());
        let disagreeing = DocumentView::resolve(&record(vec![
            claim("votes", FactValue::Votes(short), seed("II.1.1"), 2),
            claim("votes", FactValue::Votes(other), seed("II.3"), 3),
        ]))
        .unwrap();
        assert_eq!(disagreeing.conflicts.len(), 1);
    }

    #[test]
    fn a_recorded_vote_implies_the_modality() {
        let votes = VoteCounts { yes: 177, no: 1, abstain: 0, non_voting: None };
        let view =
            DocumentView::resolve(&record(vec![claim("votes", FactValue::Votes(votes), seed("II.1.1"), 2)])).unwrap();
        assert_eq!(view.modality, Some(Modality::RecordedVote));
    }
}
