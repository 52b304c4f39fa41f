//! Resolution texts as paragraphs: the plain text of a UN resolution or draft (as the UN
//! prints it, as PDF text extraction gives it, or as a Markdown transcription such as the
//! seeds' appendices) parsed into its heading, preambular paragraphs with their leading
//! participle, numbered operative paragraphs with lettered sub-paragraphs and their leading
//! operative verb, the closing lines, and the annexes with their items.
//!
//! The parser never fails: what it cannot place is kept as text (a heading line, an
//! unlabelled annex item), so nothing of the input is lost silently. Markdown emphasis
//! (`*`), headings (`#`), `<sup>` footnote markers and `---` separators are removed;
//! footnote lines (`<sup>N</sup> text`) are collected in [`ResolutionText::footnotes`].
//!
//! Forms recognised:
//! - the organ line `The General Assembly,` (also a Council, Commission or Conference)
//!   ends the heading; text after it on the same line, split at `[...]` elisions, is body;
//! - `N. text`: operative paragraph N; `(a) text`: a sub-paragraph of the paragraph before
//!   (`(iv)` too); `- text` or `• text`: a sub-item;
//! - an unnumbered paragraph opening with a participle (*Recalling*, *Noting with
//!   concern*, *Bearing in mind*, *Deeply concerned*) is preambular; one opening with an
//!   operative verb (*Takes note*, *Also requests*) is operative;
//! - `Annex` (or `Annex I`, `Annex to the letter …`) starts an annex; its first short line
//!   without closing punctuation is its title, later ones are section headings; an
//!   operative paragraph ending in `as follows:` starts an inline annex (the adopted text);
//! - `78th plenary meeting` and a date after it are closing lines;
//! - a block that starts with a lower-case letter continues the one before (a page break
//!   inside a paragraph).

use normwatch_core::domain::{OperativeVerb, ParagraphPart};
use normwatch_core::{Symbol, scan};

/// Which part of a text a paragraph belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    Preambular,
    Operative,
    Annex,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Preambular => "preambular",
            Part::Operative => "operative",
            Part::Annex => "annex",
        }
    }

    /// The knowledge base's paragraph part, where it has one (it has no annex part).
    pub fn to_core(self) -> Option<ParagraphPart> {
        match self {
            Part::Preambular => Some(ParagraphPart::Preambular),
            Part::Operative => Some(ParagraphPart::Operative),
            Part::Annex => None,
        }
    }
}

/// A preambular or operative paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    pub part: Part,
    /// The printed number of an operative paragraph.
    pub number: Option<u32>,
    /// The leading participle (`Noting with concern`) or verb phrase (`Also requests`), as
    /// written.
    pub lead: Option<String>,
    /// The operative verb's class, for operative paragraphs whose verb is known.
    pub verb: Option<OperativeVerb>,
    /// The paragraph's text without its number, including its lead.
    pub text: String,
    pub subparagraphs: Vec<SubParagraph>,
    /// 1-based line of the input where the paragraph starts.
    pub line: usize,
}

impl Paragraph {
    /// The text with its sub-paragraphs, one line each: what diffs compare.
    pub fn full_text(&self) -> String {
        let mut out = self.text.clone();
        for sub in &self.subparagraphs {
            out.push('\n');
            out.push_str(&sub.label);
            out.push(' ');
            out.push_str(&sub.text);
        }
        out
    }
}

/// A lettered sub-paragraph `(a)` or a bulleted one (label `-`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubParagraph {
    /// `(a)`, `(iv)`, or `-` for a bullet.
    pub label: String,
    pub text: String,
}

/// An annex: the annex to the resolution, or a text the resolution adopts "as follows".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annex {
    /// The annex line as written (`Annex`, `Annex I`, `Annex to the letter …`); `None` for
    /// a text adopted inline "as follows".
    pub heading: Option<String>,
    pub title: Option<String>,
    pub items: Vec<AnnexItem>,
    pub line: usize,
}

/// One item of an annex: a numbered or lettered element, or an unlabelled paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnnexItem {
    /// `1`, `(a)`, or none.
    pub label: Option<String>,
    /// The section heading the item stands under, if any.
    pub section: Option<String>,
    /// A lead heading marked as such in the source (`*Awareness.*` gives `Awareness`).
    pub heading: Option<String>,
    pub text: String,
    /// Bulleted sub-items.
    pub subitems: Vec<String>,
    pub line: usize,
}

/// A parsed resolution or draft.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResolutionText {
    /// Lines before the organ line.
    pub heading: Vec<String>,
    /// The first document symbol cited in the heading.
    pub symbol: Option<Symbol>,
    /// The last heading line that is not a symbol, a date or an agenda line.
    pub title: Option<String>,
    /// `The General Assembly`.
    pub organ: Option<String>,
    /// Preambular and operative paragraphs in order.
    pub paragraphs: Vec<Paragraph>,
    /// Closing lines (`78th plenary meeting`, the date).
    pub closing: Vec<String>,
    pub annexes: Vec<Annex>,
    pub footnotes: Vec<String>,
    /// How many `[...]` elisions the input has: the text is an excerpt when above 0.
    pub elisions: usize,
    /// Page furniture found between paragraphs and left out of them: page numbers, the
    /// document symbol repeated at the top of a page, job numbers (`02-55512`).
    pub furniture: Vec<String>,
}

impl ResolutionText {
    pub fn preambular(&self) -> impl Iterator<Item = &Paragraph> {
        self.paragraphs.iter().filter(|p| p.part == Part::Preambular)
    }

    pub fn operative(&self) -> impl Iterator<Item = &Paragraph> {
        self.paragraphs.iter().filter(|p| p.part == Part::Operative)
    }

    /// Prints the text in UN form (Markdown emphasis only for item headings): parsing the
    /// result gives the same structure back.
    pub fn render(&self) -> String {
        let mut blocks: Vec<String> = self.heading.clone();
        if let Some(organ) = &self.organ {
            blocks.push(format!("{organ},"));
        }
        for p in &self.paragraphs {
            let mut block = match p.number {
                Some(n) => format!("{n}. {}", p.text),
                None => p.text.clone(),
            };
            for sub in &p.subparagraphs {
                block.push_str(&format!("\n\n{} {}", sub.label, sub.text));
            }
            blocks.push(block);
        }
        blocks.extend(self.closing.iter().cloned());
        for annex in &self.annexes {
            if let Some(heading) = &annex.heading {
                blocks.push(heading.clone());
            }
            if let Some(title) = &annex.title {
                blocks.push(title.clone());
            }
            let mut section: Option<&String> = None;
            for item in &annex.items {
                if item.section.as_ref() != section {
                    if let Some(s) = &item.section {
                        blocks.push(s.clone());
                    }
                    section = item.section.as_ref();
                }
                let mut block = String::new();
                if let Some(label) = &item.label {
                    block.push_str(label);
                    if label.starts_with('(') {
                        block.push(' ');
                    } else {
                        block.push_str(". ");
                    }
                }
                if let Some(heading) = &item.heading {
                    block.push_str(&format!("*{heading}.* "));
                }
                block.push_str(&item.text);
                for sub in &item.subitems {
                    block.push_str(&format!("\n- {sub}"));
                }
                blocks.push(block);
            }
        }
        let mut out = blocks.join("\n\n");
        out.push('\n');
        out
    }
}

/// One logical block of the input: joined lines of a paragraph.
#[derive(Clone, Debug)]
struct Block {
    text: String,
    line: usize,
    bullet: bool,
    /// The emphasised words the block opens with (`*Recalling*`), markup removed.
    emphasis: Option<String>,
}

/// Parses the plain text of a resolution or draft. Never fails; see the module docs.
pub fn parse(input: &str) -> ResolutionText {
    let normalized = crate::ungdc::normalize(input);
    let mut out = ResolutionText::default();
    let blocks = blocks(&normalized, &mut out.footnotes);
    let mut state = State::Heading;
    // A resolution without an organ line: its heading is what comes before the first
    // paragraph that looks like one.
    let has_organ = blocks.iter().any(|b| organ_line(&b.text).is_some());
    if !has_organ {
        state = State::Body;
    }
    let mut pending: std::collections::VecDeque<Block> = blocks.into();
    while let Some(block) = pending.pop_front() {
        match state {
            State::Heading => {
                if let Some((organ, rest)) = organ_line(&block.text) {
                    out.organ = Some(organ.to_string());
                    state = State::Body;
                    // Text after the organ line on the same line, split at elisions.
                    let pieces: Vec<&str> = rest.split("[...]").collect();
                    out.elisions += pieces.len() - 1;
                    for piece in pieces.iter().rev() {
                        let piece = piece.trim().trim_start_matches(',').trim();
                        if !piece.is_empty() {
                            let emphasis = None;
                            pending.push_front(Block {
                                text: piece.to_string(),
                                line: block.line,
                                bullet: false,
                                emphasis,
                            });
                        }
                    }
                } else {
                    out.heading.push(block.text);
                }
            }
            State::Body | State::Annex if is_furniture(&block.text) => {
                out.furniture.push(block.text);
            }
            State::Body => {
                if !has_organ
                    && out.paragraphs.is_empty()
                    && !looks_like_paragraph(&block)
                    && annex_line(&block.text).is_none()
                {
                    out.heading.push(block.text);
                    continue;
                }
                out.elisions += block.text.matches("[...]").count();
                if annex_line(&block.text).is_some() {
                    out.annexes.push(Annex {
                        heading: Some(block.text),
                        title: None,
                        items: Vec::new(),
                        line: block.line,
                    });
                    state = State::Annex;
                    continue;
                }
                if closing_line(&block.text, &out.closing) {
                    out.closing.push(block.text);
                    continue;
                }
                if let Some((label, rest)) = letter_label(&block.text)
                    && let Some(last) = out.paragraphs.last_mut()
                {
                    last.subparagraphs.push(SubParagraph { label: label.to_string(), text: rest.to_string() });
                    continue;
                }
                if block.bullet
                    && let Some(last) = out.paragraphs.last_mut()
                {
                    last.subparagraphs.push(SubParagraph { label: "-".into(), text: block.text });
                    continue;
                }
                let paragraph = paragraph(&block, out.paragraphs.iter().any(|p| p.part == Part::Operative));
                let opens_annex =
                    paragraph.part == Part::Operative && paragraph.text.trim_end().ends_with("as follows:");
                out.paragraphs.push(paragraph);
                if opens_annex {
                    out.annexes.push(Annex { heading: None, title: None, items: Vec::new(), line: block.line });
                    state = State::Annex;
                }
            }
            State::Annex => {
                if annex_line(&block.text).is_some() {
                    out.annexes.push(Annex {
                        heading: Some(block.text),
                        title: None,
                        items: Vec::new(),
                        line: block.line,
                    });
                    continue;
                }
                let annex = out.annexes.last_mut().expect("the annex state has an annex");
                if let Some(last) = annex.items.last_mut()
                    && block.bullet
                {
                    last.subitems.push(block.text);
                    continue;
                }
                let label = number_label(&block.text)
                    .map(|(n, rest)| (n.to_string(), rest))
                    .or_else(|| letter_label(&block.text).map(|(l, rest)| (l.to_string(), rest)));
                if label.is_none() && title_like(&block.text) {
                    if annex.title.is_none() && annex.items.is_empty() && annex.heading.is_some() {
                        annex.title = Some(block.text);
                    } else {
                        // A section heading: it applies to the items that follow.
                        annex.items.push(AnnexItem {
                            label: None,
                            section: Some(block.text),
                            heading: None,
                            text: String::new(),
                            subitems: Vec::new(),
                            line: block.line,
                        });
                    }
                    continue;
                }
                let section = annex.items.last().and_then(|i| i.section.clone());
                let (label, text) = match label {
                    Some((label, rest)) => (Some(label), rest.to_string()),
                    None => (None, block.text.clone()),
                };
                // A lead heading: emphasised words ending with a full stop.
                let (heading, text) = match block.emphasis.as_deref().and_then(|e| e.strip_suffix('.')) {
                    Some(heading) if !heading.is_empty() && text.starts_with(&format!("{heading}.")) => {
                        (Some(heading.to_string()), text[heading.len() + 1..].trim_start().to_string())
                    }
                    _ => (None, text),
                };
                // Replace a placeholder section entry by the first item under it.
                if let Some(last) = annex.items.last_mut()
                    && last.text.is_empty()
                    && last.label.is_none()
                    && last.subitems.is_empty()
                {
                    *last = AnnexItem { label, section, heading, text, subitems: Vec::new(), line: block.line };
                } else {
                    annex.items.push(AnnexItem {
                        label,
                        section,
                        heading,
                        text,
                        subitems: Vec::new(),
                        line: block.line,
                    });
                }
            }
        }
    }
    // Section headings with no item after them stay as empty items: keep them visible.
    out.title = title_of(&out.heading);
    out.symbol = symbol_of(&out.heading);
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Heading,
    Body,
    Annex,
}

fn paragraph(block: &Block, after_operative: bool) -> Paragraph {
    let line = block.line;
    if let Some((number, rest)) = number_label(&block.text) {
        let (verb, lead) = match verb_lead(rest) {
            Some((verb, lead)) => (Some(verb), Some(lead)),
            None => (None, None),
        };
        return Paragraph {
            part: Part::Operative,
            number: Some(number),
            lead,
            verb,
            text: rest.to_string(),
            subparagraphs: Vec::new(),
            line,
        };
    }
    let text = block.text.clone();
    if let Some(lead) = participle_lead(&text) {
        return Paragraph {
            part: Part::Preambular,
            number: None,
            lead: Some(lead),
            verb: None,
            text,
            subparagraphs: Vec::new(),
            line,
        };
    }
    if let Some((verb, lead)) = verb_lead(&text) {
        return Paragraph {
            part: Part::Operative,
            number: None,
            lead: Some(lead),
            verb: Some(verb),
            text,
            subparagraphs: Vec::new(),
            line,
        };
    }
    let part = if after_operative { Part::Operative } else { Part::Preambular };
    Paragraph { part, number: None, lead: None, verb: None, text, subparagraphs: Vec::new(), line }
}

fn looks_like_paragraph(block: &Block) -> bool {
    number_label(&block.text).is_some() || participle_lead(&block.text).is_some() || verb_lead(&block.text).is_some()
}

/// Splits the input into blocks: blank lines separate blocks, and a line that opens a
/// paragraph (a number, a letter, a bullet, an annex line) starts a new one.
fn blocks(text: &str, footnotes: &mut Vec<String>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut current: Option<Block> = None;
    let flush = |current: &mut Option<Block>, out: &mut Vec<Block>| {
        if let Some(block) = current.take() {
            let text = block.text.trim().to_string();
            if text.is_empty() {
                return;
            }
            // A block opening in lower case continues the paragraph before it.
            let continues =
                text.starts_with(|c: char| c.is_lowercase()) && !block.bullet && letter_label(&text).is_none();
            match out.last_mut() {
                Some(previous) if continues && !previous.bullet => {
                    previous.text = join(&previous.text, &text);
                }
                _ => out.push(Block { text, ..block }),
            }
        }
    };
    for (index, raw) in text.lines().enumerate() {
        let line_number = index + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            flush(&mut current, &mut out);
            continue;
        }
        if trimmed.len() >= 3 && trimmed.chars().all(|c| c == '-' || c == '_' || c == '=') {
            flush(&mut current, &mut out);
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("<sup>")
            && let Some(end) = rest.find("</sup>")
        {
            let note = clean(&format!("{} {}", &rest[..end], &rest[end + 6..]));
            flush(&mut current, &mut out);
            footnotes.push(note);
            continue;
        }
        let (bullet, body) = match trimmed.strip_prefix("- ").or_else(|| trimmed.strip_prefix("• ")) {
            Some(rest) => (true, rest),
            None => match trimmed.strip_prefix("* ") {
                Some(rest) if !rest.contains('*') => (true, rest),
                _ => (false, trimmed),
            },
        };
        let body = body.trim_start_matches('#').trim_start();
        let emphasis = leading_emphasis(body);
        let cleaned = clean(body);
        if cleaned.is_empty() {
            continue;
        }
        let starts_new = bullet
            || number_label(&cleaned).is_some()
            || letter_label(&cleaned).is_some()
            || annex_line(&cleaned).is_some()
            || organ_line(&cleaned).is_some()
            || is_meeting(&cleaned)
            || (is_date(&cleaned) && current.as_ref().is_some_and(|c| is_meeting(&c.text)))
            || current.as_ref().is_some_and(|c| {
                c.text.ends_with([',', ';', ':', '.'])
                    && (participle_lead(&cleaned).is_some() || verb_lead(&cleaned).is_some())
            });
        if starts_new {
            flush(&mut current, &mut out);
        }
        match current.as_mut() {
            Some(block) => block.text = join(&block.text, &cleaned),
            None => current = Some(Block { text: cleaned, line: line_number, bullet, emphasis }),
        }
    }
    flush(&mut current, &mut out);
    out
}

/// Joins two lines of one paragraph: a hyphen at a line end is kept, without a space.
fn join(a: &str, b: &str) -> String {
    if a.ends_with('-') && b.starts_with(|c: char| c.is_lowercase()) { format!("{a}{b}") } else { format!("{a} {b}") }
}

/// Removes Markdown emphasis, inline `<sup>` markers and simple HTML tags; collapses
/// whitespace.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let known = ["<sup>", "<i>", "</i>", "<b>", "</b>", "<em>", "</em>", "<strong>", "</strong>"];
        if tail.starts_with("<sup>")
            && let Some(end) = tail.find("</sup>")
        {
            rest = &tail[end + 6..];
        } else if let Some(tag) = known.iter().find(|t| tail.starts_with(**t)) {
            rest = &tail[tag.len()..];
        } else {
            out.push('<');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    let out = out.replace('*', "").replace("\\_", "_");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The emphasised words a line opens with: `*Recalling* its` gives `Recalling`,
/// `(a) *Awareness.* Participants` gives `Awareness.`.
fn leading_emphasis(line: &str) -> Option<String> {
    let body = match letter_label(line) {
        Some((_, rest)) => rest,
        None => number_label(line).map_or(line, |(_, rest)| rest),
    };
    let inner = body.strip_prefix('*')?.trim_start_matches('*');
    let end = inner.find('*')?;
    let words = clean(&inner[..end]);
    if words.is_empty() || words.len() > 80 { None } else { Some(words) }
}

/// `The General Assembly,` (or a Council, Commission, Conference): the organ and the
/// rest of the line.
fn organ_line(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("The ")?;
    let comma = rest.find(',')?;
    let organ = &text[..4 + comma];
    let words = organ.split_whitespace().count();
    let named = ["Assembly", "Council", "Commission", "Conference", "Committee"].iter().any(|w| organ.ends_with(w));
    (named && words <= 8).then(|| (organ, &text[4 + comma + 1..]))
}

/// `Annex`, `Annex I`, `ANNEX`, `Annex to the letter dated …`.
fn annex_line(text: &str) -> Option<()> {
    let lower = text.to_lowercase();
    if !lower.starts_with("annex") || text.len() > 300 {
        return None;
    }
    let rest = lower["annex".len()..].trim();
    let numeral = !rest.is_empty() && rest.chars().all(|c| matches!(c, 'i' | 'v' | 'x') || c.is_ascii_digit());
    let to = rest.starts_with("to ") && !text.ends_with(['.', ';', ',']);
    (rest.is_empty() || numeral || to).then_some(())
}

/// `78th plenary meeting` and the date line after it.
fn closing_line(text: &str, closing: &[String]) -> bool {
    is_meeting(text) || (!closing.is_empty() && is_date(text))
}

fn is_meeting(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.ends_with("plenary meeting")
        && lower.split_whitespace().count() == 3
        && lower.starts_with(|c: char| c.is_ascii_digit())
}

/// `20 December 2002`.
fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split_whitespace().collect();
    parts.len() == 3
        && parts[0].parse::<u8>().is_ok()
        && parts[1].chars().all(char::is_alphabetic)
        && parts[2].len() == 4
        && parts[2].parse::<u16>().is_ok()
}

/// `12. text` → (12, text).
fn number_label(text: &str) -> Option<(u32, &str)> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let rest = text[digits..].strip_prefix('.')?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let number = text[..digits].parse().ok()?;
    Some((number, rest.trim_start()))
}

/// `(a) text`, `(iv) text` → (label, text).
fn letter_label(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_prefix('(')?;
    let close = inner.find(')')?;
    let label = &inner[..close];
    if label.is_empty() || label.len() > 4 || !label.chars().all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    let rest = &inner[close + 1..];
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some((&text[..close + 2], rest.trim_start()))
}

/// A short line without closing punctuation: an annex title or section heading.
fn title_like(text: &str) -> bool {
    text.len() <= 200 && !text.ends_with(['.', ';', ',', ':']) && text.starts_with(|c: char| c.is_uppercase())
}

/// Adverbs before a verb (the first six) or a participle (all).
const ADVERBS: [&str; 11] =
    ["also", "further", "again", "once", "more", "strongly", "deeply", "gravely", "seriously", "firmly", "fully"];

/// Words ending in -ing that do not open a preambular paragraph.
const NOT_PARTICIPLES: [&str; 10] = [
    "during",
    "nothing",
    "everything",
    "something",
    "anything",
    "notwithstanding",
    "according",
    "regarding",
    "concerning",
    "including",
];

const STATES_OF_MIND: [&str; 19] = [
    "mindful",
    "aware",
    "conscious",
    "convinced",
    "concerned",
    "cognizant",
    "cognisant",
    "determined",
    "desirous",
    "guided",
    "alarmed",
    "encouraged",
    "appreciative",
    "gratified",
    "pleased",
    "satisfied",
    "disturbed",
    "dismayed",
    "believing",
];

/// The leading participle phrase of a preambular paragraph: `Recalling`, `Noting with
/// deep concern`, `Bearing in mind`, `Deeply concerned`, `Having considered`, `Recalling
/// also`.
pub fn participle_lead(text: &str) -> Option<String> {
    if !text.starts_with(|c: char| c.is_uppercase()) {
        return None;
    }
    let words: Vec<&str> = text.split_whitespace().take(8).collect();
    let bare = |w: &str| w.trim_end_matches([',', ';', ':']).to_lowercase();
    let mut i = 0;
    while i < words.len() && ADVERBS.contains(&bare(words[i]).as_str()) {
        i += 1;
    }
    let main = bare(words.get(i)?);
    let is_participle = (main.len() > 4
        && main.ends_with("ing")
        && main.chars().all(char::is_alphabetic)
        && !NOT_PARTICIPLES.contains(&main.as_str()))
        || STATES_OF_MIND.contains(&main.as_str());
    if !is_participle {
        return None;
    }
    let mut end = i + 1;
    let next = |k: usize| words.get(k).map(|w| bare(w)).unwrap_or_default();
    match main.as_str() {
        "bearing" if next(end) == "in" && next(end + 1) == "mind" => end += 2,
        "taking" if next(end) == "note" => end += 1,
        "taking" if next(end) == "into" && next(end + 1) == "account" => end += 2,
        "having" if next(end).ends_with("ed") || next(end).ends_with("en") => end += 1,
        _ => {}
    }
    if matches!(next(end).as_str(), "also" | "further") {
        end += 1;
    }
    if next(end) == "with" {
        let feelings = ["concern", "appreciation", "satisfaction", "interest", "regret", "alarm", "gratitude"];
        if feelings.contains(&next(end + 1).as_str()) {
            end += 2;
        } else if feelings.contains(&next(end + 2).as_str()) {
            end += 3;
        }
    }
    Some(lead_text(&words[..end.min(words.len())]))
}

/// The leading operative verb of a paragraph and its phrase as written: `Takes note`,
/// `Also requests`, `Calls upon`.
pub fn verb_lead(text: &str) -> Option<(OperativeVerb, String)> {
    if participle_lead(text).is_some() {
        return None;
    }
    let verb = OperativeVerb::classify(text)?;
    let words: Vec<&str> = text.split_whitespace().take(10).collect();
    let bare = |w: &str| w.trim_end_matches([',', ';', ':']).to_lowercase();
    let mut i = 0;
    while i < words.len() && ADVERBS[..6].contains(&bare(words[i]).as_str()) {
        i += 1;
    }
    let rest: Vec<String> = words[i..].iter().map(|w| bare(w)).collect();
    let phrases = [
        "takes note with appreciation",
        "took note with appreciation",
        "notes with appreciation",
        "noted with appreciation",
        "note with appreciation",
        "takes note",
        "took note",
        "take note",
        "calls upon",
        "calls on",
        "called upon",
        "draws attention",
        "draw attention",
    ];
    let joined = rest.join(" ");
    let length = phrases
        .iter()
        .find(|p| joined == **p || joined.starts_with(&format!("{p} ")))
        .map_or(1, |p| p.split(' ').count());
    let end = (i + length).min(words.len());
    Some((verb, lead_text(&words[..end])))
}

fn lead_text(words: &[&str]) -> String {
    words.join(" ").trim_end_matches([',', ';', ':']).to_string()
}

/// A page number, a job number (`02-55512`), or a line that is only a document symbol.
fn is_furniture(text: &str) -> bool {
    let bytes = text.as_bytes();
    let page = !bytes.is_empty() && bytes.len() <= 4 && bytes.iter().all(u8::is_ascii_digit);
    let job = bytes.len() >= 8
        && bytes[..2].iter().all(u8::is_ascii_digit)
        && bytes[2] == b'-'
        && bytes[3..8].iter().all(u8::is_ascii_digit)
        && (bytes.len() == 8 || bytes[8] == b' ')
        && text.split_whitespace().count() <= 3;
    let symbol = scan::scan(text).first().is_some_and(|m| !m.inferred && m.start == 0 && m.end == text.len());
    page || job || symbol
}

fn title_of(heading: &[String]) -> Option<String> {
    heading
        .iter()
        .rev()
        .find(|line| {
            let lower = line.to_lowercase();
            let symbol_only = scan::scan(line).first().is_some_and(|m| m.start == 0 && m.end == line.len());
            !symbol_only
                && !lower.starts_with("annex to")
                && !lower.starts_with("resolution adopted")
                && !lower.starts_with("general assembly resolution")
                && !lower.starts_with("resolution ")
                && !lower.starts_with("agenda item")
                && !lower.starts_with("distr")
                && !lower.contains(" session")
                && line.chars().any(char::is_alphabetic)
        })
        .map(|line| {
            // `57/239. Creation of …`: the resolution's number before its title.
            let number = line.split_once(". ").filter(|(n, _)| {
                n.contains('/') && n.chars().all(|c| c.is_ascii_digit() || c == '/' || c.is_ascii_uppercase())
            });
            number.map_or(line.clone(), |(_, title)| title.to_string())
        })
}

fn symbol_of(heading: &[String]) -> Option<Symbol> {
    let mentions: Vec<scan::Mention> = heading.iter().flat_map(|line| scan::scan(line)).collect();
    let explicit = mentions.iter().find(|m| !m.inferred).and_then(|m| m.symbol.clone().ok());
    explicit.or_else(|| mentions.iter().find_map(|m| m.symbol.clone().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DRAFT: &str = "United Nations\nA/C.2/57/L.11\n\nGeneral Assembly\n\nFifty-seventh session\nAgenda item 84 (c)\n\n\
Creation of a global culture of cybersecurity\n\nThe General Assembly,\n\nRecalling its resolutions 53/70 of 4 December\n\
1998 and 55/63 of 4 December 2000,\n\nNoting with concern that gaps in access to and the use of information technologies\n\
by States can diminish the effectiveness of international cooperation,\n\n\
1. Adopts the principles annexed to the present resolution;\n\n\
2. Requests Member States to take the present resolution into account:\n\n\
(a) in their national efforts;\n\n(b) in preparing for the World Summit on the\nInformation Society;\n\n\
3. Decides to include in the provisional agenda of its fifty-eighth session an item entitled\n\
\u{201c}Creation of a global culture of cybersecurity\u{201d}.\n\n\
78th plenary meeting\n20 December 2002\n\nAnnex\n\nElements for creating a global culture of cybersecurity\n\n\
(a) Awareness. Participants should be aware of the need for security;\n\n(b) Responsibility. Participants are responsible\n\
for the security of information systems.\n";

    #[test]
    fn a_draft_in_un_form() {
        let text = parse(DRAFT);
        assert_eq!(text.symbol.as_ref().map(ToString::to_string).as_deref(), Some("A/C.2/57/L.11"));
        assert_eq!(text.title.as_deref(), Some("Creation of a global culture of cybersecurity"));
        assert_eq!(text.organ.as_deref(), Some("The General Assembly"));
        let pre: Vec<_> = text.preambular().map(|p| p.lead.as_deref().unwrap()).collect();
        assert_eq!(pre, ["Recalling", "Noting with concern"]);
        assert!(text.paragraphs[0].text.ends_with("53/70 of 4 December 1998 and 55/63 of 4 December 2000,"));
        let ops: Vec<_> = text.operative().map(|p| (p.number, p.verb, p.lead.clone().unwrap())).collect();
        assert_eq!(
            ops,
            [
                (Some(1), Some(OperativeVerb::Adopts), "Adopts".to_string()),
                (Some(2), Some(OperativeVerb::Requests), "Requests".to_string()),
                (Some(3), Some(OperativeVerb::Decides), "Decides".to_string()),
            ]
        );
        let subs: Vec<_> = text.paragraphs[3].subparagraphs.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(subs, ["(a)", "(b)"]);
        assert_eq!(
            text.paragraphs[3].subparagraphs[1].text,
            "in preparing for the World Summit on the Information Society;"
        );
        assert_eq!(text.closing, ["78th plenary meeting", "20 December 2002"]);
        let annex = &text.annexes[0];
        assert_eq!(annex.title.as_deref(), Some("Elements for creating a global culture of cybersecurity"));
        assert_eq!(annex.items.len(), 2);
        assert_eq!(annex.items[1].label.as_deref(), Some("(b)"));
        assert!(annex.items[1].text.ends_with("information systems."));
        assert_eq!(text.paragraphs[3].line, 21);
        assert_eq!(parse(&text.render()).render(), text.render());
    }

    #[test]
    fn leads_of_paragraphs() {
        let lead = |t: &str| participle_lead(t);
        assert_eq!(lead("Bearing in mind that").as_deref(), Some("Bearing in mind"));
        assert_eq!(lead("Deeply concerned by").as_deref(), Some("Deeply concerned"));
        assert_eq!(lead("Noting with deep concern that").as_deref(), Some("Noting with deep concern"));
        assert_eq!(lead("Recalling also its resolution").as_deref(), Some("Recalling also"));
        assert_eq!(lead("Having considered the report").as_deref(), Some("Having considered"));
        assert_eq!(lead("Taking note of").as_deref(), Some("Taking note"));
        assert_eq!(lead("Welcoming the report,").as_deref(), Some("Welcoming"));
        assert_eq!(lead("Takes note of"), None);
        assert_eq!(lead("During the session"), None);
        let verb = verb_lead;
        assert_eq!(
            verb("Takes note with appreciation of the report"),
            Some((OperativeVerb::NotesWithAppreciation, "Takes note with appreciation".into()))
        );
        assert_eq!(
            verb("Also requests the Secretary-General"),
            Some((OperativeVerb::Requests, "Also requests".into()))
        );
        assert_eq!(verb("Calls upon Member States"), Some((OperativeVerb::CallsUpon, "Calls upon".into())));
        assert_eq!(verb("Welcoming the report"), None);
        assert_eq!(verb("Invites"), Some((OperativeVerb::Invites, "Invites".into())));
    }

    #[test]
    fn markdown_and_page_breaks() {
        let text = parse(
            "## **Resolution 58/199**\n\n*The General Assembly, [...] Takes note* of the elements [...]*\n\n**Annex**\n\n\
             **Elements for protecting critical information infrastructures<sup>4</sup>**\n\n\
             1. Have emergency warning networks.\n2. Raise awareness among\n\n---\n\n<sup>4</sup> A footnote.\n\n\
             stakeholders.\n\n##### *Legal frameworks*\n\n3. Review laws, including:\n  - first;\n- second.\n",
        );
        assert_eq!(text.symbol.as_ref().map(ToString::to_string).as_deref(), Some("A/RES/58/199"));
        assert_eq!(text.elisions, 2);
        assert_eq!(text.paragraphs.len(), 1);
        assert_eq!(text.paragraphs[0].verb, Some(OperativeVerb::TakesNote));
        assert_eq!(text.paragraphs[0].text, "Takes note of the elements");
        let annex = &text.annexes[0];
        assert_eq!(annex.title.as_deref(), Some("Elements for protecting critical information infrastructures"));
        assert_eq!(annex.items[1].text, "Raise awareness among stakeholders.");
        assert_eq!(annex.items[2].section.as_deref(), Some("Legal frameworks"));
        assert_eq!(annex.items[2].subitems, ["first;", "second."]);
        assert_eq!(text.footnotes, ["4 A footnote."]);
    }

    #[test]
    fn a_resolution_as_pdf_text_gives_it() {
        let text = parse(
            "United Nations A/RES/57/239\n\nGeneral Assembly Distr.: General\n31 January 2003\n\n\
             Fifty-seventh session\nAgenda item 84 (c)\n\n\
             Resolution adopted by the General Assembly\n[on the report of the Second Committee (A/57/529/Add.3)]\n\n\
             57/239. Creation of a global culture of cybersecurity\n\nThe General Assembly,\n\n\
             Recalling its resolutions 53/70,\n\n02-55512\n\nA/RES/57/239\n\n2\n\n\
             1. Takes note of the elements annexed to the present resolution;\n",
        );
        assert_eq!(text.symbol.as_ref().map(ToString::to_string).as_deref(), Some("A/RES/57/239"));
        assert_eq!(text.title.as_deref(), Some("Creation of a global culture of cybersecurity"));
        assert_eq!(text.paragraphs.len(), 2);
        assert_eq!(text.furniture, ["02-55512", "A/RES/57/239", "2"]);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for input in [
            "",
            "(",
            "1.",
            "The ,",
            "Annex",
            "(a)",
            "<sup>",
            "<sup>1</sup>",
            "* ",
            "- ",
            "\u{feff}\r\r\n",
            "The General Assembly,\n(a) x",
        ] {
            let _ = parse(input).render();
        }
    }
}
