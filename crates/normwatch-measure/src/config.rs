//! The measurement parameters (`config/measurement.toml`): weights, indicator rules, the
//! verb-strength table, the life-cycle threshold, the figures' subjects.
//!
//! Every parameter is a table `{ value, rationale, sources }`; a parameter without a
//! rationale or sources is refused, and every error names the key.

use std::collections::BTreeMap;

use normwatch_core::Iso3;
use normwatch_core::domain::{OperativeVerb, Stream};

use crate::{Indicator, MeasureError};

/// The default parameters shipped with normwatch.
pub const DEFAULT_CONFIG: &str = include_str!("../../../config/measurement.toml");

/// Why a parameter has its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Rationale {
    /// The dotted key, e.g. `index.weights.consensus`.
    pub key: String,
    pub rationale: String,
    pub sources: Vec<String>,
}

/// What counts as a state endorsing a norm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endorsement {
    /// States sponsoring the instrument.
    Sponsors,
    /// States voting yes; every Member State when adopted without a vote.
    Adopters,
}

impl Endorsement {
    pub fn as_str(self) -> &'static str {
        match self {
            Endorsement::Sponsors => "sponsors",
            Endorsement::Adopters => "adopters",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub min_coverage: f64,
    /// One weight per indicator, in [`Indicator::ALL`] order.
    pub weights: Weights,
    pub recorded_vote_base: f64,
    pub permanent_member_no_penalty: f64,
    pub permanent_members: Vec<Iso3>,
    pub verb_strengths: BTreeMap<OperativeVerb, f64>,
    pub inst_requested: f64,
    pub inst_active: f64,
    pub inst_consensus_report: f64,
    pub inst_no_consensus_report: f64,
    pub diffusion_bodies_share: f64,
    pub diffusion_bodies_saturation: f64,
    pub diffusion_resolutions_saturation: f64,
    /// The ICT-security lexicon of the salience indicator: patterns in the syntax of
    /// `normwatch terms` (`cyber*`, `"information security"`), checked by the caller. Empty
    /// when the file has no `[salience]` table: the indicator is then not measured (missing,
    /// never zero) and weighs nothing.
    pub salience_lexicon: Vec<String>,
    pub tipping_share: f64,
    pub endorsement: Endorsement,
    pub cascade_years: u32,
    pub norm_lists: Vec<String>,
    pub trend_stream: Stream,
    pub sponsorship_series: String,
    pub positions_series: String,
    pub positions_states: Vec<Iso3>,
    /// The rationale and sources of every parameter, in file order of keys (sorted).
    pub rationales: Vec<Rationale>,
}

/// The index weights, one per indicator.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weights(pub [f64; Indicator::ALL.len()]);

impl Weights {
    pub fn get(&self, indicator: Indicator) -> f64 {
        self.0[indicator.position()]
    }

    pub fn set(&mut self, indicator: Indicator, value: f64) {
        self.0[indicator.position()] = value;
    }

    pub fn total(&self) -> f64 {
        self.0.iter().sum()
    }
}

impl Config {
    /// The parameters shipped with normwatch.
    pub fn default_config() -> Result<Config, MeasureError> {
        Config::parse(DEFAULT_CONFIG)
    }

    /// Parses and validates a configuration file's text.
    pub fn parse(text: &str) -> Result<Config, MeasureError> {
        let root: toml::Table = text.parse().map_err(|e: toml::de::Error| MeasureError::Config {
            key: "(file)".into(),
            message: e.to_string().trim().to_string(),
        })?;
        let mut reader = Reader { rationales: Vec::new() };
        match root.get("version") {
            Some(toml::Value::Integer(1)) => {}
            Some(other) => return Err(config_error("version", format!("expected 1, found {other}"))),
            None => return Err(config_error("version", "missing; this file format is version 1".into())),
        }
        check_keys(
            &root,
            "",
            &[
                "version",
                "index",
                "consensus",
                "language",
                "institutionalisation",
                "diffusion",
                "salience",
                "lifecycle",
                "figures",
            ],
        )?;

        let index = section(&root, "index")?;
        check_keys(index, "index", &["min_coverage", "weights"])?;
        let min_coverage = reader.fraction(index, "index", "min_coverage")?;
        let weight_table = section(index, "weights").map_err(|e| e.under("index"))?;
        let names: Vec<&str> = Indicator::ALL.iter().map(|i| i.as_str()).collect();
        check_keys(weight_table, "index.weights", &names)?;
        // Salience came after the first files of this format: a file without `[salience]`
        // (and without its weight) is read with the indicator left out of the index.
        let salience_configured = root.contains_key("salience");
        let mut weights = Weights([0.0; Indicator::ALL.len()]);
        for indicator in Indicator::ALL {
            if indicator == Indicator::Salience && !salience_configured {
                if weight_table.contains_key(indicator.as_str()) {
                    return Err(config_error(
                        "index.weights.salience",
                        "the salience indicator has a weight but no [salience] table with its lexicon".into(),
                    ));
                }
                continue;
            }
            let w = reader.number(weight_table, "index.weights", indicator.as_str())?;
            if w < 0.0 {
                return Err(config_error(
                    &format!("index.weights.{indicator}"),
                    format!("a weight must be zero or positive, found {w}"),
                ));
            }
            weights.set(indicator, w);
        }
        if weights.total() <= 0.0 {
            return Err(config_error("index.weights", "at least one weight must be positive".into()));
        }

        let consensus = section(&root, "consensus")?;
        check_keys(
            consensus,
            "consensus",
            &["recorded_vote_base", "permanent_member_no_penalty", "permanent_members"],
        )?;
        let recorded_vote_base = reader.fraction(consensus, "consensus", "recorded_vote_base")?;
        let permanent_member_no_penalty = reader.fraction(consensus, "consensus", "permanent_member_no_penalty")?;
        let permanent_members = reader.states(consensus, "consensus", "permanent_members")?;

        let language = section(&root, "language")?;
        check_keys(language, "language", &["verbs"])?;
        let verbs = section(language, "verbs").map_err(|e| e.under("language"))?;
        let mut verb_strengths = BTreeMap::new();
        for name in verbs.keys() {
            let key = format!("language.verbs.{name}");
            let verb: OperativeVerb =
                name.parse().map_err(|e: normwatch_core::domain::VocabularyError| config_error(&key, e.to_string()))?;
            let strength = reader.number(verbs, "language.verbs", name)?;
            if strength <= 0.0 {
                return Err(config_error(&key, format!("a verb strength must be positive, found {strength}")));
            }
            verb_strengths.insert(verb, strength);
        }
        if verb_strengths.is_empty() {
            return Err(config_error("language.verbs", "the verb-strength table is empty".into()));
        }

        let inst = section(&root, "institutionalisation")?;
        check_keys(inst, "institutionalisation", &["requested", "active", "consensus_report", "no_consensus_report"])?;
        let inst_requested = reader.fraction(inst, "institutionalisation", "requested")?;
        let inst_active = reader.fraction(inst, "institutionalisation", "active")?;
        let inst_consensus_report = reader.fraction(inst, "institutionalisation", "consensus_report")?;
        let inst_no_consensus_report = reader.fraction(inst, "institutionalisation", "no_consensus_report")?;

        let diffusion = section(&root, "diffusion")?;
        check_keys(diffusion, "diffusion", &["bodies_share", "bodies_saturation", "resolutions_saturation"])?;
        let diffusion_bodies_share = reader.fraction(diffusion, "diffusion", "bodies_share")?;
        let diffusion_bodies_saturation = reader.positive(diffusion, "diffusion", "bodies_saturation")?;
        let diffusion_resolutions_saturation = reader.positive(diffusion, "diffusion", "resolutions_saturation")?;

        let salience_lexicon = if salience_configured {
            let salience = section(&root, "salience")?;
            check_keys(salience, "salience", &["lexicon"])?;
            let lexicon = reader.texts(salience, "salience", "lexicon")?;
            if lexicon.is_empty() {
                return Err(config_error("salience.lexicon.value", "the lexicon needs at least one pattern".into()));
            }
            lexicon
        } else {
            Vec::new()
        };

        let lifecycle = section(&root, "lifecycle")?;
        check_keys(lifecycle, "lifecycle", &["tipping_share", "endorsement", "cascade_years", "norm_lists"])?;
        let tipping_share = reader.fraction(lifecycle, "lifecycle", "tipping_share")?;
        if tipping_share <= 0.0 {
            return Err(config_error("lifecycle.tipping_share", "the threshold must be above 0".into()));
        }
        let endorsement = match reader.text(lifecycle, "lifecycle", "endorsement")?.as_str() {
            "sponsors" => Endorsement::Sponsors,
            "adopters" => Endorsement::Adopters,
            other => {
                return Err(config_error(
                    "lifecycle.endorsement",
                    format!("`{other}` is not one of: sponsors, adopters"),
                ));
            }
        };
        let cascade = reader.positive(lifecycle, "lifecycle", "cascade_years")?;
        if cascade.fract() != 0.0 {
            return Err(config_error(
                "lifecycle.cascade_years",
                format!("expected a whole number of years, found {cascade}"),
            ));
        }
        let norm_lists = reader.texts(lifecycle, "lifecycle", "norm_lists")?;

        let figures = section(&root, "figures")?;
        check_keys(
            figures,
            "figures",
            &["trend_stream", "sponsorship_series", "positions_series", "positions_states"],
        )?;
        let trend_text = reader.text(figures, "figures", "trend_stream")?;
        let trend_stream: Stream = trend_text.parse().map_err(|e: normwatch_core::domain::VocabularyError| {
            config_error("figures.trend_stream", e.to_string())
        })?;
        let sponsorship_series = reader.text(figures, "figures", "sponsorship_series")?;
        let positions_series = reader.text(figures, "figures", "positions_series")?;
        let positions_states = reader.states(figures, "figures", "positions_states")?;

        let mut rationales = reader.rationales;
        rationales.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(Config {
            min_coverage,
            weights,
            recorded_vote_base,
            permanent_member_no_penalty,
            permanent_members,
            verb_strengths,
            inst_requested,
            inst_active,
            inst_consensus_report,
            inst_no_consensus_report,
            diffusion_bodies_share,
            diffusion_bodies_saturation,
            diffusion_resolutions_saturation,
            salience_lexicon,
            tipping_share,
            endorsement,
            cascade_years: cascade as u32,
            norm_lists,
            trend_stream,
            sponsorship_series,
            positions_series,
            positions_states,
            rationales,
        })
    }

    /// The strength of a verb on a 0–1 scale (strength / strongest in the table), or `None`
    /// for a verb the table does not rank.
    pub fn verb_strength(&self, verb: OperativeVerb) -> Option<f64> {
        let max = self.verb_strengths.values().copied().fold(0.0, f64::max);
        self.verb_strengths.get(&verb).map(|s| s / max)
    }

    /// Every source the parameters cite, with the key citing it (for validation against
    /// the knowledge base's registry of sources).
    pub fn cited_sources(&self) -> Vec<(String, String)> {
        self.rationales.iter().flat_map(|r| r.sources.iter().map(|s| (r.key.clone(), s.clone()))).collect()
    }

    /// The rationale of one parameter, by dotted key.
    pub fn rationale(&self, key: &str) -> Option<&Rationale> {
        self.rationales.iter().find(|r| r.key == key)
    }
}

fn config_error(key: &str, message: String) -> MeasureError {
    MeasureError::Config { key: key.to_string(), message }
}

impl MeasureError {
    fn under(self, prefix: &str) -> MeasureError {
        match self {
            MeasureError::Config { key, message } => MeasureError::Config { key: format!("{prefix}.{key}"), message },
            other => other,
        }
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() { key.to_string() } else { format!("{prefix}.{key}") }
}

fn section<'a>(table: &'a toml::Table, key: &str) -> Result<&'a toml::Table, MeasureError> {
    match table.get(key) {
        Some(toml::Value::Table(t)) => Ok(t),
        Some(_) => Err(config_error(key, "expected a table".into())),
        None => Err(config_error(key, "missing".into())),
    }
}

fn check_keys(table: &toml::Table, prefix: &str, allowed: &[&str]) -> Result<(), MeasureError> {
    for key in table.keys() {
        if !allowed.contains(&key.as_str()) {
            return Err(config_error(
                &join(prefix, key),
                format!("unknown key; expected one of: {}", allowed.join(", ")),
            ));
        }
    }
    Ok(())
}

struct Reader {
    rationales: Vec<Rationale>,
}

impl Reader {
    /// The `value` of a parameter table, after checking its rationale and sources.
    fn value<'a>(&mut self, table: &'a toml::Table, prefix: &str, name: &str) -> Result<&'a toml::Value, MeasureError> {
        let key = join(prefix, name);
        let param = match table.get(name) {
            Some(toml::Value::Table(t)) => t,
            Some(_) => return Err(config_error(&key, "expected a table { value, rationale, sources }".into())),
            None => return Err(config_error(&key, "missing".into())),
        };
        check_keys(param, &key, &["value", "rationale", "sources"])?;
        let rationale = match param.get("rationale") {
            Some(toml::Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            _ => {
                return Err(config_error(
                    &format!("{key}.rationale"),
                    "every parameter needs a rationale (a non-empty string)".into(),
                ));
            }
        };
        let sources: Vec<String> = match param.get("sources") {
            Some(toml::Value::Array(list)) => list
                .iter()
                .map(|v| match v {
                    toml::Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_string()),
                    _ => Err(config_error(&format!("{key}.sources"), "each source must be a non-empty string".into())),
                })
                .collect::<Result<_, _>>()?,
            _ => {
                return Err(config_error(
                    &format!("{key}.sources"),
                    "every parameter needs sources (a list of source references)".into(),
                ));
            }
        };
        if sources.is_empty() {
            return Err(config_error(&format!("{key}.sources"), "every parameter needs at least one source".into()));
        }
        let value = param.get("value").ok_or_else(|| config_error(&format!("{key}.value"), "missing".into()))?;
        self.rationales.push(Rationale { key, rationale, sources });
        Ok(value)
    }

    fn number(&mut self, table: &toml::Table, prefix: &str, name: &str) -> Result<f64, MeasureError> {
        let key = format!("{}.value", join(prefix, name));
        let n = match self.value(table, prefix, name)? {
            toml::Value::Float(f) => *f,
            toml::Value::Integer(i) => *i as f64,
            other => return Err(config_error(&key, format!("expected a number, found {other}"))),
        };
        if !n.is_finite() {
            return Err(config_error(&key, format!("expected a finite number, found {n}")));
        }
        Ok(n)
    }

    fn fraction(&mut self, table: &toml::Table, prefix: &str, name: &str) -> Result<f64, MeasureError> {
        let n = self.number(table, prefix, name)?;
        if !(0.0..=1.0).contains(&n) {
            return Err(config_error(
                &format!("{}.value", join(prefix, name)),
                format!("expected a number from 0 to 1, found {n}"),
            ));
        }
        Ok(n)
    }

    fn positive(&mut self, table: &toml::Table, prefix: &str, name: &str) -> Result<f64, MeasureError> {
        let n = self.number(table, prefix, name)?;
        if n <= 0.0 {
            return Err(config_error(
                &format!("{}.value", join(prefix, name)),
                format!("expected a positive number, found {n}"),
            ));
        }
        Ok(n)
    }

    fn text(&mut self, table: &toml::Table, prefix: &str, name: &str) -> Result<String, MeasureError> {
        match self.value(table, prefix, name)? {
            toml::Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_string()),
            other => Err(config_error(
                &format!("{}.value", join(prefix, name)),
                format!("expected a non-empty string, found {other}"),
            )),
        }
    }

    fn texts(&mut self, table: &toml::Table, prefix: &str, name: &str) -> Result<Vec<String>, MeasureError> {
        let key = format!("{}.value", join(prefix, name));
        match self.value(table, prefix, name)? {
            toml::Value::Array(list) => list
                .iter()
                .map(|v| match v {
                    toml::Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_string()),
                    other => Err(config_error(&key, format!("expected a list of strings, found {other}"))),
                })
                .collect(),
            other => Err(config_error(&key, format!("expected a list of strings, found {other}"))),
        }
    }

    fn states(&mut self, table: &toml::Table, prefix: &str, name: &str) -> Result<Vec<Iso3>, MeasureError> {
        let key = format!("{}.value", join(prefix, name));
        self.texts(table, prefix, name)?
            .iter()
            .map(|s| Iso3::parse(s).map_err(|e| config_error(&key, e.to_string())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_defaults_parse_and_every_parameter_is_sourced() {
        let config = Config::default_config().unwrap();
        assert_eq!(config.weights.get(Indicator::Consensus), 1.0);
        assert_eq!(config.verb_strength(OperativeVerb::Adopts), Some(1.0));
        assert!(config.verb_strength(OperativeVerb::Invites) < config.verb_strength(OperativeVerb::Requests));
        assert!(config.verb_strength(OperativeVerb::TakesNote) < config.verb_strength(OperativeVerb::Welcomes));
        // Issue 11 ranks the verbs the seeds do not order (decides, urges, …); the rest stay unranked.
        assert!(config.verb_strength(OperativeVerb::Decides) < config.verb_strength(OperativeVerb::Adopts));
        assert!(config.verb_strength(OperativeVerb::Encourages) < config.verb_strength(OperativeVerb::Requests));
        assert_eq!(config.verb_strength(OperativeVerb::Reaffirms), None);
        assert!(config.rationales.iter().all(|r| !r.sources.is_empty() && !r.rationale.is_empty()));
        assert!(config.rationale("language.verbs.adopts").unwrap().sources.contains(&"maurer2011 §II.3".to_string()));
    }

    /// The built-in file as it was before salience: no `[salience]` table, no weight for it.
    fn five_indicator_file() -> String {
        let (head, rest) = DEFAULT_CONFIG.split_once("  [index.weights.salience]\n").unwrap();
        let (_, rest) = rest.split_once("\n\n").unwrap();
        let (before, after) = rest.split_once("[salience]\n").unwrap();
        let (_, after) = after.split_once("[lifecycle]\n").unwrap();
        format!("{head}\n{before}[lifecycle]\n{after}")
    }

    #[test]
    fn a_file_without_salience_leaves_it_out() {
        let text = five_indicator_file();
        assert!(!text.contains("salience]"), "{text}");
        let config = Config::parse(&text).unwrap();
        assert!(config.salience_lexicon.is_empty());
        assert_eq!(config.weights.get(Indicator::Salience), 0.0);
        let default = Config::default_config().unwrap();
        for indicator in Indicator::ALL.into_iter().filter(|i| *i != Indicator::Salience) {
            assert_eq!(config.weights.get(indicator), default.weights.get(indicator), "{indicator}");
        }
        assert!(config.rationale("index.weights.salience").is_none());
    }

    fn replaced(from: &str, to: &str) -> String {
        assert!(DEFAULT_CONFIG.contains(from), "{from}");
        DEFAULT_CONFIG.replacen(from, to, 1)
    }

    #[test]
    fn errors_name_the_key() {
        let check = |text: String, key: &str| {
            let error = Config::parse(&text).unwrap_err().to_string();
            assert!(error.contains(key), "{error} should name {key}");
        };
        check(
            replaced("  [index.weights.consensus]\n  value = 1.0", "  [index.weights.consensus]\n  value = -1.0"),
            "index.weights.consensus",
        );
        check(
            replaced("  [index.weights.consensus]\n  value = 1.0", "  [index.weights.consensus]\n  value = \"high\""),
            "index.weights.consensus.value",
        );
        check(replaced("  [language.verbs.adopts]", "  [language.verbs.adoptz]"), "language.verbs.adoptz");
        check(replaced("value = \"sponsors\"", "value = \"everyone\""), "lifecycle.endorsement");
        check(replaced("  value = 0.3333\n", "  value = 1.5\n"), "lifecycle.tipping_share.value");
        check(replaced("version = 1", "version = 2"), "version");
        check(replaced("    \"cyber*\",\n", "    1,\n"), "salience.lexicon.value");
        check(replaced("[index]\n", "[index]\n  typo = 1\n"), "index.typo");
        let without_lexicon = DEFAULT_CONFIG.split_once("[salience]\n").unwrap().0.to_string()
            + "[lifecycle]\n"
            + DEFAULT_CONFIG.split_once("[lifecycle]\n").unwrap().1;
        check(without_lexicon, "index.weights.salience");
        check("this is not toml".to_string(), "(file)");
        let unsourced = replaced(
            "rationale = \"Weakest in the seed's order.\"\n  sources = [\"maurer2011 §II.3\"]",
            "rationale = \"Weakest in the seed's order.\"\n  sources = []",
        );
        check(unsourced, "language.verbs.acknowledges.sources");
    }
}
