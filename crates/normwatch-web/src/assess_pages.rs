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
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use normwatch_app::assessments::{Account, AssessmentError, MemberView};
use normwatch_assess::assessment::{Counts, areas_for_further_action};
use normwatch_assess::evidence::Evidence;
use normwatch_assess::framework::Question;
use normwatch_assess::report::{ReportOptions, ReportView};
use normwatch_assess::workflow::{
    Answer, Change, Command, Item, Permission, PlannedAction, Role, State as ItemState, Status, permits,
};

use crate::charts;
use crate::ctx::Ctx;
use crate::error::{Failure, PageError};
use crate::routes;
use crate::session::{
    LOGIN_COOKIE, clear_cookie, cookie_token, cookie_value, csrf_ok, field, form, login_cookie, peer, refuse,
    same_token, set_cookie, signed, signed_form,
};

fn assessment_href(id: &str) -> String {
    format!("/assessments/{}", routes::encode_path(id))
}

fn question_href(id: &str, question: &str) -> String {
    format!("/assessments/{}/items/{}", routes::encode_path(id), routes::encode_path(question))
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
    match ctx.app().login_from(&email, password, previous.as_deref(), peer(&ctx, info, &headers)).await {
        Ok(session) => {
            let mut response = Redirect::to("/assessments").into_response();
            let secure = ctx.app().secure_cookies();
            response.headers_mut().insert(header::SET_COOKIE, set_cookie(&session.token, secure));
            response.headers_mut().append(header::SET_COOKIE, expire_login_cookie());
            response
        }
        Err(
            e @ (AssessmentError::BadCredentials | AssessmentError::RateLimited { .. } | AssessmentError::Disabled),
        ) => {
            let status = match e {
                AssessmentError::BadCredentials => StatusCode::UNAUTHORIZED,
                AssessmentError::Disabled => StatusCode::FORBIDDEN,
                _ => StatusCode::TOO_MANY_REQUESTS,
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
    /// An administrator of the installation: the page links the accounts.
    pub is_admin: bool,
    pub csrf: String,
    pub rows: Vec<ListRow>,
    /// The frameworks a new assessment can answer.
    pub frameworks: Vec<Choice>,
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
        let frameworks = ctx
            .app()
            .frameworks()?
            .frameworks
            .iter()
            .map(|f| Choice {
                value: f.id.clone(),
                label: format!("{} ({})", f.title, f.document),
                selected: f.id == "64-211",
            })
            .collect();
        Ok(ListPage {
            email: account.email.to_string(),
            is_admin: account.role == normwatch_app::assessments::AccountRole::Admin.as_str(),
            csrf: account.csrf_token,
            rows,
            frameworks,
        })
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

pub struct MemberRow {
    pub email: String,
    pub role: &'static str,
}

/// One cycle of the assessment, for the progress over cycles.
pub struct CycleRow {
    pub href: String,
    pub title: String,
    pub started: String,
    pub accepted_percent: u8,
    pub in_place: usize,
    pub mean_maturity: String,
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
    pub id: String,
    pub csrf: String,
    pub members: Vec<MemberRow>,
    /// A coordinator: the member and reassessment forms.
    pub can_manage: bool,
    /// A coordinator or reviewer: the reports.
    pub can_export: bool,
    pub roles: Vec<Choice>,
    /// Sections, for the report's "only these sections".
    pub section_choices: Vec<Choice>,
    /// Other assessments of the framework to compare with (the previous cycle first).
    pub compare_with: Vec<Choice>,
    pub sections_chart: String,
    pub cycles_chart: String,
    pub cycles: Vec<CycleRow>,
    pub title: String,
    pub framework: String,
    pub role: &'static str,
    pub questions: usize,
    pub accepted_percent: u8,
    pub sections: Vec<SectionRow>,
    pub tasks: Vec<QuestionRow>,
    pub actions: Vec<ActionRow>,
    pub items: Vec<QuestionRow>,
    /// The assessment through the crosswalk.
    pub crosswalk: String,
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
        let can_manage = permits(view.role, Permission::ManageMembers);
        let sections_chart = charts::stacked_bars(
            "Questions by workflow state, per section",
            "For each section of the framework, how many questions are accepted, in review, sent back, assigned and unassigned.",
            &view.progress.sections.iter().map(|s| s.section.clone()).collect::<Vec<_>>(),
            &[
                series("accepted", charts::YES, &view, |c| c.accepted),
                series("in review", charts::ACCENT, &view, |c| c.in_review),
                series("sent back", charts::NO, &view, |c| c.sent_back),
                series("assigned", charts::ABSTAIN, &view, |c| c.assigned),
                series("unassigned", charts::NON_VOTING, &view, |c| c.unassigned),
            ],
        );
        let chain = ctx.app().cycles(me, &id).await?;
        let cycles: Vec<CycleRow> = chain.iter().map(cycle_row).collect();
        let labels: Vec<String> = chain.iter().map(|c| c.assessment.created_at.date().to_string()).collect();
        let share = |f: &dyn Fn(&MemberView) -> f64| chain.iter().map(|c| Some(f(c))).collect::<Vec<_>>();
        let cycles_chart = charts::lines(
            "Progress over cycles",
            "For each cycle of this assessment, the share of questions accepted, the share answered as in place, and the mean maturity as a share of the top stage.",
            &labels,
            &[
                charts::Series {
                    label: "accepted".into(),
                    color: charts::YES,
                    values: share(&|c| c.progress.total.accepted as f64 / c.progress.total.questions.max(1) as f64),
                },
                charts::Series {
                    label: "in place".into(),
                    color: charts::ACCENT,
                    values: share(&|c| c.progress.total.in_place as f64 / c.progress.total.questions.max(1) as f64),
                },
                charts::Series {
                    label: "mean maturity (of the top stage)".into(),
                    color: charts::PALETTE[3],
                    values: chain
                        .iter()
                        .map(|c| {
                            let top = c.scale.stages.iter().map(|s| s.level).max().unwrap_or(5).max(1);
                            mean_maturity(c).map(|m| m / f64::from(top))
                        })
                        .collect(),
                },
            ],
            true,
        );
        let mut compare_with: Vec<Choice> = ctx
            .app()
            .my_assessments(me)
            .await?
            .into_iter()
            .filter(|a| a.id != id && a.framework.id == view.assessment.framework.id)
            .map(|a| Choice {
                selected: view.assessment.previous.as_deref() == Some(a.id.as_str()),
                label: format!("{} (started {})", a.title, a.created_at.date()),
                value: a.id,
            })
            .collect();
        compare_with.sort_by_key(|c| !c.selected);
        Ok(DashboardPage {
            id: id.clone(),
            csrf: account.csrf_token.clone(),
            members: view
                .assessment
                .members
                .iter()
                .map(|m| MemberRow { email: m.user.to_string(), role: m.role.as_str() })
                .collect(),
            can_manage,
            can_export: permits(view.role, Permission::Export),
            roles: Role::ALL
                .iter()
                .map(|r| Choice {
                    value: r.as_str().into(),
                    label: r.as_str().into(),
                    selected: *r == Role::Contributor,
                })
                .collect(),
            section_choices: view
                .framework
                .sections
                .iter()
                .map(|s| Choice { value: s.id.clone(), label: s.title.clone(), selected: true })
                .collect(),
            compare_with,
            sections_chart,
            cycles_chart,
            cycles,
            title: view.assessment.title.clone(),
            framework: view.framework.title.clone(),
            role: view.role.as_str(),
            questions: view.progress.total.questions,
            accepted_percent: view.progress.total.accepted_percent(),
            sections,
            tasks,
            actions,
            items: view.assessment.items.iter().map(|i| question_row(&view, i)).collect(),
            crosswalk: format!("{}/crosswalk", assessment_href(&view.assessment.id)),
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
    /// The agency that owns the measure.
    pub owner: String,
    pub evidence: Vec<EvidenceRow>,
    pub actions: Vec<PlannedRow>,
    /// Where the workflow and evidence forms go.
    pub workflow_action: String,
    pub evidence_action: String,
    pub evidence_remove_action: String,
    /// Members who may be given the question (for a coordinator, while it can be assigned).
    pub assignees: Vec<Choice>,
    pub can_review: bool,
    pub can_reopen: bool,
    pub can_comment: bool,
    /// The largest file the upload form takes, for its label.
    pub upload_limit: String,
    /// The norms the question's item carries, through the crosswalk.
    pub norms: Vec<CarriedNorm>,
    /// Why the norms could not be listed, if they could not.
    pub norms_error: Option<String>,
    /// The assessment through the crosswalk.
    pub crosswalk: String,
}

/// A norm a question carries: the crosswalk edge, with its relation and source.
pub struct CarriedNorm {
    pub href: String,
    pub name: String,
    pub relation: &'static str,
    pub basis: &'static str,
    pub source: String,
}

/// The norms the question carries, by the built-in knowledge base's crosswalk.
async fn carried_norms(ctx: &Ctx, view: &MemberView, question: &Question) -> Result<Vec<CarriedNorm>, String> {
    let norms = ctx.app().norms().await.map_err(|e| e.to_string())?;
    Ok(normwatch_app::assess_crosswalk::edges_of(&norms, &view.framework, question)
        .into_iter()
        .map(|edge| CarriedNorm {
            href: routes::norm(&edge.norm),
            name: norms.norm(&edge.norm).map_or_else(|| edge.norm.clone(), |n| n.name.clone()),
            relation: edge.relation.as_str(),
            basis: edge.basis.as_str(),
            source: edge.source.to_string(),
        })
        .collect())
}

pub struct EvidenceRow {
    /// Its position in the answer's evidence (the removal form names it).
    pub index: usize,
    pub label: String,
    /// A link's address, or the download address of an uploaded file.
    pub href: String,
    pub file: bool,
}

pub struct PlannedRow {
    pub index: usize,
    pub description: String,
    pub due: String,
    pub owner: String,
    pub done: bool,
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
    let coordinator = view.role == normwatch_assess::workflow::Role::Coordinator;
    let can_answer =
        permits(view.role, Permission::Answer) && (coordinator || item.assignee.as_ref() == Some(&account.email));
    let assignable = matches!(item.state, ItemState::Unassigned | ItemState::Assigned | ItemState::SentBack);
    let assignees = if permits(view.role, Permission::Assign) && assignable {
        view.assessment
            .members
            .iter()
            .filter(|m| permits(m.role, Permission::Answer))
            .map(|m| Choice {
                value: m.user.to_string(),
                label: format!("{} ({})", m.user, m.role.as_str()),
                selected: item.assignee.as_ref() == Some(&m.user),
            })
            .collect()
    } else {
        Vec::new()
    };
    let evidence = item
        .answer
        .evidence
        .iter()
        .enumerate()
        .map(|(index, e)| match e {
            Evidence::Link { url, .. } => {
                EvidenceRow { index, label: normwatch_assess::report::evidence_line(e), href: url.clone(), file: false }
            }
            Evidence::File { sha256, .. } => EvidenceRow {
                index,
                label: normwatch_assess::report::evidence_line(e),
                href: format!("/api/assessments/{}/evidence/{}", routes::encode_path(id), routes::encode_path(sha256)),
                file: true,
            },
        })
        .collect();
    let actions = item
        .answer
        .actions
        .iter()
        .enumerate()
        .map(|(index, a)| PlannedRow {
            index,
            description: a.description.clone(),
            due: a.due.to_string(),
            owner: a.owner.clone().unwrap_or_default(),
            done: a.done,
        })
        .collect();
    let (norms, norms_error) = match carried_norms(ctx, &view, q).await {
        Ok(norms) => (norms, None),
        Err(error) => {
            tracing::error!(%error, "cannot read the norms for a question page");
            (Vec::new(), Some(error))
        }
    };
    Ok(QuestionPage {
        norms,
        norms_error,
        crosswalk: format!("{}/crosswalk", assessment_href(id)),
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
        owner: item.answer.owner_agency.clone().unwrap_or_default(),
        evidence,
        actions,
        workflow_action: format!("{}/workflow", question_href(id, question)),
        evidence_action: format!("{}/evidence", question_href(id, question)),
        evidence_remove_action: format!("{}/evidence/remove", question_href(id, question)),
        assignees,
        can_review: permits(view.role, Permission::Review)
            && item.state == ItemState::InReview
            && item.answered_by.as_ref() != Some(&account.email),
        can_reopen: permits(view.role, Permission::Assign) && item.state == ItemState::Accepted,
        can_comment: permits(view.role, Permission::Comment),
        upload_limit: format!("{} MiB", normwatch_assess::evidence::MAX_EVIDENCE_FILE_BYTES >> 20),
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
    let current = match current_item(&ctx, &account, &id, &question).await {
        Ok(item) => item,
        Err(e) => return refuse(e),
    };
    let done: Vec<usize> =
        fields.iter().filter(|(k, _)| k == "action_done").filter_map(|(_, v)| v.parse().ok()).collect();
    let mut actions: Vec<PlannedAction> = current
        .answer
        .actions
        .iter()
        .enumerate()
        .map(|(i, a)| PlannedAction { done: done.contains(&i), ..a.clone() })
        .collect();
    let new_action = field(&fields, "action_description").map(str::trim).filter(|d| !d.is_empty());
    if let Some(description) = new_action {
        let due = field(&fields, "action_due").unwrap_or_default();
        let Ok(due) = due.parse::<normwatch_core::domain::Date>() else {
            return refuse(AssessmentError::Invalid(format!(
                "`{due}` is not a due date (YYYY-MM-DD) for the planned action"
            )));
        };
        let owner = field(&fields, "action_owner").map(str::trim).filter(|o| !o.is_empty()).map(str::to_string);
        actions.push(PlannedAction { description: description.to_string(), due, owner, done: false });
    }
    // The form holds every field of the answer but its evidence (its own forms): an empty
    // owner clears it.
    let new_answer = Answer {
        status,
        maturity,
        narrative: answer,
        owner_agency: field(&fields, "owner").map(str::trim).filter(|o| !o.is_empty()).map(str::to_string),
        evidence: current.answer.evidence.clone(),
        actions,
    };
    let command = if field(&fields, "submit") == Some("1") {
        Command::Submit { answer: new_answer }
    } else {
        Command::SaveDraft { answer: new_answer }
    };
    match ctx.app().update_item(&account.email, &id, &question, version, command).await {
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

/// The question's page again, with a notice, after a step that could not be done.
async fn question_notice(
    ctx: &Ctx,
    account: &Account,
    id: &str,
    question: &str,
    status: StatusCode,
    notice: String,
) -> Response {
    match question_view(ctx, account, id, question, None, None, Some(notice)).await {
        Ok(page) => (status, page).into_response(),
        Err(e) => refuse(e),
    }
}

/// Applies one workflow command from a form: back to the question's page when done; the
/// page as it is now with the reason when refused (409 when it changed meanwhile).
async fn item_step(ctx: &Ctx, account: &Account, id: &str, question: &str, version: u64, command: Command) -> Response {
    match ctx.app().update_item(&account.email, id, question, version, command).await {
        Ok(_) => Redirect::to(&question_href(id, question)).into_response(),
        Err(AssessmentError::Conflict { current }) => {
            let notice = format!(
                "Someone else changed this question meanwhile (now version {}): nothing was done. Here it is as it is now; try again.",
                current.version
            );
            question_notice(ctx, account, id, question, StatusCode::CONFLICT, notice).await
        }
        Err(e @ AssessmentError::Invalid(_)) => {
            question_notice(ctx, account, id, question, StatusCode::UNPROCESSABLE_ENTITY, e.to_string()).await
        }
        Err(e @ AssessmentError::Forbidden(_)) => {
            question_notice(ctx, account, id, question, StatusCode::FORBIDDEN, e.to_string()).await
        }
        Err(e) => refuse(e),
    }
}

/// A step of the review workflow from the question's page: assign, accept, send back,
/// reopen or comment (`command`), at the version the page showed.
pub async fn workflow_submit(
    State(ctx): State<Ctx>,
    headers: HeaderMap,
    Path((id, question)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let (account, fields) = match signed_form(&ctx, &headers, &body).await {
        Ok(signed) => signed,
        Err(e) => return refuse(e),
    };
    let version = field(&fields, "version").and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    let comment = field(&fields, "comment").unwrap_or_default().replace("\r\n", "\n");
    let command = match field(&fields, "command").unwrap_or_default() {
        "assign" => match normwatch_assess::workflow::UserId::parse(field(&fields, "to").unwrap_or_default()) {
            Ok(to) => Command::Assign { to },
            Err(e) => return refuse(AssessmentError::Invalid(e)),
        },
        "accept" => Command::Accept { comment: Some(comment).filter(|c| !c.trim().is_empty()) },
        "send_back" => Command::SendBack { comment },
        "reopen" => Command::Reopen { comment },
        "comment" => Command::Comment { text: comment },
        other => {
            return refuse(AssessmentError::Invalid(format!(
                "`{other}` is not a workflow step (assign, accept, send_back, reopen or comment)"
            )));
        }
    };
    item_step(&ctx, &account, &id, &question, version, command).await
}

/// What the evidence form sent.
#[derive(Default)]
struct EvidenceForm {
    csrf_token: String,
    version: u64,
    url: String,
    title: String,
    file: Option<(String, String, Bytes)>,
}

async fn read_evidence_form(mut multipart: Multipart) -> Result<EvidenceForm, (StatusCode, String)> {
    let refused =
        |e: axum::extract::multipart::MultipartError| (e.status(), format!("the upload could not be read: {e}"));
    let mut out = EvidenceForm::default();
    while let Some(part) = multipart.next_field().await.map_err(refused)? {
        let name = part.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = part.file_name().unwrap_or_default().to_string();
            let content_type = part.content_type().unwrap_or_default().to_string();
            let bytes = part.bytes().await.map_err(refused)?;
            if !file_name.is_empty() || !bytes.is_empty() {
                out.file = Some((file_name, content_type, bytes));
            }
            continue;
        }
        let text = part.text().await.map_err(refused)?;
        match name.as_str() {
            "csrf_token" => out.csrf_token = text,
            "version" => out.version = text.trim().parse().unwrap_or(0),
            "url" => out.url = text.trim().to_string(),
            "title" => out.title = text.trim().to_string(),
            _ => {}
        }
    }
    Ok(out)
}

/// The evidence form (`multipart/form-data`, so it works without a script): a file to
/// upload (checked by the upload policy) or a link with its title, added to the answer as
/// a draft at the version the page showed.
pub async fn evidence_submit(
    State(ctx): State<Ctx>,
    headers: HeaderMap,
    Path((id, question)): Path<(String, String)>,
    multipart: Multipart,
) -> Response {
    let (account, _) = match signed(&ctx, &headers).await {
        Ok(signed) => signed,
        Err(e) => return refuse(e),
    };
    let sent = match read_evidence_form(multipart).await {
        Ok(sent) => sent,
        Err((status, message)) => return question_notice(&ctx, &account, &id, &question, status, message).await,
    };
    if !same_token(&sent.csrf_token, &account.csrf_token) {
        return refuse(AssessmentError::Forbidden(
            "the form has no valid CSRF token; reload the page and try again".into(),
        ));
    }
    if let Some((name, content_type, bytes)) = sent.file {
        let content_type = content_type.split(';').next().unwrap_or_default().trim().to_string();
        return match ctx
            .app()
            .upload_evidence(&account.email, &id, &question, sent.version, &name, &content_type, &bytes)
            .await
        {
            Ok(_) => Redirect::to(&question_href(&id, &question)).into_response(),
            Err(AssessmentError::Conflict { current }) => {
                let notice = format!(
                    "Someone else changed this question meanwhile (now version {}): the file was not attached; try again.",
                    current.version
                );
                question_notice(&ctx, &account, &id, &question, StatusCode::CONFLICT, notice).await
            }
            Err(e @ (AssessmentError::Invalid(_) | AssessmentError::Forbidden(_))) => {
                let status = if matches!(e, AssessmentError::Forbidden(_)) {
                    StatusCode::FORBIDDEN
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                };
                question_notice(&ctx, &account, &id, &question, status, e.to_string()).await
            }
            Err(e) => refuse(e),
        };
    }
    if sent.url.is_empty() {
        let notice = "Choose a file to upload, or give a link.".to_string();
        return question_notice(&ctx, &account, &id, &question, StatusCode::UNPROCESSABLE_ENTITY, notice).await;
    }
    let current = match current_item(&ctx, &account, &id, &question).await {
        Ok(item) => item,
        Err(e) => return refuse(e),
    };
    let mut answer = current.answer.clone();
    answer.evidence.push(Evidence::Link { url: sent.url, title: sent.title });
    item_step(&ctx, &account, &id, &question, sent.version, Command::SaveDraft { answer }).await
}

/// The question as it is now, for a form that edits its answer.
async fn current_item(ctx: &Ctx, account: &Account, id: &str, question: &str) -> Result<Item, AssessmentError> {
    let view = ctx.app().assessment_for(&account.email, id).await?;
    view.assessment.item(question).cloned().ok_or_else(|| AssessmentError::NotFound(format!("no question {question}")))
}

/// The question page's removal form: one piece of evidence taken out of the answer, at
/// the version read (an uploaded file no answer lists any more is pruned later; the audit
/// keeps the answer before).
pub async fn evidence_remove_submit(
    State(ctx): State<Ctx>,
    headers: HeaderMap,
    Path((id, question)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let (account, fields) = match signed_form(&ctx, &headers, &body).await {
        Ok(signed) => signed,
        Err(e) => return refuse(e),
    };
    let number = |name: &str| field(&fields, name).and_then(|v| v.parse::<u64>().ok());
    let (Some(version), Some(index)) = (number("version"), number("index")) else {
        let notice = "The removal form lacks its version or the evidence's position; reload the page.".to_string();
        return question_notice(&ctx, &account, &id, &question, StatusCode::UNPROCESSABLE_ENTITY, notice).await;
    };
    let current = match current_item(&ctx, &account, &id, &question).await {
        Ok(item) => item,
        Err(e) => return refuse(e),
    };
    let mut answer = current.answer.clone();
    let index = usize::try_from(index).unwrap_or(usize::MAX);
    if current.version == version && index >= answer.evidence.len() {
        let notice = format!("The answer has no evidence at position {}; nothing was removed.", index + 1);
        return question_notice(&ctx, &account, &id, &question, StatusCode::UNPROCESSABLE_ENTITY, notice).await;
    }
    // At a stale version the step answers with the merge view; nothing is removed.
    if current.version == version {
        answer.evidence.remove(index);
    }
    item_step(&ctx, &account, &id, &question, version, Command::SaveDraft { answer }).await
}

/// The list page's form: start an assessment of a framework; the caller coordinates it.
pub async fn create_submit(State(ctx): State<Ctx>, headers: HeaderMap, body: Bytes) -> Response {
    let result = async {
        let (account, fields) = signed_form(&ctx, &headers, &body).await?;
        let framework = field(&fields, "framework").unwrap_or_default();
        let title = field(&fields, "title").unwrap_or_default();
        ctx.app().create_assessment(&account.email, framework, title).await
    };
    match result.await {
        Ok(a) => Redirect::to(&assessment_href(&a.id)).into_response(),
        Err(e) => refuse(e),
    }
}

/// The dashboard's member form: add a member or change a role (a coordinator's step).
pub async fn members_submit(
    State(ctx): State<Ctx>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let result = async {
        let (account, fields) = signed_form(&ctx, &headers, &body).await?;
        let role = Role::parse(field(&fields, "role").unwrap_or_default()).map_err(AssessmentError::Invalid)?;
        ctx.app().set_member(&account.email, &id, field(&fields, "email").unwrap_or_default(), Some(role)).await
    };
    match result.await {
        Ok(_) => Redirect::to(&format!("{}#members", assessment_href(&id))).into_response(),
        Err(e) => refuse(e),
    }
}

/// The dashboard's reassessment form: the next cycle, answers copied forward for review.
pub async fn reassess_submit(
    State(ctx): State<Ctx>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let result = async {
        let (account, fields) = signed_form(&ctx, &headers, &body).await?;
        let title = field(&fields, "title").map(str::trim).filter(|t| !t.is_empty());
        ctx.app().reassess(&account.email, &id, title).await
    };
    match result.await {
        Ok(next) => Redirect::to(&assessment_href(&next.id)).into_response(),
        Err(e) => refuse(e),
    }
}

fn series(label: &str, color: &'static str, view: &MemberView, count: fn(&Counts) -> usize) -> charts::Series {
    charts::Series {
        label: label.into(),
        color,
        values: view.progress.sections.iter().map(|s| Some(count(&s.counts) as f64)).collect(),
    }
}

/// The mean maturity over answered questions that have one.
fn mean_maturity(view: &MemberView) -> Option<f64> {
    let levels: Vec<f64> = view
        .assessment
        .items
        .iter()
        .filter(|i| i.is_answered())
        .filter_map(|i| i.answer.maturity)
        .map(f64::from)
        .collect();
    (!levels.is_empty()).then(|| levels.iter().sum::<f64>() / levels.len() as f64)
}

fn cycle_row(view: &MemberView) -> CycleRow {
    CycleRow {
        href: assessment_href(&view.assessment.id),
        title: view.assessment.title.clone(),
        started: view.assessment.created_at.date().to_string(),
        accepted_percent: view.progress.total.accepted_percent(),
        in_place: view.progress.total.in_place,
        mean_maturity: mean_maturity(view).map_or_else(|| "none".into(), |m| format!("{m:.1}")),
    }
}

/// The query of a page's address as fields.
fn query_fields(uri: &axum::http::Uri) -> Vec<(String, String)> {
    uri.query().map(|q| form(q.as_bytes())).unwrap_or_default()
}

pub struct CompareRow {
    pub number: String,
    pub citation: String,
    pub href: String,
    pub before: String,
    pub after: String,
    pub movement: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "assess_compare.html")]
pub struct ComparePage {
    pub back: String,
    pub before_title: String,
    pub before_href: String,
    pub before_date: String,
    pub after_title: String,
    pub after_href: String,
    pub after_date: String,
    pub before_accepted: usize,
    pub after_accepted: usize,
    pub before_in_place: usize,
    pub after_in_place: usize,
    pub questions: usize,
    pub mean_before: String,
    pub mean_after: String,
    pub improved: usize,
    pub worsened: usize,
    pub unchanged: usize,
    pub changed: usize,
    pub rows: Vec<CompareRow>,
}

fn snapshot_text(snapshot: &Option<normwatch_assess::assessment::Snapshot>) -> String {
    snapshot.as_ref().map_or_else(
        || "not answered".into(),
        |s| {
            let maturity = s.maturity.map_or_else(|| "no maturity".into(), |m| format!("maturity {m}"));
            format!("{}, {maturity} ({})", s.status.label(), s.state.as_str())
        },
    )
}

/// Two cycles compared: `/assessments/{id}/compare?with=OTHER` (`id` is the later one;
/// without `with`, the cycle it was started from). Question by question and in aggregate.
pub async fn compare_page(
    State(ctx): State<Ctx>,
    headers: HeaderMap,
    Path(id): Path<String>,
    uri: axum::http::Uri,
) -> Response {
    let result = async {
        let (account, _) = signed(&ctx, &headers).await?;
        let fields = query_fields(&uri);
        let after = ctx.app().assessment_for(&account.email, &id).await?;
        let other = match field(&fields, "with").filter(|w| !w.is_empty()) {
            Some(other) => other.to_string(),
            None => after.assessment.previous.clone().ok_or_else(|| {
                AssessmentError::Invalid("this assessment has no earlier cycle; choose one to compare with".into())
            })?,
        };
        let before = ctx.app().assessment_for(&account.email, &other).await?;
        // The earlier one first, whichever way round they were given.
        let (before, after) =
            if before.assessment.created_at <= after.assessment.created_at { (before, after) } else { (after, before) };
        let comparison = ctx.app().compare(&account.email, &before.assessment.id, &after.assessment.id).await?;
        let a = &comparison.aggregate;
        let mean = |m: Option<f64>| m.map_or_else(|| "none".into(), |m| format!("{m:.1}"));
        Ok(ComparePage {
            back: assessment_href(&id),
            before_title: before.assessment.title.clone(),
            before_href: assessment_href(&before.assessment.id),
            before_date: before.assessment.created_at.date().to_string(),
            after_title: after.assessment.title.clone(),
            after_href: assessment_href(&after.assessment.id),
            after_date: after.assessment.created_at.date().to_string(),
            before_accepted: a.before.accepted,
            after_accepted: a.after.accepted,
            before_in_place: a.before.in_place,
            after_in_place: a.after.in_place,
            questions: a.after.questions,
            mean_before: mean(a.mean_maturity_before),
            mean_after: mean(a.mean_maturity_after),
            improved: a.improved,
            worsened: a.worsened,
            unchanged: a.unchanged,
            changed: a.changed,
            rows: comparison
                .questions
                .iter()
                .map(|q| CompareRow {
                    number: q.number.clone(),
                    citation: q.citation.clone(),
                    href: question_href(&after.assessment.id, &q.question),
                    before: snapshot_text(&q.before),
                    after: snapshot_text(&q.after),
                    movement: q.movement.label(),
                })
                .collect(),
        })
    };
    match result.await {
        Ok(page) => page.into_response(),
        Err(e) => refuse(e),
    }
}

pub struct ReportRow {
    pub number: String,
    pub prompt: String,
    pub citation: String,
    pub source_link: String,
    pub status: &'static str,
    pub state: &'static str,
    pub maturity: String,
    pub answer: String,
    pub owner: String,
    pub assignee: String,
    pub evidence: Vec<String>,
    pub actions: Vec<String>,
    pub comments: Vec<String>,
}

pub struct ReportSection {
    pub id: String,
    pub title: String,
    pub rows: Vec<ReportRow>,
}

pub struct GapRow {
    pub section: String,
    pub number: String,
    pub citation: String,
    pub reason: &'static str,
    pub provisional: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "assess_report.html")]
pub struct ReportPage {
    pub back: String,
    pub title: String,
    pub subtitle: String,
    pub text_source: String,
    pub generated: String,
    pub members: Vec<MemberRow>,
    pub omit_names: bool,
    pub sections: Vec<ReportSection>,
    pub gaps: Vec<GapRow>,
    pub actions: Vec<ActionRow>,
}

/// The report as a page (print it, or copy it into a document): the same content as the
/// DOCX and PDF, from the same `ReportView`; `omit_names=1`, `section=ID` (repeatable) and
/// `comments=0` choose what goes in.
pub async fn report_page(
    State(ctx): State<Ctx>,
    headers: HeaderMap,
    Path(id): Path<String>,
    uri: axum::http::Uri,
) -> Response {
    let result = async {
        let (account, _) = signed(&ctx, &headers).await?;
        let fields = query_fields(&uri);
        let view = ctx.app().assessment_to_report(&account.email, &id).await?;
        let mut options = ReportOptions::full(normwatch_app::assessments::now());
        options.omit_names = field(&fields, "omit_names") == Some("1");
        options.include_comments = field(&fields, "comments") != Some("0");
        let chosen: Vec<String> = fields.iter().filter(|(k, _)| k == "section").map(|(_, v)| v.clone()).collect();
        if !chosen.is_empty() {
            options.sections = Some(chosen);
        }
        let report = ReportView::new(&view.assessment, &view.framework, &view.scale, &options)
            .map_err(|e| AssessmentError::Invalid(e.to_string()))?;
        let sections = report
            .sections
            .iter()
            .map(|s| ReportSection {
                id: s.id.to_string(),
                title: s.title.to_string(),
                rows: s
                    .rows
                    .iter()
                    .map(|r| ReportRow {
                        number: r.question.number.clone(),
                        prompt: r.question.prompt.clone(),
                        citation: r.citation().to_string(),
                        source_link: routes::document(&r.question.citation.document.to_string()),
                        status: r.item.answer.status.label(),
                        state: r.item.state.as_str(),
                        maturity: r.maturity_label(&view.scale),
                        answer: r.item.answer.narrative.clone(),
                        owner: r.item.answer.owner_agency.clone().unwrap_or_default(),
                        assignee: r.assignee(&options),
                        evidence: r.item.answer.evidence.iter().map(normwatch_assess::report::evidence_line).collect(),
                        actions: r.item.answer.actions.iter().map(normwatch_assess::report::action_line).collect(),
                        comments: r.comments.iter().map(|c| c.line()).collect(),
                    })
                    .collect(),
            })
            .collect();
        let gaps = report
            .further_action
            .sections
            .iter()
            .flat_map(|s| {
                s.gaps.iter().map(|g| GapRow {
                    section: s.title.clone(),
                    number: g.number.clone(),
                    citation: g.citation.clone(),
                    reason: g.reason.label(),
                    provisional: !g.accepted,
                })
            })
            .collect();
        let actions = report
            .further_action
            .actions_due
            .iter()
            .map(|a| ActionRow {
                due: a.action.due.to_string(),
                overdue: a.overdue,
                description: a.action.description.clone(),
                citation: a.citation.clone(),
                href: question_href(&id, &a.question),
            })
            .collect();
        Ok(ReportPage {
            back: assessment_href(&id),
            title: view.assessment.title.clone(),
            subtitle: report.subtitle(),
            text_source: report.text_source(),
            generated: options.generated_at.to_string(),
            members: report
                .members
                .iter()
                .map(|m| MemberRow { email: m.user.to_string(), role: m.role.as_str() })
                .collect(),
            omit_names: options.omit_names,
            sections,
            gaps,
            actions,
        })
    };
    match result.await {
        Ok(page) => page.into_response(),
        Err(e) => refuse(e),
    }
}
