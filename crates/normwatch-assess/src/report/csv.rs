//! One row per question, for spreadsheets: the citation first, then the question and answer.

use super::{ReportError, ReportView, action_line, evidence_line};

/// The header row. Column names are an interface: add, never rename.
pub const COLUMNS: [&str; 17] = [
    "citation",
    "framework",
    "framework_version",
    "section",
    "question",
    "number",
    "prompt",
    "workflow",
    "status",
    "maturity",
    "maturity_stage",
    "answer",
    "owner_agency",
    "evidence",
    "planned_actions",
    "assignee",
    "comments",
];

pub fn render(view: &ReportView<'_>) -> Result<Vec<u8>, ReportError> {
    let error = |e: ::csv::Error| ReportError::Write { format: "CSV", message: e.to_string() };
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS).map_err(error)?;
    for section in &view.sections {
        for row in &section.rows {
            let answer = &row.item.answer;
            let answered = row.item.is_answered() || !answer.narrative.is_empty();
            let prompt = match &row.question.stem {
                Some(stem) => format!("{stem} {}", row.question.prompt),
                None => row.question.prompt.clone(),
            };
            let record = [
                row.citation().to_string(),
                view.framework.id.clone(),
                view.assessment.framework.version.clone(),
                section.title.to_string(),
                row.question.id.clone(),
                row.question.number.clone(),
                prompt,
                row.item.state.as_str().to_string(),
                if answered { answer.status.as_str().to_string() } else { String::new() },
                answer.maturity.map(|m| m.to_string()).unwrap_or_default(),
                row.maturity_label(view.scale),
                answer.narrative.clone(),
                answer.owner_agency.clone().unwrap_or_default(),
                answer.evidence.iter().map(evidence_line).collect::<Vec<_>>().join("\n"),
                answer.actions.iter().map(action_line).collect::<Vec<_>>().join("\n"),
                row.assignee(view.options),
                row.comments.iter().map(|c| c.line()).collect::<Vec<_>>().join("\n"),
            ];
            writer.write_record(record.iter().map(|cell| neutralise(cell).into_owned())).map_err(error)?;
        }
    }
    writer.into_inner().map_err(|e| ReportError::Write { format: "CSV", message: e.to_string() })
}

/// A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, carriage return
/// first) is prefixed with an apostrophe, so that opening the file runs nothing.
fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}
