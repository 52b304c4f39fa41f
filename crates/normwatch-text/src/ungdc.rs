//! The UN General Debate Corpus (UNGDC): one plain-text file per speech, named
//! `ISO3_NN_YYYY.txt` (speaker, session, year), in folders `Session NN - YYYY`, shipped as
//! a `.tar.gz` (see the corpus's PROVENANCE.md in the shared data).
//!
//! [`read_archive`] streams the archive (gzip recognised by its magic bytes, plain tar
//! otherwise) without extracting it; [`read_files`] reads files a caller walking a folder
//! has opened, and [`speech_from_bytes`] one file. Every entry that is not a readable speech is reported with
//! its path ([`EntryProblem`]); nothing is dropped silently. Texts lose a leading
//! byte-order mark, CR and CRLF become LF, and form feeds (page breaks) become LF.
//!
//! Speakers resolve through the core's state registry by their ISO3 code (historical
//! states such as `YUG`, `CSK`, `DDR`, `YMD` and observers such as `VAT` and `PSE` are in
//! it); a code the registry does not know (the corpus's `EU`) is kept as
//! [`Speaker::Unresolved`] and counted in [`ReadSummary::unresolved`].

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};

use normwatch_core::Iso3;

use crate::count::SpeechMeta;
use crate::token::count_words;

/// Who gave a speech.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Speaker {
    State(Iso3),
    /// A code of the corpus that the state registry does not know.
    Unresolved(String),
}

impl Speaker {
    /// Resolves a corpus code: an ISO3 code of the registry, or unresolved.
    pub fn resolve(code: &str) -> Speaker {
        match Iso3::parse(code) {
            Ok(iso3) if iso3.as_str() == code => Speaker::State(iso3),
            _ => Speaker::Unresolved(code.to_string()),
        }
    }

    /// The code as the corpus writes it.
    pub fn code(&self) -> &str {
        match self {
            Speaker::State(iso3) => iso3.as_str(),
            Speaker::Unresolved(code) => code,
        }
    }
}

/// One speech of the corpus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Speech {
    /// The entry's path in the archive or folder.
    pub path: String,
    pub speaker: Speaker,
    pub session: u16,
    pub year: u16,
    /// Number of tokens ([`crate::token`]).
    pub words: u32,
    /// The text, normalised (no BOM, LF line ends, no form feeds).
    pub text: String,
}

impl Speech {
    /// What counting needs of the speech.
    pub fn meta(&self) -> SpeechMeta {
        SpeechMeta { state: self.speaker.code().to_string(), session: self.session, year: self.year, words: self.words }
    }
}

/// An entry that is not a readable speech, with its path and the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct EntryProblem {
    pub path: String,
    pub reason: String,
}

/// The archive itself cannot be read (not gzip or tar, truncated): nothing after the
/// failure point can be trusted.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{source_name}: cannot read the archive: {error}")]
    Archive { source_name: String, error: std::io::Error },
    #[error("{source_name}: cannot read the archive after entry {after}: {error}")]
    Entry { source_name: String, after: String, error: std::io::Error },
}

/// What a whole read found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadSummary {
    pub speeches: usize,
    pub problems: Vec<EntryProblem>,
    /// Unresolved speaker codes with their number of speeches.
    pub unresolved: BTreeMap<String, usize>,
}

/// Reads a file name `ISO3_NN_YYYY.txt` (the directory part, if any, is checked against
/// `Session NN - YYYY` when present): speaker code, session, year.
pub fn parse_path(path: &str) -> Result<(String, u16, u16), String> {
    let normalized = path.replace('\\', "/");
    let mut parts = normalized.rsplit('/');
    let name = parts.next().unwrap_or("");
    let stem = name.strip_suffix(".txt").ok_or_else(|| format!("`{name}` is not a .txt file"))?;
    let fields: Vec<&str> = stem.split('_').collect();
    let [code, session, year] = fields[..] else {
        return Err(format!("`{name}` is not named CODE_NN_YYYY.txt"));
    };
    if !(2..=3).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(format!("`{code}` in `{name}` is not a speaker code (two or three capital letters)"));
    }
    let number = |text: &str, what: &str, len: usize| -> Result<u16, String> {
        if text.len() != len || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("`{text}` in `{name}` is not a {what} of {len} digits"));
        }
        text.parse().map_err(|_| format!("`{text}` in `{name}` is not a {what}"))
    };
    let session = number(session, "session", 2)?;
    let year = number(year, "year", 4)?;
    if session == 0 || u32::from(year) != 1945 + u32::from(session) {
        return Err(format!("`{name}`: session {session} is not held in {year} (session N is in 1945 + N)"));
    }
    if let Some(folder) = parts.next()
        && let Some(rest) = folder.strip_prefix("Session ")
    {
        let expected = format!("{session:02} - {year}");
        if rest != expected {
            return Err(format!("`{name}` lies in the folder `{folder}`, not `Session {expected}`"));
        }
    }
    Ok((code.to_string(), session, year))
}

/// Normalises a speech's text: strips a byte-order mark, turns CRLF, CR and form feeds
/// into LF.
pub fn normalize(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.contains(['\r', '\u{c}']) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\u{c}' => out.push('\n'),
            c => out.push(c),
        }
    }
    out
}

/// Reads one speech file from its path (for the name) and its bytes.
pub fn speech_from_bytes(path: &str, bytes: &[u8]) -> Result<Speech, EntryProblem> {
    let problem = |reason: String| EntryProblem { path: path.to_string(), reason };
    let (code, session, year) = parse_path(path).map_err(problem)?;
    let raw = std::str::from_utf8(bytes)
        .map_err(|e| problem(format!("not UTF-8 text (first bad byte at offset {})", e.valid_up_to())))?;
    let text = normalize(raw);
    if text.trim().is_empty() {
        return Err(problem("the file holds no text".to_string()));
    }
    let words = count_words(&text);
    Ok(Speech { path: path.to_string(), speaker: Speaker::resolve(&code), session, year, words, text })
}

/// Streams every speech of a corpus archive (`.tar.gz` or `.tar`) to `each`, as a speech
/// or as a problem with the entry's path. Directories are passed over; every other entry
/// reaches `each`. `source_name` names the archive in errors.
pub fn read_archive<R: Read>(
    reader: R,
    source_name: &str,
    mut each: impl FnMut(Result<Speech, EntryProblem>),
) -> Result<ReadSummary, ReadError> {
    let mut buffered = BufReader::with_capacity(1 << 16, reader);
    let head =
        buffered.fill_buf().map_err(|error| ReadError::Archive { source_name: source_name.to_string(), error })?;
    let gzip = head.starts_with(&[0x1f, 0x8b]);
    let stream: Box<dyn Read> =
        if gzip { Box::new(flate2::bufread::GzDecoder::new(buffered)) } else { Box::new(buffered) };
    let mut archive = tar::Archive::new(stream);
    let entries =
        archive.entries().map_err(|error| ReadError::Archive { source_name: source_name.to_string(), error })?;
    let mut summary = ReadSummary::default();
    let mut last = String::from("(the start)");
    let mut bytes = Vec::new();
    for entry in entries {
        let mut entry = entry.map_err(|error| ReadError::Entry {
            source_name: source_name.to_string(),
            after: last.clone(),
            error,
        })?;
        let path = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        last.clone_from(&path);
        let kind = entry.header().entry_type();
        if kind.is_dir() {
            continue;
        }
        let result = if !kind.is_file() {
            Err(EntryProblem { path: path.clone(), reason: format!("not a regular file ({kind:?})") })
        } else {
            bytes.clear();
            match entry.read_to_end(&mut bytes) {
                Ok(_) => speech_from_bytes(&path, &bytes),
                Err(error) => {
                    return Err(ReadError::Entry { source_name: source_name.to_string(), after: path, error });
                }
            }
        };
        match &result {
            Ok(speech) => {
                summary.speeches += 1;
                if let Speaker::Unresolved(code) = &speech.speaker {
                    *summary.unresolved.entry(code.clone()).or_default() += 1;
                }
            }
            Err(problem) => summary.problems.push(problem.clone()),
        }
        each(result);
    }
    Ok(summary)
}

/// Reads speeches from files the caller opened (a folder of `ISO3_NN_YYYY.txt` files,
/// walked by the caller, which does the file-system I/O): `(path, reader)` pairs, in the
/// caller's order. A file that cannot be read is reported with its path like any other
/// problem.
pub fn read_files<R: Read>(
    files: impl IntoIterator<Item = (String, std::io::Result<R>)>,
    mut each: impl FnMut(Result<Speech, EntryProblem>),
) -> ReadSummary {
    let mut summary = ReadSummary::default();
    let mut bytes = Vec::new();
    for (path, reader) in files {
        bytes.clear();
        let result = match reader.and_then(|mut r| r.read_to_end(&mut bytes)) {
            Ok(_) => speech_from_bytes(&path, &bytes),
            Err(error) => Err(EntryProblem { path: path.clone(), reason: format!("cannot be read: {error}") }),
        };
        match &result {
            Ok(speech) => {
                summary.speeches += 1;
                if let Speaker::Unresolved(code) = &speech.speaker {
                    *summary.unresolved.entry(code.clone()).or_default() += 1;
                }
            }
            Err(problem) => summary.problems.push(problem.clone()),
        }
        each(result);
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_carry_speaker_session_and_year() {
        assert_eq!(parse_path("ungdc/Session 68 - 2013/USA_68_2013.txt").unwrap(), ("USA".into(), 68, 2013));
        assert_eq!(parse_path("EU_66_2011.txt").unwrap(), ("EU".into(), 66, 2011));
        for (bad, says) in [
            ("USA_68_2013.pdf", "not a .txt"),
            ("USA_68.txt", "CODE_NN_YYYY"),
            ("usa_68_2013.txt", "speaker code"),
            ("USA_6_2013.txt", "session of 2 digits"),
            ("USA_68_2012.txt", "not held in 2012"),
            ("Session 67 - 2012/USA_68_2013.txt", "folder"),
            ("ungdc/._USA_68_2013.txt", "CODE_NN_YYYY"),
        ] {
            let error = parse_path(bad).unwrap_err();
            assert!(error.contains(says), "{bad}: {error}");
        }
    }

    #[test]
    fn text_is_normalised() {
        assert_eq!(normalize("\u{feff}a\r\nb\rc\u{c}d\n"), "a\nb\nc\nd\n");
        let speech = speech_from_bytes("VAT_79_2024.txt", "\u{feff}Peace be with you.\r\n".as_bytes()).unwrap();
        assert_eq!(speech.speaker, Speaker::State(Iso3::parse("VAT").unwrap()));
        assert_eq!((speech.words, speech.text.as_str()), (4, "Peace be with you.\n"));
        assert_eq!(Speaker::resolve("EU"), Speaker::Unresolved("EU".into()));
        let problem = speech_from_bytes("a/USA_68_2013.txt", &[0x66, 0xff]).unwrap_err();
        assert_eq!(problem.path, "a/USA_68_2013.txt");
        assert!(problem.to_string().contains("not UTF-8"));
        assert!(speech_from_bytes("USA_68_2013.txt", b"  \n").is_err());
    }

    #[test]
    fn files_handed_in_are_read_or_reported() {
        let files: Vec<(String, std::io::Result<&[u8]>)> = vec![
            ("txt/Session 79 - 2024/EU_79_2024.txt".into(), Ok(&b"Europe speaks."[..])),
            ("txt/USA_79_2024.txt".into(), Err(std::io::Error::other("permission denied"))),
            ("txt/notes.txt".into(), Ok(&b"x"[..])),
        ];
        let mut seen = 0;
        let summary = read_files(files, |_| seen += 1);
        assert_eq!((seen, summary.speeches, summary.problems.len()), (3, 1, 2));
        assert!(summary.problems[0].to_string().starts_with("txt/USA_79_2024.txt: cannot be read"));
        assert_eq!(summary.problems[1].path, "txt/notes.txt");
    }

    fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (path, data) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_entry_type(tar::EntryType::Regular);
            builder.append_data(&mut header, path, *data).unwrap();
        }
        builder.into_inner().unwrap()
    }

    #[test]
    fn archives_report_every_entry() {
        let tar = archive(&[
            ("ungdc/Session 01 - 1946/ARG_01_1946.txt", b"Mr President,\r\nthank you."),
            ("ungdc/Session 66 - 2011/EU_66_2011.txt", b"The Union speaks."),
            ("ungdc/Session 47 - 1992/.DS_Store-to-UTF-8.txt", b"\0\0"),
            ("ungdc/readme.md", b"notes"),
        ]);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &tar).unwrap();
        let gz = gz.finish().unwrap();
        for bytes in [tar.clone(), gz] {
            let mut seen = Vec::new();
            let summary = read_archive(bytes.as_slice(), "test.tar", |r| seen.push(r)).unwrap();
            assert_eq!(seen.len(), 4);
            assert_eq!(summary.speeches, 2);
            assert_eq!(summary.problems.len(), 2);
            assert_eq!(summary.problems[0].path, "ungdc/Session 47 - 1992/.DS_Store-to-UTF-8.txt");
            assert_eq!(summary.unresolved, BTreeMap::from([("EU".to_string(), 1)]));
            let first = seen[0].as_ref().unwrap();
            assert_eq!((first.speaker.code(), first.session, first.year, first.words), ("ARG", 1, 1946, 4));
        }
        let error = read_archive(&b"not an archive at all, just some words"[..], "x.tar", |_| {}).unwrap_err();
        assert!(error.to_string().starts_with("x.tar"), "{error}");
    }
}
