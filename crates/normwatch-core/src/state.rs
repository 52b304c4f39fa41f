//! Member States of the United Nations, past and present, identified by ISO 3166-1
//! alpha-3 codes (ISO 3166-3 codes for dissolved states).
//!
//! The table itself is reviewed data, `kb/states.csv`, compiled into the binary: names,
//! codes, admission dates and regional groups are facts with sources, not code.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::domain::Date;

/// An ISO3 code known to the state table.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Iso3([u8; 3]);

impl Iso3 {
    pub fn as_str(&self) -> &str {
        // Only ASCII upper-case letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// The state's record in the table.
    pub fn info(self) -> &'static StateInfo {
        StateRegistry::global().get(self).expect("an Iso3 is only made from a code in the table")
    }

    /// Parses an ISO3 code, strictly: three letters that the state table knows.
    pub fn parse(text: &str) -> Result<Iso3, StateError> {
        let registry = StateRegistry::global();
        let code = text.trim().to_ascii_uppercase();
        let bytes: [u8; 3] = code.as_bytes().try_into().map_err(|_| StateError::NotIso3(text.to_string()))?;
        let iso3 = Iso3(bytes);
        if registry.get(iso3).is_some() {
            Ok(iso3)
        } else {
            Err(StateError::Unknown { input: text.to_string(), suggestions: registry.suggest(text) })
        }
    }
}

impl fmt::Debug for Iso3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Iso3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Iso3 {
    type Err = StateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Iso3::parse(s)
    }
}

impl Serialize for Iso3 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Iso3 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Iso3::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StateError {
    #[error("`{0}` is not an ISO 3166-1 alpha-3 code (three letters, such as RUS)")]
    NotIso3(String),
    #[error("`{input}` is not a state in kb/states.csv{}", suggestion_text(suggestions))]
    Unknown { input: String, suggestions: Vec<String> },
}

fn suggestion_text(suggestions: &[String]) -> String {
    if suggestions.is_empty() { String::new() } else { format!("; did you mean {}?", suggestions.join(", ")) }
}

/// The UN regional groups of Member States.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RegionalGroup {
    #[serde(rename = "AFRICA")]
    African,
    #[serde(rename = "APG")]
    AsiaPacific,
    #[serde(rename = "EEG")]
    EasternEuropean,
    #[serde(rename = "GRULAC")]
    LatinAmericanCaribbean,
    #[serde(rename = "WEOG")]
    WesternEuropeanOthers,
}

impl RegionalGroup {
    pub const ALL: [RegionalGroup; 5] = [
        RegionalGroup::African,
        RegionalGroup::AsiaPacific,
        RegionalGroup::EasternEuropean,
        RegionalGroup::LatinAmericanCaribbean,
        RegionalGroup::WesternEuropeanOthers,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RegionalGroup::African => "AFRICA",
            RegionalGroup::AsiaPacific => "APG",
            RegionalGroup::EasternEuropean => "EEG",
            RegionalGroup::LatinAmericanCaribbean => "GRULAC",
            RegionalGroup::WesternEuropeanOthers => "WEOG",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            RegionalGroup::African => "African States",
            RegionalGroup::AsiaPacific => "Asia-Pacific States",
            RegionalGroup::EasternEuropean => "Eastern European States",
            RegionalGroup::LatinAmericanCaribbean => "Latin American and Caribbean States",
            RegionalGroup::WesternEuropeanOthers => "Western European and other States",
        }
    }

    fn from_code(code: &str) -> Option<RegionalGroup> {
        RegionalGroup::ALL.into_iter().find(|g| g.code() == code)
    }
}

/// One row of the state table.
#[derive(Debug, Clone)]
pub struct StateInfo {
    pub iso3: Iso3,
    pub iso2: Option<String>,
    /// The UN's current English short name, or the last one used.
    pub name: String,
    /// Earlier UN names and the spellings found in the voting datasets.
    pub aliases: Vec<String>,
    pub regional_group: Option<RegionalGroup>,
    pub member_from: Option<Date>,
    pub member_to: Option<Date>,
    pub successor: Option<Iso3>,
    /// Source ids from `kb/sources.toml`.
    pub sources: Vec<String>,
    pub notes: String,
}

impl StateInfo {
    /// Whether the state was a Member State on a date.
    pub fn member_on(&self, date: Date) -> bool {
        self.member_from.is_some_and(|from| from <= date) && self.member_to.is_none_or(|to| date < to)
    }
}

/// A problem in a state table: the line, the column (of characters, 1-based; 0 where the
/// table was not read from text) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("states.csv, line {line}, column {column}: {message}")]
pub struct StateTableError {
    pub line: u64,
    pub column: u32,
    pub message: String,
}

/// The table of states with lookups by code and by any name.
#[derive(Debug, Clone, Default)]
pub struct StateRegistry {
    states: Vec<StateInfo>,
    by_iso3: HashMap<Iso3, usize>,
    by_name: HashMap<String, usize>,
    by_iso2: HashMap<String, usize>,
}

/// The embedded table. A unit test parses it, so a malformed table cannot ship.
const STATES_CSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../kb/states.csv"));

static REGISTRY: LazyLock<StateRegistry> = LazyLock::new(|| match StateRegistry::parse(STATES_CSV) {
    Ok(registry) => registry,
    Err(error) => panic!("the embedded state table is invalid: {error}"),
});

/// Lower-cases and collapses whitespace so that ` UNITED STATES` meets `United States`.
pub fn normalize_name(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// One row of `states.csv` as text, column by column (empty for none): what a database
/// stores of the table and reads back with [`StateRegistry::from_rows`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StateRow {
    pub iso3: String,
    pub iso2: String,
    pub name: String,
    /// Names separated by `|`.
    pub aliases: String,
    pub regional_group: String,
    pub member_from: String,
    pub member_to: String,
    pub successor: String,
    /// Source ids separated by `;`.
    pub source: String,
    pub notes: String,
}

/// The column (of characters, 1-based) where field `index` of a CSV line starts.
fn field_column(line: &str, index: usize) -> u32 {
    let mut field = 0;
    let mut quoted = false;
    for (column, c) in line.chars().enumerate() {
        if field == index {
            return column as u32 + 1;
        }
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => field += 1,
            _ => {}
        }
    }
    if field == index { line.chars().count() as u32 + 1 } else { 1 }
}

impl StateRegistry {
    pub fn global() -> &'static StateRegistry {
        &REGISTRY
    }

    /// Parses a state table (`kb/states.csv`); errors give the line and the column.
    pub fn parse(csv_text: &str) -> Result<StateRegistry, StateTableError> {
        StateRegistry::parse_checked(csv_text, &|_| true)
    }

    /// [`StateRegistry::parse`], also refusing a source id for which `known_source` is false
    /// (the ids registered in `sources.toml`).
    pub fn parse_checked(
        csv_text: &str,
        known_source: &dyn Fn(&str) -> bool,
    ) -> Result<StateRegistry, StateTableError> {
        let mut reader = csv::ReaderBuilder::new().from_reader(csv_text.as_bytes());
        let headers =
            reader.headers().map_err(|e| StateTableError { line: 1, column: 1, message: e.to_string() })?.clone();
        let lines: Vec<&str> = csv_text.lines().collect();
        let locate = |line: u64, field: &str| -> u32 {
            let text = usize::try_from(line).ok().and_then(|l| lines.get(l.wrapping_sub(1))).copied().unwrap_or("");
            headers.iter().position(|h| h.trim() == field).map_or(1, |index| field_column(text, index))
        };
        let mut rows = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            let line = reader.position().line() + 1;
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => return Err(StateTableError { line, column: 1, message: e.to_string() }),
            }
            let line = record.position().map_or(line, |p| p.line());
            let row: StateRow = record.deserialize(Some(&headers)).map_err(|e| {
                let field = match e.kind() {
                    csv::ErrorKind::Deserialize { err, .. } => err.field(),
                    _ => None,
                };
                let text = usize::try_from(line).ok().and_then(|l| lines.get(l.wrapping_sub(1))).copied();
                let column = field.map_or(1, |index| field_column(text.unwrap_or(""), index as usize));
                StateTableError { line, column, message: e.to_string() }
            })?;
            rows.push((line, row));
        }
        StateRegistry::build(rows, &locate, known_source)
    }

    /// A table from rows as a database stored them ([`StateRegistry::rows`]); an error's
    /// line is the row's position, its column 0.
    pub fn from_rows(rows: Vec<StateRow>) -> Result<StateRegistry, StateTableError> {
        let numbered = rows.into_iter().zip(1u64..).map(|(row, n)| (n, row)).collect();
        StateRegistry::build(numbered, &|_, _| 0, &|_| true)
    }

    /// The table as rows of text, in its order: [`StateRegistry::from_rows`] reads them back.
    pub fn rows(&self) -> Vec<StateRow> {
        let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        self.states
            .iter()
            .map(|s| StateRow {
                iso3: s.iso3.as_str().to_string(),
                iso2: s.iso2.clone().unwrap_or_default(),
                name: s.name.clone(),
                aliases: s.aliases.join("|"),
                regional_group: s.regional_group.map(|g| g.code().to_string()).unwrap_or_default(),
                member_from: date(s.member_from),
                member_to: date(s.member_to),
                successor: s.successor.map(|i| i.as_str().to_string()).unwrap_or_default(),
                source: s.sources.join("; "),
                notes: s.notes.clone(),
            })
            .collect()
    }

    fn build(
        rows: Vec<(u64, StateRow)>,
        locate: &dyn Fn(u64, &str) -> u32,
        known_source: &dyn Fn(&str) -> bool,
    ) -> Result<StateRegistry, StateTableError> {
        let mut registry = StateRegistry::default();
        let mut successors = Vec::new();
        for (line, row) in rows {
            let fail = |field: &str, message: String| StateTableError { line, column: locate(line, field), message };
            let code = row.iso3.trim();
            let iso3 = Iso3(
                code.as_bytes()
                    .try_into()
                    .ok()
                    .filter(|b: &[u8; 3]| b.iter().all(u8::is_ascii_uppercase))
                    .ok_or_else(|| fail("iso3", format!("iso3 `{code}` is not three upper-case letters")))?,
            );
            let date = |field: &str, text: &str| -> Result<Option<Date>, StateTableError> {
                if text.trim().is_empty() {
                    return Ok(None);
                }
                text.parse().map(Some).map_err(|e| fail(field, format!("{field}: {e}")))
            };
            let regional_group = match row.regional_group.trim() {
                "" => None,
                code => Some(RegionalGroup::from_code(code).ok_or_else(|| {
                    fail("regional_group", format!("regional_group `{code}` is not AFRICA, APG, EEG, GRULAC or WEOG"))
                })?),
            };
            let info = StateInfo {
                iso3,
                iso2: Some(row.iso2.trim().to_string()).filter(|s| !s.is_empty()),
                name: row.name.trim().to_string(),
                aliases: row.aliases.split('|').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect(),
                regional_group,
                member_from: date("member_from", &row.member_from)?,
                member_to: date("member_to", &row.member_to)?,
                successor: None,
                sources: row.source.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect(),
                notes: row.notes.trim().to_string(),
            };
            if info.name.is_empty() {
                return Err(fail("name", "name is empty".to_string()));
            }
            if info.sources.is_empty() {
                return Err(fail("source", format!("{iso3} has no source")));
            }
            if let Some(unknown) = info.sources.iter().find(|s| !known_source(s)) {
                return Err(fail("source", format!("source `{unknown}` of {iso3} is not registered in sources.toml")));
            }
            let index = registry.states.len();
            if registry.by_iso3.insert(iso3, index).is_some() {
                return Err(fail("iso3", format!("iso3 {iso3} appears twice")));
            }
            if let Some(iso2) = &info.iso2
                && registry.by_iso2.insert(iso2.to_ascii_uppercase(), index).is_some()
            {
                return Err(fail("iso2", format!("iso2 {iso2} appears twice")));
            }
            for name in std::iter::once(&info.name).chain(&info.aliases) {
                if let Some(other) = registry.by_name.insert(normalize_name(name), index)
                    && other != index
                {
                    let field = if *name == info.name { "name" } else { "aliases" };
                    return Err(fail(
                        field,
                        format!("the name `{name}` also belongs to {}", registry.states[other].iso3),
                    ));
                }
            }
            successors.push((index, line, row.successor.trim().to_string()));
            registry.states.push(info);
        }
        for (index, line, successor) in successors {
            if successor.is_empty() {
                continue;
            }
            let target =
                registry.states.iter().find(|s| s.iso3.as_str() == successor).map(|s| s.iso3).ok_or_else(|| {
                    StateTableError {
                        line,
                        column: locate(line, "successor"),
                        message: format!("successor `{successor}` is not in the table"),
                    }
                })?;
            registry.states[index].successor = Some(target);
        }
        Ok(registry)
    }

    pub fn get(&self, iso3: Iso3) -> Option<&StateInfo> {
        self.by_iso3.get(&iso3).map(|&i| &self.states[i])
    }

    pub fn all(&self) -> &[StateInfo] {
        &self.states
    }

    /// Finds a state by ISO3 code, ISO2 code, or any name the UN or a dataset used.
    pub fn lookup(&self, text: &str) -> Option<&StateInfo> {
        let trimmed = text.trim();
        let upper = trimmed.to_ascii_uppercase();
        if let Ok(bytes) = <[u8; 3]>::try_from(upper.as_bytes())
            && let Some(info) = self.get(Iso3(bytes))
        {
            return Some(info);
        }
        if upper.len() == 2
            && let Some(&i) = self.by_iso2.get(&upper)
        {
            return Some(&self.states[i]);
        }
        self.by_name.get(&normalize_name(trimmed)).map(|&i| &self.states[i])
    }

    /// Finds a state by name only (never by code): for dataset columns headed by names.
    pub fn lookup_name(&self, name: &str) -> Option<&StateInfo> {
        self.by_name.get(&normalize_name(name)).map(|&i| &self.states[i])
    }

    /// Finds a state by its ISO2 code only; `NA` is Namibia, never a missing value.
    pub fn lookup_iso2(&self, code: &str) -> Option<&StateInfo> {
        self.by_iso2.get(&code.trim().to_ascii_uppercase()).map(|&i| &self.states[i])
    }

    /// Up to three codes or names close to `text`, for error messages.
    pub fn suggest(&self, text: &str) -> Vec<String> {
        let needle = normalize_name(text);
        let mut scored: Vec<(f64, String)> = self
            .states
            .iter()
            .flat_map(|s| {
                let label = format!("{} ({})", s.iso3, s.name);
                let needle = needle.clone();
                std::iter::once(s.iso3.as_str().to_lowercase())
                    .chain(std::iter::once(normalize_name(&s.name)))
                    .chain(s.aliases.iter().map(|a| normalize_name(a)))
                    .map(move |candidate| (strsim::jaro_winkler(&needle, &candidate), label.clone()))
            })
            .filter(|(score, _)| *score > 0.75)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut out: Vec<String> = Vec::new();
        for (_, label) in scored {
            if !out.contains(&label) {
                out.push(label);
            }
            if out.len() == 3 {
                break;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_parses() {
        let registry = StateRegistry::parse(STATES_CSV).unwrap_or_else(|e| panic!("{e}"));
        assert!(registry.all().len() >= 5);
    }

    #[test]
    fn lookups_by_code_and_name() {
        let registry = StateRegistry::global();
        assert_eq!(registry.lookup("RUS").unwrap().iso3.as_str(), "RUS");
        assert_eq!(registry.lookup("US").unwrap().iso3.as_str(), "USA");
        assert_eq!(registry.lookup(" united states of america ").unwrap().iso3.as_str(), "USA");
        assert_eq!(Iso3::parse("chn").unwrap().as_str(), "CHN");
        assert!(matches!(Iso3::parse("ZZZ"), Err(StateError::Unknown { .. })));
        assert!(matches!(Iso3::parse("RUSSIA"), Err(StateError::NotIso3(_))));
    }

    proptest::proptest! {
        /// A mangled state table is read or refused, never a panic; a refusal points inside
        /// the text.
        #[test]
        fn mangled_tables_never_panic(cut in 0usize..3000, insert in "[,\"|;\n A-Za-z0-9-]{0,12}") {
            let mut text: String = STATES_CSV.chars().take(3000).collect();
            let at = text.char_indices().map(|(i, _)| i).nth(cut).unwrap_or(text.len());
            text.insert_str(at, &insert);
            if let Err(error) = StateRegistry::parse_checked(&text, &|s| s != "nowhere") {
                proptest::prop_assert!(error.line >= 1 && error.column >= 1, "{error}");
            }
        }
    }

    #[test]
    fn rows_round_trip() {
        let registry = StateRegistry::global();
        let rows = registry.rows();
        let back = StateRegistry::from_rows(rows.clone()).unwrap();
        assert_eq!(back.rows(), rows);
        assert_eq!(back.lookup("united states").map(|s| s.iso3.as_str()), Some("USA"));
    }

    #[test]
    fn table_errors_name_the_line_and_column() {
        let header = "iso3,iso2,name,aliases,regional_group,member_from,member_to,successor,source,notes\n";
        let error = StateRegistry::parse(&format!("{header}RUS,RU,Russian Federation,,EUROPE,1945-10-24,,,iso3166,\n"))
            .unwrap_err();
        assert_eq!((error.line, error.column), (2, 28), "{error}");
        let error =
            StateRegistry::parse(&format!("{header}RUS,RU,\"Russia, the\",,EEG,1945-13-24,,,iso3166,\n")).unwrap_err();
        assert_eq!((error.line, error.column), (2, 27), "{error}");
        assert!(error.message.starts_with("member_from"), "{error}");
        let error = StateRegistry::parse_checked(&format!("{header}RUS,RU,Russia,,EEG,,,,iso3166; nowhere,\n"), &|s| {
            s == "iso3166"
        })
        .unwrap_err();
        assert_eq!((error.line, error.column), (2, 23), "{error}");
        assert!(error.message.contains("`nowhere`"), "{error}");
        let error = StateRegistry::parse(&format!("{header}RUS,RU,Russia,,EEG,,,SUN,iso3166,\n")).unwrap_err();
        assert_eq!(error.column, 22, "{error}");
    }

    #[test]
    fn table_errors_name_the_line() {
        let header = "iso3,iso2,name,aliases,regional_group,member_from,member_to,successor,source,notes\n";
        let bad_group = format!("{header}RUS,RU,Russian Federation,,EUROPE,1945-10-24,,,iso3166,\n");
        let error = StateRegistry::parse(&bad_group).unwrap_err();
        assert_eq!(error.line, 2);
        assert!(error.message.contains("EUROPE"));
        let duplicate = format!("{header}RUS,RU,Russia,,EEG,1945-10-24,,,iso3166,\nRUS,RX,Russia 2,,EEG,,,,iso3166,\n");
        assert!(StateRegistry::parse(&duplicate).unwrap_err().message.contains("twice"));
        let no_source = format!("{header}RUS,RU,Russia,,EEG,,,,,\n");
        assert!(StateRegistry::parse(&no_source).unwrap_err().message.contains("no source"));
    }
}
