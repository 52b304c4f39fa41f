//! The JSON export of a whole assessment, and its import: what moves an assessment from one
//! installation to another. `import(export(a)) == a`, and exporting again gives the same
//! text (property-tested). Each item carries the citation of the paragraph it answers; the
//! import checks it against the framework it finds installed.

use serde::{Deserialize, Serialize};

use crate::assessment::{Assessment, FrameworkRef};
use crate::framework::Catalog;
use crate::workflow::{Item, Member, Role, Timestamp, UserId};

/// The `format` field of an export.
pub const EXPORT_FORMAT: &str = "normwatch-assessment";
/// The version of the export format this code writes and reads.
pub const EXPORT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportFile {
    format: String,
    version: u32,
    assessment: ExportAssessment,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportAssessment {
    id: String,
    title: String,
    framework: FrameworkRef,
    created_at: Timestamp,
    created_by: UserId,
    previous: Option<String>,
    members: Vec<Member>,
    items: Vec<ExportItem>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportItem {
    /// The paragraph the item answers, e.g. `A/RES/64/211, annex, item 5 (b)`.
    citation: String,
    item: Item,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    #[error("framework `{0}` is not installed")]
    UnknownFramework(String),
    #[error("framework `{framework}` has no question `{question}`")]
    UnknownQuestion { framework: String, question: String },
}

/// An error in an imported file, with the position serde found it at (line 0 when the
/// problem is with the content as a whole).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct ImportError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

fn content_error(message: impl Into<String>) -> ImportError {
    ImportError { line: 0, column: 0, message: message.into() }
}

/// The export of `assessment`, as pretty-printed JSON.
pub fn export(assessment: &Assessment, catalog: &Catalog) -> Result<String, ExportError> {
    let framework = catalog
        .framework(&assessment.framework.id)
        .ok_or_else(|| ExportError::UnknownFramework(assessment.framework.id.clone()))?;
    let items = assessment
        .items
        .iter()
        .map(|item| {
            let question = framework.question(&item.question).ok_or_else(|| ExportError::UnknownQuestion {
                framework: framework.id.clone(),
                question: item.question.clone(),
            })?;
            Ok(ExportItem { citation: question.citation.paragraph.clone(), item: item.clone() })
        })
        .collect::<Result<Vec<_>, ExportError>>()?;
    let file = ExportFile {
        format: EXPORT_FORMAT.to_string(),
        version: EXPORT_VERSION,
        assessment: ExportAssessment {
            id: assessment.id.clone(),
            title: assessment.title.clone(),
            framework: assessment.framework.clone(),
            created_at: assessment.created_at,
            created_by: assessment.created_by.clone(),
            previous: assessment.previous.clone(),
            members: assessment.members.clone(),
            items,
        },
    };
    let mut text = serde_json::to_string_pretty(&file).expect("an export serialises");
    text.push('\n');
    Ok(text)
}

/// Reads an export and checks it against the installed frameworks: the framework exists,
/// every question is one of its questions (once), citations match, answers pass the same
/// checks as a draft, and there is a coordinator.
pub fn import(text: &str, catalog: &Catalog) -> Result<Assessment, ImportError> {
    let file: ExportFile = serde_json::from_str(text).map_err(|e| ImportError {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    if file.format != EXPORT_FORMAT {
        return Err(content_error(format!("`format` is `{}`, not `{EXPORT_FORMAT}`", file.format)));
    }
    if file.version != EXPORT_VERSION {
        return Err(content_error(format!(
            "export version {} is not known; this version reads {EXPORT_VERSION}",
            file.version
        )));
    }
    let a = file.assessment;
    if a.title.trim().is_empty() {
        return Err(content_error("the title is empty"));
    }
    let framework = catalog
        .framework(&a.framework.id)
        .ok_or_else(|| content_error(format!("framework `{}` is not installed here", a.framework.id)))?;
    let scale = catalog
        .scale_of(framework)
        .ok_or_else(|| content_error(format!("the maturity scale `{}` is not installed here", framework.maturity)))?;
    let mut seen = std::collections::BTreeSet::new();
    for member in &a.members {
        if !seen.insert(&member.user) {
            return Err(content_error(format!("{} is listed twice among the members", member.user)));
        }
    }
    if !a.members.iter().any(|m| m.role == Role::Coordinator) {
        return Err(content_error("the assessment has no coordinator"));
    }
    let mut questions = std::collections::BTreeSet::new();
    let mut items = Vec::with_capacity(a.items.len());
    for ExportItem { citation, item } in a.items {
        let Some(question) = framework.question(&item.question) else {
            return Err(content_error(format!("framework `{}` has no question `{}`", framework.id, item.question)));
        };
        if !questions.insert(item.question.clone()) {
            return Err(content_error(format!("question `{}` appears twice", item.question)));
        }
        if citation != question.citation.paragraph {
            return Err(content_error(format!(
                "question `{}` cites `{citation}`, but answers `{}` here",
                item.question, question.citation.paragraph
            )));
        }
        if item.version == 0 {
            return Err(content_error(format!("question `{}` has version 0; versions start at 1", item.question)));
        }
        item.answer.check_draft(scale).map_err(|e| content_error(format!("question `{}`: {e}", item.question)))?;
        items.push(item);
    }
    // An export made with another version of the framework may lack its newer questions:
    // they start unassigned. Items are kept in the framework's order.
    for question in &framework.questions {
        if !questions.contains(&question.id) {
            items.push(Item::new(&question.id, a.created_at));
        }
    }
    let order = |id: &str| framework.questions.iter().position(|q| q.id == id);
    items.sort_by_key(|item| order(&item.question));
    Ok(Assessment {
        id: a.id,
        title: a.title,
        framework: a.framework,
        created_at: a.created_at,
        created_by: a.created_by,
        previous: a.previous,
        members: a.members,
        items,
    })
}

/// The audit entry recording that `actor` imported `assessment` at `now`.
pub fn import_audit(assessment: &Assessment, actor: &UserId, now: Timestamp) -> crate::workflow::AuditEntry {
    crate::workflow::AuditEntry {
        assessment: assessment.id.clone(),
        actor: actor.clone(),
        at: now,
        change: crate::workflow::Change::Imported {
            framework: assessment.framework.id.clone(),
            framework_version: assessment.framework.version.clone(),
        },
    }
}
