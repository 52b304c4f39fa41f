//! A self-assessment seen through the crosswalk: which norms a team's answers cover, which
//! elements of the other frameworks' documents (57/239, 58/199) they reach, and where the
//! gaps are.
//!
//! Nothing here is an answer the team gave. Every coverage is **derived**, and carries the
//! edges that carried it: a question answered by the team, the crosswalk edge from a norm
//! to that question's element of the document (with its relation, basis and source), and,
//! for an element of another document, the norm's edge to that element or a link the
//! framework itself makes between the two questions.
//!
//! The rule (OSCAL relations are read from the norm towards the element; see
//! `MappingRelation`):
//! - a norm is **covered** when a question in place carries it with `equivalent-to` or
//!   `subset-of` (the norm is no wider than what is in place); **partly covered** when a
//!   question carrying it is in place or partly in place; **not applicable** when every
//!   question carrying it is marked so; **not covered** otherwise; **outside the framework**
//!   when no question of the framework carries it;
//! - an element of another document is **covered** when a chain question → norm → element
//!   holds in place and is exact at both steps (the norm is no wider than the question and
//!   no narrower than the element); **partly covered**, **not applicable** and **not
//!   covered** as for norms, over every chain (a framework's own link between questions
//!   counts as partial at best: it says the two are related, not that one holds the other);
//!   **outside the framework** when no chain reaches it.

use std::collections::BTreeMap;

use normwatch_api::{
    AnsweredJson, AssessmentCrosswalkJson, CarrierJson, CoverageCountJson, ElementCoverageJson, NormCoverageJson,
    ViaJson,
};
use normwatch_assess::framework::{Catalog as Frameworks, Framework, LinkBasis, Question};
use normwatch_assess::workflow::{Item, State, Status};
use normwatch_core::kb::schema::MappingRelation;

use crate::assessments::MemberView;
use crate::norms::{CrosswalkRow, Norms};

/// How far an assessment's answers reach a norm or an element: derived, never answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Coverage {
    Covered,
    Partly,
    NotCovered,
    NotApplicable,
    OutsideFramework,
}

impl Coverage {
    pub const ALL: [Coverage; 5] = [
        Coverage::Covered,
        Coverage::Partly,
        Coverage::NotCovered,
        Coverage::NotApplicable,
        Coverage::OutsideFramework,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Coverage::Covered => "covered",
            Coverage::Partly => "partly_covered",
            Coverage::NotCovered => "not_covered",
            Coverage::NotApplicable => "not_applicable",
            Coverage::OutsideFramework => "outside_framework",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Coverage::Covered => "covered",
            Coverage::Partly => "partly covered",
            Coverage::NotCovered => "not covered",
            Coverage::NotApplicable => "not applicable",
            Coverage::OutsideFramework => "outside the framework",
        }
    }
}

/// The team's answer to one question, as it stands.
#[derive(Clone, Debug, PartialEq)]
pub struct Answered {
    pub question: String,
    /// As printed: `5 (b)`.
    pub number: String,
    pub status: Status,
    pub maturity: Option<u8>,
    /// Where the question is in the review workflow (an answer in review is not accepted yet).
    pub state: State,
}

/// A question of the assessment carrying a norm, through one crosswalk edge.
#[derive(Clone, Debug)]
pub struct Carrier {
    pub answer: Answered,
    pub edge: CrosswalkRow,
}

/// A norm, with the questions that carry it and what that makes of it.
#[derive(Clone, Debug)]
pub struct NormCoverage {
    pub norm: String,
    pub name: String,
    pub theme: Option<String>,
    pub carriers: Vec<Carrier>,
    pub coverage: Coverage,
}

/// How an element of another document is reached.
#[derive(Clone, Debug)]
pub enum Via {
    /// The question carries a norm (`first`), which carries the element (`second`).
    Norm { answer: Answered, norm: String, first: Box<CrosswalkRow>, second: Box<CrosswalkRow> },
    /// The framework links the question to the element's question itself.
    Link { answer: Answered, basis: LinkBasis },
}

impl Via {
    pub fn answer(&self) -> &Answered {
        match self {
            Via::Norm { answer, .. } | Via::Link { answer, .. } => answer,
        }
    }

    /// Whether the chain holds the element whole when its question is in place.
    fn exact(&self) -> bool {
        match self {
            Via::Norm { first, second, .. } => {
                matches!(first.relation, MappingRelation::EquivalentTo | MappingRelation::SubsetOf)
                    && matches!(second.relation, MappingRelation::EquivalentTo | MappingRelation::SupersetOf)
            }
            Via::Link { .. } => false,
        }
    }
}

/// An element of another framework's document (a question of that framework).
#[derive(Clone, Debug)]
pub struct ElementCoverage {
    pub framework: String,
    pub document: String,
    pub question: String,
    pub number: String,
    /// The element's text, verbatim from the framework's held copy.
    pub prompt: String,
    pub via: Vec<Via>,
    pub coverage: Coverage,
}

/// An assessment through the crosswalk.
#[derive(Clone, Debug)]
pub struct ThroughCrosswalk {
    pub assessment: String,
    pub framework: String,
    pub document: String,
    /// Every norm of the knowledge base, the framework's first, gaps before coverage.
    pub norms: Vec<NormCoverage>,
    /// Every element of the other frameworks' documents, in their order.
    pub elements: Vec<ElementCoverage>,
}

impl ThroughCrosswalk {
    /// How many norms (or elements) have each coverage.
    pub fn count<T>(items: &[T], coverage_of: impl Fn(&T) -> Coverage) -> Vec<(Coverage, usize)> {
        Coverage::ALL.iter().map(|c| (*c, items.iter().filter(|i| coverage_of(i) == *c).count())).collect()
    }
}

/// The item label of the document a question is (`5 (b)` is part of item `5`; `(a)` and
/// `18` are their own).
fn item_of(question: &Question) -> &str {
    question.number.split_once(' ').map_or(question.number.as_str(), |(item, _)| item)
}

/// Whether a crosswalk edge points at the element a question is.
fn edge_reaches(edge: &CrosswalkRow, framework: &Framework, question: &Question) -> bool {
    edge.symbol == framework.document.to_string()
        && edge.item.as_deref().is_some_and(|item| item == question.number || item == item_of(question))
}

/// The crosswalk edges that reach one question of a framework: the norms it carries.
pub fn edges_of<'a>(norms: &'a Norms, framework: &Framework, question: &Question) -> Vec<&'a CrosswalkRow> {
    norms.crosswalk.iter().filter(|edge| edge_reaches(edge, framework, question)).collect()
}

fn answered(question: &Question, item: Option<&Item>) -> Answered {
    Answered {
        question: question.id.clone(),
        number: question.number.clone(),
        status: item.map_or(Status::NotStarted, |i| i.answer.status),
        maturity: item.and_then(|i| i.answer.maturity),
        state: item.map_or(State::Unassigned, |i| i.state),
    }
}

/// The coverage of something reached through `answers`, `exact` telling which reach it whole.
fn coverage<'a>(answers: impl IntoIterator<Item = (&'a Answered, bool)>) -> Coverage {
    let answers: Vec<(&Answered, bool)> = answers.into_iter().collect();
    if answers.is_empty() {
        Coverage::OutsideFramework
    } else if answers.iter().any(|(a, exact)| *exact && a.status == Status::InPlace) {
        Coverage::Covered
    } else if answers.iter().any(|(a, _)| matches!(a.status, Status::InPlace | Status::Partial)) {
        Coverage::Partly
    } else if answers.iter().all(|(a, _)| a.status == Status::NotApplicable) {
        Coverage::NotApplicable
    } else {
        Coverage::NotCovered
    }
}

/// The assessment of `view` through the crosswalk of `norms`, reaching the documents of the
/// other frameworks of `frameworks`.
pub fn through_crosswalk(view: &MemberView, frameworks: &Frameworks, norms: &Norms) -> ThroughCrosswalk {
    let framework = &view.framework;
    let item_of_question = |id: &str| view.assessment.items.iter().find(|i| i.question == id);
    let answers: Vec<Answered> = framework.questions.iter().map(|q| answered(q, item_of_question(&q.id))).collect();

    // Norm by norm: the questions of this framework that carry it.
    let mut carried: BTreeMap<&str, Vec<Carrier>> = BTreeMap::new();
    for edge in &norms.crosswalk {
        for (question, answer) in framework.questions.iter().zip(&answers) {
            if edge_reaches(edge, framework, question) {
                carried.entry(&edge.norm).or_default().push(Carrier { answer: answer.clone(), edge: edge.clone() });
            }
        }
    }
    let mut norm_rows: Vec<NormCoverage> = norms
        .norms
        .iter()
        .map(|norm| {
            let carriers = carried.remove(norm.id.as_str()).unwrap_or_default();
            let coverage = coverage(carriers.iter().map(|c| {
                (&c.answer, matches!(c.edge.relation, MappingRelation::EquivalentTo | MappingRelation::SubsetOf))
            }));
            NormCoverage {
                norm: norm.id.clone(),
                name: norm.name.clone(),
                theme: norm.theme.clone(),
                carriers,
                coverage,
            }
        })
        .collect();
    // Gaps first: what needs action, then what is partly there, then what is covered.
    let order = |c: Coverage| match c {
        Coverage::NotCovered => 0,
        Coverage::Partly => 1,
        Coverage::Covered => 2,
        Coverage::NotApplicable => 3,
        Coverage::OutsideFramework => 4,
    };
    norm_rows.sort_by_key(|n| order(n.coverage));

    // Element by element of the other frameworks' documents.
    let mut elements = Vec::new();
    for other in frameworks.frameworks.iter().filter(|f| f.id != framework.id && f.document != framework.document) {
        for target in &other.questions {
            let mut via = Vec::new();
            for second in norms.crosswalk.iter().filter(|e| edge_reaches(e, other, target)) {
                for carrier in norm_rows.iter().filter(|n| n.norm == second.norm).flat_map(|n| &n.carriers) {
                    via.push(Via::Norm {
                        answer: carrier.answer.clone(),
                        norm: second.norm.clone(),
                        first: Box::new(carrier.edge.clone()),
                        second: Box::new(second.clone()),
                    });
                }
            }
            for (question, answer) in framework.questions.iter().zip(&answers) {
                for link in &question.links {
                    let to_target =
                        link.to.framework == other.id && link.to.question.as_deref().is_none_or(|q| q == target.id);
                    if to_target {
                        via.push(Via::Link { answer: answer.clone(), basis: link.basis.clone() });
                    }
                }
            }
            let coverage = coverage(via.iter().map(|v| (v.answer(), v.exact())));
            elements.push(ElementCoverage {
                framework: other.id.clone(),
                document: other.document.to_string(),
                question: target.id.clone(),
                number: target.number.clone(),
                prompt: target.prompt.clone(),
                via,
                coverage,
            });
        }
    }
    ThroughCrosswalk {
        assessment: view.assessment.id.clone(),
        framework: framework.id.clone(),
        document: framework.document.to_string(),
        norms: norm_rows,
        elements,
    }
}

/// The rule in words, as the API and the page state it.
pub const RULE: &str = "Derived from the team's answers through the crosswalk, never answered by the team. A norm is covered when a question in place carries it with equivalent-to or subset-of (the norm is no wider than what is in place); partly covered when a question carrying it is in place or partly in place; not applicable when every question carrying it is marked so; not covered otherwise; outside the framework when no question carries it. An element of another document is covered when a chain question → norm → element is in place and exact at both steps; a link the framework makes between two questions counts as partial at best.";

fn answered_json(a: &Answered) -> AnsweredJson {
    AnsweredJson {
        question: a.question.clone(),
        number: a.number.clone(),
        status: a.status.as_str(),
        maturity: a.maturity,
        state: a.state.as_str(),
    }
}

fn counts_json(counts: Vec<(Coverage, usize)>) -> Vec<CoverageCountJson> {
    counts.into_iter().map(|(c, count)| CoverageCountJson { coverage: c.as_str(), count }).collect()
}

impl From<&ThroughCrosswalk> for AssessmentCrosswalkJson {
    fn from(t: &ThroughCrosswalk) -> Self {
        AssessmentCrosswalkJson {
            assessment: t.assessment.clone(),
            framework: t.framework.clone(),
            document: t.document.clone(),
            rule: RULE.to_string(),
            norms: t
                .norms
                .iter()
                .map(|n| NormCoverageJson {
                    norm: n.norm.clone(),
                    name: n.name.clone(),
                    theme: n.theme.clone(),
                    coverage: n.coverage.as_str(),
                    carriers: n
                        .carriers
                        .iter()
                        .map(|c| CarrierJson { answer: answered_json(&c.answer), edge: (&c.edge).into() })
                        .collect(),
                })
                .collect(),
            elements: t
                .elements
                .iter()
                .map(|e| ElementCoverageJson {
                    framework: e.framework.clone(),
                    document: e.document.clone(),
                    question: e.question.clone(),
                    number: e.number.clone(),
                    prompt: e.prompt.clone(),
                    coverage: e.coverage.as_str(),
                    via: e.via.iter().map(via_json).collect(),
                })
                .collect(),
            norm_counts: counts_json(ThroughCrosswalk::count(&t.norms, |n| n.coverage)),
            element_counts: counts_json(ThroughCrosswalk::count(&t.elements, |e| e.coverage)),
        }
    }
}

fn via_json(via: &Via) -> ViaJson {
    match via {
        Via::Norm { answer, norm, first, second } => ViaJson {
            kind: "norm",
            answer: answered_json(answer),
            norm: Some(norm.clone()),
            edges: vec![first.as_ref().into(), second.as_ref().into()],
            link_basis: None,
            link_reason: None,
        },
        Via::Link { answer, basis } => {
            let (kind, reason) = match basis {
                LinkBasis::Resolution { quote, .. } => ("resolution", quote.clone()),
                LinkBasis::Curator { rationale } => ("curator", rationale.clone()),
            };
            ViaJson {
                kind: "link",
                answer: answered_json(answer),
                norm: None,
                edges: Vec::new(),
                link_basis: Some(kind),
                link_reason: Some(reason),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: Status) -> Answered {
        Answered { question: "1".into(), number: "1".into(), status, maturity: None, state: State::Assigned }
    }

    #[test]
    fn the_rule_reads_as_documented() {
        let (in_place, partial, open, na) = (
            answer(Status::InPlace),
            answer(Status::Partial),
            answer(Status::NotStarted),
            answer(Status::NotApplicable),
        );
        assert_eq!(coverage([]), Coverage::OutsideFramework);
        assert_eq!(coverage([(&in_place, true)]), Coverage::Covered);
        assert_eq!(coverage([(&in_place, false)]), Coverage::Partly, "a wider norm is only partly in place");
        assert_eq!(coverage([(&partial, true), (&open, true)]), Coverage::Partly);
        assert_eq!(coverage([(&open, true), (&na, true)]), Coverage::NotCovered);
        assert_eq!(coverage([(&na, true), (&na, false)]), Coverage::NotApplicable);
        assert_eq!(coverage([(&open, false), (&in_place, true)]), Coverage::Covered);
    }
}
