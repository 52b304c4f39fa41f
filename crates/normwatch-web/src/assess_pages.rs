//! The self-assessment's pages: sign in and out, the caller's assessments, an assessment's
//! dashboard (progress by section, my tasks, planned actions due, every question) and a
//! question's page (prompt, source paragraph, answer form, comments, history) with the merge
//! view a stale save gets (409). Forms carry the session's CSRF token in a hidden field; the
//! pages are per user, kept by no cache. No script is needed.
//!
//! Layer 6: refers to `ctx`, `error`, `routes`, `session`.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use normwatch_app::assessments::{Account, AnswerEdit, AssessmentError, MemberView};
use normwatch_assess::assessment::areas_for_further_action;
use normwatch_assess::workflow::{Change, Item, Permission, State as ItemState, Status, permits};

use crate::ctx::Ctx;
use crate::error::{Failure, NotFoundPage, PageError};
use crate::routes;
use crate::session::{
    LOGIN_COOKIE, clear_cookie, cookie_token, cookie_value, login_cookie, peer, same_token, set_cookie,
};

fn assessment_href(id: &str) -> String {
    format!("/assessments/{}", routes::encode_path(id))
}

fn question_href(id: &str, question: &str) -> String {
    format!("/assessments/{}/items/{}", routes::encode_path(id), routes::encode_path(question))
}

/// A refusal as a page: to the sign-in page without a session, else the status's page.
fn refuse(e: AssessmentError) -> Response {
    let (status, heading) = match &e {
        AssessmentError::Unauthorized => return Redirect::to("/login").into_response(),
        AssessmentError::NotFound(_) => (StatusCode::NOT_FOUND, "Not found"),
        AssessmentError::Forbidden(_) => (StatusCode::FORBIDDEN, "Not allowed"),
        AssessmentError::Conflict { .. } | AssessmentError::Exists(_) => (StatusCode::CONFLICT, "Changed meanwhile"),
        AssessmentError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "This cannot be done"),
        AssessmentError::BadCredentials => (StatusCode::UNAUTHORIZED, "Not signed in"),
        AssessmentError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "Too many attempts"),
        AssessmentError::Store(_) | AssessmentError::Hash(_) | AssessmentError::Random(_) => {
            return PageError::Failed(Failure::Assessment(e)).into_response();
        }
    };
    (status, NotFoundPage { heading, message: e.to_string(), suggestions: Vec::new() }).into_response()
}

async fn signed(ctx: &Ctx, headers: &HeaderMap) -> Result<(Account, String), AssessmentError> {
    let token = cookie_token(headers).ok_or(AssessmentError::Unauthorized)?;
    let account = ctx.app().session(&token).await?.ok_or(AssessmentError::Unauthorized)?;
    Ok((account, token))
}

/// The fields of a submitted form.
fn form(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(body).unwrap_or_default()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn csrf_ok(fields: &[(String, String)], account: &Account) -> Result<(), AssessmentError> {
    if same_token(field(fields, "csrf_token").unwrap_or_default(), &account.csrf_token) {
        Ok(())
    } else {
        Err(AssessmentError::Forbidden("the form has no valid CSRF token; reload the page and try again".into()))
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "assess_login.html")]
pub struct LoginPage {
    pub error: Option<String>,
    pub email: String,
    /// The form's CSRF token, also in the `nw_login` cookie.
    pub csrf: String,
}

/// The sign-in page with a fresh form token (in the form and in a cookie of its own).
fn login_form(ctx: &Ctx, status: StatusCode, error: Option<String>, email: String) -> Response {
    let token = match normwatch_app::assessments::random_token() {
        Ok(token) => token,
        Err(e) => return PageError::Failed(Failure::Assessment(e)).into_response(),
    };
    let mut response = (status, LoginPage { error, email, csrf: token.clone() }).into_response();
    response.headers_mut().append(header::SET_COOKIE, login_cookie(&token, ctx.app().secure_cookies()));
    response
}

pub async fn login_page(State(ctx): State<Ctx>) -> Response {
    login_form(&ctx, StatusCode::OK, None, String::new())
}

pub async fn login_submit(
    State(ctx): State<Ctx>,
    info: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fields = form(&body);
    let email = field(&fields, "email").unwrap_or_default().to_string();
    let password = field(&fields, "password").unwrap_or_default();
    let expected = cookie_value(&headers, LOGIN_COOKIE).unwrap_or_default();
    let sent = field(&fields, "csrf_token").unwrap_or_default();
    if expected.is_empty() || !same_token(sent, &expected) {
        let reason = "the form has expired or did not come from this site; sign in again".to_string();
        return login_form(&ctx, StatusCode::FORBIDDEN, Some(reason), email);
    }
    let previous = cookie_token(&headers);
    match ctx.app().login_from(&email, password, previous.as_deref(), peer(info)).await {
        Ok(session) => {
            let mut response = Redirect::to("/assessments").into_response();
            let secure = ctx.app().secure_cookies();
            response.headers_mut().insert(header::SET_COOKIE, set_cookie(&session.token, secure));
            response.headers_mut().append(header::SET_COOKIE, expire_login_cookie());
            response
        }
        Err(e @ (AssessmentError::BadCredentials | AssessmentError::RateLimited { .. })) => {
            let status = if matches!(e, AssessmentError::BadCredentials) {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::TOO_MANY_REQUESTS
            };
            login_form(&ctx, status, Some(e.to_string()), email)
        }
        Err(e) => refuse(e),
    }
}

fn expire_login_cookie() -> header::HeaderValue {
    header::HeaderValue::from_static("nw_login=; Path=/login; HttpOnly; SameSite=Strict; Max-Age=0")
}

pub async fn logout_submit(State(ctx): State<Ctx>, headers: HeaderMap, body: Bytes) -> Response {
    let result = async {
        let (account, token) = signed(&ctx, &headers).await?;
        csrf_ok(&form(&body), &account)?;
        ctx.app().logout(&token).await
    };
    match result.await {
        Ok(()) => {
            let mut response = Redirect::to("/login").into_response();
            response.headers_mut().insert(header::SET_COOKIE, clear_cookie(ctx.app().secure_cookies()));
            response
        }
        Err(e) => refuse(e),
    }
}

pub struct ListRow {
    pub href: String,
    pub title: String,
    pub framework: String,
    pub role: &'static str,
    pub created: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "assess_list.html")]
pub struct ListPage {
    pub email: String,
    pub csrf: String,
    pub rows: Vec<ListRow>,
}

pub async fn list_page(State(ctx): State<Ctx>, headers: HeaderMap) -> Response {
    let result = async {
        let (account, _) = signed(&ctx, &headers).await?;
        let rows = ctx
            .app()
            .my_assessments(&account.email)
            .await?
            .into_iter()
            .map(|a| ListRow {
                href: assessment_href(&a.id),
                title: a.title,
                framework: a.framework.id,
                role: a.role.as_str(),
                created: a.created_at.date().to_string(),
            })
            .collect();
        Ok(ListPage { email: account.email.to_string(), csrf: account.csrf_token, rows })
    };
    match result.await {
        Ok(page) => page.into_response(),
        Err(e) => refuse(e),
    }
}

pub struct SectionRow {
    pub title: String,
    pub questions: usize,
    pub unassigned: usize,
    pub assigned: usize,
    pub in_review: usize,
    pub sent_back: usize,
    pub accepted: usize,
}

pub struct QuestionRow {
    pub href: String,
    pub number: String,
    pub prompt: String,
    pub status: &'static str,
    pub state: &'static str,
    pub assignee: String,
}

pub struct ActionRow {
    pub due: String,
    pub overdue: bool,
    pub description: String,
    pub citation: String,
    pub href: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "assess_dashboard.html")]
pub struct DashboardPage {
    pub title: String,
    pub framework: String,
    pub role: &'static str,
    pub questions: usize,
    pub accepted_percent: u8,
    pub sections: Vec<SectionRow>,
    pub tasks: Vec<QuestionRow>,
    pub actions: Vec<ActionRow>,
    pub items: Vec<QuestionRow>,
}

fn question_row(view: &MemberView, item: &Item) -> QuestionRow {
    let question = view.framework.question(&item.question);
    QuestionRow {
        href: question_href(&view.assessment.id, &item.question),
        number: question.map(|q| q.number.clone()).unwrap_or_else(|| item.question.clone()),
        prompt: question.map(|q| q.prompt.clone()).unwrap_or_default(),
        status: item.answer.status.label(),
        state: item.state.as_str(),
        assignee: item.assignee.as_ref().map(|u| u.to_string()).unwrap_or_default(),
    }
}

pub async fn dashboard(State(ctx): State<Ctx>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let result = async {
        let (account, _) = signed(&ctx, &headers).await?;
        let view = ctx.app().assessment_for(&account.email, &id).await?;
        let me = &account.email;
        let reviews = permits(view.role, Permission::Review);
        let tasks = view
            .assessment
            .items
            .iter()
            .filter(|i| {
                let mine =
                    i.assignee.as_ref() == Some(me) && matches!(i.state, ItemState::Assigned | ItemState::SentBack);
                mine || (reviews && i.state == ItemState::InReview && i.answered_by.as_ref() != Some(me))
            })
            .map(|i| question_row(&view, i))
            .collect();
        let today = normwatch_app::assessments::now().date();
        let horizon = normwatch_core::domain::Date::from_ymd(today.year() + 1, 12, 31).unwrap_or(today);
        let further = areas_for_further_action(&view.assessment, &view.framework, today, horizon);
        let actions = further
            .actions_due
            .iter()
            .map(|a| ActionRow {
                due: a.action.due.to_string(),
                overdue: a.overdue,
                description: a.action.description.clone(),
                citation: a.citation.clone(),
                href: question_href(&view.assessment.id, &a.question),
            })
            .collect();
        let sections = view
            .progress
            .sections
            .iter()
            .map(|s| SectionRow {
                title: s.title.clone(),
                questions: s.counts.questions,
                unassigned: s.counts.unassigned,
                assigned: s.counts.assigned,
                in_review: s.counts.in_review,
                sent_back: s.counts.sent_back,
                accepted: s.counts.accepted,
            })
            .collect();
        Ok(DashboardPage {
            title: view.assessment.title.clone(),
            framework: view.framework.title.clone(),
            role: view.role.as_str(),
            questions: view.progress.total.questions,
            accepted_percent: view.progress.total.accepted_percent(),
            sections,
            tasks,
            actions,
            items: view.assessment.items.iter().map(|i| question_row(&view, i)).collect(),
        })
    };
    match result.await {
        Ok(page) => page.into_response(),
        Err(e) => refuse(e),
    }
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct CommentRow {
    pub at: String,
    pub author: String,
    pub kind: String,
    pub text: String,
}

/// The answer as it is now, beside the caller's, in the merge view.
pub struct Current {
    pub version: u64,
    pub status: &'static str,
    pub maturity: String,
    pub answer: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "assess_question.html")]
pub struct QuestionPage {
    pub title: String,
    pub back: String,
    pub action: String,
    pub number: String,
    pub prompt: String,
    pub source: String,
    pub source_link: String,
    pub state: &'static str,
    pub assignee: String,
    pub version: u64,
    pub csrf: String,
    pub can_answer: bool,
    pub status: &'static str,
    pub maturity: String,
    pub answer: String,
    pub statuses: Vec<Choice>,
    pub maturities: Vec<Choice>,
    pub comments: Vec<CommentRow>,
    pub history: Vec<String>,
    pub notice: Option<String>,
    pub conflict: Option<Current>,
}

/// The question's page; `draft` is what the caller submitted when it could not be saved.
async fn question_view(
    ctx: &Ctx,
    account: &Account,
    id: &str,
    question: &str,
    draft: Option<(Status, Option<u8>, String)>,
    conflict: Option<Current>,
    notice: Option<String>,
) -> Result<QuestionPage, AssessmentError> {
    let view = ctx.app().assessment_for(&account.email, id).await?;
    let item =
        view.assessment.item(question).ok_or_else(|| AssessmentError::NotFound(format!("no question {question}")))?;
    let q = view
        .framework
        .question(question)
        .ok_or_else(|| AssessmentError::NotFound(format!("no question {question}")))?;
    let (status, maturity, answer) =
        draft.unwrap_or((item.answer.status, item.answer.maturity, item.answer.narrative.clone()));
    let maturity_label = |m: Option<u8>| {
        m.and_then(|m| view.scale.stage(m).map(|s| format!("{m}: {}", s.name))).unwrap_or_else(|| "none".into())
    };
    let mut maturities = vec![Choice { value: String::new(), label: "none".into(), selected: maturity.is_none() }];
    maturities.extend(view.scale.stages.iter().map(|s| Choice {
        value: s.level.to_string(),
        label: format!("{}: {}", s.level, s.name),
        selected: maturity == Some(s.level),
    }));
    let history = ctx
        .app()
        .audit(&account.email, id)
        .await?
        .into_iter()
        .filter_map(|e| match &e.change {
            Change::Item { question: q, command, .. } if q == question => {
                Some(format!("{}: {} ({})", e.at, e.actor, command.replace('_', " ")))
            }
            _ => None,
        })
        .collect();
    let can_answer = permits(view.role, Permission::Answer)
        && (view.role == normwatch_assess::workflow::Role::Coordinator
            || item.assignee.as_ref() == Some(&account.email));
    Ok(QuestionPage {
        title: view.assessment.title.clone(),
        back: assessment_href(id),
        action: question_href(id, question),
        number: q.number.clone(),
        prompt: q.prompt.clone(),
        source: q.citation.paragraph.clone(),
        source_link: routes::document(&q.citation.document.to_string()),
        state: item.state.as_str(),
        assignee: item.assignee.as_ref().map(|u| u.to_string()).unwrap_or_default(),
        version: conflict.as_ref().map_or(item.version, |c| c.version),
        csrf: account.csrf_token.clone(),
        can_answer,
        status: status.label(),
        maturity: maturity_label(maturity),
        answer,
        statuses: Status::ALL
            .iter()
            .map(|s| Choice { value: s.as_str().into(), label: s.label().into(), selected: *s == status })
            .collect(),
        maturities,
        comments: item
            .comments
            .iter()
            .map(|c| CommentRow {
                at: c.at.to_string(),
                author: c.author.to_string(),
                kind: format!("{:?}", c.kind).to_lowercase(),
                text: c.text.clone(),
            })
            .collect(),
        history,
        notice,
        conflict,
    })
}

pub async fn question_page(
    State(ctx): State<Ctx>,
    headers: HeaderMap,
    Path((id, question)): Path<(String, String)>,
) -> Response {
    let result = async {
        let (account, _) = signed(&ctx, &headers).await?;
        question_view(&ctx, &account, &id, &question, None, None, None).await
    };
    match result.await {
        Ok(page) => page.into_response(),
        Err(e) => refuse(e),
    }
}

/// Saves the answer form: back to the page on success; the merge view (409) when the answer
/// changed since the form was loaded; the page with the reason when a rule refuses it.
pub async fn question_submit(
    State(ctx): State<Ctx>,
    headers: HeaderMap,
    Path((id, question)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let (account, _) = match signed(&ctx, &headers).await {
        Ok(signed) => signed,
        Err(e) => return refuse(e),
    };
    let fields = form(&body);
    if let Err(e) = csrf_ok(&fields, &account) {
        return refuse(e);
    }
    let status = Status::ALL.into_iter().find(|s| Some(s.as_str()) == field(&fields, "status"));
    let maturity = field(&fields, "maturity").and_then(|m| m.parse::<u8>().ok());
    let answer = field(&fields, "answer").unwrap_or_default().replace("\r\n", "\n");
    let version = field(&fields, "version").and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    let Some(status) = status else {
        return refuse(AssessmentError::Invalid("choose a status".into()));
    };
    let draft = (status, maturity, answer.clone());
    let current = match ctx.app().assessment_for(&account.email, &id).await {
        Ok(view) => view.assessment.item(&question).cloned(),
        Err(e) => return refuse(e),
    };
    let Some(current) = current else { return refuse(AssessmentError::NotFound(format!("no question {question}"))) };
    let edit = AnswerEdit {
        status: Some(status),
        maturity,
        narrative: Some(answer),
        submit: field(&fields, "submit") == Some("1"),
        ..AnswerEdit::default()
    };
    match ctx.app().update_item(&account.email, &id, &question, version, edit.command(&current.answer)).await {
        Ok(_) => Redirect::to(&question_href(&id, &question)).into_response(),
        Err(AssessmentError::Conflict { current }) => {
            let now = Current {
                version: current.version,
                status: current.answer.status.label(),
                maturity: current.answer.maturity.map_or_else(|| "none".into(), |m| m.to_string()),
                answer: current.answer.narrative.clone(),
            };
            match question_view(&ctx, &account, &id, &question, Some(draft), Some(now), None).await {
                Ok(page) => (StatusCode::CONFLICT, page).into_response(),
                Err(e) => refuse(e),
            }
        }
        Err(e @ AssessmentError::Invalid(_)) => {
            match question_view(&ctx, &account, &id, &question, Some(draft), None, Some(e.to_string())).await {
                Ok(page) => (StatusCode::UNPROCESSABLE_ENTITY, page).into_response(),
                Err(e) => refuse(e),
            }
        }
        Err(e) => refuse(e),
    }
}
