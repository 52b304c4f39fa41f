//! UN document symbols (`A/RES/53/70`, `A/C.1/61/L.35`, `S/RES/1373 (2001)`, …).
//!
//! Symbols reach us in many spellings: the seeds write `resolution 53/70` and
//! `2004/26`, the Voeten data writes `R/60/45` and `ESS/1/34`, the UN Digital Library
//! writes `A/RES/2073(XX)` and `A/RES/55/33[B]`. [`Symbol::parse`] accepts them all and
//! [`Symbol`]'s `Display` is the one canonical form; two spellings of one document parse to
//! equal values.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A parsed, canonical UN document symbol.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Symbol(Repr);

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Repr {
    /// General Assembly resolution from the 31st session on: `A/RES/53/70`, `A/RES/ES-10/6`.
    GaResolution { session: GaSession, number: u32, part: Part },
    /// General Assembly resolution of sessions 1–30 and of the special and emergency
    /// special sessions of those years: `A/RES/2073(XX)`, `A/RES/1004(ES-II)`.
    GaResolutionNumbered { number: u32, session: GaSession, part: Part },
    /// Security Council resolution: `S/RES/1373 (2001)`.
    ScResolution { number: u32, year: Option<u16> },
    /// ECOSOC resolution: `E/RES/2004/26`.
    EcosocResolution { year: u16, number: u32 },
    /// A resolution of an ECOSOC functional commission that has no symbol of its own:
    /// `CND/RES/43/8`, `CCPCJ/RES/20/7` (normwatch's canonical spelling).
    CommissionResolution { commission: Commission, session: u16, number: u32 },
    /// Any other document: `A/65/201`, `A/C.1/61/L.35`, `E/CN.15/2011/19`.
    Document { components: Vec<String> },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GaSession {
    Regular(u16),
    Special(u16),
    EmergencySpecial(u16),
}

/// The part letter(s) of a resolution adopted in parts (`37/100 B`) and an optional
/// section in Roman numerals (`34/233, section XII`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Part {
    letters: Option<String>,
    section: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Commission {
    /// Commission on Narcotic Drugs.
    Cnd,
    /// Commission on Crime Prevention and Criminal Justice.
    Ccpcj,
}

impl Commission {
    pub fn abbreviation(self) -> &'static str {
        match self {
            Commission::Cnd => "CND",
            Commission::Ccpcj => "CCPCJ",
        }
    }
}

/// The organ whose series a symbol belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolOrgan {
    GeneralAssembly,
    SecurityCouncil,
    Ecosoc,
    Commission(Commission),
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a UN document symbol: {reason}")]
pub struct SymbolError {
    pub input: String,
    pub reason: String,
}

/// The first year of the General Assembly's regular sessions: session N opens in 1945 + N.
const GA_FIRST_YEAR_OFFSET: i32 = 1945;
/// Sessions 1–30 numbered resolutions consecutively with the session in Roman numerals.
const LAST_NUMBERED_SESSION: u16 = 30;

impl Symbol {
    pub fn parse(input: &str) -> Result<Symbol, SymbolError> {
        let err = |reason: &str| SymbolError { input: input.to_string(), reason: reason.to_string() };
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(err("it is empty"));
        }
        if trimmed.len() > 120 {
            return Err(err("it is longer than any UN symbol (120 characters at most)"));
        }
        if let Some(c) = trimmed.chars().find(|c| !(c.is_ascii_alphanumeric() || " /.-()[],".contains(*c))) {
            return Err(err(&format!("it contains the character {c:?}, which no UN symbol uses")));
        }
        let upper = trimmed.to_ascii_uppercase();
        let collapsed = upper.split_whitespace().collect::<Vec<_>>().join(" ");

        if let Some(rest) =
            strip_any_prefix(&collapsed, &["CND RESOLUTION ", "CND RES. ", "CND RES ", "CND/RES/", "CND "])
        {
            return commission(input, Commission::Cnd, rest);
        }
        if let Some(rest) =
            strip_any_prefix(&collapsed, &["CCPCJ RESOLUTION ", "CCPCJ RES. ", "CCPCJ RES ", "CCPCJ/RES/", "CCPCJ "])
        {
            return commission(input, Commission::Ccpcj, rest);
        }
        if let Some(rest) = strip_any_prefix(&collapsed, &["ECOSOC RESOLUTION ", "ECOSOC RES. ", "ECOSOC ", "E/RES/"]) {
            return ecosoc(input, rest);
        }
        if let Some(rest) = strip_any_prefix(&collapsed, &["S/RES/"]) {
            return security_council(input, rest);
        }
        if let Some(rest) = strip_any_prefix(&collapsed, &["A/RES/"]) {
            return ga_resolution(input, rest);
        }
        // Voeten / unvotes spellings.
        if let Some(rest) = collapsed.strip_prefix("R/") {
            return ga_resolution(input, rest);
        }
        if let Some(rest) = collapsed.strip_prefix("ESS/") {
            return ga_resolution(input, &format!("ES-{rest}"));
        }
        if let Some(rest) = collapsed.strip_prefix("SS/") {
            return ga_resolution(input, &format!("S-{rest}"));
        }
        // A bare `2004/26` is an ECOSOC resolution (ECOSOC numbers by year); a bare
        // `53/70` could be the GA's, the CND's or the CCPCJ's, so it must say which.
        if let Some((left, right)) = collapsed.split_once('/')
            && !right.contains('/')
            && left.bytes().all(|b| b.is_ascii_digit())
            && right.bytes().all(|b| b.is_ascii_digit())
        {
            if left.len() == 4 {
                return ecosoc(input, &collapsed);
            }
            return Err(err(&format!(
                "`{left}/{right}` alone is ambiguous: write A/RES/{left}/{right} (General Assembly), \
                 CND {left}/{right} or CCPCJ {left}/{right}"
            )));
        }
        // World Summit on the Information Society: `WSIS-05/TUNIS/DOC/6(Rev.1)-E`.
        if collapsed.starts_with("WSIS-") {
            return wsis(input, &collapsed);
        }
        document(input, &collapsed)
    }

    /// Whether two symbols name the same document where one of them is incomplete:
    /// `S/RES/1373` (as prose cites it) and `S/RES/1373 (2001)`.
    pub fn same_document(&self, other: &Symbol) -> bool {
        match (&self.0, &other.0) {
            (Repr::ScResolution { number: a, year: ya }, Repr::ScResolution { number: b, year: yb }) => {
                a == b && (ya.is_none() || yb.is_none() || ya == yb)
            }
            _ => self == other,
        }
    }

    /// The kind a symbol implies on its own, where it implies one.
    pub fn implied_kind(&self) -> Option<crate::domain::DocumentKind> {
        use crate::domain::DocumentKind;
        match &self.0 {
            Repr::GaResolution { .. }
            | Repr::GaResolutionNumbered { .. }
            | Repr::ScResolution { .. }
            | Repr::EcosocResolution { .. }
            | Repr::CommissionResolution { .. } => Some(DocumentKind::Resolution),
            Repr::Document { components } => {
                if components.iter().any(|c| c.starts_with("L.")) {
                    Some(DocumentKind::Draft)
                } else if components.iter().any(|c| c == "DEC") {
                    Some(DocumentKind::Decision)
                } else {
                    None
                }
            }
        }
    }

    pub fn organ(&self) -> SymbolOrgan {
        match &self.0 {
            Repr::GaResolution { .. } | Repr::GaResolutionNumbered { .. } => SymbolOrgan::GeneralAssembly,
            Repr::ScResolution { .. } => SymbolOrgan::SecurityCouncil,
            Repr::EcosocResolution { .. } => SymbolOrgan::Ecosoc,
            Repr::CommissionResolution { commission, .. } => SymbolOrgan::Commission(*commission),
            Repr::Document { components } => match components[0].as_str() {
                "A" => SymbolOrgan::GeneralAssembly,
                "S" => SymbolOrgan::SecurityCouncil,
                "E" => SymbolOrgan::Ecosoc,
                _ => SymbolOrgan::Other,
            },
        }
    }

    /// The regular General Assembly session a symbol belongs to, where the symbol says.
    pub fn ga_session(&self) -> Option<u16> {
        match &self.0 {
            Repr::GaResolution { session: GaSession::Regular(s), .. } => Some(*s),
            Repr::GaResolutionNumbered { session: GaSession::Regular(s), .. } => Some(*s),
            Repr::Document { components } if components[0] == "A" => {
                // The session follows the series letter (A/65/201) or a Main Committee
                // (A/C.1/61/L.35); in A/CONF.213/18 or A/AC.292/2025/… the number is not a session.
                let session = match components.get(1) {
                    Some(c) if c.starts_with("C.") => components.get(2),
                    other => other,
                };
                session.and_then(|c| c.parse::<u16>().ok())
            }
            _ => None,
        }
    }

    /// The calendar year a symbol dates itself to, if it does: the year a GA session
    /// opened, an ECOSOC resolution's year, a Security Council resolution's year.
    pub fn year_hint(&self) -> Option<i32> {
        match &self.0 {
            Repr::ScResolution { year, .. } => year.map(i32::from),
            Repr::EcosocResolution { year, .. } => Some(i32::from(*year)),
            _ => self.ga_session().map(|s| GA_FIRST_YEAR_OFFSET + i32::from(s)),
        }
    }

    /// The whole resolution a part or section belongs to (`A/RES/42/209C` → `A/RES/42/209`);
    /// any other symbol is its own whole.
    pub fn whole(&self) -> Symbol {
        let mut whole = self.clone();
        match &mut whole.0 {
            Repr::GaResolution { part, .. } | Repr::GaResolutionNumbered { part, .. } => *part = Part::default(),
            _ => {}
        }
        whole
    }

    /// The section of a GA resolution (`XII` in `A/RES/34/233/XII`), if it has one.
    pub fn section(&self) -> Option<&str> {
        match &self.0 {
            Repr::GaResolution { part, .. } | Repr::GaResolutionNumbered { part, .. } => part.section.as_deref(),
            _ => None,
        }
    }

    /// The part letters of a GA resolution (`C` in `A/RES/42/209C`), if it has any.
    pub fn part_letters(&self) -> Option<&str> {
        match &self.0 {
            Repr::GaResolution { part, .. } | Repr::GaResolutionNumbered { part, .. } => part.letters.as_deref(),
            _ => None,
        }
    }

    /// The other reading of a lone part letter I, V or X that was written glued to the
    /// number or in brackets: the section of that number (`A/RES/31/208[I]` read as
    /// `A/RES/31/208/I`). [`Symbol::parse`] reads such a letter as a part, as most of the
    /// data writes it; a dataset whose sibling roll calls show sections uses this.
    pub fn part_as_section(&self) -> Option<Symbol> {
        let mut other = self.clone();
        match &mut other.0 {
            Repr::GaResolution { part, .. } | Repr::GaResolutionNumbered { part, .. }
                if part.section.is_none() && matches!(part.letters.as_deref(), Some("I" | "V" | "X")) =>
            {
                part.section = part.letters.take();
            }
            _ => return None,
        }
        Some(other)
    }
}

fn strip_any_prefix<'a>(s: &'a str, prefixes: &[&str]) -> Option<&'a str> {
    prefixes.iter().find_map(|p| s.strip_prefix(p))
}

fn number<T: FromStr>(input: &str, text: &str, what: &str) -> Result<T, SymbolError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) || text.len() > 5 {
        return Err(SymbolError {
            input: input.to_string(),
            reason: format!("expected {what} as a number, found `{text}`"),
        });
    }
    let value: T = text
        .parse()
        .map_err(|_| SymbolError { input: input.to_string(), reason: format!("{what} `{text}` is out of range") })?;
    Ok(value)
}

fn nonzero(input: &str, n: u32, what: &str) -> Result<u32, SymbolError> {
    if n == 0 {
        return Err(SymbolError { input: input.to_string(), reason: format!("{what} cannot be 0") });
    }
    Ok(n)
}

fn commission(input: &str, commission: Commission, rest: &str) -> Result<Symbol, SymbolError> {
    let (session, num) = rest.split_once('/').ok_or_else(|| SymbolError {
        input: input.to_string(),
        reason: format!("a {} resolution is written SESSION/NUMBER, e.g. 43/8", commission.abbreviation()),
    })?;
    let session: u16 = number(input, session.trim(), "the session")?;
    let num = nonzero(input, number(input, num.trim(), "the resolution number")?, "the resolution number")?;
    Ok(Symbol(Repr::CommissionResolution { commission, session, number: num }))
}

fn ecosoc(input: &str, rest: &str) -> Result<Symbol, SymbolError> {
    let (year, num) = rest.split_once('/').ok_or_else(|| SymbolError {
        input: input.to_string(),
        reason: "an ECOSOC resolution is written YEAR/NUMBER, e.g. 2004/26".to_string(),
    })?;
    let year: u16 = number(input, year.trim(), "the year")?;
    if !(1946..=2100).contains(&year) {
        return Err(SymbolError { input: input.to_string(), reason: format!("{year} is not a year of ECOSOC") });
    }
    let num = nonzero(input, number(input, num.trim(), "the resolution number")?, "the resolution number")?;
    Ok(Symbol(Repr::EcosocResolution { year, number: num }))
}

fn security_council(input: &str, rest: &str) -> Result<Symbol, SymbolError> {
    let (num, year) = match rest.split_once('(') {
        Some((num, year)) => {
            let year = year.strip_suffix(')').ok_or_else(|| SymbolError {
                input: input.to_string(),
                reason: "the year in parentheses is not closed".to_string(),
            })?;
            let year: u16 = number(input, year.trim(), "the year")?;
            if !(1946..=2100).contains(&year) {
                return Err(SymbolError { input: input.to_string(), reason: format!("{year} is not a year") });
            }
            (num.trim(), Some(year))
        }
        None => (rest.trim(), None),
    };
    let num = nonzero(input, number(input, num, "the resolution number")?, "the resolution number")?;
    Ok(Symbol(Repr::ScResolution { number: num, year }))
}

fn roman(n: u16) -> String {
    const TABLE: [(u16, &str); 9] =
        [(100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")];
    let mut n = n;
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

fn parse_roman(s: &str) -> Option<u16> {
    if s.is_empty() || s.len() > 12 {
        return None;
    }
    let value = |c: char| match c {
        'I' => Some(1u16),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        _ => None,
    };
    let digits: Vec<u16> = s.chars().map(value).collect::<Option<_>>()?;
    let mut total: i32 = 0;
    for (i, d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|next| next > d) {
            total -= i32::from(*d);
        } else {
            total += i32::from(*d);
        }
    }
    let total = u16::try_from(total).ok().filter(|&t| t > 0)?;
    // Only the canonical spelling counts, so that IIII and IV do not both parse.
    (roman(total) == s).then_some(total)
}

/// Whether a Roman numeral is written with I, V and X only (sections run from I to a few
/// dozen; none is 50th or 100th).
fn small_roman(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| matches!(b, b'I' | b'V' | b'X')) && parse_roman(s).is_some()
}

/// What follows a resolution number: part letters, a section, or both.
///
/// The data decides the spellings (see the corpus test in `normwatch-votes`):
///
/// - Glued to the number or in brackets (`37/99I`, `55/33[V]`, `53/77X`, `61/128AB`): one
///   letter is always a part, including I, V and X: both datasets have resolutions in 10 to
///   26 parts (`53/77Z`), whose ninth, 22nd and 24th parts are I, V and X. Two or more
///   letters that form a Roman numeral of I, V and X (`36/235IV`, `34/233[XIII]`) are a
///   section: a resolution with more than 26 parts is lettered AA, AB, …, never II or IV.
///   The scrape's `[B-II]`, `C-II`, `[A-I]` are part and section; `A-C`, `[B-C]` are a
///   range of parts voted together; `[SectionIII]` is a section.
/// - Its own component (`R/42/209/C`, `R/34/233/XII`, `separated`): C, L, D and M are
///   parts (no resolution has a 100th, 50th, 500th or 1000th section: `R/42/209/C` is the
///   third of the parts A–D, which the scrape spells `A/RES/42/209C`). I, V and X are
///   sections: the only lone-letter components after a number in unvotes are A–E (parts,
///   with siblings A, B, …) and I, in `R/31/208/I` and `R/34/233/I`, both sections: their
///   sibling roll calls are `R/31/208/III` and `R/34/233/IX`, `/XI`, `/XII`, `/XIV`. The
///   2021 scrape holds the same two roll calls: same titles (unvotes "U.N. YEARBOOK" and
///   "INFORMATION SYSTEM"; scrape "Yearbook of the United Nations" and "Establishment of an
///   Information Systems Unit…") and the same counts (117–10–3 and 131–9–0), though unvotes
///   dates them 1976-12-07 and 1979-12-04 and the scrape 1976-12-22 and 1979-12-20. The
///   scrape writes them `A/RES/31/208[I]` and `A/RES/34/233[I]`, beside sections `[III]` and
///   `[IX]`, `[XI]`, `[XIII]`, `[XIV]` of the same resolutions (`normwatch-votes` reads such a
///   bracketed I as a section by those siblings).
fn suffix(input: &str, text: &str, separated: bool) -> Result<Part, SymbolError> {
    let err = || SymbolError {
        input: input.to_string(),
        reason: format!(
            "`{}` after the resolution number is neither part letters (such as B) nor a section in Roman numerals",
            text.trim()
        ),
    };
    let text = text.trim();
    let inner = match text.strip_prefix('[') {
        Some(rest) => rest.strip_suffix(']').ok_or_else(err)?.trim(),
        None => text,
    };
    let letters = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_uppercase());
    if inner.is_empty() {
        return Ok(Part::default());
    }
    if let Some(section) = inner.strip_prefix("SECTION") {
        let section = section.trim();
        if !small_roman(section) {
            return Err(err());
        }
        return Ok(Part { letters: None, section: Some(section.to_string()) });
    }
    if let Some((first, second)) = inner.split_once('-') {
        let (first, second) = (first.trim(), second.trim());
        // Two letters that form a Roman numeral are a section, never part letters (see
        // above), so `II-III` is neither a part with a section nor a range of parts.
        if !letters(first) || (first.len() > 1 && small_roman(first)) {
            return Err(err());
        }
        if small_roman(second) {
            return Ok(Part { letters: Some(first.to_string()), section: Some(second.to_string()) });
        }
        if letters(second) && first < second {
            return Ok(Part { letters: Some(format!("{first}-{second}")), section: None });
        }
        return Err(err());
    }
    let section = |s: &str| Ok(Part { letters: None, section: Some(s.to_string()) });
    if inner.len() == 1 && separated && small_roman(inner) {
        return section(inner);
    }
    if inner.len() == 1 {
        return if letters(inner) { Ok(Part { letters: Some(inner.to_string()), section: None }) } else { Err(err()) };
    }
    if small_roman(inner) || (separated && parse_roman(inner).is_some()) {
        return section(inner);
    }
    if letters(inner) {
        return Ok(Part { letters: Some(inner.to_string()), section: None });
    }
    Err(err())
}

/// Splits `250A`, `33[B]`, `100 B`, `235IV` into the number and what follows it.
fn split_number<'a>(input: &str, text: &'a str) -> Result<(&'a str, Part), SymbolError> {
    let text = text.trim();
    let digits_end = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (digits, rest) = text.split_at(digits_end);
    Ok((digits, suffix(input, rest, false)?))
}

/// Adds a section written as its own component (`116B/VII`) to what followed the number.
fn with_component(input: &str, part: Part, component: Option<&str>) -> Result<Part, SymbolError> {
    let Some(component) = component else { return Ok(part) };
    merge(input, part, suffix(input, component, true)?, component)
}

/// Two pieces of one resolution's part (letters from one place, a section from another).
fn merge(input: &str, a: Part, b: Part, shown: &str) -> Result<Part, SymbolError> {
    if (a.letters.is_some() && b.letters.is_some()) || (a.section.is_some() && b.section.is_some()) {
        return Err(SymbolError {
            input: input.to_string(),
            reason: format!("`{}` repeats the part letters or the section", shown.trim()),
        });
    }
    Ok(Part { letters: a.letters.or(b.letters), section: a.section.or(b.section) })
}

/// A session in parentheses: `XX`, `S-IV`, `S-1`, `ES-II`.
fn numbered_session(input: &str, text: &str) -> Result<GaSession, SymbolError> {
    let err = || SymbolError {
        input: input.to_string(),
        reason: format!("`{text}` is not a session in Roman numerals (such as XX, S-IV or ES-II)"),
    };
    let text = text.trim();
    let value = |s: &str| -> Result<u16, SymbolError> {
        if s.bytes().all(|b| b.is_ascii_digit()) {
            number(input, s, "the session")
        } else {
            parse_roman(s).ok_or_else(err)
        }
    };
    let session = if let Some(n) = text.strip_prefix("ES-") {
        GaSession::EmergencySpecial(value(n)?)
    } else if let Some(n) = text.strip_prefix("S-") {
        GaSession::Special(value(n)?)
    } else {
        GaSession::Regular(parse_roman(text).ok_or_else(err)?)
    };
    Ok(session)
}

fn ga_resolution(input: &str, rest: &str) -> Result<Symbol, SymbolError> {
    let err = |reason: String| SymbolError { input: input.to_string(), reason };
    // Old style: `2073(XX)` or `2073 (XX)`, possibly with part letters and a section:
    // `1761(XVII)`, `3379 (XXX) A`, `3151(XXVIII)[B]`, `62(I)[II]`, `1004(ES-II)`.
    if let Some((num, session)) = rest.split_once('(') {
        let (session, after) =
            session.split_once(')').ok_or_else(|| err("the session in parentheses is not closed".to_string()))?;
        let session = numbered_session(input, session)?;
        let (after_letters, section) = match after.split_once('/') {
            Some((letters, section)) => (letters, Some(section)),
            None => (after, None),
        };
        let (digits, before) = split_number(input, num)?;
        let part = merge(input, before, suffix(input, after_letters, false)?, after_letters)?;
        let part = with_component(input, part, section)?;
        let num = nonzero(input, number(input, digits, "the resolution number")?, "the resolution number")?;
        let n = match session {
            GaSession::Regular(n) | GaSession::Special(n) | GaSession::EmergencySpecial(n) => n,
        };
        if n == 0 || n > LAST_NUMBERED_SESSION {
            return Err(err(format!(
                "session {session} did not number resolutions in the old style (only sessions I–XXX did)"
            )));
        }
        return Ok(Symbol(Repr::GaResolutionNumbered { number: num, session, part }));
    }
    let mut pieces = rest.split('/');
    let session_text = pieces.next().unwrap_or_default().trim();
    let number_text = pieces
        .next()
        .ok_or_else(|| err("a General Assembly resolution is written A/RES/SESSION/NUMBER".to_string()))?;
    let component = pieces.next();
    if pieces.next().is_some() {
        return Err(err("too many components for a General Assembly resolution".to_string()));
    }
    let session = if let Some(n) = session_text.strip_prefix("ES-") {
        GaSession::EmergencySpecial(number(input, n, "the emergency special session")?)
    } else if let Some(n) = session_text.strip_prefix("S-") {
        GaSession::Special(number(input, n, "the special session")?)
    } else {
        GaSession::Regular(number(input, session_text, "the session")?)
    };
    let (digits, part) = split_number(input, number_text)?;
    let part = with_component(input, part, component)?;
    let num = nonzero(input, number(input, digits, "the resolution number")?, "the resolution number")?;
    match session {
        GaSession::Regular(0) | GaSession::Special(0) | GaSession::EmergencySpecial(0) => {
            Err(err("the session cannot be 0".to_string()))
        }
        // The unvotes data writes the old-style resolutions as `R/20/2073`.
        GaSession::Regular(s) if s <= LAST_NUMBERED_SESSION => {
            Ok(Symbol(Repr::GaResolutionNumbered { number: num, session: GaSession::Regular(s), part }))
        }
        _ => Ok(Symbol(Repr::GaResolution { session, number: num, part })),
    }
}

/// Suffix components written in title case by the UN: `Add.3`, `Rev.1`, `Corr.2`.
const TITLE_CASE_PREFIXES: [&str; 5] = ["ADD", "REV", "CORR", "AMEND", "SUPPL"];

fn document(input: &str, collapsed: &str) -> Result<Symbol, SymbolError> {
    let err = |reason: String| SymbolError { input: input.to_string(), reason };
    if collapsed.contains(' ') || collapsed.contains(['(', ')', '[', ']', ',']) {
        return Err(err(
            "only Security Council resolutions carry a year in parentheses; other symbols have no spaces or brackets"
                .to_string(),
        ));
    }
    let components: Vec<&str> = collapsed.split('/').collect();
    if components.len() < 2 {
        return Err(err("a symbol has at least two components separated by `/`, such as A/65/201".to_string()));
    }
    if let Some(i) = components.iter().position(|c| c.is_empty()) {
        return Err(err(format!("component {} is empty", i + 1)));
    }
    let root = components[0];
    if !root.bytes().all(|b| b.is_ascii_uppercase()) || root.len() > 8 {
        return Err(err(format!(
            "`{root}` is not a symbol's first component (a series letter such as A, E, S, or a body such as UNODC)"
        )));
    }
    if !components.iter().any(|c| c.bytes().any(|b| b.is_ascii_digit())) {
        return Err(err("a document symbol carries a session, year or number, and this one has none".to_string()));
    }
    let mut canonical = Vec::with_capacity(components.len());
    for c in &components {
        let well_formed = c.split(['.', '-']).all(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric()));
        if !well_formed {
            return Err(err(format!("`{c}` is not a symbol component (letters and digits joined by `.` or `-`)")));
        }
        let head = c.split('.').next().unwrap_or_default();
        if c.contains('.') && TITLE_CASE_PREFIXES.contains(&head) {
            let (word, tail) = c.split_at(head.len());
            canonical.push(format!("{}{}{}", &word[..1], word[1..].to_ascii_lowercase(), tail));
        } else {
            canonical.push((*c).to_string());
        }
    }
    Ok(Symbol(Repr::Document { components: canonical }))
}

/// The languages a WSIS document's symbol may end with (`-E` for English).
const WSIS_LANGUAGES: [&str; 6] = ["A", "C", "E", "F", "R", "S"];

/// A document of the World Summit on the Information Society: `WSIS-05/TUNIS/DOC/6(Rev.1)-E`,
/// `WSIS-03/GENEVA/CONTR/6`, `WSIS-II/PC-3/DOC/15-E`. The summit numbered its documents by
/// phase (`WSIS-03`, `WSIS-05`, or `WSIS-II`) and place; the last component may carry a
/// revision in parentheses, `(Rev.1)`, and a language suffix. Canonical form: upper case
/// except `Rev`.
fn wsis(input: &str, collapsed: &str) -> Result<Symbol, SymbolError> {
    let err = |reason: String| SymbolError { input: input.to_string(), reason };
    let components: Vec<&str> = collapsed.split('/').collect();
    let phase = components[0].strip_prefix("WSIS-").unwrap_or_default();
    let phase_ok = (phase.len() == 2 && phase.bytes().all(|b| b.is_ascii_digit()))
        || (!phase.is_empty() && phase.len() <= 4 && phase.bytes().all(|b| b"IVX".contains(&b)));
    if !phase_ok {
        return Err(err(format!(
            "`{}` is not a WSIS phase: write WSIS-03, WSIS-05 or WSIS-II, as in WSIS-05/TUNIS/DOC/6(Rev.1)-E",
            components[0]
        )));
    }
    if components.len() < 3 {
        return Err(err(
            "a WSIS symbol names its phase, a place or body, and a number, as in WSIS-03/GENEVA/CONTR/6".to_string()
        ));
    }
    let plain = |c: &str| c.split(['.', '-']).all(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric()));
    let (last, middle) = components[1..].split_last().unwrap_or((&"", &[]));
    if let Some(c) = middle.iter().find(|c| !plain(c)) {
        return Err(err(format!("`{c}` is not a symbol component (letters and digits joined by `.` or `-`)")));
    }
    // The last component: NUMBER, then an optional `(REV.n)`, then an optional `-LANGUAGE`.
    let (body, language) = match last.rsplit_once('-') {
        Some((body, lang)) if WSIS_LANGUAGES.contains(&lang) && !body.is_empty() => (body, Some(lang)),
        _ => (*last, None),
    };
    let (number, revision) = match body.split_once('(') {
        None if body.contains(')') => return Err(err(format!("`{last}` closes a parenthesis it never opens"))),
        None => (body, None),
        Some((number, rest)) => {
            let revision = rest
                .strip_suffix(')')
                .and_then(|r| r.strip_prefix("REV."))
                .filter(|n| !n.is_empty() && n.len() <= 2 && n.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| err(format!("`{last}`: a revision is written (Rev.N) right after the number")))?;
            (number, Some(revision))
        }
    };
    if number.is_empty() || !plain(number) || !number.bytes().any(|b| b.is_ascii_digit()) {
        return Err(err(format!("`{last}` does not end in a document number")));
    }
    let mut canonical: Vec<String> = components[..components.len() - 1].iter().map(|c| c.to_string()).collect();
    let mut tail = number.to_string();
    if let Some(n) = revision {
        tail.push_str(&format!("(Rev.{n})"));
    }
    if let Some(lang) = language {
        tail.push_str(&format!("-{lang}"));
    }
    canonical.push(tail);
    Ok(Symbol(Repr::Document { components: canonical }))
}

impl fmt::Display for GaSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GaSession::Regular(n) => write!(f, "{n}"),
            GaSession::Special(n) => write!(f, "S-{n}"),
            GaSession::EmergencySpecial(n) => write!(f, "ES-{n}"),
        }
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(letters) = &self.letters {
            f.write_str(letters)?;
        }
        if let Some(section) = &self.section {
            write!(f, "/{section}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::GaResolution { session, number, part } => write!(f, "A/RES/{session}/{number}{part}"),
            Repr::GaResolutionNumbered { number, session, part } => {
                let session = match session {
                    GaSession::Regular(n) => roman(*n),
                    GaSession::Special(n) => format!("S-{}", roman(*n)),
                    GaSession::EmergencySpecial(n) => format!("ES-{}", roman(*n)),
                };
                write!(f, "A/RES/{number}({session}){part}")
            }
            Repr::ScResolution { number, year: Some(year) } => write!(f, "S/RES/{number} ({year})"),
            Repr::ScResolution { number, year: None } => write!(f, "S/RES/{number}"),
            Repr::EcosocResolution { year, number } => write!(f, "E/RES/{year}/{number}"),
            Repr::CommissionResolution { commission, session, number } => {
                write!(f, "{}/RES/{session}/{number}", commission.abbreviation())
            }
            Repr::Document { components } => f.write_str(&components.join("/")),
        }
    }
}

impl FromStr for Symbol {
    type Err = SymbolError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Symbol::parse(s)
    }
}

impl Serialize for Symbol {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Symbol {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Symbol::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[track_caller]
    fn check(input: &str, canonical: &str) {
        let symbol = Symbol::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(symbol.to_string(), canonical, "canonical form of {input}");
        assert_eq!(Symbol::parse(canonical).unwrap(), symbol, "{canonical} reparses to the same symbol");
    }

    #[track_caller]
    fn check_error(input: &str, reason_contains: &str) {
        let error = Symbol::parse(input).expect_err(input);
        assert!(error.reason.contains(reason_contains), "{input}: `{}` lacks `{reason_contains}`", error.reason);
    }

    #[test]
    fn forms_from_the_seeds_and_datasets() {
        check("A/RES/53/70", "A/RES/53/70");
        check("R/60/45", "A/RES/60/45");
        check("A/RES/74/247", "A/RES/74/247");
        check("A/C.1/61/L.35", "A/C.1/61/L.35");
        check("A/57/529/Add.3", "A/57/529/Add.3");
        check("A/57/529/ADD.3", "A/57/529/Add.3");
        check("A/65/201", "A/65/201");
        check("A/66/359", "A/66/359");
        check("A/CONF.213/18", "A/CONF.213/18");
        check("E/2010/30", "E/2010/30");
        check("E/CN.15/2011/19", "E/CN.15/2011/19");
        check("E/1999/28/Rev.1", "E/1999/28/Rev.1");
        check("2004/26", "E/RES/2004/26");
        check("ECOSOC resolution 2004/26", "E/RES/2004/26");
        check("E/RES/2004/26", "E/RES/2004/26");
        check("CND resolution 43/8", "CND/RES/43/8");
        check("CND 43/8", "CND/RES/43/8");
        check("CCPCJ resolution 20/7", "CCPCJ/RES/20/7");
        check("S/RES/1373 (2001)", "S/RES/1373 (2001)");
        check("S/RES/1373(2001)", "S/RES/1373 (2001)");
        check("S/RES/1535", "S/RES/1535");
        check("UNODC/CCPCJ/EG.4/2011/3", "UNODC/CCPCJ/EG.4/2011/3");
        check("  a/res/53/70 ", "A/RES/53/70");
    }

    #[test]
    fn dataset_spellings_meet_official_ones() {
        assert_eq!(Symbol::parse("R/60/45").unwrap(), Symbol::parse("A/RES/60/45").unwrap());
        check("R/20/2073", "A/RES/2073(XX)");
        check("A/RES/2073(XX)", "A/RES/2073(XX)");
        check("A/RES/2073 (XX)", "A/RES/2073(XX)");
        check("R/1/1061A", "A/RES/1061(I)A");
        check("A/RES/61/250A", "A/RES/61/250A");
        check("A/RES/55/33[B]", "A/RES/55/33B");
        check("R/1/1287/A", "A/RES/1287(I)A");
        check("R/34/233/XII", "A/RES/34/233/XII");
        check("R/33/116B/VII", "A/RES/33/116B/VII");
        check("A/RES/3379(XXX)", "A/RES/3379(XXX)");
        check("A/RES/1761(XVII)", "A/RES/1761(XVII)");
        // Found by the fuzzer: an old-style resolution with a section.
        check("A/RES/2/7/ii", "A/RES/7(II)/II");
        check("ESS/1/34", "A/RES/ES-1/34");
        check("A/RES/ES-10/6", "A/RES/ES-10/6");
        check("SS/1/59", "A/RES/S-1/59");
        check("A/76/L.14", "A/76/L.14");
    }

    /// Part letters and sections as the two vote datasets write them; the rules and their
    /// evidence are at [`suffix`].
    #[test]
    fn parts_and_sections() {
        // A lone letter as its own component: C, L, D, M are parts (no 100th section).
        check("R/42/209/A", "A/RES/42/209A");
        check("R/42/209/C", "A/RES/42/209C");
        check("R/42/209/D", "A/RES/42/209D");
        check("A/RES/42/209C", "A/RES/42/209C");
        assert_eq!(Symbol::parse("R/42/209/C").unwrap(), Symbol::parse("A/RES/42/209C").unwrap());
        check("A/RES/1/5/L", "A/RES/5(I)L");
        check("A/RES/40/5/M", "A/RES/40/5M");
        check("ESS/2/79/D", "A/RES/ES-2/79D");
        // … and I, V, X are sections (unvotes: R/31/208/I beside R/31/208/III).
        check("R/31/208/I", "A/RES/31/208/I");
        check("R/34/233/I", "A/RES/34/233/I");
        check("R/31/208/III", "A/RES/31/208/III");
        check("A/RES/40/5/V", "A/RES/40/5/V");
        check("A/RES/40/5/X", "A/RES/40/5/X");
        // Glued or bracketed, one letter is a part, I, V and X too (53/77 runs to Z).
        check("R/53/77X", "A/RES/53/77X");
        check("A/RES/54/54V", "A/RES/54/54V");
        check("A/RES/55/33[I]", "A/RES/55/33I");
        check("R/40/243I", "A/RES/40/243I");
        check("R/61/128AB", "A/RES/61/128AB");
        check("A/RES/289(IV)[AA]", "A/RES/289(IV)AA");
        // … and two or more letters of I, V, X are a section.
        check("A/RES/36/235IV", "A/RES/36/235/IV");
        check("A/RES/36/235XVII", "A/RES/36/235/XVII");
        check("A/RES/34/233[XIII]", "A/RES/34/233/XIII");
        check("A/RES/31/208[III]", "A/RES/31/208/III");
        check("A/RES/62(I)[II]", "A/RES/62(I)/II");
        assert_eq!(Symbol::parse("A/RES/36/235IV").unwrap(), Symbol::parse("R/36/235/IV").unwrap());
        // Part and section together, and sections spelt out.
        check("A/RES/50/38[B-II]", "A/RES/50/38B/II");
        check("R/50/38B/II", "A/RES/50/38B/II");
        check("A/RES/37/235C-II", "A/RES/37/235C/II");
        check("A/RES/33/116[A-I]", "A/RES/33/116A/I");
        check("R/33/116A/I", "A/RES/33/116A/I");
        check("A/RES/33/116[C-X]", "A/RES/33/116C/X");
        check("A/RES/39/236[SectionIII]", "A/RES/39/236/III");
        // A range of parts voted together.
        check("A/RES/75/254A-C", "A/RES/75/254A-C");
        check("A/RES/32/4[B-C]", "A/RES/32/4B-C");
        check("A/RES/377(V)[A-C]", "A/RES/377(V)A-C");
        // Old-style resolutions of special and emergency special sessions.
        check("A/RES/1004(ES-II)", "A/RES/1004(ES-II)");
        check("A/RES/106(S-1)", "A/RES/106(S-I)");
        check("A/RES/1875(S-IV)", "A/RES/1875(S-IV)");
        check("A/RES/1875 (S-IV) B", "A/RES/1875(S-IV)B");
    }

    #[test]
    fn errors_say_why() {
        check_error("", "empty");
        check_error("53/70", "ambiguous");
        check_error("A/RES/53", "A/RES/SESSION/NUMBER");
        check_error("A/RES/x/70", "session");
        check_error("A/RES/53/0", "cannot be 0");
        check_error("A//201", "empty");
        check_error("A/RES/53/70;", "character");
        check_error("hello", "at least two components");
        check_error("A/B", "none");
        check_error("S/RES/1373 (2001", "not closed");
        check_error("A/RES/2073(XXXV)", "old style");
        check_error("A/RES/2073(IIII)", "Roman");
        check_error("CND 43", "SESSION/NUMBER");
        check_error("A/RES/63(I)[PARA.1]", "neither part letters");
        check_error("A/RES/17(I)[RULE-T]", "neither part letters");
        check_error("R/16/2/1069B", "neither part letters");
        check_error("A/RES/50/38B/C", "repeats");
        check_error("A/RES/50/38/II/", "too many");
        check_error("A/RES/1004(ES-XL)", "old style");
        check_error("A/RES/75/254C-A", "neither part letters");
        // Found by the fuzz target: `II` glued to the number is a section, so `II-III`
        // could not print a canonical form that parses back.
        check_error("SS/223/2II-III", "neither part letters");
        check("A/RES/S-22/2B-III", "A/RES/S-22/2B/III");
        // Found by `resolution_suffixes_are_a_fixed_point`: a `/` is not a part letter.
        check_error("A/RES/1(V)//", "neither part letters");
    }

    #[test]
    fn security_council_resolutions_without_a_year_match_the_full_symbol() {
        let full = Symbol::parse("S/RES/1373 (2001)").unwrap();
        assert!(Symbol::parse("S/RES/1373").unwrap().same_document(&full));
        assert!(!Symbol::parse("S/RES/1373 (2002)").unwrap().same_document(&full));
        assert!(!Symbol::parse("S/RES/1374").unwrap().same_document(&full));
    }

    #[test]
    fn what_a_symbol_implies() {
        use crate::domain::DocumentKind;
        assert_eq!(Symbol::parse("A/C.1/61/L.35").unwrap().implied_kind(), Some(DocumentKind::Draft));
        assert_eq!(Symbol::parse("R/60/45").unwrap().implied_kind(), Some(DocumentKind::Resolution));
        assert_eq!(Symbol::parse("A/65/201").unwrap().implied_kind(), None);
        assert_eq!(Symbol::parse("A/C.1/61/L.35").unwrap().ga_session(), Some(61));
        assert_eq!(Symbol::parse("A/57/529/Add.3").unwrap().ga_session(), Some(57));
        assert_eq!(Symbol::parse("A/CONF.213/18").unwrap().ga_session(), None);
        assert_eq!(Symbol::parse("A/AC.292/2025/CRP.1").unwrap().ga_session(), None);
        assert_eq!(Symbol::parse("A/RES/53/70").unwrap().year_hint(), Some(1998));
        assert_eq!(Symbol::parse("S/RES/1373 (2001)").unwrap().year_hint(), Some(2001));
        let part = Symbol::parse("R/42/209/C").unwrap();
        assert_eq!(part.whole().to_string(), "A/RES/42/209");
        assert_eq!(part.part_letters(), Some("C"));
        assert_eq!(part.section(), None);
        assert_eq!(part.part_as_section(), None);
        let glued = Symbol::parse("A/RES/31/208[I]").unwrap();
        assert_eq!(glued.part_as_section().unwrap().to_string(), "A/RES/31/208/I");
        assert_eq!(Symbol::parse("R/34/233/XII").unwrap().section(), Some("XII"));
    }

    fn arb_symbol() -> impl Strategy<Value = Symbol> {
        let part = (
            proptest::option::of("[A-H]{1,2}"),
            proptest::option::of(prop_oneof![Just("XII"), Just("IV"), Just("IX")]),
        )
            .prop_map(|(letters, section)| Part { letters, section: section.map(|s: &str| s.to_string()) });
        prop_oneof![
            (31u16..200, 1u32..100_000, part.clone()).prop_map(|(s, n, part)| Symbol(Repr::GaResolution {
                session: GaSession::Regular(s),
                number: n,
                part
            })),
            (1u16..30, 1u32..30, part.clone()).prop_map(|(s, n, part)| Symbol(Repr::GaResolution {
                session: GaSession::EmergencySpecial(s),
                number: n,
                part
            })),
            (1u32..10_000, 1u16..=30, part.clone()).prop_map(|(n, s, part)| Symbol(Repr::GaResolutionNumbered {
                number: n,
                session: GaSession::Regular(s),
                part
            })),
            (1u32..10_000, 1u16..=30, any::<bool>(), part.clone()).prop_map(|(n, s, emergency, part)| {
                let session = if emergency { GaSession::EmergencySpecial(s) } else { GaSession::Special(s) };
                Symbol(Repr::GaResolutionNumbered { number: n, session, part })
            }),
            (1u32..3000, proptest::option::of(1946u16..2100))
                .prop_map(|(n, y)| Symbol(Repr::ScResolution { number: n, year: y })),
            (1946u16..2100, 1u32..100).prop_map(|(y, n)| Symbol(Repr::EcosocResolution { year: y, number: n })),
            (1u16..100, 1u32..50, any::<bool>()).prop_map(|(s, n, cnd)| Symbol(Repr::CommissionResolution {
                commission: if cnd { Commission::Cnd } else { Commission::Ccpcj },
                session: s,
                number: n
            })),
            (
                "[A-Z]{1,3}",
                proptest::collection::vec(
                    "(C\\.[1-6]|CN\\.[0-9]{1,2}|[0-9]{1,4}|L\\.[0-9]{1,3}|Add\\.[0-9]|Rev\\.[0-9])",
                    1..5
                )
            )
                .prop_filter("roots that spell resolutions", |(root, _)| !["R", "SS", "ESS"].contains(&root.as_str()))
                .prop_map(|(root, rest)| {
                    let mut components = vec![root];
                    components.extend(rest);
                    components.push("1".to_string());
                    Symbol(Repr::Document { components })
                }),
        ]
    }

    proptest! {
        #[test]
        fn parse_display_roundtrip(symbol in arb_symbol()) {
            let text = symbol.to_string();
            let reparsed = Symbol::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            prop_assert_eq!(&reparsed, &symbol);
            prop_assert_eq!(reparsed.to_string(), text);
        }

        #[test]
        fn canonical_form_is_a_fixed_point(input in "[A-Za-z0-9 /.()\\[\\]-]{0,40}") {
            if let Ok(symbol) = Symbol::parse(&input) {
                let canonical = symbol.to_string();
                let again = Symbol::parse(&canonical).unwrap_or_else(|e| panic!("{input} -> {canonical}: {e}"));
                prop_assert_eq!(again.to_string(), canonical);
            }
        }

        /// The spellings of parts and sections (`/C`, `[B-II]`, `235IV`, `(ES-II)`) reparse
        /// from their canonical form to the same symbol.
        #[test]
        fn resolution_suffixes_are_a_fixed_point(
            input in "(A/RES/|R/|ESS/|SS/)[0-9]{1,2}/[0-9]{1,4}[A-Z\\[\\]/ -]{0,8}|A/RES/[0-9]{1,4} ?\\((S-|ES-)?[IVX0-9]{1,4}\\)[A-Z\\[\\]/ -]{0,8}"
        ) {
            if let Ok(symbol) = Symbol::parse(&input) {
                let canonical = symbol.to_string();
                let again = Symbol::parse(&canonical).unwrap_or_else(|e| panic!("{input} -> {canonical}: {e}"));
                prop_assert_eq!(&again, &symbol, "{} -> {}", input, canonical);
                prop_assert_eq!(again.to_string(), canonical);
            }
        }

        #[test]
        fn never_panics(input in "\\PC{0,60}") {
            let _ = Symbol::parse(&input);
        }
    }
}

#[cfg(test)]
mod wsis_tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn wsis_documents_parse_to_one_canonical_form() {
        for (input, canonical) in [
            ("WSIS-05/TUNIS/DOC/6(Rev.1)-E", "WSIS-05/TUNIS/DOC/6(Rev.1)-E"),
            ("wsis-05/tunis/doc/6(rev.1)-e", "WSIS-05/TUNIS/DOC/6(Rev.1)-E"),
            ("WSIS-05/TUNIS/DOC/9(Rev.1)-E", "WSIS-05/TUNIS/DOC/9(Rev.1)-E"),
            ("WSIS-05/TUNIS/DOC/7-E", "WSIS-05/TUNIS/DOC/7-E"),
            ("WSIS-03/GENEVA/CONTR/6", "WSIS-03/GENEVA/CONTR/6"),
            ("WSIS-II/PC-3/DOC/15-E", "WSIS-II/PC-3/DOC/15-E"),
        ] {
            let symbol = Symbol::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(symbol.to_string(), canonical, "{input}");
            assert_eq!(symbol.organ(), SymbolOrgan::Other);
            assert_eq!(symbol.ga_session(), None);
        }
        assert_ne!(
            Symbol::parse("WSIS-05/TUNIS/DOC/6(Rev.1)-E").unwrap(),
            Symbol::parse("WSIS-05/TUNIS/DOC/6-E").unwrap()
        );
    }

    #[test]
    fn malformed_wsis_symbols_say_why() {
        for (input, reason) in [
            // Maurer's bibliography drops the opening parenthesis.
            ("WSIS-05/TUNIS/DOC/9Rev.1)-E", "closes a parenthesis"),
            ("WSIS-5/TUNIS/DOC/6-E", "not a WSIS phase"),
            ("WSIS-05/DOC", "names its phase"),
            ("WSIS-05/TUNIS/DOC/6(Corr.1)-E", "revision is written (Rev.N)"),
            ("WSIS-05/TUNIS/DOC/(Rev.1)-E", "does not end in a document number"),
            ("WSIS-05/TU(NIS/DOC/6-E", "not a symbol component"),
        ] {
            let error = Symbol::parse(input).expect_err(input);
            assert!(error.reason.contains(reason), "{input}: {}", error.reason);
        }
    }

    fn arb_wsis() -> impl Strategy<Value = String> {
        (
            prop_oneof![Just("03".to_string()), Just("05".to_string()), Just("II".to_string())],
            prop_oneof![Just("TUNIS"), Just("GENEVA"), Just("PC-3")],
            prop_oneof![Just("DOC"), Just("CONTR"), Just("ADM")],
            1u32..100,
            proptest::option::of(1u8..10),
            proptest::option::of(prop_oneof![Just("E"), Just("F"), Just("S")]),
        )
            .prop_map(|(phase, place, kind, n, rev, lang)| {
                let mut s = format!("WSIS-{phase}/{place}/{kind}/{n}");
                if let Some(r) = rev {
                    s.push_str(&format!("(Rev.{r})"));
                }
                if let Some(l) = lang {
                    s.push_str(&format!("-{l}"));
                }
                s
            })
    }

    proptest! {
        #[test]
        fn wsis_symbols_round_trip(text in arb_wsis()) {
            let symbol = Symbol::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            prop_assert_eq!(symbol.to_string(), text.clone());
            prop_assert_eq!(Symbol::parse(&text.to_lowercase()).unwrap(), symbol);
        }

        #[test]
        fn wsis_like_input_never_panics(tail in "[A-Za-z0-9/.()-]{0,30}") {
            let input = format!("WSIS-{tail}");
            if let Ok(symbol) = Symbol::parse(&input) {
                let again = Symbol::parse(&symbol.to_string()).unwrap();
                prop_assert_eq!(again, symbol);
            }
        }
    }
}
