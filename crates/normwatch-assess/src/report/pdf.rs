//! The report as PDF, with the standard Helvetica faces built into every PDF reader (no font
//! file needed). Lines are wrapped with the faces' own glyph widths, as printpdf ships them.
//! The standard faces cover Windows-1252; other characters print as `?`.

use printpdf::{
    BuiltinFont, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, TextItem,
};

use super::{ReportError, ReportView, Row, action_line, evidence_line};

const PAGE_WIDTH: f32 = 210.0;
const PAGE_HEIGHT: f32 = 297.0;
const MARGIN: f32 = 20.0;
const PT_PER_MM: f32 = 72.0 / 25.4;

/// Glyph widths of one face, to wrap lines.
struct Metrics {
    font: Option<ParsedFont>,
}

impl Metrics {
    fn new(face: BuiltinFont) -> Metrics {
        let bytes = face.get_subset_font().bytes;
        Metrics { font: ParsedFont::from_bytes(&bytes, 0, &mut Vec::new()) }
    }

    /// The width of `text` at `size` points, in millimetres. Unknown glyphs count as wide.
    fn width(&self, text: &str, size: f32) -> f32 {
        let em: f32 = match &self.font {
            Some(font) => {
                let units = f32::from(font.pdf_font_metrics.units_per_em.max(1));
                text.chars()
                    .map(|c| {
                        font.lookup_glyph_index(c as u32)
                            .and_then(|g| font.get_glyph_width(g))
                            .map_or(0.7, |w| f32::from(w) / units)
                    })
                    .sum()
            }
            None => text.chars().count() as f32 * 0.7,
        };
        em * size / PT_PER_MM
    }
}

#[derive(Clone, Copy)]
enum Face {
    Regular,
    Bold,
    Italic,
}

impl Face {
    fn builtin(self) -> BuiltinFont {
        match self {
            Face::Regular => BuiltinFont::Helvetica,
            Face::Bold => BuiltinFont::HelveticaBold,
            Face::Italic => BuiltinFont::HelveticaOblique,
        }
    }
}

/// Lays text out top to bottom, opening pages as needed.
struct Layout {
    pages: Vec<Vec<Op>>,
    y: f32,
    regular: Metrics,
    bold: Metrics,
    footer: String,
}

impl Layout {
    fn new(footer: String) -> Layout {
        let mut layout = Layout {
            pages: Vec::new(),
            y: 0.0,
            regular: Metrics::new(BuiltinFont::Helvetica),
            bold: Metrics::new(BuiltinFont::HelveticaBold),
            footer,
        };
        layout.new_page();
        layout
    }

    fn new_page(&mut self) {
        let number = self.pages.len() + 1;
        let footer = format!("{} – page {number}", self.footer);
        self.pages.push(Vec::new());
        self.y = MARGIN / 2.0;
        self.put(&footer, Face::Regular, 8.0, MARGIN);
        self.y = PAGE_HEIGHT - MARGIN;
    }

    fn put(&mut self, text: &str, face: Face, size: f32, x: f32) {
        let page = self.pages.last_mut().expect("a page is open");
        page.push(Op::StartTextSection);
        page.push(Op::SetTextCursor { pos: Point::new(Mm(x), Mm(self.y)) });
        page.push(Op::SetFont { font: PdfFontHandle::Builtin(face.builtin()), size: Pt(size) });
        page.push(Op::ShowText { items: vec![TextItem::Text(text.to_string())] });
        page.push(Op::EndTextSection);
    }

    fn metrics(&self, face: Face) -> &Metrics {
        match face {
            Face::Bold => &self.bold,
            Face::Regular | Face::Italic => &self.regular,
        }
    }

    /// Splits `text` into lines no wider than `width` mm.
    fn wrap(&self, text: &str, face: Face, size: f32, width: f32) -> Vec<String> {
        let metrics = self.metrics(face);
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
                if metrics.width(&candidate, size) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word longer than the line is cut.
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if metrics.width(&piece, size) > width && piece.chars().count() > 1 {
                        let last = piece.pop().expect("a character");
                        lines.push(std::mem::take(&mut piece));
                        piece.push(last);
                    }
                }
                line = piece;
            }
            lines.push(line);
        }
        lines
    }

    fn text(&mut self, text: &str, face: Face, size: f32, indent: f32) {
        let width = PAGE_WIDTH - 2.0 * MARGIN - indent;
        let line_height = size * 1.35 / PT_PER_MM;
        for line in self.wrap(&super::docx::clean(text), face, size, width) {
            if self.y - line_height < MARGIN {
                self.new_page();
            }
            self.y -= line_height;
            if !line.is_empty() {
                self.put(&line, face, size, MARGIN + indent);
            }
        }
    }

    fn gap(&mut self, mm: f32) {
        self.y -= mm;
    }

    fn labelled(&mut self, label: &str, text: &str) {
        self.text(&format!("{label}: {text}"), Face::Regular, 10.0, 4.0);
    }
}

fn question(layout: &mut Layout, view: &ReportView<'_>, row: &Row<'_>) {
    let q = row.question;
    let answer = &row.item.answer;
    layout.gap(2.0);
    let title = match &q.heading {
        Some(h) => format!("{} – {h}", row.citation()),
        None => row.citation().to_string(),
    };
    layout.text(&title, Face::Bold, 11.0, 0.0);
    if let Some(stem) = &q.stem {
        layout.text(stem, Face::Italic, 9.0, 4.0);
    }
    layout.text(&q.prompt, Face::Italic, 10.0, 4.0);
    layout.labelled("Workflow", row.item.state.as_str());
    if row.item.is_answered() || !answer.narrative.is_empty() {
        layout.labelled("Status", answer.status.label());
        let maturity = row.maturity_label(view.scale);
        if !maturity.is_empty() {
            layout.labelled("Maturity", &maturity);
        }
        layout.labelled("Answer", &answer.narrative);
    } else {
        layout.labelled("Answer", "not yet answered");
    }
    if let Some(agency) = &answer.owner_agency {
        layout.labelled("Owner agency", agency);
    }
    for evidence in &answer.evidence {
        layout.labelled("Evidence", &evidence_line(evidence));
    }
    for action in &answer.actions {
        layout.labelled("Planned action", &action_line(action));
    }
    let assignee = row.assignee(view.options);
    if !assignee.is_empty() {
        layout.labelled("Assigned to", &assignee);
    }
    for comment in &row.comments {
        layout.labelled("Comment", &comment.line());
    }
}

pub fn render(view: &ReportView<'_>) -> Result<Vec<u8>, ReportError> {
    let a = view.assessment;
    let mut layout = Layout::new(format!("{} – {}", a.title, view.framework.document));
    layout.text(&a.title, Face::Bold, 16.0, 0.0);
    layout.text(&view.subtitle(), Face::Regular, 10.0, 0.0);
    layout.text(&format!("Report of {}. {}", view.options.as_of, view.text_source()), Face::Regular, 9.0, 0.0);
    if let Some(mandate) = &view.framework.mandate {
        layout.gap(2.0);
        layout.text(&mandate.text, Face::Italic, 9.0, 4.0);
    }
    if !view.members.is_empty() {
        let members: Vec<String> = view.members.iter().map(|m| format!("{} ({})", m.user, m.role.as_str())).collect();
        layout.gap(2.0);
        layout.text(&format!("Team: {}", members.join(", ")), Face::Regular, 9.0, 0.0);
    }

    layout.gap(4.0);
    layout.text("Areas for further action", Face::Bold, 13.0, 0.0);
    let fa = &view.further_action;
    for section in fa.sections.iter().filter(|s| !s.gaps.is_empty()) {
        let gaps: Vec<String> = section.gaps.iter().map(|g| format!("{} ({})", g.citation, g.reason.label())).collect();
        layout.labelled(&section.title, &gaps.join("; "));
    }
    for due in &fa.actions_due {
        let overdue = if due.overdue { " – overdue" } else { "" };
        layout.labelled(&due.citation, &format!("{}{overdue}", action_line(&due.action)));
    }

    for section in &view.sections {
        layout.gap(4.0);
        layout.text(section.title, Face::Bold, 13.0, 0.0);
        for row in &section.rows {
            question(&mut layout, view, row);
        }
    }

    let mut doc = PdfDocument::new(&a.title);
    if let Ok(t) = printpdf::OffsetDateTime::from_unix_timestamp(view.options.generated_at.unix()) {
        doc.metadata.info.creation_date = t;
        doc.metadata.info.modification_date = t;
        doc.metadata.info.metadata_date = t;
    }
    doc.metadata.info.creator = "normwatch".to_string();
    doc.metadata.info.producer = "normwatch (printpdf)".to_string();
    let pages = layout.pages.into_iter().map(|ops| PdfPage::new(Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), ops)).collect();
    doc.with_pages(pages);
    Ok(doc.save(&PdfSaveOptions::default(), &mut Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_wrapped_with_the_faces_own_widths() {
        let regular = Metrics::new(BuiltinFont::Helvetica);
        assert!(regular.font.is_some(), "printpdf's Helvetica metrics parse");
        assert!(regular.width("W", 10.0) > 2.0 * regular.width("i", 10.0));
        // Helvetica's "M" is about 0.83 em wide: at 12 pt, about 10 pt or 3.5 mm.
        let m = regular.width("M", 12.0);
        assert!((m - 3.53).abs() < 0.2, "{m}");
        let layout = Layout::new("test".into());
        let text = "Identify networks and processes of international cooperation that may enhance incident response and contingency planning, identifying partners and arrangements for bilateral and multilateral cooperation, where appropriate.";
        let width = PAGE_WIDTH - 2.0 * MARGIN;
        let lines = layout.wrap(text, Face::Regular, 10.0, width);
        assert!(lines.len() >= 2);
        assert_eq!(lines.join(" "), text);
        for line in &lines {
            assert!(layout.regular.width(line, 10.0) <= width, "{line}");
        }
        let long = "x".repeat(400);
        let cut = layout.wrap(&long, Face::Bold, 10.0, width);
        assert_eq!(cut.concat(), long);
        assert!(cut.iter().all(|l| layout.bold.width(l, 10.0) <= width));
    }
}
