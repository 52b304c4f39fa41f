//! Norms as first-class records: each norm with the instruments that carry it (the
//! crosswalk edges of the knowledge base), in time order, how each was adopted, and the
//! norm's life-cycle stage by the measurement's rule; the themes; and the crosswalk list.
//!
//! Norms, themes and edges come from a validated knowledge base ([`Kb`]); the documents
//! (dates, modality, votes, sponsors) from the measurement's inputs, which read every layer
//! of the database, imports included. The store keeps no relations table yet, so the
//! caller passes the knowledge base the database was loaded from.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use normwatch_core::Iso3;
use normwatch_core::domain::{Date, DocumentKind, Modality, VoteCounts};
use normwatch_core::kb::schema::{EdgeBasis, MappingRelation};
use normwatch_core::kb::{Kb, RecordKind, Relation, SourceRef};
use normwatch_core::state::StateRegistry;
use normwatch_core::view::{DocumentView, RecordView};
use normwatch_measure::{Config as MeasureConfig, Inputs, Lifecycle};
use normwatch_votes::RollCall;
use normwatch_votes::model::adoption_vote;

use crate::kb::KbSource;
use crate::{App, Result};

/// The name of the crosswalk relation in the registry.
pub const CROSSWALK: &str = "crosswalk";

/// One crosswalk edge: a norm carried by an instrument (or one of its elements).
#[derive(Clone, Debug, PartialEq)]
pub struct CrosswalkRow {
    pub norm: String,
    /// What carries the norm: a document, or a group, actor or body whose items hold the
    /// elements (an expert group's recommendations, the ITU Secretary-General's principles).
    pub target_kind: RecordKind,
    /// The document's symbol, or the other record's id.
    pub symbol: String,
    /// The list of the instrument's items (`annex`, `recommendations`, `norms`, `report`).
    pub list: String,
    /// The element's label, where the edge is to one element.
    pub item: Option<String>,
    /// The element's text: the item's own (verbatim unless `paraphrase`) where the knowledge
    /// base holds it, else the edge's description in the project's words.
    pub wording: Option<String>,
    /// Whether `wording` is not the UN's text (a paraphrase, or our description).
    pub paraphrase: bool,
    pub relation: MappingRelation,
    pub rationale: String,
    /// `curator` edges are a reviewed judgement, shown as such.
    pub basis: EdgeBasis,
    pub source: SourceRef,
    pub note: Option<String>,
    pub unverified: Option<String>,
    /// `file:line` in the knowledge base.
    pub origin: String,
}

/// One instrument carrying a norm, as the documents describe it.
#[derive(Clone, Debug, PartialEq)]
pub struct Instrument {
    pub kind_of_record: RecordKind,
    /// The document's symbol, or the other record's id.
    pub symbol: String,
    pub title: Option<String>,
    pub kind: Option<DocumentKind>,
    /// Adoption date, else issue date.
    pub date: Option<Date>,
    pub year: Option<i32>,
    pub modality: Option<Modality>,
    pub votes: Option<VoteCounts>,
    /// States that introduced or co-sponsored it, as the sources name them.
    pub sponsors: Vec<Iso3>,
    /// This norm's edges to the instrument (several elements may carry it).
    pub edges: Vec<CrosswalkRow>,
    /// The roll call adopting it, where an imported dataset holds one.
    pub roll_call: Option<AdoptionVote>,
}

/// How each state voted on an instrument's adoption, from an imported roll call.
#[derive(Clone, Debug, PartialEq)]
pub struct AdoptionVote {
    /// The dataset record: `unvotes rcid=4618`.
    pub source: String,
    pub yes: Vec<Iso3>,
    pub no: Vec<Iso3>,
    pub abstain: Vec<Iso3>,
}

impl AdoptionVote {
    fn of(roll_call: &RollCall) -> AdoptionVote {
        use normwatch_core::domain::VoteValue;
        AdoptionVote {
            source: format!("{} {}", roll_call.dataset.source_id(), roll_call.record_ref()),
            yes: roll_call.states_voting(VoteValue::Yes),
            no: roll_call.states_voting(VoteValue::No),
            abstain: roll_call.states_voting(VoteValue::Abstain),
        }
    }
}

/// What endorsement breadth counts.
pub const BREADTH_RULE: &str = "states: a state counts from the first year it introduced or co-sponsored a document carrying the norm, or voted yes on the document's adoption in an imported roll call. with_consensus: also every Member State on the adoption date of a General Assembly resolution carrying the norm that was adopted without a vote, by the membership dates of the knowledge base's state table (kb/states.csv, source un-member-states); a state whose row does not cite that source is not counted. Adoption without a vote records no individual positions: with_consensus counts membership, not declared support.";

/// The states endorsing a norm by a year: those of earlier years and the new ones.
#[derive(Clone, Debug, PartialEq)]
pub struct BreadthYear {
    pub year: i32,
    /// States endorsing it by the end of the year (cumulative): sponsors and yes votes.
    pub states: usize,
    /// `states` and the Member States at each consensus adoption (cumulative).
    pub with_consensus: usize,
    /// States endorsing it for the first time this year, sorted.
    pub new: Vec<Iso3>,
    /// The instruments of the year that carry it.
    pub instruments: Vec<String>,
}

/// An instrument carrying a norm that states voted against or abstained on.
#[derive(Clone, Debug, PartialEq)]
pub struct Contest {
    pub symbol: String,
    pub year: Option<i32>,
    pub vote: AdoptionVote,
    /// Its sponsors: one side of the contest.
    pub sponsors: Vec<Iso3>,
}

/// A norm with its instruments.
#[derive(Clone, Debug)]
pub struct NormView {
    pub id: String,
    pub name: String,
    pub theme: Option<String>,
    pub definition: Option<String>,
    /// The record resolved: every source, conflict and `unverified` item.
    pub record: RecordView,
    /// Every instrument carrying the norm, in time order (undated ones last).
    pub instruments: Vec<Instrument>,
    /// The life-cycle stage by the measurement's rule, where an instrument has a year.
    pub lifecycle: Option<Lifecycle>,
    /// Endorsement breadth over time ([`BREADTH_RULE`]), one entry per year with an instrument.
    pub breadth: Vec<BreadthYear>,
    /// The instruments states voted against or abstained on, in time order.
    pub contested: Vec<Contest>,
}

impl NormView {
    /// Every state that voted no on an instrument carrying the norm, with how many times.
    pub fn opposed_by(&self) -> Vec<(Iso3, usize)> {
        let mut counts: BTreeMap<Iso3, usize> = BTreeMap::new();
        for c in &self.contested {
            for state in &c.vote.no {
                *counts.entry(*state).or_default() += 1;
            }
        }
        counts.into_iter().collect()
    }
}

/// The Member States on a date, by the state table's sourced membership dates.
fn members_on(registry: &StateRegistry, date: Date) -> impl Iterator<Item = Iso3> + '_ {
    registry
        .all()
        .iter()
        .filter(move |s| s.sources.iter().any(|id| id == MEMBERSHIP_SOURCE) && s.member_on(date))
        .map(|s| s.iso3)
}

/// The source the state table's membership dates must cite to be counted.
const MEMBERSHIP_SOURCE: &str = "un-member-states";

fn breadth(instruments: &[Instrument], registry: &StateRegistry) -> Vec<BreadthYear> {
    let mut seen: BTreeSet<Iso3> = BTreeSet::new();
    let mut adopting: BTreeSet<Iso3> = BTreeSet::new();
    let mut years: Vec<BreadthYear> = Vec::new();
    for i in instruments.iter().filter(|i| i.kind_of_record == RecordKind::Document) {
        let Some(year) = i.year else { continue };
        let endorsers = i.sponsors.iter().chain(i.roll_call.iter().flat_map(|v| &v.yes));
        let new: Vec<Iso3> = endorsers.filter(|s| seen.insert(**s)).copied().collect();
        adopting.extend(new.iter().copied());
        let consensus = i.symbol.starts_with("A/RES/")
            && i.modality == Some(Modality::WithoutVote)
            && i.kind.is_none_or(|k| k == DocumentKind::Resolution);
        if let (true, Some(date)) = (consensus, i.date) {
            adopting.extend(members_on(registry, date));
        }
        if years.last().is_none_or(|y| y.year != year) {
            years.push(BreadthYear { year, states: 0, with_consensus: 0, new: Vec::new(), instruments: Vec::new() });
        }
        let entry = years.last_mut().expect("pushed");
        entry.new.extend(new);
        entry.new.sort();
        entry.instruments.push(i.symbol.clone());
        entry.states = seen.len();
        entry.with_consensus = adopting.len();
    }
    years
}

impl NormView {
    /// The earliest instrument, by adoption (else issue) date, then year.
    pub fn first(&self) -> Option<&Instrument> {
        self.instruments.first().filter(|i| i.year.is_some())
    }

    pub fn first_year(&self) -> Option<i32> {
        self.first().and_then(|i| i.year)
    }
}

/// A theme of the taxonomy and its norms.
#[derive(Clone, Debug)]
pub struct ThemeView {
    pub id: String,
    pub name: String,
    pub definition: Option<String>,
    pub record: RecordView,
    pub norms: Vec<String>,
}

/// Every norm, theme and crosswalk edge.
#[derive(Clone, Debug)]
pub struct Norms {
    pub norms: Vec<NormView>,
    pub themes: Vec<ThemeView>,
    /// Every edge, in the knowledge base's order.
    pub crosswalk: Vec<CrosswalkRow>,
}

fn row(kb: &Kb, relation: &Relation) -> CrosswalkRow {
    let held = relation.item.as_ref().and_then(|label| {
        kb.find(relation.to_kind, &relation.to)?.items.iter().find(|i| i.list == relation.list && &i.label == label)
    });
    let (wording, paraphrase) = match held {
        Some(item) => (Some(item.text.clone()), item.paraphrase),
        None => (relation.element.clone(), true),
    };
    CrosswalkRow {
        norm: relation.from.clone(),
        target_kind: relation.to_kind,
        symbol: relation.to.clone(),
        list: relation.list.clone(),
        item: relation.item.clone(),
        wording,
        paraphrase,
        relation: relation.relation,
        rationale: relation.rationale.clone(),
        basis: relation.basis,
        source: relation.source.clone(),
        note: relation.note.clone(),
        unverified: relation.unverified.clone(),
        origin: relation.origin.to_string(),
    }
}

/// An instrument that is not a document (an expert group's recommendations, a person's
/// principles): its name, and its year where the record gives one.
fn other_instrument(kb: &Kb, kind: RecordKind, id: &str) -> Instrument {
    let view = kb.find(kind, id).map(RecordView::resolve);
    let year = view.as_ref().and_then(|v| v.int("start_year").map(|y| y as i32).or_else(|| v.year()));
    Instrument {
        kind_of_record: kind,
        symbol: id.to_string(),
        title: view.as_ref().map(RecordView::name),
        kind: None,
        date: None,
        year,
        modality: None,
        votes: None,
        sponsors: Vec::new(),
        edges: Vec::new(),
        roll_call: None,
    }
}

fn instrument(kb: &Kb, document: Option<&DocumentView>, symbol: &str) -> Instrument {
    let Some(d) = document else {
        return other_instrument(kb, RecordKind::Document, symbol);
    };
    let mut sponsors: Vec<Iso3> = d
        .sponsorship
        .as_ref()
        .map(|s| s.introduced_by.iter().chain(&s.cosponsors).copied().collect())
        .unwrap_or_default();
    sponsors.sort();
    sponsors.dedup();
    Instrument {
        kind_of_record: RecordKind::Document,
        symbol: symbol.to_string(),
        title: d.title.clone(),
        kind: d.kind,
        date: d.adopted_on.or(d.issued_on),
        year: d.year.or(d.issued_on.map(Date::year)).or_else(|| d.symbol.year_hint()),
        modality: d.modality,
        votes: d.votes,
        sponsors,
        edges: Vec::new(),
        roll_call: None,
    }
}

impl Norms {
    /// Builds the read model from a knowledge base and the measurement's inputs (the
    /// documents of every layer), assessing each norm's stage with `config`; `roll_calls`
    /// (the imported General Assembly roll calls, chained) give each document's adoption vote.
    pub fn build(kb: &Kb, inputs: &Inputs, config: &MeasureConfig, roll_calls: &[RollCall]) -> Norms {
        let mut by_symbol_votes: HashMap<String, Vec<&RollCall>> = HashMap::new();
        for r in roll_calls {
            if let Some(symbol) = &r.symbol {
                by_symbol_votes.entry(symbol.to_string()).or_default().push(r);
            }
        }
        let crosswalk: Vec<CrosswalkRow> = kb.relations_named(CROSSWALK).map(|r| row(kb, r)).collect();
        let mut norms = Vec::new();
        for record in kb.records_of(RecordKind::Norm) {
            let view = RecordView::resolve(record);
            let mut by_symbol: BTreeMap<(RecordKind, &str), Instrument> = BTreeMap::new();
            for edge in crosswalk.iter().filter(|e| e.norm == record.id) {
                let symbol = edge.symbol.as_str();
                let entry = by_symbol.entry((edge.target_kind, symbol)).or_insert_with(|| match edge.target_kind {
                    RecordKind::Document => {
                        let document = inputs.documents.iter().find(|d| d.symbol.to_string() == symbol);
                        let mut found = instrument(kb, document, symbol);
                        found.roll_call = by_symbol_votes
                            .get(symbol)
                            .and_then(|candidates| adoption_vote(candidates))
                            .map(AdoptionVote::of);
                        found
                    }
                    kind => other_instrument(kb, kind, symbol),
                });
                entry.edges.push(edge.clone());
            }
            let mut instruments: Vec<Instrument> = by_symbol.into_values().collect();
            instruments.sort_by(|a, b| {
                let key = |i: &Instrument| (i.year.is_none(), i.year, i.date, i.symbol.clone());
                key(a).cmp(&key(b))
            });
            let documents: Vec<&DocumentView> = instruments
                .iter()
                .filter(|i| i.kind_of_record == RecordKind::Document)
                .filter_map(|i| inputs.documents.iter().find(|d| d.symbol.to_string() == i.symbol))
                .collect();
            let lifecycle = normwatch_measure::lifecycle::instruments_lifecycle(
                inputs,
                &record.id,
                Some(view.name()),
                &documents,
                config,
            );
            let contested = instruments
                .iter()
                .filter_map(|i| {
                    let vote = i.roll_call.as_ref()?;
                    (!vote.no.is_empty() || !vote.abstain.is_empty()).then(|| Contest {
                        symbol: i.symbol.clone(),
                        year: i.year,
                        vote: vote.clone(),
                        sponsors: i.sponsors.clone(),
                    })
                })
                .collect();
            norms.push(NormView {
                breadth: breadth(&instruments, &kb.states),
                contested,
                id: record.id.clone(),
                name: view.name(),
                theme: view.text("theme").map(str::to_string),
                definition: view.text("definition").map(str::to_string),
                record: view,
                instruments,
                lifecycle,
            });
        }
        let themes = kb
            .records_of(RecordKind::Theme)
            .map(|record| {
                let view = RecordView::resolve(record);
                ThemeView {
                    id: record.id.clone(),
                    name: view.name(),
                    definition: view.text("definition").map(str::to_string),
                    norms: norms
                        .iter()
                        .filter(|n| n.theme.as_deref() == Some(&record.id))
                        .map(|n| n.id.clone())
                        .collect(),
                    record: view,
                }
            })
            .collect();
        Norms { norms, themes, crosswalk }
    }

    pub fn norm(&self, id: &str) -> Option<&NormView> {
        self.norms.iter().find(|n| n.id == id)
    }

    pub fn theme(&self, id: &str) -> Option<&ThemeView> {
        self.themes.iter().find(|t| t.id == id)
    }

    /// The theme × instrument matrix: for each theme and instrument, the norms of the theme
    /// the instrument carries, sorted by theme then instrument.
    pub fn matrix(&self) -> Vec<(String, String, Vec<String>)> {
        let mut cells: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for norm in &self.norms {
            let Some(theme) = &norm.theme else { continue };
            for instrument in &norm.instruments {
                let cell = cells.entry((theme.clone(), instrument.symbol.clone())).or_default();
                if !cell.contains(&norm.id) {
                    cell.push(norm.id.clone());
                }
            }
        }
        cells.into_iter().map(|((theme, symbol), norms)| (theme, symbol, norms)).collect()
    }
}

/// The norms of the current database, with the knowledge base it was loaded from
/// (`KbSource::read(None)` for the built-in one).
pub async fn read(app: &App, kb: &KbSource) -> Result<Norms> {
    let kb = kb.load()?;
    let measured = app.measured().await?;
    let roll_calls = app.roll_calls().await?;
    Ok(Norms::build(&kb, &measured.inputs, app.measurement_config(), &roll_calls))
}

impl App {
    /// The norms of the current database with the built-in knowledge base's crosswalk,
    /// computed once per revision (the private assessment pages, which no answer cache
    /// keeps, read them on every view).
    pub async fn norms(&self) -> Result<std::sync::Arc<Norms>> {
        let revision = self.revision().await?;
        if let Some(norms) = self.inner.caches.norms.get(&revision) {
            return Ok(norms);
        }
        let norms = std::sync::Arc::new(read(self, &KbSource::read(None)?).await?);
        self.inner.caches.norms.put(revision, norms.clone());
        Ok(norms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in knowledge base, as the binary embeds it.
    fn real() -> (Kb, Inputs) {
        let kb = KbSource::read(None).unwrap().load().unwrap_or_else(|e| panic!("{e}"));
        let inputs = Inputs::from_records(&kb.records, Vec::new());
        (kb, inputs)
    }

    fn norms() -> Norms {
        let (kb, inputs) = real();
        Norms::build(&kb, &inputs, &MeasureConfig::default_config().unwrap(), &[])
    }

    #[test]
    fn every_edge_has_a_source_a_rationale_and_a_known_norm_and_every_norm_an_instrument() {
        let norms = norms();
        assert!(norms.crosswalk.len() >= 70, "{} edges", norms.crosswalk.len());
        for edge in &norms.crosswalk {
            assert!(!edge.rationale.trim().is_empty(), "{edge:?}");
            assert!(!edge.source.to_string().is_empty(), "{edge:?}");
            assert!(norms.norm(&edge.norm).is_some(), "{}", edge.norm);
            assert!(edge.wording.is_some() || edge.item.is_none(), "an edge to an element shows its wording: {edge:?}");
        }
        for norm in &norms.norms {
            assert!(!norm.instruments.is_empty(), "{} is carried by no instrument", norm.id);
            assert!(norm.theme.as_deref().and_then(|t| norms.theme(t)).is_some(), "{} has a known theme", norm.id);
            assert!(norm.definition.is_some(), "{}", norm.id);
        }
        assert!(norms.themes.iter().all(|t| t.definition.is_some()));
    }

    #[test]
    fn every_element_of_the_held_instruments_is_mapped() {
        let (kb, _) = real();
        let norms = norms();
        for (kind, symbol, list) in [
            (RecordKind::Document, "A/RES/57/239", "annex"),
            (RecordKind::Document, "A/RES/58/199", "annex"),
            (RecordKind::Document, "A/RES/64/211", "annex"),
            (RecordKind::Document, "A/66/359", "annex"),
            (RecordKind::Document, "A/65/201", "recommendations"),
            (RecordKind::Actor, "hamadoun-toure", "principles"),
            (RecordKind::Group, "itu-hleg", "recommendations-maurer"),
        ] {
            let document = kb.find(kind, symbol).unwrap();
            let labels: Vec<&str> =
                document.items.iter().filter(|i| i.list == list).map(|i| i.label.as_str()).collect();
            assert!(!labels.is_empty(), "{symbol}");
            for label in labels {
                assert!(
                    norms.crosswalk.iter().any(|e| e.target_kind == kind
                        && e.symbol == symbol
                        && e.list == list
                        && e.item.as_deref() == Some(label)),
                    "{symbol} {list} {label} maps to no norm"
                );
            }
        }
    }

    #[test]
    fn a_norm_s_instruments_run_in_time_order_with_their_adoption() {
        let norms = norms();
        let culture = norms.norm("culture-of-security").unwrap();
        let symbols: Vec<&str> = culture.instruments.iter().map(|i| i.symbol.as_str()).collect();
        // The ITU expert group (2007) falls between the resolutions; the principles of the
        // ITU Secretary-General carry no year and come last.
        assert_eq!(
            symbols,
            ["A/RES/57/239", "A/RES/58/199", "itu-hleg", "A/RES/64/211", "A/66/359", "hamadoun-toure"],
            "{symbols:?}"
        );
        assert_eq!(culture.instruments[2].kind_of_record, RecordKind::Group);
        let first = culture.first().unwrap();
        assert_eq!(first.date.map(|d| d.to_string()).as_deref(), Some("2002-12-20"));
        assert_eq!(culture.first_year(), Some(2002));
        assert_eq!(first.modality, Some(Modality::WithoutVote));
        // 64/211's item 18 makes the link itself; the others are a curator's.
        let item18 = &culture.instruments[3].edges[0];
        assert_eq!((item18.item.as_deref(), item18.basis), (Some("18"), EdgeBasis::Document));
        assert!(item18.wording.as_deref().unwrap().contains("57/239 and 58/199"));
        assert!(culture.instruments[0].edges.iter().all(|e| e.basis == EdgeBasis::Curator));

        // A 2015 norm first appears in the 2013 report, where the seed quotes it.
        let law = norms.norm("no-territory-for-wrongful-acts").unwrap();
        let years: Vec<Option<i32>> = law.instruments.iter().map(|i| i.year).collect();
        assert_eq!(years, [Some(2013), Some(2015), None], "dated in order, the undated last");
        assert_eq!(law.first().unwrap().symbol, "A/68/98");
        assert_eq!(law.instruments[1].symbol, "A/70/174");
    }

    #[test]
    fn stages_follow_the_measurement_rule_and_the_matrix_covers_every_theme_with_norms() {
        let norms = norms();
        let culture = norms.norm("culture-of-security").unwrap();
        let lifecycle = culture.lifecycle.as_ref().expect("dated instruments give a stage");
        assert_eq!(lifecycle.kind, "norm");
        let dated_documents =
            culture.instruments.iter().filter(|i| i.year.is_some() && i.kind_of_record == RecordKind::Document).count();
        assert_eq!(lifecycle.instruments.len(), dated_documents);
        assert!(lifecycle.rule.contains("threshold"));
        let matrix = norms.matrix();
        for theme in norms.themes.iter().filter(|t| !t.norms.is_empty()) {
            assert!(matrix.iter().any(|(t, _, _)| t == &theme.id), "{}", theme.id);
        }
        assert!(matrix.iter().any(|(t, s, n)| t == "security-culture"
            && s == "A/RES/57/239"
            && n.contains(&"culture-of-security".to_string())));
    }

    /// A roll call on a symbol, as a dataset would give it (a made-up test input).
    fn roll_call(symbol: &str, votes: &[(&str, normwatch_core::domain::VoteValue)]) -> RollCall {
        let table = normwatch_votes::states::states();
        let mut bytes = vec![normwatch_votes::model::NO_VOTE; table.len()];
        for (code, vote) in votes {
            bytes[table.index(Iso3::parse(code).unwrap()).unwrap()] = normwatch_votes::model::encode(*vote);
        }
        RollCall {
            dataset: normwatch_votes::Dataset::Unvotes,
            record: "1".into(),
            symbol: Some(symbol.parse().unwrap()),
            symbol_text: symbol.into(),
            body: normwatch_votes::Body::GeneralAssembly,
            session: None,
            date: None,
            year: 2002,
            title: String::new(),
            part: normwatch_votes::Part::Whole,
            totals: VoteCounts { yes: 2, no: 1, abstain: 1, non_voting: None },
            issues: Vec::new(),
            line: 1,
            votes: bytes,
        }
    }

    #[test]
    fn breadth_accumulates_sponsors_and_yes_votes_and_a_vote_against_makes_a_norm_contested() {
        use normwatch_core::domain::VoteValue::{Abstain, No, Yes};
        let (kb, inputs) = real();
        let config = MeasureConfig::default_config().unwrap();
        let plain = Norms::build(&kb, &inputs, &config, &[]);
        let culture = plain.norm("culture-of-security").unwrap();
        assert!(culture.contested.is_empty(), "no roll call, nothing contested");
        let years: Vec<i32> = culture.breadth.iter().map(|b| b.year).collect();
        assert_eq!(years.first(), Some(&2002));
        assert!(years.windows(2).all(|w| w[0] < w[1]), "{years:?}");
        let sponsors: BTreeSet<Iso3> = culture
            .instruments
            .iter()
            .filter(|i| i.year.is_some() && i.kind_of_record == RecordKind::Document)
            .flat_map(|i| i.sponsors.iter().copied())
            .collect();
        assert_eq!(culture.breadth.last().unwrap().states, sponsors.len(), "without votes, the sponsors");
        // 57/239 was adopted without a vote on 2002-12-20: with the consensus, the members then.
        let members = kb.states.all().iter().filter(|s| s.member_on("2002-12-20".parse().unwrap())).count();
        assert!(members > 150, "{members}");
        assert!(culture.breadth[0].with_consensus >= members, "{:?}", culture.breadth[0]);
        assert!(culture.breadth.iter().all(|b| b.with_consensus >= b.states));

        // The same knowledge base with a made-up recorded vote on 57/239.
        let vote = roll_call("A/RES/57/239", &[("ZAF", Yes), ("NOR", Yes), ("USA", No), ("CHN", Abstain)]);
        let voted = Norms::build(&kb, &inputs, &config, &[vote]);
        let culture = voted.norm("culture-of-security").unwrap();
        let contest = &culture.contested[0];
        assert_eq!(contest.symbol, "A/RES/57/239");
        assert_eq!(contest.vote.no, [Iso3::parse("USA").unwrap()]);
        assert_eq!(contest.vote.abstain, [Iso3::parse("CHN").unwrap()]);
        assert_eq!(contest.vote.source, "unvotes rcid=1");
        assert_eq!(culture.opposed_by(), [(Iso3::parse("USA").unwrap(), 1)]);
        let first = &culture.breadth[0];
        for state in ["ZAF", "NOR"] {
            let state = Iso3::parse(state).unwrap();
            assert!(sponsors.contains(&state) || first.new.contains(&state), "{state} voted yes in 2002");
        }
        assert!(!first.new.contains(&Iso3::parse("USA").unwrap()) || sponsors.contains(&Iso3::parse("USA").unwrap()));
    }
}
