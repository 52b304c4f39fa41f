//! Measuring norm emergence at the United Nations, after Maurer (2011, §II.1.1): six
//! indicators per stream or series and year (the sixth, salience, read from what states
//! said in the General Debate), a weighted index whose every value decomposes
//! into indicators and cited facts, its sensitivity to the weights, the Finnemore–Sikkink
//! life-cycle stage, and the figures the seed describes, drawn as SVG.
//!
//! Pure: the caller hands in resolved views and records ([`Inputs`]) and a [`Config`]
//! (parsed from `config/measurement.toml` text); nothing here reads files or databases.
//! `docs/methods.md` states every definition and formula.

pub mod config;
pub mod figures;
pub mod index;
pub mod indicators;
pub mod inputs;
pub mod lifecycle;

use std::fmt;

pub use config::{Config, DEFAULT_CONFIG, Endorsement, Weights};
pub use figures::{FIGURE_NAMES, Svg, figure};
pub use index::{Component, IndexPoint, RankMove, SensitivityRun, index, measure, sensitivity};
pub use indicators::{IndicatorValue, Scope, YearMeasure, yearly_indicators};
pub use inputs::{BodyFacts, Debate, EventFacts, Evidence, Inputs, Mention, StateVote};
pub use lifecycle::{Lifecycle, Stage, lifecycles};

/// The indicators of norm emergence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Indicator {
    /// Sponsors (named and counted) as a share of Member States.
    Sponsorship,
    /// Adoption without a vote, else the yes share, less for permanent members voting No.
    Consensus,
    /// The strongest ranked operative verb.
    Language,
    /// Expert groups requested, sitting, reporting with consensus.
    Institutionalisation,
    /// Bodies active on the issue and resolutions of the stream.
    Diffusion,
    /// The share of states whose General Debate speech uses a term of the ICT-security
    /// lexicon.
    Salience,
}

impl Indicator {
    pub const ALL: [Indicator; 6] = [
        Indicator::Sponsorship,
        Indicator::Consensus,
        Indicator::Language,
        Indicator::Institutionalisation,
        Indicator::Diffusion,
        Indicator::Salience,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Indicator::Sponsorship => "sponsorship",
            Indicator::Consensus => "consensus",
            Indicator::Language => "language",
            Indicator::Institutionalisation => "institutionalisation",
            Indicator::Diffusion => "diffusion",
            Indicator::Salience => "salience",
        }
    }

    pub fn parse(text: &str) -> Option<Indicator> {
        Indicator::ALL.into_iter().find(|i| i.as_str() == text)
    }

    /// The indicator's place in [`Indicator::ALL`].
    pub fn position(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Indicator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MeasureError {
    #[error("measurement configuration, key `{key}`: {message}")]
    Config { key: String, message: String },
    #[error("{0} has no resolution with a known year to measure")]
    EmptyScope(String),
    #[error("no figure `{name}`; expected one of: {}", FIGURE_NAMES.join(", "))]
    UnknownFigure { name: String },
}
