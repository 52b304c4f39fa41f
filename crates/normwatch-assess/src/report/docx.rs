//! The report as an editable Word document (DOCX), for the team to revise and circulate.

use docx_rs::{BreakType, Docx, Paragraph, Run, Style, StyleType};

use super::{ReportError, ReportView, Row, action_line, evidence_line};

/// Text fit for XML: characters XML 1.0 cannot hold are dropped.
pub(crate) fn clean(text: &str) -> String {
    text.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect()
}

/// A run holding `text`, its line breaks kept as breaks.
fn run(text: &str) -> Run {
    let mut run = Run::new();
    for (i, line) in clean(text).split('\n').enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(line);
    }
    run
}

fn labelled(label: &str, text: &str) -> Paragraph {
    Paragraph::new().add_run(run(&format!("{label}: ")).bold()).add_run(run(text))
}

fn heading(level: u8, text: &str) -> Paragraph {
    Paragraph::new().style(&format!("Heading{level}")).add_run(run(text))
}

fn question(doc: Docx, view: &ReportView<'_>, row: &Row<'_>) -> Docx {
    let q = row.question;
    let answer = &row.item.answer;
    let title = match &q.heading {
        Some(h) => format!("{} – {h}", row.citation()),
        None => row.citation().to_string(),
    };
    let mut doc = doc.add_paragraph(heading(3, &title));
    if let Some(stem) = &q.stem {
        doc = doc.add_paragraph(Paragraph::new().add_run(run(stem).italic()));
    }
    doc = doc.add_paragraph(Paragraph::new().style("Quote").add_run(run(&q.prompt).italic()));
    let answered = row.item.is_answered() || !answer.narrative.is_empty();
    doc = doc.add_paragraph(labelled("Workflow", row.item.state.as_str()));
    if answered {
        doc = doc.add_paragraph(labelled("Status", answer.status.label()));
        let maturity = row.maturity_label(view.scale);
        if !maturity.is_empty() {
            doc = doc.add_paragraph(labelled("Maturity", &maturity));
        }
        doc = doc.add_paragraph(labelled("Answer", &answer.narrative));
    } else {
        doc = doc.add_paragraph(labelled("Answer", "not yet answered"));
    }
    if let Some(agency) = &answer.owner_agency {
        doc = doc.add_paragraph(labelled("Owner agency", agency));
    }
    for evidence in &answer.evidence {
        doc = doc.add_paragraph(labelled("Evidence", &evidence_line(evidence)));
    }
    for action in &answer.actions {
        doc = doc.add_paragraph(labelled("Planned action", &action_line(action)));
    }
    let assignee = row.assignee(view.options);
    if !assignee.is_empty() {
        doc = doc.add_paragraph(labelled("Assigned to", &assignee));
    }
    for comment in &row.comments {
        doc = doc.add_paragraph(labelled("Comment", &comment.line()));
    }
    doc
}

pub fn render(view: &ReportView<'_>) -> Result<Vec<u8>, ReportError> {
    let a = view.assessment;
    let stamp = view.options.generated_at.to_string();
    let mut doc = Docx::new()
        .add_style(Style::new("Heading1", StyleType::Paragraph).name("Heading 1").size(32).bold())
        .add_style(Style::new("Heading2", StyleType::Paragraph).name("Heading 2").size(28).bold())
        .add_style(Style::new("Heading3", StyleType::Paragraph).name("Heading 3").size(24).bold())
        .add_style(Style::new("Quote", StyleType::Paragraph).name("Quote").italic())
        .created_at(&stamp)
        .updated_at(&stamp)
        .add_paragraph(heading(1, &a.title))
        .add_paragraph(Paragraph::new().add_run(run(&view.subtitle())))
        .add_paragraph(Paragraph::new().add_run(run(&format!(
            "Report of {}. {}",
            view.options.as_of,
            view.text_source()
        ))));
    if let Some(mandate) = &view.framework.mandate {
        doc = doc.add_paragraph(Paragraph::new().style("Quote").add_run(run(&mandate.text).italic()));
    }
    if !view.members.is_empty() {
        let members: Vec<String> = view.members.iter().map(|m| format!("{} ({})", m.user, m.role.as_str())).collect();
        doc = doc.add_paragraph(labelled("Team", &members.join(", ")));
    }

    doc = doc.add_paragraph(heading(2, "Areas for further action"));
    let fa = &view.further_action;
    for section in fa.sections.iter().filter(|s| !s.gaps.is_empty()) {
        let gaps: Vec<String> = section.gaps.iter().map(|g| format!("{} ({})", g.citation, g.reason.label())).collect();
        doc = doc.add_paragraph(labelled(&section.title, &gaps.join("; ")));
    }
    for due in &fa.actions_due {
        let overdue = if due.overdue { " – overdue" } else { "" };
        doc = doc.add_paragraph(labelled(&due.citation, &format!("{}{overdue}", action_line(&due.action))));
    }

    for section in &view.sections {
        doc = doc.add_paragraph(heading(2, section.title));
        for row in &section.rows {
            doc = question(doc, view, row);
        }
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| ReportError::Write { format: "DOCX", message: e.to_string() })?;
    Ok(out.into_inner())
}
