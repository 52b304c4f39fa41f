//! A self-assessment seen through the crosswalk (`/api/assessments/{id}/crosswalk`): the
//! norms and the other documents' elements the team's answers reach. Every coverage here is
//! derived from the answers and the edges listed with it, never an answer the team gave.

use serde::Serialize;
use utoipa::ToSchema;

use crate::CrosswalkJson;

#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentCrosswalkJson {
    pub assessment: String,
    pub framework: String,
    /// The document the framework's questions come from.
    pub document: String,
    /// How coverage is derived, in words.
    pub rule: String,
    /// Every norm of the knowledge base: gaps first, then partly covered, covered, not
    /// applicable, and those no question of the framework carries.
    pub norms: Vec<NormCoverageJson>,
    /// Every element of the other frameworks' documents (57/239, 58/199, …), in order.
    pub elements: Vec<ElementCoverageJson>,
    /// How many norms have each coverage.
    pub norm_counts: Vec<CoverageCountJson>,
    /// How many elements have each coverage.
    pub element_counts: Vec<CoverageCountJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CoverageCountJson {
    /// `covered`, `partly_covered`, `not_covered`, `not_applicable` or `outside_framework`.
    pub coverage: &'static str,
    pub count: usize,
}

/// The team's answer to a question, as it stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnsweredJson {
    pub question: String,
    pub number: String,
    /// `not_started`, `partial`, `in_place` or `not_applicable`.
    pub status: &'static str,
    pub maturity: Option<u8>,
    /// Its place in the review workflow (`in_review` is not accepted yet).
    pub state: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NormCoverageJson {
    pub norm: String,
    pub name: String,
    pub theme: Option<String>,
    /// Derived: `covered`, `partly_covered`, `not_covered`, `not_applicable` or
    /// `outside_framework`.
    pub coverage: &'static str,
    /// The questions carrying the norm, each with the crosswalk edge that links them.
    pub carriers: Vec<CarrierJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CarrierJson {
    pub answer: AnsweredJson,
    pub edge: CrosswalkJson,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ElementCoverageJson {
    pub framework: String,
    pub document: String,
    pub question: String,
    pub number: String,
    /// The element's text, verbatim from the framework's held copy.
    pub prompt: String,
    pub coverage: &'static str,
    /// Every chain that reaches the element.
    pub via: Vec<ViaJson>,
}

/// One chain from an answered question to an element.
#[derive(Debug, Serialize, ToSchema)]
pub struct ViaJson {
    /// `norm` (question → norm → element, through two crosswalk edges) or `link` (the
    /// framework links the two questions itself).
    pub kind: &'static str,
    pub answer: AnsweredJson,
    /// The norm of a `norm` chain.
    pub norm: Option<String>,
    /// A `norm` chain's edges: the norm to the answered question's element, then the norm
    /// to this element.
    pub edges: Vec<CrosswalkJson>,
    /// A `link`'s basis: `resolution` or `curator`.
    pub link_basis: Option<&'static str>,
    /// A curator link's rationale, or the resolution's words that make the link.
    pub link_reason: Option<String>,
}
