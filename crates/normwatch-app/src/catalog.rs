//! Everything the knowledge base and the imports hold, read and resolved for one request.
//!
//! Documents, series and groups resolve through the core's views; bodies, events and
//! actors through [`RecordView`], the same rule (one shown value per field, by basis then
//! file order; list fields are unions) without a dedicated type.

use std::collections::HashMap;

use normwatch_core::Iso3;
use normwatch_core::domain::{Date, Stream};
use normwatch_core::kb::{FactValue, Item, Record, RecordKind, SourceInfo, is_union_field};
use normwatch_core::view::{
    Conflict, DocumentView, FieldSource, GroupView, SeriesView, chronological, record_conflicts,
};
use normwatch_store::{Store, StoreError};

/// A record of a kind without a dedicated view (body, event, actor), resolved.
#[derive(Clone, Debug)]
pub struct RecordView {
    pub kind: RecordKind,
    pub id: String,
    /// The shown value of each field, in order of first appearance; list fields hold the
    /// union of every source's list.
    pub values: Vec<(String, FactValue)>,
    pub sources: Vec<FieldSource>,
    pub conflicts: Vec<Conflict>,
    pub items: Vec<Item>,
}

impl RecordView {
    pub fn resolve(record: &Record) -> RecordView {
        let mut claims: Vec<&normwatch_core::kb::Claim> = record.claims.iter().collect();
        claims.sort_by_key(|c| c.source.basis().precedence());
        let mut values: Vec<(String, FactValue)> = Vec::new();
        let mut sources = Vec::new();
        for claim in &claims {
            let union = is_union_field(&claim.field);
            let position = values.iter().position(|(f, _)| f == &claim.field);
            let shown = match position {
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
        RecordView {
            kind: record.kind,
            id: record.id.clone(),
            values,
            sources,
            conflicts: record_conflicts(record),
            items: record.items.clone(),
        }
    }

    pub fn value(&self, field: &str) -> Option<&FactValue> {
        self.values.iter().find(|(f, _)| f == field).map(|(_, v)| v)
    }

    pub fn text(&self, field: &str) -> Option<&str> {
        match self.value(field) {
            Some(FactValue::Text(s) | FactValue::Id(s)) => Some(s),
            _ => None,
        }
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

/// Everything the database holds, resolved.
pub struct Catalog {
    /// In chronological order.
    pub documents: Vec<DocumentView>,
    pub series: Vec<SeriesView>,
    pub groups: Vec<GroupView>,
    pub bodies: Vec<RecordView>,
    pub events: Vec<RecordView>,
    pub actors: Vec<RecordView>,
    pub sources: Vec<SourceInfo>,
    document_index: HashMap<String, usize>,
}

impl Catalog {
    /// Reads and resolves everything the database holds (the [`crate::App`] caches it per
    /// store revision).
    pub async fn read(store: &Store) -> Result<Catalog, StoreError> {
        let mut documents: Vec<DocumentView> =
            store.records(RecordKind::Document).await?.iter().filter_map(DocumentView::resolve).collect();
        documents.sort_by(chronological);
        let document_index = documents.iter().enumerate().map(|(i, d)| (d.symbol.to_string(), i)).collect();
        let resolve_all = |records: Vec<Record>| records.iter().map(RecordView::resolve).collect::<Vec<_>>();
        let mut groups: Vec<GroupView> =
            store.records(RecordKind::Group).await?.iter().filter_map(GroupView::resolve).collect();
        groups.sort_by(|a, b| a.start_year.cmp(&b.start_year).then_with(|| a.id.cmp(&b.id)));
        let mut events = resolve_all(store.records(RecordKind::Event).await?);
        events
            .sort_by(|a, b| (a.year(), a.date("date")).cmp(&(b.year(), b.date("date"))).then_with(|| a.id.cmp(&b.id)));
        Ok(Catalog {
            documents,
            series: store.records(RecordKind::Series).await?.iter().filter_map(SeriesView::resolve).collect(),
            groups,
            bodies: resolve_all(store.records(RecordKind::Body).await?),
            events,
            actors: resolve_all(store.records(RecordKind::Actor).await?),
            sources: store.sources().await?,
            document_index,
        })
    }

    pub fn document(&self, symbol: &str) -> Option<&DocumentView> {
        self.document_index.get(symbol).map(|&i| &self.documents[i])
    }

    pub fn series_documents(&self, id: &str) -> Vec<&DocumentView> {
        self.documents.iter().filter(|d| d.series.as_deref() == Some(id)).collect()
    }

    pub fn series(&self, id: &str) -> Option<&SeriesView> {
        self.series.iter().find(|s| s.id == id)
    }

    pub fn group(&self, id: &str) -> Option<&GroupView> {
        self.groups.iter().find(|g| g.id == id)
    }

    pub fn record(&self, kind: RecordKind, id: &str) -> Option<&RecordView> {
        self.records(kind).iter().find(|r| r.id == id)
    }

    pub fn records(&self, kind: RecordKind) -> &[RecordView] {
        match kind {
            RecordKind::Body => &self.bodies,
            RecordKind::Event => &self.events,
            RecordKind::Actor => &self.actors,
            _ => &[],
        }
    }

    /// A body's short name for display: abbreviation, else name, else id.
    pub fn body_label(&self, id: &str) -> String {
        match self.record(RecordKind::Body, id) {
            Some(body) => body.text("abbreviation").or(body.text("name")).unwrap_or(id).to_string(),
            None => id.to_string(),
        }
    }

    /// A body and every body below it in the hierarchy (`parent` links).
    pub fn body_and_descendants(&self, id: &str) -> Vec<String> {
        let mut out = vec![id.to_string()];
        let mut i = 0;
        while i < out.len() {
            let current = out[i].clone();
            for body in &self.bodies {
                if body.text("parent") == Some(current.as_str()) && !out.contains(&body.id) {
                    out.push(body.id.clone());
                }
            }
            i += 1;
        }
        out
    }

    /// The streams a body works in, as its record states them.
    pub fn body_streams(&self, id: &str) -> Vec<Stream> {
        self.record(RecordKind::Body, id)
            .map(|b| b.ids("streams").iter().filter_map(|s| s.parse().ok()).collect())
            .unwrap_or_default()
    }

    /// Near matches among the ids of a kind, for "did you mean".
    pub fn suggest(&self, kind: RecordKind, input: &str) -> Vec<String> {
        let ids: Vec<String> = match kind {
            RecordKind::Document => self.documents.iter().map(|d| d.symbol.to_string()).collect(),
            RecordKind::Series => self.series.iter().map(|s| s.id.clone()).collect(),
            RecordKind::Group => self.groups.iter().map(|g| g.id.clone()).collect(),
            other => self.records(other).iter().map(|r| r.id.clone()).collect(),
        };
        let mut found = normwatch_core::suggest::near_matches(input, ids.iter().map(String::as_str), 5);
        if found.is_empty() {
            // Ids are words: fall back to ids sharing a word with the input.
            let needle = input.to_ascii_lowercase();
            found = ids
                .iter()
                .filter(|id| id.split('-').any(|w| w.len() > 2 && needle.contains(w)))
                .take(5)
                .cloned()
                .collect();
        }
        found
    }
}
