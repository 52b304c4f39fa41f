//! Highlighted passages: the window of a text with the most distinct matched patterns,
//! found by scanning its tokens with the same rule as the index.

use std::collections::VecDeque;

use crate::query::Pattern;
use crate::token::spans;

/// A passage of a snippet, as plain text, and whether it matched the query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnippetPart {
    pub text: String,
    pub matched: bool,
}

/// A passage of a text with its matches marked. `…` stands for text left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snippet {
    pub parts: Vec<SnippetPart>,
}

impl Snippet {
    /// The passage as HTML: the text escaped, each match in `<mark>…</mark>`. Safe to
    /// embed in an element's content or a quoted attribute.
    pub fn to_html(&self) -> String {
        let mut html = String::new();
        for part in &self.parts {
            if part.matched {
                html.push_str("<mark>");
            }
            escape_html_into(&part.text, &mut html);
            if part.matched {
                html.push_str("</mark>");
            }
        }
        html
    }

    /// The passage as plain text.
    pub fn text(&self) -> String {
        self.parts.iter().map(|p| p.text.as_str()).collect()
    }

    /// The matched passages.
    pub fn matches(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter(|p| p.matched).map(|p| p.text.as_str())
    }
}

pub fn escape_html_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// A match: byte range in the text and which phrase it is.
#[derive(Clone, Copy, Debug)]
struct Match {
    start: usize,
    end: usize,
    phrase: usize,
}

/// About how many bytes of text a snippet shows.
pub const WIDTH: usize = 220;
/// How much text comes before the first match of the window.
const LEAD: usize = 60;

/// The best passage of `text` for `phrases` (the query's patterns that are not negated).
pub fn snippet(text: &str, phrases: &[Vec<Pattern>]) -> Snippet {
    let matches = find_matches(text, phrases);
    let chosen = best_window(&matches);
    let (start, end) = match chosen {
        Some((first, last)) => around(text, matches[first].start, matches[last].end),
        None => (0, shrink_end(text, 0, floor_boundary(text, WIDTH.min(text.len())))),
    };
    let mut parts = Vec::new();
    if start > 0 {
        push(&mut parts, "…", false);
    }
    let mut pos = start;
    if let Some((first, _)) = chosen {
        for m in &matches[first..] {
            if m.start >= end || m.end > end {
                break;
            }
            if m.start < pos {
                // Overlaps the previous match: extend it.
                if m.end > pos {
                    push(&mut parts, &text[pos..m.end], true);
                    pos = m.end;
                }
                continue;
            }
            push(&mut parts, &text[pos..m.start], false);
            push(&mut parts, &text[m.start..m.end], true);
            pos = m.end;
        }
    }
    push(&mut parts, &text[pos..end], false);
    if end < text.len() {
        push(&mut parts, "…", false);
    }
    Snippet { parts }
}

/// Appends `text` with runs of white space made single spaces, merging with the previous
/// part when it has the same flag.
fn push(parts: &mut Vec<SnippetPart>, text: &str, matched: bool) {
    if text.is_empty() {
        return;
    }
    let mut clean = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                clean.push(' ');
                space = false;
            }
            clean.push(c);
        }
    }
    if space {
        clean.push(' ');
    }
    match parts.last_mut() {
        Some(last) if last.matched == matched => last.text.push_str(&clean),
        _ => parts.push(SnippetPart { text: clean, matched }),
    }
}

/// Every place a phrase matches, in text order; stops early after a window that holds every
/// phrase (nothing later can beat it).
fn find_matches(text: &str, phrases: &[Vec<Pattern>]) -> Vec<Match> {
    let mut matches = Vec::new();
    let longest = phrases.iter().map(Vec::len).max().unwrap_or(0);
    if longest == 0 {
        return matches;
    }
    let distinct = phrases.len();
    let mut recent: VecDeque<(usize, usize)> = VecDeque::with_capacity(longest);
    // Once a window holds every phrase, scan only to its end (to mark its other matches).
    let mut stop_at = usize::MAX;
    for token in spans(text) {
        if token.0 >= stop_at {
            break;
        }
        if recent.len() == longest {
            recent.pop_front();
        }
        recent.push_back(token);
        for (i, phrase) in phrases.iter().enumerate() {
            let m = phrase.len();
            if m > recent.len() {
                continue;
            }
            let tail = recent.range(recent.len() - m..);
            if tail.zip(phrase).all(|(&(start, end), p)| p.matches_raw(&text[start..end])) {
                matches.push(Match { start: recent[recent.len() - m].0, end: recent[recent.len() - 1].1, phrase: i });
            }
        }
        if stop_at == usize::MAX
            && let Some(last) = matches.last()
            && last.end == recent[recent.len() - 1].1
            && let Some(first) = covering_start(&matches, distinct)
        {
            stop_at = first + WIDTH;
        }
    }
    matches.sort_by_key(|m| (m.start, m.end));
    matches
}

/// If the matches ending at the last one and fitting in a window hold every phrase, where
/// the first of them starts.
fn covering_start(matches: &[Match], distinct: usize) -> Option<usize> {
    let last = matches[matches.len() - 1];
    let mut seen = vec![false; distinct];
    let mut first = last.start;
    for m in matches.iter().rev() {
        if last.end - m.start > WIDTH - LEAD {
            break;
        }
        seen[m.phrase] = true;
        first = first.min(m.start);
    }
    seen.iter().all(|&s| s).then_some(first)
}

/// The window (first and last match index) with the most distinct phrases, then the most
/// matches, then the earliest.
fn best_window(matches: &[Match]) -> Option<(usize, usize)> {
    let mut best: Option<((usize, usize), (usize, usize))> = None;
    for first in 0..matches.len() {
        let mut seen: Vec<usize> = Vec::new();
        let mut last = first;
        for (j, m) in matches.iter().enumerate().skip(first) {
            if m.end - matches[first].start > WIDTH - LEAD {
                break;
            }
            if !seen.contains(&m.phrase) {
                seen.push(m.phrase);
            }
            last = j;
        }
        let score = (seen.len(), last - first + 1);
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, (first, last)));
        }
    }
    best.map(|(_, window)| window)
}

/// A window of about [`WIDTH`] bytes around `[from, to)`, cut at white space.
fn around(text: &str, from: usize, to: usize) -> (usize, usize) {
    let mut start = floor_boundary(text, from.saturating_sub(LEAD));
    if start > 0 {
        // Begin after a space, so as not to cut a word.
        start = match text[start..from].find(char::is_whitespace) {
            Some(i) => start + i + text[start + i..].chars().next().map_or(1, char::len_utf8),
            None => from,
        };
    }
    let end = floor_boundary(text, (start + WIDTH).max(to).min(text.len()));
    (start, shrink_end(text, to, end))
}

/// Moves `end` back to the last white space after `keep`, unless it is the end of the text.
fn shrink_end(text: &str, keep: usize, end: usize) -> usize {
    if end >= text.len() {
        return text.len();
    }
    match text[keep..end].rfind(char::is_whitespace) {
        Some(i) if keep + i > keep => keep + i,
        _ => end,
    }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Query;
    use proptest::prelude::*;

    fn html(text: &str, query: &str) -> String {
        snippet(text, &Query::parse(query).unwrap().positive_phrases()).to_html()
    }

    #[test]
    fn marks_words_prefixes_and_phrases() {
        assert_eq!(html("The Cyber norms", "cyber"), "The <mark>Cyber</mark> norms");
        assert_eq!(html("cyberspace and cybercrime", "cyber*"), "<mark>cyberspace</mark> and <mark>cybercrime</mark>");
        assert_eq!(
            html("critical information infrastructure, critical infrastructure", "\"critical infrastructure\""),
            "critical information infrastructure, <mark>critical infrastructure</mark>"
        );
        assert_eq!(html("no match here", "cyber"), "no match here");
        assert_eq!(html("a b c", "a -b"), "<mark>a</mark> b c");
        // Overlapping matches merge into one mark.
        assert_eq!(
            html("information security", "\"information security\" security"),
            "<mark>information security</mark>"
        );
    }

    #[test]
    fn escapes_html() {
        assert_eq!(
            html("<script>alert('x')</script> & \"cyber\"", "cyber"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;<mark>cyber</mark>&quot;"
        );
        assert_eq!(html("<b>", "b"), "&lt;<mark>b</mark>&gt;");
    }

    #[test]
    fn long_texts_are_cut_around_the_best_window() {
        let filler = "word ".repeat(200);
        let text = format!("{filler}cyber alone. {filler}cyber and norms together. {filler}");
        let s = snippet(&text, &Query::parse("cyber norms").unwrap().positive_phrases());
        let plain = s.text();
        assert!(plain.starts_with('…') && plain.ends_with('…'), "{plain}");
        assert!(plain.contains("cyber and norms together"), "{plain}");
        assert_eq!(s.matches().collect::<Vec<_>>(), ["cyber", "norms"]);
        assert!(plain.len() <= WIDTH + 10, "{}", plain.len());
        // White space runs collapse.
        let s = snippet("a\n\n  cyber\tb", &Query::parse("cyber").unwrap().positive_phrases());
        assert_eq!(s.text(), "a cyber b");
    }

    proptest! {
        #[test]
        fn never_panics_and_keeps_matches(text in "\\PC{0,300}", word in "[a-zé]{1,3}") {
            let s = snippet(&text, &[vec![Pattern::Prefix(word.clone())]]);
            for m in s.matches() {
                prop_assert!(crate::token::lowercase(m).contains(word.as_str()));
            }
        }
    }
}
