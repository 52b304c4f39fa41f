//! Everything the knowledge base and the imports hold, read and resolved for one request.
//!
//! Every record resolves through the core's one rule ([`RecordView`]); documents, series
//! and groups through the typed views built on it.

use std::collections::HashMap;

use normwatch_core::domain::Stream;
use normwatch_core::kb::{Record, RecordKind, SourceInfo};
pub use normwatch_core::view::RecordView;
use normwatch_core::view::{DocumentView, GroupView, SeriesView, chronological};
use normwatch_store::{Store, StoreError};

/// The kinds of record a [`Catalog`] resolves.
const CATALOGUED: [RecordKind; 6] = [
    RecordKind::Document,
    RecordKind::Series,
    RecordKind::Group,
    RecordKind::Body,
    RecordKind::Event,
    RecordKind::Actor,
];

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
        let mut records = HashMap::new();
        for kind in CATALOGUED {
            records.insert(kind, store.records(kind).await?);
        }
        Ok(Catalog::of(&records, store.sources().await?))
    }

    /// Resolves records already read, by kind (a kind missing from `records` is empty).
    pub fn of(records: &HashMap<RecordKind, Vec<Record>>, sources: Vec<SourceInfo>) -> Catalog {
        let of_kind = |kind: RecordKind| records.get(&kind).map_or(&[][..], Vec::as_slice);
        let resolve_all = |kind: RecordKind| of_kind(kind).iter().map(RecordView::resolve).collect::<Vec<_>>();
        let mut documents: Vec<DocumentView> =
            of_kind(RecordKind::Document).iter().filter_map(DocumentView::resolve).collect();
        documents.sort_by(chronological);
        let document_index = documents.iter().enumerate().map(|(i, d)| (d.symbol.to_string(), i)).collect();
        let mut groups: Vec<GroupView> = of_kind(RecordKind::Group).iter().filter_map(GroupView::resolve).collect();
        groups.sort_by(|a, b| a.start_year.cmp(&b.start_year).then_with(|| a.id.cmp(&b.id)));
        let mut events = resolve_all(RecordKind::Event);
        events
            .sort_by(|a, b| (a.year(), a.date("date")).cmp(&(b.year(), b.date("date"))).then_with(|| a.id.cmp(&b.id)));
        Catalog {
            documents,
            series: of_kind(RecordKind::Series).iter().filter_map(SeriesView::resolve).collect(),
            groups,
            bodies: resolve_all(RecordKind::Body),
            events,
            actors: resolve_all(RecordKind::Actor),
            sources,
            document_index,
        }
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
