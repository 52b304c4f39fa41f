//! The self-assessment's API: sign in and out, the frameworks, and the assessments of the
//! caller. Every route but `/api/login` and `/api/frameworks` takes a [`Signed`] caller
//! (401 without a session, 403 without the CSRF token on an unsafe method); the app decides
//! the rest (404 for a non-member, 403 for a role without the permission, 409 for a stale
//! version). These answers are per user: they never go through the public answer cache
//! (`lib.rs` keeps them off that layer, and `http::is_private` refuses them there too).
//!
//! Layer 6: refers to `ctx`, `error`, `http`, `routes`, `session`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use normwatch_api::{
    AssessmentItemJson, AssessmentJson, AssessmentSummaryJson, AuditJson, ComparisonJson, CreatedJson, FrameworkJson,
    ItemConflictJson, ItemUpdateRequest, LoginJson, LoginRequest, MemberJson, MemberRequest, NewAssessmentRequest,
    NotFoundJson, UserJson, WorkflowRequest,
};
use normwatch_app::assess_json as conv;
use normwatch_app::assessments::{AnswerEdit, AssessmentError, ReportFormat};
use normwatch_assess::framework::Framework;
use normwatch_assess::report::ReportOptions;
use normwatch_assess::workflow::{Command, Role, UserId};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::ctx::Ctx;
use crate::error::ApiError;
use crate::http::json_response;
use crate::routes;
use crate::session::{Signed, clear_cookie, cookie_token, set_cookie};

fn doc_link(symbol: &str) -> String {
    routes::document(symbol)
}

fn with_status(status: StatusCode, mut response: Response) -> Response {
    *response.status_mut() = status;
    response
}

/// A refusal of an item change: a conflict answers 409 with the current item.
fn item_error(e: AssessmentError, framework: &Framework) -> ApiError {
    match e {
        AssessmentError::Conflict { current } => {
            let body = ItemConflictJson {
                error: format!(
                    "the question was changed by someone else (now version {}); merge and try again",
                    current.version
                ),
                current: conv::item_json(framework, &current, &doc_link),
            };
            match serde_json::to_value(&body) {
                Ok(body) => ApiError::Body { status: StatusCode::CONFLICT, body },
                Err(e) => ApiError::from(crate::error::Failure::Serialize(e)),
            }
        }
        other => other.into(),
    }
}

fn role_from(text: &str) -> Result<Role, ApiError> {
    Role::parse(text).map_err(|reason| ApiError::refused(StatusCode::UNPROCESSABLE_ENTITY, reason))
}

/// Sign in: a session cookie (HttpOnly, SameSite=Strict) and the session's CSRF token. A
/// session the browser held is closed: every login gets a new token.
#[utoipa::path(
    post,
    path = "/api/login",
    tag = "assessment",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; the cookie is set", body = LoginJson),
        (status = 401, description = "Wrong address or password", body = NotFoundJson),
        (status = 429, description = "Too many failed attempts for this address", body = NotFoundJson),
    )
)]
pub async fn login(
    State(ctx): State<Ctx>,
    info: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    headers: HeaderMap,
    Json(request): Json<LoginRequest>,
) -> Result<Response, ApiError> {
    let previous = cookie_token(&headers);
    let session = ctx
        .app()
        .login_from(&request.email, &request.password, previous.as_deref(), crate::session::peer(&ctx, info, &headers))
        .await?;
    let body = LoginJson {
        user: UserJson { email: session.account.email.to_string(), role: session.account.role.clone() },
        csrf_token: session.account.csrf_token.clone(),
    };
    let mut response = json_response(&body)?;
    response.headers_mut().insert(header::SET_COOKIE, set_cookie(&session.token, ctx.app().secure_cookies()));
    Ok(response)
}

/// Sign out: the session ends here and in the browser.
#[utoipa::path(
    post,
    path = "/api/logout",
    tag = "assessment",
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "No session", body = NotFoundJson),
        (status = 403, description = "No CSRF token", body = NotFoundJson),
    )
)]
pub async fn logout(State(ctx): State<Ctx>, signed: Signed) -> Result<Response, ApiError> {
    ctx.app().logout(&signed.token).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(header::SET_COOKIE, clear_cookie(ctx.app().secure_cookies()));
    Ok(response)
}

/// The frameworks an assessment can answer, each question with the paragraph it cites.
#[utoipa::path(
    get,
    path = "/api/frameworks",
    tag = "assessment",
    responses((status = 200, description = "Every installed framework", body = Vec<FrameworkJson>))
)]
pub async fn frameworks(State(ctx): State<Ctx>) -> Result<Response, ApiError> {
    let frameworks = ctx.app().frameworks()?;
    json_response(&frameworks.frameworks.iter().map(|f| conv::framework_json(f, &doc_link)).collect::<Vec<_>>())
}

/// The caller's assessments (only those they are a member of).
#[utoipa::path(
    get,
    path = "/api/assessments",
    tag = "assessment",
    responses(
        (status = 200, description = "The caller's assessments", body = Vec<AssessmentSummaryJson>),
        (status = 401, description = "No session", body = NotFoundJson),
    )
)]
pub async fn list(State(ctx): State<Ctx>, signed: Signed) -> Result<Response, ApiError> {
    let list = ctx.app().my_assessments(&signed.account.email).await?;
    json_response(
        &list
            .into_iter()
            .map(|a| AssessmentSummaryJson {
                id: a.id,
                title: a.title,
                framework: a.framework.id,
                framework_version: a.framework.version,
                role: a.role.as_str().into(),
                created_at: a.created_at.to_string(),
                previous: a.previous,
            })
            .collect::<Vec<_>>(),
    )
}

/// Start an assessment of a framework; the caller coordinates it.
#[utoipa::path(
    post,
    path = "/api/assessments",
    tag = "assessment",
    request_body = NewAssessmentRequest,
    responses(
        (status = 201, description = "Created", body = CreatedJson),
        (status = 401, description = "No session", body = NotFoundJson),
        (status = 403, description = "No CSRF token", body = NotFoundJson),
        (status = 422, description = "No such framework, or an empty title", body = NotFoundJson),
    )
)]
pub async fn create(
    State(ctx): State<Ctx>,
    signed: Signed,
    Json(request): Json<NewAssessmentRequest>,
) -> Result<Response, ApiError> {
    let a = ctx.app().create_assessment(&signed.account.email, &request.framework, &request.title).await?;
    let body = CreatedJson { id: a.id, title: a.title, framework: a.framework.id };
    Ok(with_status(StatusCode::CREATED, json_response(&body)?))
}

/// One assessment: members, every question with its answer and version, progress.
#[utoipa::path(
    get,
    path = "/api/assessments/{id}",
    tag = "assessment",
    params(("id" = String, Path, description = "The assessment id")),
    responses(
        (status = 200, description = "The assessment", body = AssessmentJson),
        (status = 401, description = "No session", body = NotFoundJson),
        (status = 404, description = "No such assessment, or the caller is not a member", body = NotFoundJson),
    )
)]
pub async fn show(State(ctx): State<Ctx>, signed: Signed, Path(id): Path<String>) -> Result<Response, ApiError> {
    let view = ctx.app().assessment_for(&signed.account.email, &id).await?;
    json_response(&conv::assessment_json(&view, &doc_link))
}

/// Save (or, with `submit`, submit for review) the answer to one question, at the version
/// read: a stale version gets 409 with the question as it is now.
#[utoipa::path(
    put,
    path = "/api/assessments/{id}/items/{item}",
    tag = "assessment",
    params(("id" = String, Path, description = "The assessment id"), ("item" = String, Path, description = "The question id")),
    request_body = ItemUpdateRequest,
    responses(
        (status = 200, description = "Saved; the item with its new version", body = AssessmentItemJson),
        (status = 401, description = "No session", body = NotFoundJson),
        (status = 403, description = "No CSRF token, or a role that may not answer (a viewer, a reviewer, a contributor not assigned)", body = NotFoundJson),
        (status = 404, description = "No such assessment or question, or not a member", body = NotFoundJson),
        (status = 409, description = "The version is stale: the current item", body = ItemConflictJson),
        (status = 422, description = "An answer that breaks a rule (not assigned yet, maturity off the scale)", body = NotFoundJson),
    )
)]
pub async fn update_item(
    State(ctx): State<Ctx>,
    signed: Signed,
    Path((id, question)): Path<(String, String)>,
    Json(request): Json<ItemUpdateRequest>,
) -> Result<Response, ApiError> {
    let user = &signed.account.email;
    let view = ctx.app().assessment_for(user, &id).await?;
    let current = view
        .assessment
        .item(&question)
        .ok_or_else(|| ApiError::not_found(format!("no question {question}"), Vec::new()))?;
    let edit = AnswerEdit {
        status: Some(conv::status_from(&request.status)?),
        maturity: request.maturity,
        narrative: Some(request.answer),
        owner_agency: request.owner,
        evidence: request
            .evidence
            .map(|e| e.iter().map(conv::evidence_from).collect::<Result<Vec<_>, _>>())
            .transpose()?,
        actions: request.actions.map(|a| a.iter().map(conv::action_from).collect::<Result<Vec<_>, _>>()).transpose()?,
        submit: request.submit,
    };
    let command = edit.command(&current.answer);
    let item = ctx
        .app()
        .update_item(user, &id, &question, request.version, command)
        .await
        .map_err(|e| item_error(e, &view.framework))?;
    json_response(&conv::item_json(&view.framework, &item, &doc_link))
}

/// A step of the review workflow on one question: assign, accept, send back (with a
/// comment), reopen, or comment; at the version read.
#[utoipa::path(
    post,
    path = "/api/assessments/{id}/items/{item}/workflow",
    tag = "assessment",
    params(("id" = String, Path, description = "The assessment id"), ("item" = String, Path, description = "The question id")),
    request_body = WorkflowRequest,
    responses(
        (status = 200, description = "Done; the item with its new version", body = AssessmentItemJson),
        (status = 401, description = "No session", body = NotFoundJson),
        (status = 403, description = "No CSRF token, or a role that may not do this", body = NotFoundJson),
        (status = 404, description = "No such assessment or question, or not a member", body = NotFoundJson),
        (status = 409, description = "The version is stale: the current item", body = ItemConflictJson),
        (status = 422, description = "A step the workflow does not allow from here", body = NotFoundJson),
    )
)]
pub async fn workflow(
    State(ctx): State<Ctx>,
    signed: Signed,
    Path((id, question)): Path<(String, String)>,
    Json(request): Json<WorkflowRequest>,
) -> Result<Response, ApiError> {
    let user = &signed.account.email;
    let view = ctx.app().assessment_for(user, &id).await?;
    let comment = request.comment.clone().unwrap_or_default();
    let unprocessable = |m: String| ApiError::refused(StatusCode::UNPROCESSABLE_ENTITY, m);
    let command = match request.command.as_str() {
        "assign" => {
            let to = request.to.as_deref().ok_or_else(|| unprocessable("`assign` needs `to`".into()))?;
            Command::Assign { to: UserId::parse(to).map_err(unprocessable)? }
        }
        "accept" => Command::Accept { comment: request.comment.clone() },
        "send_back" => Command::SendBack { comment },
        "reopen" => Command::Reopen { comment },
        "comment" => Command::Comment { text: comment },
        other => {
            return Err(unprocessable(format!(
                "`{other}` is not a workflow step (assign, accept, send_back, reopen or comment)"
            )));
        }
    };
    let item = ctx
        .app()
        .update_item(user, &id, &question, request.version, command)
        .await
        .map_err(|e| item_error(e, &view.framework))?;
    json_response(&conv::item_json(&view.framework, &item, &doc_link))
}

/// Add a member, or change a member's role (a coordinator's step).
#[utoipa::path(
    post,
    path = "/api/assessments/{id}/members",
    tag = "assessment",
    params(("id" = String, Path, description = "The assessment id")),
    request_body = MemberRequest,
    responses(
        (status = 200, description = "The members now", body = Vec<MemberJson>),
        (status = 401, description = "No session", body = NotFoundJson),
        (status = 403, description = "No CSRF token, or not a coordinator", body = NotFoundJson),
        (status = 404, description = "No such assessment, or not a member", body = NotFoundJson),
    )
)]
pub async fn members(
    State(ctx): State<Ctx>,
    signed: Signed,
    Path(id): Path<String>,
    Json(request): Json<MemberRequest>,
) -> Result<Response, ApiError> {
    let role = role_from(&request.role)?;
    let members = ctx.app().set_member(&signed.account.email, &id, &request.email, Some(role)).await?;
    json_response(
        &members
            .iter()
            .map(|m| MemberJson { email: m.user.to_string(), role: m.role.as_str().into() })
            .collect::<Vec<_>>(),
    )
}

/// Every change to the assessment: who, when, what, before and after.
#[utoipa::path(
    get,
    path = "/api/assessments/{id}/audit",
    tag = "assessment",
    params(("id" = String, Path, description = "The assessment id")),
    responses(
        (status = 200, description = "The audit log, oldest first", body = Vec<AuditJson>),
        (status = 401, description = "No session", body = NotFoundJson),
        (status = 404, description = "No such assessment, or not a member", body = NotFoundJson),
    )
)]
pub async fn audit(State(ctx): State<Ctx>, signed: Signed, Path(id): Path<String>) -> Result<Response, ApiError> {
    let view = ctx.app().assessment_for(&signed.account.email, &id).await?;
    let log = ctx.app().audit(&signed.account.email, &id).await?;
    json_response(&log.iter().map(|e| conv::audit_json(&view.framework, e, &doc_link)).collect::<Vec<_>>())
}

/// Start the next cycle from this assessment: answers copied forward, to be reviewed again.
#[utoipa::path(
    post,
    path = "/api/assessments/{id}/reassess",
    tag = "assessment",
    params(("id" = String, Path, description = "The assessment id")),
    responses(
        (status = 201, description = "The new assessment", body = CreatedJson),
        (status = 401, description = "No session", body = NotFoundJson),
        (status = 403, description = "No CSRF token, or not a coordinator", body = NotFoundJson),
        (status = 404, description = "No such assessment, or not a member", body = NotFoundJson),
    )
)]
pub async fn reassess(State(ctx): State<Ctx>, signed: Signed, Path(id): Path<String>) -> Result<Response, ApiError> {
    let a = ctx.app().reassess(&signed.account.email, &id, None).await?;
    let body = CreatedJson { id: a.id, title: a.title, framework: a.framework.id };
    Ok(with_status(StatusCode::CREATED, json_response(&body)?))
}

/// Two assessments of one framework compared question by question and in aggregate.
#[utoipa::path(
    get,
    path = "/api/assessments/{id}/compare/{other}",
    tag = "assessment",
    params(("id" = String, Path, description = "The earlier assessment"), ("other" = String, Path, description = "The later assessment")),
    responses(
        (status = 200, description = "The comparison", body = ComparisonJson),
        (status = 401, description = "No session", body = NotFoundJson),
        (status = 404, description = "No such assessment, or not a member of both", body = NotFoundJson),
    )
)]
pub async fn compare(
    State(ctx): State<Ctx>,
    signed: Signed,
    Path((id, other)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let comparison = ctx.app().compare(&signed.account.email, &id, &other).await?;
    json_response(&conv::comparison_json(&comparison))
}

/// What goes into an exported report.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ExportQuery {
    /// `docx`, `pdf`, `csv`, `json` (the export another installation imports) or `oscal`
    /// (OSCAL assessment-results).
    pub format: String,
    /// Leave out people's names.
    #[serde(default)]
    pub omit_names: bool,
    /// Only these sections (ids, comma-separated).
    pub sections: Option<String>,
}

/// A report of the assessment, or its JSON export (reviewers and coordinators).
#[utoipa::path(
    get,
    path = "/api/assessments/{id}/export",
    tag = "assessment",
    params(("id" = String, Path, description = "The assessment id"), ExportQuery),
    responses(
        (status = 200, description = "The report as a file", content(
            (String = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (String = "application/pdf"),
            (String = "text/csv"),
            (String = "application/json"),
        )),
        (status = 401, description = "No session", body = NotFoundJson),
        (status = 403, description = "A role that may not export", body = NotFoundJson),
        (status = 404, description = "No such assessment, or not a member", body = NotFoundJson),
        (status = 422, description = "An unknown format or section", body = NotFoundJson),
    )
)]
pub async fn export(
    State(ctx): State<Ctx>,
    signed: Signed,
    Path(id): Path<String>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, ApiError> {
    let format = ReportFormat::parse(&query.format).ok_or_else(|| {
        ApiError::refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("`{}` is not a format (docx, pdf, csv, json or oscal)", query.format),
        )
    })?;
    let mut options = ReportOptions::full(normwatch_app::assessments::now());
    options.omit_names = query.omit_names;
    options.sections =
        query.sections.map(|s| s.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect());
    let bytes = ctx.app().export(&signed.account.email, &id, format, Some(options)).await?;
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"assessment-{}.{}\"",
        routes::encode_query(&id),
        format.extension()
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// Import a JSON export (from this or another installation); the caller must be one of its
/// coordinators, and its id new here.
#[utoipa::path(
    post,
    path = "/api/assessments/import",
    tag = "assessment",
    request_body(content = String, description = "The JSON export", content_type = "application/json"),
    responses(
        (status = 201, description = "Imported", body = CreatedJson),
        (status = 401, description = "No session", body = NotFoundJson),
        (status = 403, description = "No CSRF token, or not a coordinator of the imported assessment", body = NotFoundJson),
        (status = 409, description = "An assessment with this id exists", body = NotFoundJson),
        (status = 422, description = "Not an export this installation can read (with line and column)", body = NotFoundJson),
    )
)]
pub async fn import(State(ctx): State<Ctx>, signed: Signed, body: String) -> Result<Response, ApiError> {
    let a = ctx.app().import(&signed.account.email, &body).await?;
    let body = CreatedJson { id: a.id, title: a.title, framework: a.framework.id };
    Ok(with_status(StatusCode::CREATED, json_response(&body)?))
}

/// Where an upload goes: its file name and the version of the question read.
#[derive(Debug, Deserialize, IntoParams)]
pub struct UploadQuery {
    /// The file's name, with the extension of its type (`plan.pdf`).
    pub name: String,
    /// The version of the question the caller read.
    pub version: u64,
}

/// Attach a file to the answer (the body is the file; `Content-Type` its type). The upload
/// policy: at most 10 MiB, office documents, PDF, pictures, text and CSV, each checked by
/// its extension and leading bytes.
#[utoipa::path(
    post,
    path = "/api/assessments/{id}/items/{item}/evidence",
    tag = "assessment",
    params(("id" = String, Path, description = "The assessment id"), ("item" = String, Path, description = "The question id"), UploadQuery),
    request_body(content = String, description = "The file", content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "Attached; the item with its new version", body = AssessmentItemJson),
        (status = 401, description = "No session", body = NotFoundJson),
        (status = 403, description = "No CSRF token, or a role that may not answer", body = NotFoundJson),
        (status = 404, description = "No such assessment or question, or not a member", body = NotFoundJson),
        (status = 409, description = "The version is stale: the current item", body = ItemConflictJson),
        (status = 413, description = "Larger than the upload limit"),
        (status = 422, description = "A type, name or content the policy refuses", body = NotFoundJson),
    )
)]
pub async fn upload(
    State(ctx): State<Ctx>,
    signed: Signed,
    Path((id, question)): Path<(String, String)>,
    Query(query): Query<UploadQuery>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let user = &signed.account.email;
    let view = ctx.app().assessment_for(user, &id).await?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let content_type = content_type.split(';').next().unwrap_or_default().trim();
    let item = ctx
        .app()
        .upload_evidence(user, &id, &question, query.version, &query.name, content_type, &body)
        .await
        .map_err(|e| item_error(e, &view.framework))?;
    json_response(&conv::item_json(&view.framework, &item, &doc_link))
}

/// An uploaded file, for a member (always as an attachment, never shown inline).
#[utoipa::path(
    get,
    path = "/api/assessments/{id}/evidence/{sha256}",
    tag = "assessment",
    params(("id" = String, Path, description = "The assessment id"), ("sha256" = String, Path, description = "The file's SHA-256")),
    responses(
        (status = 200, description = "The file", content((String = "application/octet-stream"))),
        (status = 401, description = "No session", body = NotFoundJson),
        (status = 404, description = "No such file in this assessment, or not a member", body = NotFoundJson),
    )
)]
pub async fn evidence(
    State(ctx): State<Ctx>,
    signed: Signed,
    Path((id, sha256)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let file = ctx.app().evidence_file(&signed.account.email, &id, &sha256).await?;
    let mut response = (StatusCode::OK, file.bytes).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&file.content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment"));
    Ok(response)
}
