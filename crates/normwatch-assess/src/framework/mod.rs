//! Frameworks as data: the question sets an assessment answers (the 64/211 annex, the
//! 57/239 and 58/199 elements, or a user's own), and the maturity scale answers are rated
//! on. The files live in `frameworks/` at the repository root; their format is documented in
//! `docs/frameworks.md`. `load` reads and validates them from their text (no I/O here);
//! `builtin_files` gives the copies compiled into the crate.

mod format;
mod load;

pub use load::{FrameworkError, FrameworkErrors, FrameworkFile, builtin_files, load, load_with_builtin};

use normwatch_core::Symbol;
use serde::Serialize;

/// Every framework and maturity scale of one installation, validated together.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Catalog {
    pub frameworks: Vec<Framework>,
    pub scales: Vec<MaturityScale>,
    /// The text of each file, as loaded: exporting a framework gives back exactly this.
    #[serde(skip)]
    pub files: Vec<FrameworkFile>,
}

impl Catalog {
    pub fn framework(&self, id: &str) -> Option<&Framework> {
        self.frameworks.iter().find(|f| f.id == id)
    }

    pub fn scale(&self, id: &str) -> Option<&MaturityScale> {
        self.scales.iter().find(|s| s.id == id)
    }

    /// The scale a framework's answers are rated on.
    pub fn scale_of(&self, framework: &Framework) -> Option<&MaturityScale> {
        self.scale(&framework.maturity)
    }

    /// The file a framework or scale was loaded from, for export to another installation.
    pub fn file_of(&self, id: &str) -> Option<&FrameworkFile> {
        let path = self
            .frameworks
            .iter()
            .map(|f| (&f.id, &f.file))
            .chain(self.scales.iter().map(|s| (&s.id, &s.file)))
            .find(|(i, _)| *i == id)?
            .1;
        self.files.iter().find(|f| &f.path == path)
    }

    /// Every link pointing at `target` (a framework, or one of its questions), with the
    /// framework and question it comes from: the reverse view of the 64/211 links.
    pub fn links_to<'a>(&'a self, target: &LinkTarget) -> Vec<(&'a Framework, &'a Question, &'a Link)> {
        let mut out = Vec::new();
        for framework in &self.frameworks {
            for question in &framework.questions {
                for link in &question.links {
                    let hit = link.to.framework == target.framework
                        && (target.question.is_none()
                            || link.to.question.is_none()
                            || link.to.question == target.question);
                    if hit {
                        out.push((framework, question, link));
                    }
                }
            }
        }
        out
    }
}

/// Whether a framework is answered question by question or ticked off as a checklist.
/// The workflow is the same; reports word their headings differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    Questionnaire,
    Checklist,
}

/// Where a text was copied from: a file held by the project or the user (a seed in
/// `shared/seeds`, an imported document) and the section of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct CopiedFrom {
    pub file: String,
    pub section: String,
}

/// A passage of the resolution shown with the framework (the operative paragraph that
/// adopts or invites use of the annex, the annex's introduction, a footnote).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Passage {
    pub text: String,
    pub copied_from: CopiedFrom,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Framework {
    /// `64-211`: lower-case letters, digits and hyphens.
    pub id: String,
    /// The version of this file's content, e.g. `1.0.0`; an assessment records it.
    pub version: String,
    pub title: String,
    /// The UN document the questions come from.
    pub document: Symbol,
    /// The part of the document holding the questions, e.g. `annex`.
    pub part: String,
    /// What the document calls one numbered paragraph of that part: `item`, `element`.
    pub unit: String,
    pub style: Style,
    /// The id of the maturity scale answers are rated on.
    pub maturity: String,
    pub copied_from: CopiedFrom,
    pub mandate: Option<Passage>,
    pub introduction: Option<Passage>,
    pub note: Option<Passage>,
    pub sections: Vec<Section>,
    /// Every question, in the order of the document.
    pub questions: Vec<Question>,
    pub builtin: bool,
    /// The file it was loaded from.
    pub file: String,
}

impl Framework {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// The questions of one section, in order.
    pub fn questions_in<'a>(&'a self, section: &'a str) -> impl Iterator<Item = &'a Question> + 'a {
        self.questions.iter().filter(move |q| q.section == section)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Section {
    pub id: String,
    pub title: String,
}

/// One question to answer: a numbered item of the annex, or one sub-item of an item that
/// has sub-items (each sub-item is a question of its own; the item's text is its `stem`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Question {
    /// Unique in the framework, made of the labels' letters and digits: `5b`, `a`, `18`.
    pub id: String,
    /// The id of its section.
    pub section: String,
    /// The number as printed: `5 (b)`, `(a)`, `18`.
    pub number: String,
    /// A heading the document gives the item (57/239: `Awareness`).
    pub heading: Option<String>,
    /// For a sub-item, the text of the item it belongs to.
    pub stem: Option<String>,
    /// The text to answer, verbatim.
    pub prompt: String,
    pub citation: Citation,
    /// Related questions in other frameworks (the item's links and the sub-item's own).
    pub links: Vec<Link>,
}

/// The paragraph a question is, and the copy its text was taken from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// `A/RES/64/211, annex, item 5 (b)`.
    pub paragraph: String,
    pub document: Symbol,
    pub copied_from: CopiedFrom,
}

/// A framework, or one question of it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct LinkTarget {
    pub framework: String,
    pub question: Option<String>,
}

impl LinkTarget {
    /// `57-239` or `58-199/4`.
    pub fn parse(text: &str) -> Option<LinkTarget> {
        let (framework, question) = match text.split_once('/') {
            Some((f, q)) => (f, Some(q)),
            None => (text, None),
        };
        if !load::valid_id(framework)
            || question.is_some_and(|q| q.is_empty() || !q.chars().all(|c| c.is_ascii_alphanumeric()))
        {
            return None;
        }
        Some(LinkTarget { framework: framework.to_string(), question: question.map(str::to_string) })
    }
}

impl std::fmt::Display for LinkTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.question {
            Some(q) => write!(f, "{}/{q}", self.framework),
            None => f.write_str(&self.framework),
        }
    }
}

/// A relation between a question and another framework or question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Link {
    pub to: LinkTarget,
    pub basis: LinkBasis,
}

/// Who makes a link: the resolution's own words, or a curator's judgement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum LinkBasis {
    /// The question's text itself makes the link; `quote` is the words that do, checked
    /// to occur in the text, and `paragraph` is the question's own citation.
    Resolution { paragraph: String, quote: String },
    /// A curator's judgement, not the resolution's: `rationale` says why.
    Curator { rationale: String },
}

/// A five-stage (or n-stage) scale for rating an answer, with anchors for each stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MaturityScale {
    pub id: String,
    pub version: String,
    pub title: String,
    pub source: ScaleSource,
    /// In order, levels 1, 2, … n.
    pub stages: Vec<Stage>,
    pub builtin: bool,
    pub file: String,
}

impl MaturityScale {
    pub fn stage(&self, level: u8) -> Option<&Stage> {
        self.stages.iter().find(|s| s.level == level)
    }

    pub fn max_level(&self) -> u8 {
        self.stages.last().map_or(0, |s| s.level)
    }
}

/// Where a scale comes from, and what of it could not be verified.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScaleSource {
    /// The address the stage names were checked against.
    pub address: String,
    pub retrieved: normwatch_core::domain::Date,
    /// What the source says, in the curator's words.
    pub says: String,
    /// What was not verified there.
    pub unverified: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Stage {
    pub level: u8,
    pub name: String,
    pub summary: String,
    pub anchors: Vec<String>,
}
