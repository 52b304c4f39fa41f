//! The JSON of the self-assessment (GA 64/211 and the other frameworks): the private,
//! per-user `/api/login`, `/api/assessments/…` routes. Requests are `Deserialize`, answers
//! `Serialize`; both derive their OpenAPI schema.
//!
//! Field names are an interface: add, never rename.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `POST /api/login`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// An account: its address and its role in the installation (`admin` or `member`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UserJson {
    pub email: String,
    pub role: String,
}

/// The answer to a login: who, and the session's CSRF token, which every unsafe request
/// must carry in `X-CSRF-Token` (the session itself is in an HttpOnly cookie).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LoginJson {
    pub user: UserJson,
    pub csrf_token: String,
}

/// One question of a framework, with the paragraph it comes from.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QuestionJson {
    pub id: String,
    pub section: String,
    /// As the text numbers it: `5 (b)`.
    pub number: String,
    pub prompt: String,
    /// The paragraph cited: `A/RES/64/211, annex, item 5 (b)`.
    pub source: String,
    /// The page of the document the paragraph is in.
    pub source_link: String,
}

/// `GET /api/frameworks`: a question set an assessment can answer.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FrameworkJson {
    /// `64-211`, `57-239`, `58-199`.
    pub id: String,
    pub title: String,
    /// The document and part the questions come from: `A/RES/64/211, annex`.
    pub source: String,
    /// The version of the framework file.
    pub version: String,
    pub questions: Vec<QuestionJson>,
}

/// `POST /api/assessments`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NewAssessmentRequest {
    /// A framework id from `GET /api/frameworks`.
    pub framework: String,
    pub title: String,
}

/// An assessment in the caller's list.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AssessmentSummaryJson {
    pub id: String,
    pub title: String,
    pub framework: String,
    pub framework_version: String,
    /// The caller's role in it.
    pub role: String,
    pub created_at: String,
    /// The assessment of the previous cycle it was started from.
    pub previous: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MemberJson {
    pub email: String,
    /// `coordinator`, `contributor`, `reviewer` or `viewer`.
    pub role: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CommentJson {
    pub author: String,
    pub at: String,
    /// `discussion`, `accepted`, `sent_back` or `reopened`.
    pub kind: String,
    pub text: String,
}

/// A piece of evidence: a link (`url`, `title`) or an uploaded file's metadata.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AnswerEvidenceJson {
    /// `link` or `file`.
    pub kind: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub name: Option<String>,
    pub content_type: Option<String>,
    pub size: Option<u64>,
    pub sha256: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ActionJson {
    pub description: String,
    /// `YYYY-MM-DD`.
    pub due: String,
    pub owner: Option<String>,
    pub done: bool,
}

/// One question of an assessment with its answer and where it is in the workflow.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AssessmentItemJson {
    /// The question's id in the framework.
    pub id: String,
    pub section: String,
    pub number: String,
    pub prompt: String,
    /// The paragraph the question (and so the answer) cites.
    pub source: String,
    pub source_link: String,
    /// `not_started`, `partial`, `in_place` or `not_applicable`.
    pub status: String,
    /// A stage of the framework's maturity scale.
    pub maturity: Option<u8>,
    /// The narrative answer.
    pub answer: String,
    /// The agency that owns the measure.
    pub owner: Option<String>,
    /// Send it back with an update: a stale version is refused with 409.
    pub version: u64,
    /// `unassigned`, `assigned`, `in_review`, `accepted` or `sent_back`.
    pub state: String,
    pub assignee: Option<String>,
    pub evidence: Vec<AnswerEvidenceJson>,
    pub actions: Vec<ActionJson>,
    pub comments: Vec<CommentJson>,
    pub updated_at: String,
}

/// Counts of questions by workflow state and answer status.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CountsJson {
    pub questions: usize,
    pub unassigned: usize,
    pub assigned: usize,
    pub in_review: usize,
    pub sent_back: usize,
    pub accepted: usize,
    pub not_started: usize,
    pub partial: usize,
    pub in_place: usize,
    pub not_applicable: usize,
    /// Accepted answers, in percent of the questions.
    pub accepted_percent: u8,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SectionProgressJson {
    pub section: String,
    pub title: String,
    pub counts: CountsJson,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProgressJson {
    pub total: CountsJson,
    pub sections: Vec<SectionProgressJson>,
}

/// `GET /api/assessments/{id}`: the whole assessment, for a member.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AssessmentJson {
    pub id: String,
    pub title: String,
    pub framework: String,
    pub framework_version: String,
    pub created_at: String,
    pub created_by: String,
    pub previous: Option<String>,
    /// The caller's role.
    pub role: String,
    pub members: Vec<MemberJson>,
    pub items: Vec<AssessmentItemJson>,
    pub progress: ProgressJson,
}

/// `PUT /api/assessments/{id}/items/{item}`: the answer, at the version read.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ItemUpdateRequest {
    pub status: String,
    pub maturity: Option<u8>,
    pub answer: String,
    pub version: u64,
    /// The agency that owns the measure (kept when absent).
    #[serde(default)]
    pub owner: Option<String>,
    /// Evidence links and files (kept when absent).
    #[serde(default)]
    pub evidence: Option<Vec<AnswerEvidenceJson>>,
    /// Planned actions (kept when absent).
    #[serde(default)]
    pub actions: Option<Vec<ActionJson>>,
    /// Submit for review instead of saving a draft.
    #[serde(default)]
    pub submit: bool,
}

/// `POST /api/assessments/{id}/items/{item}/workflow`: a step of the review workflow.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WorkflowRequest {
    /// `assign`, `accept`, `send_back`, `reopen` or `comment`.
    pub command: String,
    pub version: u64,
    /// For `assign`: the member who answers.
    #[serde(default)]
    pub to: Option<String>,
    /// The comment (required to send back or reopen, and for `comment`).
    #[serde(default)]
    pub comment: Option<String>,
}

/// `409`: the item changed since it was read; here it is now.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ItemConflictJson {
    pub error: String,
    pub current: AssessmentItemJson,
}

/// `POST /api/assessments/{id}/members`: add a member or change a role.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MemberRequest {
    pub email: String,
    pub role: String,
}

/// A new assessment (created, reassessed or imported).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreatedJson {
    pub id: String,
    pub title: String,
    pub framework: String,
}

/// One change in the audit log: who, when, what, before and after.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditJson {
    pub actor: String,
    pub at: String,
    /// `created`, `reassessed`, `imported`, `item` or `member`.
    pub what: String,
    /// For an item: the question and the workflow command.
    pub question: Option<String>,
    pub command: Option<String>,
    /// For an item: the question before and after the change.
    pub before: Option<AssessmentItemJson>,
    pub after: Option<AssessmentItemJson>,
    /// For a member: who, and the role before and after (none: not a member).
    pub member: Option<String>,
    pub role_before: Option<String>,
    pub role_after: Option<String>,
    /// For a creation, reassessment or import: the framework and its version.
    pub framework: Option<String>,
    pub framework_version: Option<String>,
    /// For a reassessment: the assessment it started from.
    pub from: Option<String>,
}

/// A question's answer at one cycle, in a comparison.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SnapshotJson {
    pub status: String,
    pub maturity: Option<u8>,
    pub state: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct QuestionComparisonJson {
    pub question: String,
    pub number: String,
    pub source: String,
    pub before: Option<SnapshotJson>,
    pub after: Option<SnapshotJson>,
    /// `improved`, `worsened`, `unchanged`, `changed`, `only_before`, `only_after` or `unanswered`.
    pub movement: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ComparisonJson {
    pub before: String,
    pub after: String,
    pub questions: Vec<QuestionComparisonJson>,
    pub before_counts: CountsJson,
    pub after_counts: CountsJson,
    pub mean_maturity_before: Option<f64>,
    pub mean_maturity_after: Option<f64>,
    pub improved: usize,
    pub worsened: usize,
    pub unchanged: usize,
    pub changed: usize,
}
