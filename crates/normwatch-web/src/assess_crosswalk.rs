//! An assessment seen through the crosswalk: the page `/assessments/{id}/crosswalk` and
//! its API answer. Members only, like every assessment view; every coverage shown is
//! derived (the app's `assess_crosswalk` says how) and listed with the edges that carry it.
//!
//! Layer 7: refers to `assess_pages` (sign-in and refusals as pages) and the layers below.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use normwatch_api::{AssessmentCrosswalkJson, NotFoundJson};
use normwatch_app::assess_crosswalk::{self as through, Coverage, ThroughCrosswalk, Via};
use normwatch_app::assessments::MemberView;

use crate::ctx::Ctx;
use crate::error::{ApiError, Failure, PageError};
use crate::http::json_response;
use crate::routes;
use crate::session::Signed;
use crate::session::{refuse, signed};

/// The assessment of `view` through the built-in knowledge base's crosswalk.
async fn compute(ctx: &Ctx, view: &MemberView) -> Result<ThroughCrosswalk, PageError> {
    let norms = ctx.app().norms().await?;
    let frameworks = ctx.app().frameworks().map_err(|e| PageError::Failed(Failure::Assessment(e)))?;
    Ok(through::through_crosswalk(view, &frameworks, &norms))
}

/// The assessment through the crosswalk: which norms and which elements of the other
/// frameworks' documents the team's answers reach, and the gaps. Derived, never answered.
#[utoipa::path(
    get,
    path = "/api/assessments/{id}/crosswalk",
    tag = "assessment",
    params(("id" = String, Path, description = "The assessment id")),
    responses(
        (status = 200, description = "The norms and elements reached, gaps first", body = AssessmentCrosswalkJson),
        (status = 401, description = "No session", body = NotFoundJson),
        (status = 404, description = "No such assessment, or the caller is not a member", body = NotFoundJson),
    )
)]
pub async fn api(State(ctx): State<Ctx>, signed: Signed, Path(id): Path<String>) -> Result<Response, ApiError> {
    let view = ctx.app().assessment_for(&signed.account.email, &id).await?;
    let through = compute(&ctx, &view).await?;
    json_response(&AssessmentCrosswalkJson::from(&through))
}

pub struct CountCell {
    pub label: &'static str,
    pub count: usize,
}

pub struct CarrierRow {
    pub href: String,
    pub number: String,
    pub status: &'static str,
    pub state: &'static str,
    pub relation: &'static str,
    pub basis: &'static str,
    pub source: String,
    pub rationale: String,
}

pub struct NormRow {
    pub href: String,
    pub name: String,
    pub coverage: &'static str,
    pub carriers: Vec<CarrierRow>,
}

pub struct ViaRow {
    pub href: String,
    pub number: String,
    pub status: &'static str,
    /// `through <norm>: relation, relation` or `linked by the framework (curator)`.
    pub how: String,
    pub norm_href: Option<String>,
}

pub struct ElementRow {
    pub document: String,
    pub document_href: String,
    pub number: String,
    pub prompt: String,
    pub coverage: &'static str,
    pub via: Vec<ViaRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "assess_crosswalk.html")]
pub struct CrosswalkPage {
    pub title: String,
    pub dashboard: String,
    pub document: String,
    pub rule: &'static str,
    pub norm_counts: Vec<CountCell>,
    pub element_counts: Vec<CountCell>,
    pub norms: Vec<NormRow>,
    pub outside: Vec<NormRow>,
    pub elements: Vec<ElementRow>,
}

fn counts(items: Vec<(Coverage, usize)>) -> Vec<CountCell> {
    items.into_iter().map(|(c, count)| CountCell { label: c.label(), count }).collect()
}

fn question_href(id: &str, question: &str) -> String {
    format!("/assessments/{}/items/{}", routes::encode_path(id), routes::encode_path(question))
}

fn page(view: &MemberView, through: &ThroughCrosswalk) -> CrosswalkPage {
    let id = &view.assessment.id;
    let norm_row = |n: &through::NormCoverage| NormRow {
        href: routes::norm(&n.norm),
        name: n.name.clone(),
        coverage: n.coverage.label(),
        carriers: n
            .carriers
            .iter()
            .map(|c| CarrierRow {
                href: question_href(id, &c.answer.question),
                number: c.answer.number.clone(),
                status: c.answer.status.label(),
                state: c.answer.state.as_str(),
                relation: c.edge.relation.as_str(),
                basis: c.edge.basis.as_str(),
                source: c.edge.source.to_string(),
                rationale: c.edge.rationale.clone(),
            })
            .collect(),
    };
    let (outside, norms): (Vec<_>, Vec<_>) =
        through.norms.iter().partition(|n| n.coverage == Coverage::OutsideFramework);
    CrosswalkPage {
        title: view.assessment.title.clone(),
        dashboard: format!("/assessments/{}", routes::encode_path(id)),
        document: through.document.clone(),
        rule: through::RULE,
        norm_counts: counts(ThroughCrosswalk::count(&through.norms, |n| n.coverage)),
        element_counts: counts(ThroughCrosswalk::count(&through.elements, |e| e.coverage)),
        norms: norms.into_iter().map(norm_row).collect(),
        outside: outside.into_iter().map(norm_row).collect(),
        elements: through
            .elements
            .iter()
            .map(|e| ElementRow {
                document: e.document.clone(),
                document_href: routes::document(&e.document),
                number: e.number.clone(),
                prompt: e.prompt.clone(),
                coverage: e.coverage.label(),
                via: e
                    .via
                    .iter()
                    .map(|v| {
                        let answer = v.answer();
                        let (how, norm_href) = match v {
                            Via::Norm { norm, first, second, .. } => (
                                format!(
                                    "through the norm {norm} ({} the question's item, {} this element)",
                                    first.relation.as_str(),
                                    second.relation.as_str()
                                ),
                                Some(routes::norm(norm)),
                            ),
                            Via::Link { basis, .. } => {
                                let by = match basis {
                                    normwatch_assess::framework::LinkBasis::Resolution { .. } => "the resolution",
                                    normwatch_assess::framework::LinkBasis::Curator { .. } => "a curator",
                                };
                                (format!("linked to this element by {by}"), None)
                            }
                        };
                        ViaRow {
                            href: question_href(id, &answer.question),
                            number: answer.number.clone(),
                            status: answer.status.label(),
                            how,
                            norm_href,
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

pub async fn crosswalk_page(State(ctx): State<Ctx>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let view = match signed(&ctx, &headers).await {
        Ok((account, _)) => match ctx.app().assessment_for(&account.email, &id).await {
            Ok(view) => view,
            Err(e) => return refuse(e),
        },
        Err(e) => return refuse(e),
    };
    match compute(&ctx, &view).await {
        Ok(through) => page(&view, &through).into_response(),
        Err(error) => error.into_response(),
    }
}
