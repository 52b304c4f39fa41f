//! Conversions from the self-assessment's read-models into the contract types of
//! `normwatch-api` (see `norms_json.rs` for why they live here). Links to a document's page
//! are the presenter's business: it hands in `doc_link`, from a symbol to an address.

use normwatch_api::{
    ActionJson, AnswerEvidenceJson, AssessmentItemJson, AssessmentJson, AuditJson, CommentJson, ComparisonJson,
    CountsJson, FrameworkJson, MemberJson, ProgressJson, QuestionComparisonJson, QuestionJson, SectionProgressJson,
    SnapshotJson,
};
use normwatch_assess::assessment::{Comparison, Counts, Progress, Snapshot};
use normwatch_assess::evidence::Evidence;
use normwatch_assess::framework::{Framework, Question};
use normwatch_assess::workflow::{AuditEntry, Change, Item, PlannedAction, Status};

use crate::assessments::{AssessmentError, MemberView};

/// From a document symbol to the address of its page.
pub type DocLink<'a> = &'a dyn Fn(&str) -> String;

fn question_json(q: &Question, doc_link: DocLink<'_>) -> QuestionJson {
    QuestionJson {
        id: q.id.clone(),
        section: q.section.clone(),
        number: q.number.clone(),
        prompt: q.prompt.clone(),
        source: q.citation.paragraph.clone(),
        source_link: doc_link(&q.citation.document.to_string()),
    }
}

pub fn framework_json(f: &Framework, doc_link: DocLink<'_>) -> FrameworkJson {
    FrameworkJson {
        id: f.id.clone(),
        title: f.title.clone(),
        source: format!("{}, {}", f.document, f.part),
        version: f.version.clone(),
        questions: f.questions.iter().map(|q| question_json(q, doc_link)).collect(),
    }
}

pub fn evidence_json(e: &Evidence) -> AnswerEvidenceJson {
    match e {
        Evidence::Link { url, title } => AnswerEvidenceJson {
            kind: "link".into(),
            url: Some(url.clone()),
            title: Some(title.clone()),
            name: None,
            content_type: None,
            size: None,
            sha256: None,
        },
        Evidence::File { name, content_type, size, sha256 } => AnswerEvidenceJson {
            kind: "file".into(),
            url: None,
            title: None,
            name: Some(name.clone()),
            content_type: Some(content_type.clone()),
            size: Some(*size),
            sha256: Some(sha256.clone()),
        },
    }
}

/// Reads evidence as the API hands it in.
pub fn evidence_from(e: &AnswerEvidenceJson) -> Result<Evidence, AssessmentError> {
    let need = |v: &Option<String>, field: &str| {
        v.clone().ok_or_else(|| AssessmentError::Invalid(format!("{} evidence needs `{field}`", e.kind)))
    };
    match e.kind.as_str() {
        "link" => Ok(Evidence::Link { url: need(&e.url, "url")?, title: e.title.clone().unwrap_or_default() }),
        "file" => Ok(Evidence::File {
            name: need(&e.name, "name")?,
            content_type: need(&e.content_type, "content_type")?,
            size: e.size.ok_or_else(|| AssessmentError::Invalid("file evidence needs `size`".into()))?,
            sha256: need(&e.sha256, "sha256")?,
        }),
        other => Err(AssessmentError::Invalid(format!("evidence kind `{other}` is neither `link` nor `file`"))),
    }
}

pub fn action_from(a: &ActionJson) -> Result<PlannedAction, AssessmentError> {
    Ok(PlannedAction {
        description: a.description.clone(),
        due: a.due.parse().map_err(|_| AssessmentError::Invalid(format!("`{}` is not a date (YYYY-MM-DD)", a.due)))?,
        owner: a.owner.clone(),
        done: a.done,
    })
}

pub fn status_from(text: &str) -> Result<Status, AssessmentError> {
    Status::ALL.into_iter().find(|s| s.as_str() == text).ok_or_else(|| {
        AssessmentError::Invalid(format!("`{text}` is not a status (not_started, partial, in_place or not_applicable)"))
    })
}

/// An item with its question (which it must be one of `framework`'s).
pub fn item_json(framework: &Framework, item: &Item, doc_link: DocLink<'_>) -> AssessmentItemJson {
    let question = framework.question(&item.question);
    let q = question.map(|q| question_json(q, doc_link));
    AssessmentItemJson {
        id: item.question.clone(),
        section: q.as_ref().map(|q| q.section.clone()).unwrap_or_default(),
        number: q.as_ref().map(|q| q.number.clone()).unwrap_or_default(),
        prompt: q.as_ref().map(|q| q.prompt.clone()).unwrap_or_default(),
        source: q.as_ref().map(|q| q.source.clone()).unwrap_or_default(),
        source_link: q.map(|q| q.source_link).unwrap_or_default(),
        status: item.answer.status.as_str().into(),
        maturity: item.answer.maturity,
        answer: item.answer.narrative.clone(),
        owner: item.answer.owner_agency.clone(),
        version: item.version,
        state: item.state.as_str().into(),
        assignee: item.assignee.as_ref().map(|u| u.to_string()),
        evidence: item.answer.evidence.iter().map(evidence_json).collect(),
        actions: item
            .answer
            .actions
            .iter()
            .map(|a| ActionJson {
                description: a.description.clone(),
                due: a.due.to_string(),
                owner: a.owner.clone(),
                done: a.done,
            })
            .collect(),
        comments: item
            .comments
            .iter()
            .map(|c| CommentJson {
                author: c.author.to_string(),
                at: c.at.to_string(),
                kind: serde_json::to_value(c.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                text: c.text.clone(),
            })
            .collect(),
        updated_at: item.updated_at.to_string(),
    }
}

pub fn counts_json(c: &Counts) -> CountsJson {
    CountsJson {
        questions: c.questions,
        unassigned: c.unassigned,
        assigned: c.assigned,
        in_review: c.in_review,
        sent_back: c.sent_back,
        accepted: c.accepted,
        not_started: c.not_started,
        partial: c.partial,
        in_place: c.in_place,
        not_applicable: c.not_applicable,
        accepted_percent: c.accepted_percent(),
    }
}

pub fn progress_json(p: &Progress) -> ProgressJson {
    ProgressJson {
        total: counts_json(&p.total),
        sections: p
            .sections
            .iter()
            .map(|s| SectionProgressJson {
                section: s.section.clone(),
                title: s.title.clone(),
                counts: counts_json(&s.counts),
            })
            .collect(),
    }
}

pub fn assessment_json(view: &MemberView, doc_link: DocLink<'_>) -> AssessmentJson {
    let a = &view.assessment;
    AssessmentJson {
        id: a.id.clone(),
        title: a.title.clone(),
        framework: a.framework.id.clone(),
        framework_version: a.framework.version.clone(),
        created_at: a.created_at.to_string(),
        created_by: a.created_by.to_string(),
        previous: a.previous.clone(),
        role: view.role.as_str().into(),
        members: a
            .members
            .iter()
            .map(|m| MemberJson { email: m.user.to_string(), role: m.role.as_str().into() })
            .collect(),
        items: a.items.iter().map(|i| item_json(&view.framework, i, doc_link)).collect(),
        progress: progress_json(&view.progress),
    }
}

pub fn audit_json(framework: &Framework, e: &AuditEntry, doc_link: DocLink<'_>) -> AuditJson {
    let mut json = AuditJson {
        actor: e.actor.to_string(),
        at: e.at.to_string(),
        what: String::new(),
        question: None,
        command: None,
        before: None,
        after: None,
        member: None,
        role_before: None,
        role_after: None,
        framework: None,
        framework_version: None,
        from: None,
    };
    match &e.change {
        Change::Created { framework, framework_version } | Change::Imported { framework, framework_version } => {
            json.what = if matches!(e.change, Change::Created { .. }) { "created" } else { "imported" }.into();
            json.framework = Some(framework.clone());
            json.framework_version = Some(framework_version.clone());
        }
        Change::Reassessed { framework, framework_version, from } => {
            json.what = "reassessed".into();
            json.framework = Some(framework.clone());
            json.framework_version = Some(framework_version.clone());
            json.from = Some(from.clone());
        }
        Change::Item { question, command, before, after } => {
            json.what = "item".into();
            json.question = Some(question.clone());
            json.command = Some(command.clone());
            json.before = Some(item_json(framework, before, doc_link));
            json.after = Some(item_json(framework, after, doc_link));
        }
        Change::Member { user, before, after } => {
            json.what = "member".into();
            json.member = Some(user.to_string());
            json.role_before = before.map(|r| r.as_str().to_string());
            json.role_after = after.map(|r| r.as_str().to_string());
        }
    }
    json
}

fn snapshot_json(s: &Snapshot) -> SnapshotJson {
    SnapshotJson { status: s.status.as_str().into(), maturity: s.maturity, state: s.state.as_str().into() }
}

pub fn comparison_json(c: &Comparison) -> ComparisonJson {
    ComparisonJson {
        before: c.before.clone(),
        after: c.after.clone(),
        questions: c
            .questions
            .iter()
            .map(|q| QuestionComparisonJson {
                question: q.question.clone(),
                number: q.number.clone(),
                source: q.citation.clone(),
                before: q.before.as_ref().map(snapshot_json),
                after: q.after.as_ref().map(snapshot_json),
                movement: serde_json::to_value(q.movement)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
            })
            .collect(),
        before_counts: counts_json(&c.aggregate.before),
        after_counts: counts_json(&c.aggregate.after),
        mean_maturity_before: c.aggregate.mean_maturity_before,
        mean_maturity_after: c.aggregate.mean_maturity_after,
        improved: c.aggregate.improved,
        worsened: c.aggregate.worsened,
        unchanged: c.aggregate.unchanged,
        changed: c.aggregate.changed,
    }
}
