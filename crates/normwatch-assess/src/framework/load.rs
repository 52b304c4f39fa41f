//! Reading and validating framework and scale files from their text.
//!
//! Like the knowledge-base loader, this takes file contents rather than paths, reports every
//! problem at once with file, line and column, and builds nothing unless all files are valid.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::ops::Range;

use normwatch_core::Symbol;
use normwatch_core::domain::Date;
use toml::Spanned;

use super::format::{RawBasis, RawFile, RawFramework, RawLink, RawPassage, RawScale, RawSection, RawStage};
use super::{
    Catalog, Citation, CopiedFrom, Framework, Link, LinkBasis, LinkTarget, MaturityScale, Passage, Question,
    ScaleSource, Section, Stage,
};

/// The only file format this loader reads (`format = 1` at the top of each file).
pub const FORMAT_VERSION: i64 = 1;

/// One framework or scale file: its name (relative to `frameworks/`, or as the user gave
/// it), its text, and whether it ships with normwatch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameworkFile {
    pub path: String,
    pub text: String,
    pub builtin: bool,
}

/// The built-in files, compiled in from `frameworks/` at the repository root.
pub fn builtin_files() -> Vec<FrameworkFile> {
    const FILES: [(&str, &str); 4] = [
        ("maturity.toml", include_str!("../../../../frameworks/maturity.toml")),
        ("64-211.toml", include_str!("../../../../frameworks/64-211.toml")),
        ("57-239.toml", include_str!("../../../../frameworks/57-239.toml")),
        ("58-199.toml", include_str!("../../../../frameworks/58-199.toml")),
    ];
    FILES
        .iter()
        .map(|(path, text)| FrameworkFile { path: path.to_string(), text: text.to_string(), builtin: true })
        .collect()
}

/// The built-in files and the user's, validated together (a user file may link to and
/// rate on the built-in ones, and may not reuse their ids).
pub fn load_with_builtin(user: &[FrameworkFile]) -> Result<Catalog, FrameworkErrors> {
    let mut files = builtin_files();
    files.extend(user.iter().map(|f| FrameworkFile { builtin: false, ..f.clone() }));
    load(&files)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameworkError {
    pub file: String,
    /// 1-based; 0 when the error concerns the file as a whole.
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl fmt::Display for FrameworkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
    }
}

/// Every problem found in a set of framework files.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct FrameworkErrors(pub Vec<FrameworkError>);

impl fmt::Display for FrameworkErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(f, "the framework files have {n} error{}:", if n == 1 { "" } else { "s" })?;
        for error in &self.0 {
            writeln!(f, "  {error}")?;
        }
        Ok(())
    }
}

/// Ids of frameworks, sections and scales: lower-case ASCII letters, digits and hyphens,
/// starting with a letter or digit.
pub(super) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
}

/// Byte offsets of line starts, to turn spans into line and column.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Lines {
        Lines(std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect())
    }

    fn position(&self, text: &str, offset: usize) -> (u32, u32) {
        let line = self.0.partition_point(|&start| start <= offset).max(1);
        let start = self.0[line - 1];
        let column = text.get(start..offset.min(text.len())).map_or(1, |s| s.chars().count() + 1);
        (line as u32, column as u32)
    }
}

struct Ctx<'a> {
    file: &'a FrameworkFile,
    lines: Lines,
}

impl Ctx<'_> {
    fn error(&self, span: Range<usize>, message: impl Into<String>) -> FrameworkError {
        let (line, column) = self.lines.position(&self.file.text, span.start);
        FrameworkError { file: self.file.path.clone(), line, column, message: message.into() }
    }
}

/// A link waiting for every framework to be known.
struct PendingLink {
    file: usize,
    span: Range<usize>,
    target: LinkTarget,
}

/// Validates and assembles a catalog from framework and scale files.
pub fn load(files: &[FrameworkFile]) -> Result<Catalog, FrameworkErrors> {
    let mut errors = Vec::new();
    let contexts: Vec<Ctx<'_>> = files.iter().map(|file| Ctx { file, lines: Lines::new(&file.text) }).collect();

    let mut paths = BTreeSet::new();
    let mut parsed: Vec<(usize, RawFile)> = Vec::new();
    for (index, ctx) in contexts.iter().enumerate() {
        if !paths.insert(ctx.file.path.as_str()) {
            errors.push(ctx.error(0..0, "a file of this name is already loaded"));
            continue;
        }
        match toml::from_str::<RawFile>(&ctx.file.text) {
            Ok(raw) => parsed.push((index, raw)),
            Err(e) => errors.push(ctx.error(e.span().unwrap_or(0..0), e.message().trim().to_string())),
        }
    }

    // Scales first: frameworks name the scale they use.
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut scales = Vec::new();
    let mut framework_raws = Vec::new();
    for (index, raw) in parsed {
        let ctx = &contexts[index];
        if *raw.format.get_ref() != FORMAT_VERSION {
            errors.push(ctx.error(
                raw.format.span(),
                format!("format {} is not known; this version reads format {FORMAT_VERSION}", raw.format.get_ref()),
            ));
            continue;
        }
        match (raw.framework, raw.scale) {
            (Some(framework), None) => {
                if let Some(stage) = raw.stage.first() {
                    errors.push(
                        ctx.error(
                            stage.span(),
                            "a framework file has no `[[stage]]`; scales go in a file of their own",
                        ),
                    );
                }
                framework_raws.push((index, framework, raw.section));
            }
            (None, Some(scale)) => {
                if let Some(section) = raw.section.first() {
                    errors.push(ctx.error(section.id.span(), "a scale file has no `[[section]]`"));
                }
                if let Some(scale) = lower_scale(ctx, scale, raw.stage, &mut ids, &mut errors) {
                    scales.push(scale);
                }
            }
            (Some(framework), Some(_)) => {
                errors.push(ctx.error(framework.span(), "a file holds either a `[framework]` or a `[scale]`, not both"))
            }
            (None, None) => errors.push(ctx.error(0..0, "the file has neither a `[framework]` nor a `[scale]` table")),
        }
    }

    let mut frameworks = Vec::new();
    let mut pending = Vec::new();
    for (index, raw, sections) in framework_raws {
        let ctx = &contexts[index];
        if let Some(framework) =
            lower_framework(ctx, index, raw, sections, &scales, &mut ids, &mut pending, &mut errors)
        {
            frameworks.push(framework);
        }
    }

    for link in pending {
        let ctx = &contexts[link.file];
        match frameworks.iter().find(|f: &&Framework| f.id == link.target.framework) {
            None => errors.push(ctx.error(link.span, format!("`{}` is not a loaded framework", link.target.framework))),
            Some(framework) => {
                if let Some(q) = &link.target.question
                    && framework.question(q).is_none()
                {
                    let known: Vec<&str> = framework.questions.iter().map(|q| q.id.as_str()).collect();
                    errors.push(ctx.error(
                        link.span,
                        format!("framework `{}` has no question `{q}`; it has: {}", framework.id, known.join(", ")),
                    ));
                }
            }
        }
    }

    if errors.is_empty() {
        Ok(Catalog { frameworks, scales, files: files.to_vec() })
    } else {
        errors.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        errors.dedup();
        Err(FrameworkErrors(errors))
    }
}

/// A required text: trimmed, not empty.
fn text(ctx: &Ctx<'_>, field: &str, value: Spanned<String>, errors: &mut Vec<FrameworkError>) -> Option<String> {
    let span = value.span();
    let value = value.into_inner();
    if value.trim().is_empty() {
        errors.push(ctx.error(span, format!("`{field}` is empty")));
        None
    } else if value.trim() != value {
        errors.push(ctx.error(span, format!("`{field}` begins or ends with white space")));
        None
    } else {
        Some(value)
    }
}

fn claim_id(
    ctx: &Ctx<'_>,
    what: &str,
    id: Spanned<String>,
    ids: &mut HashMap<String, String>,
    errors: &mut Vec<FrameworkError>,
) -> Option<String> {
    let span = id.span();
    let id = id.into_inner();
    if !valid_id(&id) {
        errors.push(ctx.error(span, format!("`{id}` is not a valid {what} id (lower-case letters, digits, hyphens)")));
        return None;
    }
    if let Some(other) = ids.get(&id) {
        errors.push(ctx.error(span, format!("`{id}` is already defined in {other}")));
        return None;
    }
    ids.insert(id.clone(), ctx.file.path.clone());
    Some(id)
}

fn lower_scale(
    ctx: &Ctx<'_>,
    raw: Spanned<RawScale>,
    stages: Vec<Spanned<RawStage>>,
    ids: &mut HashMap<String, String>,
    errors: &mut Vec<FrameworkError>,
) -> Option<MaturityScale> {
    let before = errors.len();
    let scale_span = raw.span();
    let raw = raw.into_inner();
    let id = claim_id(ctx, "scale", raw.id, ids, errors);
    let version = text(ctx, "version", raw.version, errors);
    let title = text(ctx, "title", raw.title, errors);
    let source_span = raw.source.span();
    let source = raw.source.into_inner();
    let address = text(ctx, "address", source.address, errors);
    if let Some(a) = &address
        && !(a.starts_with("https://") || a.starts_with("http://"))
    {
        errors.push(ctx.error(source_span.clone(), "`address` is not an http(s) address"));
    }
    let retrieved_span = source.retrieved.span();
    let retrieved = match source.retrieved.get_ref().parse::<Date>() {
        Ok(d) => Some(d),
        Err(e) => {
            errors.push(ctx.error(retrieved_span, e.to_string()));
            None
        }
    };
    let says = text(ctx, "says", source.says, errors);

    if stages.is_empty() {
        errors.push(ctx.error(scale_span, "a scale has at least one `[[stage]]`"));
    }
    let mut lowered = Vec::new();
    for (position, stage) in stages.into_iter().enumerate() {
        let span = stage.span();
        let stage = stage.into_inner();
        let expected = position as i64 + 1;
        if *stage.level.get_ref() != expected {
            errors.push(ctx.error(
                stage.level.span(),
                format!("stage levels count 1, 2, 3, … in order; expected {expected}, found {}", stage.level.get_ref()),
            ));
            continue;
        }
        if expected > 10 {
            errors.push(ctx.error(span, "a scale has at most 10 stages"));
            continue;
        }
        let name = text(ctx, "name", stage.name, errors);
        let summary = text(ctx, "summary", stage.summary, errors);
        let anchors_span = stage.anchors.span();
        let anchors = stage.anchors.into_inner();
        if anchors.is_empty() || anchors.iter().any(|a| a.trim().is_empty()) {
            errors.push(ctx.error(anchors_span, "`anchors` lists at least one anchor, none of them empty"));
        }
        if let (Some(name), Some(summary)) = (name, summary) {
            lowered.push(Stage { level: expected as u8, name, summary, anchors });
        }
    }
    if errors.len() > before {
        return None;
    }
    Some(MaturityScale {
        id: id?,
        version: version?,
        title: title?,
        source: ScaleSource { address: address?, retrieved: retrieved?, says: says?, unverified: source.unverified },
        stages: lowered,
        builtin: ctx.file.builtin,
        file: ctx.file.path.clone(),
    })
}

fn copied_from(
    ctx: &Ctx<'_>,
    raw: Spanned<super::format::RawCopiedFrom>,
    errors: &mut Vec<FrameworkError>,
) -> Option<CopiedFrom> {
    let span = raw.span();
    let raw = raw.into_inner();
    if raw.file.trim().is_empty() || raw.section.trim().is_empty() {
        errors.push(ctx.error(span, "`copied_from` names the `file` and the `section` the text was copied from"));
        return None;
    }
    Some(raw.into_model())
}

fn passage(
    ctx: &Ctx<'_>,
    field: &str,
    raw: Option<RawPassage>,
    default: &Option<CopiedFrom>,
    errors: &mut Vec<FrameworkError>,
) -> Option<Passage> {
    let raw = raw?;
    let text = text(ctx, field, raw.text, errors)?;
    let copied_from = match raw.copied_from {
        Some(c) => copied_from(ctx, c, errors)?,
        None => default.clone()?,
    };
    Some(Passage { text, copied_from, note: raw.note })
}

/// The letters and digits of a label: `(a)` gives `a`, `5` gives `5`.
fn label_id(label: &str) -> String {
    label.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase()
}

#[allow(clippy::too_many_arguments)]
fn lower_framework(
    ctx: &Ctx<'_>,
    file_index: usize,
    raw: Spanned<RawFramework>,
    sections: Vec<RawSection>,
    scales: &[MaturityScale],
    ids: &mut HashMap<String, String>,
    pending: &mut Vec<PendingLink>,
    errors: &mut Vec<FrameworkError>,
) -> Option<Framework> {
    let before = errors.len();
    let framework_span = raw.span();
    let raw = raw.into_inner();
    let id = claim_id(ctx, "framework", raw.id, ids, errors);
    let version = text(ctx, "version", raw.version, errors);
    let title = text(ctx, "title", raw.title, errors);
    let document_span = raw.document.span();
    let document = match Symbol::parse(raw.document.get_ref()) {
        Ok(symbol) => Some(symbol),
        Err(e) => {
            errors.push(ctx.error(document_span, format!("`document`: {e}")));
            None
        }
    };
    let part = text(ctx, "part", raw.part, errors);
    let unit = text(ctx, "unit", raw.unit, errors);
    let maturity_span = raw.maturity.span();
    let maturity = raw.maturity.into_inner();
    if !scales.iter().any(|s| s.id == maturity) {
        let known: Vec<&str> = scales.iter().map(|s| s.id.as_str()).collect();
        errors.push(
            ctx.error(
                maturity_span,
                format!("`{maturity}` is not a loaded maturity scale; known: {}", known.join(", ")),
            ),
        );
    }
    let copied = copied_from(ctx, raw.copied_from, errors);
    let mandate = passage(ctx, "mandate.text", raw.mandate, &copied, errors);
    let introduction = passage(ctx, "introduction.text", raw.introduction, &copied, errors);
    let note = passage(ctx, "note.text", raw.note, &copied, errors);

    if sections.is_empty() {
        errors.push(ctx.error(framework_span, "a framework has at least one `[[section]]`"));
    }
    let mut lowered_sections: Vec<Section> = Vec::new();
    let mut questions: Vec<Question> = Vec::new();
    let mut question_spans: HashMap<String, Range<usize>> = HashMap::new();
    let mut links_here = Vec::new();
    for section in sections {
        let section_span = section.id.span();
        let section_id = section.id.into_inner();
        if !valid_id(&section_id) {
            errors.push(ctx.error(section_span.clone(), format!("`{section_id}` is not a valid section id")));
        } else if lowered_sections.iter().any(|s| s.id == section_id) {
            errors.push(ctx.error(section_span.clone(), format!("section `{section_id}` is defined twice")));
        }
        let section_title = text(ctx, "title", section.title, errors);
        if section.item.is_empty() {
            errors.push(ctx.error(section_span, format!("section `{section_id}` has no `[[section.item]]`")));
        }
        for item in section.item {
            let label_span = item.label.span();
            let label = text(ctx, "label", item.label, errors);
            let heading = item.heading.and_then(|h| text(ctx, "heading", h, errors));
            let item_text = text(ctx, "text", item.text, errors);
            let (Some(label), Some(item_text)) = (label, item_text) else { continue };
            let item_id = label_id(&label);
            if item_id.is_empty() {
                errors.push(ctx.error(label_span.clone(), format!("label `{label}` has no letter or digit")));
                continue;
            }
            let item_links = lower_links(ctx, file_index, item.link, &item_text, errors, &mut links_here);
            let mut add = |q: Question, span: Range<usize>, errors: &mut Vec<FrameworkError>| {
                if let Some(first) = question_spans.get(&q.id) {
                    let (line, _) = ctx.lines.position(&ctx.file.text, first.start);
                    errors.push(ctx.error(span, format!("question `{}` is already defined on line {line}", q.id)));
                } else {
                    question_spans.insert(q.id.clone(), span);
                    questions.push(q);
                }
            };
            // Without a valid document, part, unit or copy the framework is refused (the
            // errors are already recorded), so its questions are not built.
            let cite = |number: &str| -> Option<Citation> {
                Some(Citation {
                    paragraph: format!("{}, {}, {} {number}", document.as_ref()?, part.as_ref()?, unit.as_ref()?),
                    document: document.clone()?,
                    copied_from: copied.clone()?,
                })
            };
            if item.sub.is_empty() {
                let Some(citation) = cite(&label) else { continue };
                let question = Question {
                    id: item_id,
                    section: section_id.clone(),
                    number: label.clone(),
                    heading,
                    stem: None,
                    prompt: item_text,
                    citation,
                    links: item_links,
                };
                add(question, label_span, errors);
            } else {
                for sub in item.sub {
                    let sub_span = sub.label.span();
                    let sub_label = text(ctx, "label", sub.label, errors);
                    let sub_text = text(ctx, "text", sub.text, errors);
                    let (Some(sub_label), Some(sub_text)) = (sub_label, sub_text) else { continue };
                    let sub_id = label_id(&sub_label);
                    if sub_id.is_empty() {
                        errors.push(ctx.error(sub_span, format!("label `{sub_label}` has no letter or digit")));
                        continue;
                    }
                    let mut links = item_links.clone();
                    let quotable = format!("{item_text} {sub_text}");
                    links.extend(lower_links(ctx, file_index, sub.link, &quotable, errors, &mut links_here));
                    let number = format!("{label} {sub_label}");
                    let Some(citation) = cite(&number) else { continue };
                    let question = Question {
                        id: format!("{item_id}{sub_id}"),
                        section: section_id.clone(),
                        number: number.clone(),
                        heading: heading.clone(),
                        stem: Some(item_text.clone()),
                        prompt: sub_text,
                        citation,
                        links,
                    };
                    add(question, sub_span, errors);
                }
            }
        }
        if let Some(title) = section_title {
            lowered_sections.push(Section { id: section_id, title });
        }
    }
    // A resolution link's paragraph is the citation of the question that makes it.
    for question in &mut questions {
        for link in &mut question.links {
            if let LinkBasis::Resolution { paragraph, .. } = &mut link.basis {
                paragraph.clone_from(&question.citation.paragraph);
            }
        }
    }
    if let Some(own) = &id {
        for link in &links_here {
            if &link.target.framework == own && link.target.question.is_none() {
                errors.push(ctx.error(link.span.clone(), "a framework does not link to itself as a whole"));
            }
        }
    }
    pending.extend(links_here);
    if errors.len() > before {
        return None;
    }
    Some(Framework {
        id: id?,
        version: version?,
        title: title?,
        document: document?,
        part: part?,
        unit: unit?,
        style: raw.style,
        maturity,
        copied_from: copied?,
        mandate,
        introduction,
        note,
        sections: lowered_sections,
        questions,
        builtin: ctx.file.builtin,
        file: ctx.file.path.clone(),
    })
}

fn lower_links(
    ctx: &Ctx<'_>,
    file_index: usize,
    raw: Vec<Spanned<RawLink>>,
    own_text: &str,
    errors: &mut Vec<FrameworkError>,
    pending: &mut Vec<PendingLink>,
) -> Vec<Link> {
    let mut links = Vec::new();
    for link in raw {
        let span = link.span();
        let link = link.into_inner();
        let to_span = link.to.span();
        let Some(target) = LinkTarget::parse(link.to.get_ref()) else {
            errors.push(ctx.error(
                to_span,
                format!("`{}` is not a link target (`FRAMEWORK` or `FRAMEWORK/QUESTION`)", link.to.get_ref()),
            ));
            continue;
        };
        let basis = match (link.basis, link.quote, link.rationale) {
            (RawBasis::Resolution, Some(quote), None) => {
                let quote_span = quote.span();
                let Some(quote) = text(ctx, "quote", quote, errors) else { continue };
                if !own_text.contains(&quote) {
                    errors.push(ctx.error(
                        quote_span,
                        "the `quote` of a resolution link must be words of the question's own text",
                    ));
                    continue;
                }
                LinkBasis::Resolution { paragraph: String::new(), quote }
            }
            (RawBasis::Curator, None, Some(rationale)) => {
                let Some(rationale) = text(ctx, "rationale", rationale, errors) else { continue };
                LinkBasis::Curator { rationale }
            }
            (RawBasis::Resolution, _, _) => {
                errors
                    .push(ctx.error(span, "a link with `basis = \"resolution\"` gives a `quote` (and no `rationale`)"));
                continue;
            }
            (RawBasis::Curator, _, _) => {
                errors.push(ctx.error(span, "a link with `basis = \"curator\"` gives a `rationale` (and no `quote`)"));
                continue;
            }
        };
        if links.iter().any(|l: &Link| l.to == target) {
            errors.push(ctx.error(to_span, format!("`{target}` is linked twice")));
            continue;
        }
        pending.push(PendingLink { file: file_index, span: to_span, target: target.clone() });
        links.push(Link { to: target, basis });
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> FrameworkFile {
        FrameworkFile { path: path.into(), text: text.into(), builtin: false }
    }

    const MINI: &str = r#"format = 1

[framework]
id = "mini"
version = "1"
title = "A small framework"
document = "A/RES/64/211"
part = "annex"
unit = "item"
style = "questionnaire"
maturity = "cmm-stages"
copied_from = { file = "001.txt", section = "Appendix" }

[[section]]
id = "one"
title = "One"

  [[section.item]]
  label = "1"
  text = "Do the first thing."

    [[section.item.link]]
    to = "58-199/4"
    basis = "curator"
    rationale = "Because."
"#;

    fn errors_of(text: &str) -> Vec<FrameworkError> {
        load_with_builtin(&[file("user/mini.toml", text)]).expect_err("the file is invalid").0
    }

    fn check_error(text: &str, line: u32, contains: &str) {
        let errors = errors_of(text);
        assert!(
            errors.iter().any(|e| e.file == "user/mini.toml" && e.line == line && e.message.contains(contains)),
            "expected `{contains}` at line {line}, got:\n{}",
            FrameworkErrors(errors.clone())
        );
    }

    #[test]
    fn the_builtin_files_load() {
        let catalog = load(&builtin_files()).unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<&str> = catalog.frameworks.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["64-211", "57-239", "58-199"]);
        assert_eq!(catalog.scales.len(), 1);
        assert_eq!(catalog.scales[0].stages.len(), 5);
    }

    #[test]
    fn the_64_211_annex_has_18_items_in_7_sections_and_item_5_four_questions() {
        let catalog = load(&builtin_files()).unwrap();
        let tool = catalog.framework("64-211").unwrap();
        assert_eq!(tool.sections.len(), 7);
        // 18 items, item 5 replaced by its four sub-items: 17 + 4 questions.
        assert_eq!(tool.questions.len(), 21);
        let five: Vec<&str> =
            tool.questions.iter().filter(|q| q.number.starts_with("5 ")).map(|q| q.id.as_str()).collect();
        assert_eq!(five, ["5a", "5b", "5c", "5d"]);
        let b = tool.question("5b").unwrap();
        assert_eq!(b.citation.paragraph, "A/RES/64/211, annex, item 5 (b)");
        assert_eq!(b.prompt, "Other government (local and regional) participants;");
        assert!(b.stem.as_deref().unwrap().starts_with("Determine key stakeholders"));
        assert_eq!(b.citation.copied_from.section, "Appendix 64/211");
        assert_eq!(catalog.framework("57-239").unwrap().questions.len(), 9);
        assert_eq!(catalog.framework("58-199").unwrap().questions.len(), 11);
        assert_eq!(
            catalog.framework("57-239").unwrap().question("f").unwrap().citation.paragraph,
            "A/RES/57/239, annex, element (f)"
        );
    }

    #[test]
    fn item_18_makes_the_only_resolution_links_and_cites_itself() {
        let catalog = load(&builtin_files()).unwrap();
        let tool = catalog.framework("64-211").unwrap();
        let mut resolution_links = Vec::new();
        for q in &tool.questions {
            for link in &q.links {
                match &link.basis {
                    LinkBasis::Resolution { paragraph, quote } => {
                        assert!(q.prompt.contains(quote.as_str()));
                        resolution_links.push((q.id.as_str(), link.to.to_string(), paragraph.clone()));
                    }
                    LinkBasis::Curator { rationale } => assert!(!rationale.is_empty()),
                }
            }
        }
        assert_eq!(
            resolution_links,
            [
                ("18", "57-239".to_string(), "A/RES/64/211, annex, item 18".to_string()),
                ("18", "58-199".to_string(), "A/RES/64/211, annex, item 18".to_string())
            ]
        );
        // Reverse view: element 9 of 58/199 is linked from the legal items, and as part of
        // 58/199 from item 18.
        let target = LinkTarget { framework: "58-199".into(), question: Some("9".into()) };
        let from: Vec<&str> = catalog.links_to(&target).iter().map(|(_, q, _)| q.id.as_str()).collect();
        assert_eq!(from, ["13", "14", "15", "17", "18"]);
    }

    #[test]
    fn a_user_framework_loads_next_to_the_builtin_ones_and_exports_as_written() {
        let catalog = load_with_builtin(&[file("user/mini.toml", MINI)]).unwrap_or_else(|e| panic!("{e}"));
        let mini = catalog.framework("mini").unwrap();
        assert!(!mini.builtin);
        assert_eq!(mini.questions[0].citation.paragraph, "A/RES/64/211, annex, item 1");
        assert_eq!(catalog.file_of("mini").unwrap().text, MINI);
        assert_eq!(catalog.file_of("64-211").unwrap().path, "64-211.toml");
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let errors = errors_of("format = 1\n[framework]\nid = \"x\nversion = 1\n");
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].file.as_str(), errors[0].line), ("user/mini.toml", 3));
        assert!(errors[0].column >= 1);
    }

    #[test]
    fn unknown_fields_and_values_name_the_line() {
        check_error(&MINI.replace("style = \"questionnaire\"", "style = \"survey\""), 10, "survey");
        check_error(&MINI.replace("part = \"annex\"", "part = \"annex\"\ncolour = \"red\""), 9, "colour");
        check_error(&MINI.replace("format = 1", "format = 2"), 1, "format 2");
    }

    #[test]
    fn semantic_errors_name_the_line() {
        check_error(&MINI.replace("A/RES/64/211", "not a symbol"), 7, "document");
        check_error(&MINI.replace("cmm-stages", "stars"), 11, "not a loaded maturity scale");
        check_error(&MINI.replace("58-199/4", "58-199/99"), 23, "no question `99`");
        check_error(&MINI.replace("58-199/4", "nowhere"), 23, "not a loaded framework");
        check_error(&MINI.replace("id = \"mini\"", "id = \"64-211\""), 4, "already defined in 64-211.toml");
        check_error(&MINI.replace("Do the first thing.", " "), 20, "`text` is empty");
        check_error(&MINI.replace("rationale = \"Because.\"", "quote = \"Because.\""), 22, "gives a `rationale`");
        check_error(
            &MINI.replace(
                "basis = \"curator\"\n    rationale = \"Because.\"",
                "basis = \"resolution\"\n    quote = \"second thing\"",
            ),
            25,
            "words of the question's own text",
        );
        let twice = MINI.replace(
            "  [[section.item]]\n  label = \"1\"",
            "  [[section.item]]\n  label = \"1\"\n  text = \"x\"\n\n  [[section.item]]\n  label = \"(1)\"",
        );
        let twice = twice.replacen("text = \"x\"\n", "text = \"Zero.\"\n", 1);
        check_error(&twice, 23, "already defined on line 19");
    }

    #[test]
    fn all_errors_are_reported_at_once() {
        let bad = MINI.replace("A/RES/64/211", "nope").replace("cmm-stages", "stars").replace("58-199/4", "none");
        assert!(errors_of(&bad).len() >= 3, "{}", FrameworkErrors(errors_of(&bad)));
    }

    #[test]
    fn scale_errors_name_the_line() {
        let scale = builtin_files().into_iter().find(|f| f.path == "maturity.toml").unwrap().text;
        let bad = scale.replace("level = 3", "level = 4").replace("id = \"cmm-stages\"", "id = \"other\"");
        let errors = load(&[file("s.toml", &bad)]).unwrap_err().0;
        assert!(errors.iter().any(|e| e.message.contains("expected 3, found 4")), "{}", FrameworkErrors(errors));
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_loaded_or_rejected_without_panicking(text in "\\PC{0,300}") {
            let _ = load_with_builtin(&[file("user/x.toml", &text)]);
        }

        #[test]
        fn mangled_valid_files_are_loaded_or_rejected_without_panicking(cut in 0usize..700, insert in "[\\[\\]=\"a-z0-9 \n./(){}-]{0,12}") {
            let mut text = MINI.to_string();
            let at = text.char_indices().map(|(i, _)| i).nth(cut % MINI.chars().count()).unwrap_or(0);
            text.insert_str(at, &insert);
            if let Err(errors) = load_with_builtin(&[file("user/mini.toml", &text)]) {
                proptest::prop_assert!(!errors.0.is_empty());
                for e in &errors.0 {
                    proptest::prop_assert!(e.file == "user/mini.toml");
                    proptest::prop_assert!(e.line as usize <= text.lines().count() + 1);
                }
            }
        }
    }
}
