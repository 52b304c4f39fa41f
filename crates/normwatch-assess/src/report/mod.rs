//! Reports over a snapshot of an assessment, as pure functions returning bytes or text:
//! CSV, OSCAL assessment-results JSON, DOCX and PDF (all built from one `ReportView`, so
//! they agree), and the JSON export that another installation imports (`export`).
//!
//! Every answer in every report carries the citation of the paragraph it answers.

pub mod csv;
pub mod docx;
pub mod export;
pub mod oscal;
pub mod pdf;

use normwatch_core::domain::Date;

use crate::assessment::{Assessment, FurtherAction, areas_for_further_action};
use crate::framework::{Framework, MaturityScale, Question};
use crate::workflow::{CommentKind, Item, Member, Timestamp};

/// What goes into a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportOptions {
    /// Leave out people: members, assignees, who answered and reviewed, comment authors.
    pub omit_names: bool,
    /// Only these sections (ids), in the framework's order; `None` for all.
    pub sections: Option<Vec<String>>,
    /// Include the review comments and discussion.
    pub include_comments: bool,
    /// The day the report is made, for "actions due" and "overdue".
    pub as_of: Date,
    /// List planned actions not done that fall due by this day.
    pub actions_due_by: Date,
    /// When the report is made (written into the documents' metadata).
    pub generated_at: Timestamp,
}

impl ReportOptions {
    /// Everything, as of the given moment; actions due within a year.
    pub fn full(generated_at: Timestamp) -> ReportOptions {
        let as_of = generated_at.date();
        let year = Date::from_ymd(as_of.year() + 1, 12, 31).unwrap_or(as_of);
        ReportOptions {
            omit_names: false,
            sections: None,
            include_comments: true,
            as_of,
            actions_due_by: year,
            generated_at,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("the assessment answers framework `{found}` version {version}, not the framework `{given}` given")]
    WrongFramework { found: String, version: String, given: String },
    #[error("the framework has no section `{0}`")]
    UnknownSection(String),
    #[error("the maturity scale `{scale}` is not the framework's (`{expected}`)")]
    WrongScale { scale: String, expected: String },
    #[error("could not write the {format} report: {message}")]
    Write { format: &'static str, message: String },
}

/// One question and its answer, as reported.
#[derive(Clone, Debug)]
pub struct Row<'a> {
    pub question: &'a Question,
    pub item: &'a Item,
    /// The item's comments, if the options include them.
    pub comments: Vec<ReportComment>,
}

/// A comment as reported: no author when names are left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportComment {
    pub author: Option<String>,
    pub at: Timestamp,
    pub kind: CommentKind,
    pub text: String,
}

impl ReportComment {
    pub fn line(&self) -> String {
        let kind = match self.kind {
            CommentKind::Discussion => "comment",
            CommentKind::Accepted => "accepted",
            CommentKind::SentBack => "sent back",
            CommentKind::Reopened => "reopened",
        };
        match &self.author {
            Some(author) => format!("{} {kind} by {author}: {}", self.at, self.text),
            None => format!("{} {kind}: {}", self.at, self.text),
        }
    }
}

impl Row<'_> {
    /// The citation every answer carries: `A/RES/64/211, annex, item 5 (b)`.
    pub fn citation(&self) -> &str {
        &self.question.citation.paragraph
    }

    pub fn maturity_label(&self, scale: &MaturityScale) -> String {
        match self.item.answer.maturity.and_then(|m| scale.stage(m)) {
            Some(stage) => format!("{} – {}", stage.level, stage.name),
            None => String::new(),
        }
    }

    /// The assignee's address, unless names are left out.
    pub fn assignee(&self, options: &ReportOptions) -> String {
        match (&self.item.assignee, options.omit_names) {
            (Some(user), false) => user.to_string(),
            _ => String::new(),
        }
    }
}

/// A section and its rows, in the framework's order.
#[derive(Clone, Debug)]
pub struct SectionView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub rows: Vec<Row<'a>>,
}

/// What every report is drawn from: the selected sections and questions, with the options.
#[derive(Clone, Debug)]
pub struct ReportView<'a> {
    pub assessment: &'a Assessment,
    pub framework: &'a Framework,
    pub scale: &'a MaturityScale,
    pub options: &'a ReportOptions,
    pub sections: Vec<SectionView<'a>>,
    /// Members, or none when names are left out.
    pub members: Vec<&'a Member>,
    pub further_action: FurtherAction,
}

impl<'a> ReportView<'a> {
    pub fn new(
        assessment: &'a Assessment,
        framework: &'a Framework,
        scale: &'a MaturityScale,
        options: &'a ReportOptions,
    ) -> Result<ReportView<'a>, ReportError> {
        if assessment.framework.id != framework.id {
            return Err(ReportError::WrongFramework {
                found: assessment.framework.id.clone(),
                version: assessment.framework.version.clone(),
                given: framework.id.clone(),
            });
        }
        if scale.id != framework.maturity {
            return Err(ReportError::WrongScale { scale: scale.id.clone(), expected: framework.maturity.clone() });
        }
        if let Some(wanted) = &options.sections
            && let Some(unknown) = wanted.iter().find(|s| framework.section(s).is_none())
        {
            return Err(ReportError::UnknownSection(unknown.clone()));
        }
        let included = |id: &str| options.sections.as_ref().is_none_or(|w| w.iter().any(|s| s == id));
        let mut sections = Vec::new();
        for section in framework.sections.iter().filter(|s| included(&s.id)) {
            let rows = framework
                .questions_in(&section.id)
                .filter_map(|question| {
                    let item = assessment.item(&question.id)?;
                    let comments = if options.include_comments {
                        item.comments
                            .iter()
                            .map(|c| ReportComment {
                                author: (!options.omit_names).then(|| c.author.to_string()),
                                at: c.at,
                                kind: c.kind,
                                text: c.text.clone(),
                            })
                            .collect()
                    } else {
                        Vec::new()
                    };
                    Some(Row { question, item, comments })
                })
                .collect();
            sections.push(SectionView { id: &section.id, title: &section.title, rows });
        }
        let mut further_action = areas_for_further_action(assessment, framework, options.as_of, options.actions_due_by);
        further_action.sections.retain(|s| included(&s.section));
        further_action.actions_due.retain(|a| framework.question(&a.question).is_some_and(|q| included(&q.section)));
        let members = if options.omit_names { Vec::new() } else { assessment.members.iter().collect() };
        Ok(ReportView { assessment, framework, scale, options, sections, members, further_action })
    }

    pub fn rows(&self) -> impl Iterator<Item = &Row<'a>> {
        self.sections.iter().flat_map(|s| s.rows.iter())
    }

    /// The line under the title: the framework, its document and version.
    pub fn subtitle(&self) -> String {
        format!(
            "{} ({}, {}), framework version {}",
            self.framework.title, self.framework.document, self.framework.part, self.assessment.framework.version
        )
    }

    /// Where the question texts were copied from.
    pub fn text_source(&self) -> String {
        format!(
            "Question texts copied verbatim from {}, {}.",
            self.framework.copied_from.file, self.framework.copied_from.section
        )
    }
}

/// Evidence as one line of text.
pub fn evidence_line(evidence: &crate::evidence::Evidence) -> String {
    match evidence {
        crate::evidence::Evidence::Link { url, title } if title.is_empty() => url.clone(),
        crate::evidence::Evidence::Link { url, title } => format!("{title} <{url}>"),
        crate::evidence::Evidence::File { name, content_type, size, .. } => {
            format!("{name} ({content_type}, {size} bytes)")
        }
    }
}

/// A planned action as one line of text.
pub fn action_line(action: &crate::workflow::PlannedAction) -> String {
    let owner = action.owner.as_deref().map(|o| format!(", {o}")).unwrap_or_default();
    let done = if action.done { ", done" } else { "" };
    format!("{} (due {}{owner}{done})", action.description, action.due)
}
