//! The strength of operative verbs: an ordinal scale the caller hands in.
//!
//! The values and their rationale are measurement parameters in `config/measurement.toml`
//! (`[language.verbs.*]`), read by `normwatch-measure`; this crate never hard-codes them.
//! The order they encode comes from the Maurer seed (maurer2011 §II.3), which reads the
//! change from "Adopts the principles annexed to the present resolution" to "Takes note of
//! the elements" as "a watering down of the original language", "usually the order of
//! terminology being adopt/welcome/notes with appreciation/takes notes/acknowledges", and
//! notes that "the final resolution only “invites” rather than “requests” member states".
//! The verbs the seeds do not order (decides, calls upon, urges, encourages, …) are placed
//! in the configuration with a rationale each.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use normwatch_core::domain::OperativeVerb;

/// Verb strengths: larger is stronger. Verbs not in the lexicon are unranked.
#[derive(Clone, Debug, PartialEq)]
pub struct VerbLexicon {
    strengths: BTreeMap<OperativeVerb, f64>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LexiconError {
    #[error("the strength of `{verb}` must be a positive finite number, found {value}")]
    BadStrength { verb: OperativeVerb, value: f64 },
    #[error("the verb lexicon is empty")]
    Empty,
}

impl VerbLexicon {
    /// A lexicon from `(verb, strength)` pairs, such as `normwatch-measure`'s
    /// `Config::verb_strengths`.
    pub fn new(strengths: impl IntoIterator<Item = (OperativeVerb, f64)>) -> Result<VerbLexicon, LexiconError> {
        let mut map = BTreeMap::new();
        for (verb, value) in strengths {
            if !(value.is_finite() && value > 0.0) {
                return Err(LexiconError::BadStrength { verb, value });
            }
            map.insert(verb, value);
        }
        if map.is_empty() {
            return Err(LexiconError::Empty);
        }
        Ok(VerbLexicon { strengths: map })
    }

    /// The strength of a verb, if ranked.
    pub fn strength(&self, verb: OperativeVerb) -> Option<f64> {
        self.strengths.get(&verb).copied()
    }

    /// The strength on a 0–1 scale (strength / strongest), if ranked.
    pub fn relative(&self, verb: OperativeVerb) -> Option<f64> {
        let max = self.strengths.values().copied().fold(0.0, f64::max);
        self.strength(verb).map(|s| s / max)
    }

    /// How `a` compares with `b`: `Some(Greater)` when `a` is stronger; `None` when either
    /// is unranked.
    pub fn compare(&self, a: OperativeVerb, b: OperativeVerb) -> Option<Ordering> {
        self.strength(a)?.partial_cmp(&self.strength(b)?)
    }

    /// The ranked verbs, strongest first (ties in vocabulary order).
    pub fn ranked(&self) -> Vec<(OperativeVerb, f64)> {
        let mut out: Vec<(OperativeVerb, f64)> = self.strengths.iter().map(|(v, s)| (*v, *s)).collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OperativeVerb::*;

    /// The lexicon as shipped, read from the configuration file (with the TOML reader
    /// only: the measure crate owns the parser).
    pub(crate) fn shipped() -> VerbLexicon {
        let text = include_str!("../../../config/measurement.toml");
        let root: toml::Table = text.parse().expect("config/measurement.toml parses");
        let verbs = root["language"]["verbs"].as_table().expect("[language.verbs]");
        VerbLexicon::new(verbs.iter().map(|(name, param)| {
            let verb: OperativeVerb = name.parse().unwrap_or_else(|e| panic!("{e}"));
            let value = param["value"].as_float().or_else(|| param["value"].as_integer().map(|i| i as f64));
            (verb, value.expect("a number"))
        }))
        .unwrap()
    }

    #[test]
    fn the_shipped_lexicon_keeps_the_seed_order() {
        let lexicon = shipped();
        // adopt > welcome > note with appreciation > take note > acknowledge (maurer2011 §II.3)
        for pair in [Adopts, Welcomes, NotesWithAppreciation, TakesNote, Acknowledges].windows(2) {
            assert_eq!(lexicon.compare(pair[0], pair[1]), Some(Ordering::Greater), "{} > {}", pair[0], pair[1]);
        }
        // requests is stronger than invites (maurer2011 §II.3)
        assert_eq!(lexicon.compare(Requests, Invites), Some(Ordering::Greater));
        // The extension ranks the verbs the seeds do not order.
        for verb in [Decides, CallsUpon, Urges, Encourages] {
            assert!(lexicon.strength(verb).is_some(), "{verb} is ranked");
        }
        assert_eq!(lexicon.relative(Adopts), Some(1.0));
        assert_eq!(lexicon.compare(Reaffirms, Adopts), None);
        assert_eq!(lexicon.ranked()[0].1, lexicon.strength(Adopts).unwrap());
    }

    #[test]
    fn bad_strengths_are_refused() {
        assert_eq!(VerbLexicon::new([]), Err(LexiconError::Empty));
        assert!(matches!(VerbLexicon::new([(Adopts, 0.0)]), Err(LexiconError::BadStrength { .. })));
        assert!(matches!(VerbLexicon::new([(Adopts, f64::NAN)]), Err(LexiconError::BadStrength { .. })));
    }
}
