//! The dataset formats: detection from headers, gzip by magic bytes, and the shared pieces
//! of the three readers.
//!
//! | format | files | one row is |
//! | --- | --- | --- |
//! | unvotes (Voeten, unvotes 0.3.0) | `un_roll_calls.csv`, `un_votes.csv`, `un_roll_call_issues.csv` | a roll call / one state's vote / an issue code |
//! | undl-scrape (`UN DATA.csv`) | one wide file | a roll call with one column per state name |
//! | undl-official (UN Digital Library GA voting CSV, dictionary v5) | one long file | one state's vote |

mod official;
mod scrape;
mod unvotes;

use std::io::{self, BufRead, BufReader, Read};
use std::sync::mpsc;

use normwatch_core::domain::{Date, VoteValue};

use crate::error::ImportError;
use crate::model::{Dataset, NO_VOTE, RollCall, VoteTable, encode};
use crate::states::states;

pub use official::{read_official, read_official_into};
pub use scrape::{read_scrape, read_scrape_into};
pub use unvotes::{read_unvotes, read_unvotes_into};

/// A file to read: the name errors should give, and its bytes (gzip or plain).
pub struct Input<R> {
    pub name: String,
    pub reader: R,
}

impl<R> Input<R> {
    pub fn new(name: impl Into<String>, reader: R) -> Input<R> {
        Input { name: name.into(), reader }
    }
}

/// What a reader made of its files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub table: VoteTable,
    /// Data rows read per file (the header not counted).
    pub rows: Vec<(String, u64)>,
    /// Facts about the data worth telling the user (rows without a symbol, drafts).
    pub notes: Vec<String>,
}

/// Where a reader hands each roll call as soon as it is complete, before the rest of the
/// file is read, so that a caller can store it while reading goes on.
pub type Sink<'a> = &'a mut dyn FnMut(&RollCall);

/// What a streaming reader made of its files: everything, as [`Parsed`], and which roll
/// calls the sink has not seen in their final state (never handed over, or changed after:
/// votes of one roll call that were not contiguous in the file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Streamed {
    pub parsed: Parsed,
    /// Indices into `parsed.table.roll_calls`.
    pub pending: Vec<usize>,
}

/// Hands roll calls to a sink as the rows of a file move on from one to the next.
pub(crate) struct Stream<'a> {
    sink: Sink<'a>,
    current: Option<usize>,
    handed: Vec<bool>,
    changed: Vec<bool>,
}

impl<'a> Stream<'a> {
    pub fn new(sink: Sink<'a>) -> Stream<'a> {
        Stream { sink, current: None, handed: Vec::new(), changed: Vec::new() }
    }

    /// A row of roll call `position` is being read; the previous roll call is complete if
    /// the rows moved on. `finish` prepares a roll call to be handed over (its totals).
    pub fn row(&mut self, list: &mut [RollCall], position: usize, finish: impl Fn(&mut RollCall)) {
        if self.current == Some(position) {
            return;
        }
        if self.handed.len() < list.len() {
            self.handed.resize(list.len(), false);
            self.changed.resize(list.len(), false);
        }
        if let Some(previous) = self.current
            && !self.handed[previous]
        {
            finish(&mut list[previous]);
            (self.sink)(&list[previous]);
            self.handed[previous] = true;
        }
        if self.handed[position] {
            self.changed[position] = true;
        }
        self.current = Some(position);
    }

    /// The roll calls the sink still needs, once the file is read.
    pub fn pending(&self, count: usize) -> Vec<usize> {
        (0..count)
            .filter(|&i| !self.handed.get(i).copied().unwrap_or(false) || self.changed.get(i).copied().unwrap_or(false))
            .collect()
    }
}

/// What kind of file a header says this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    UnvotesRollCalls,
    UnvotesVotes,
    UnvotesIssues,
    UndlScrape,
    UndlOfficial,
}

impl FileKind {
    pub const ALL: [FileKind; 5] = [
        FileKind::UnvotesRollCalls,
        FileKind::UnvotesVotes,
        FileKind::UnvotesIssues,
        FileKind::UndlScrape,
        FileKind::UndlOfficial,
    ];

    pub fn dataset(self) -> Dataset {
        match self {
            FileKind::UnvotesRollCalls | FileKind::UnvotesVotes | FileKind::UnvotesIssues => Dataset::Unvotes,
            FileKind::UndlScrape => Dataset::UndlScrape,
            FileKind::UndlOfficial => Dataset::UndlOfficial,
        }
    }

    /// The columns a header must have to be this kind of file.
    pub fn required_columns(self) -> &'static [&'static str] {
        match self {
            FileKind::UnvotesRollCalls => &["rcid", "session", "date", "unres"],
            FileKind::UnvotesVotes => &["rcid", "country", "country_code", "vote"],
            FileKind::UnvotesIssues => &["rcid", "short_name"],
            FileKind::UndlScrape => &[
                "Council",
                "Date",
                "Title",
                "Resolution",
                "TOTAL VOTES",
                "NO-VOTE COUNT",
                "ABSENT COUNT",
                "NO COUNT",
                "YES COUNT",
                "token",
            ],
            FileKind::UndlOfficial => &[
                "undl_id",
                "ms_code",
                "ms_name",
                "ms_vote",
                "date",
                "resolution",
                "total_yes",
                "total_no",
                "total_abstentions",
                "total_non_voting",
            ],
        }
    }

    /// Every column the format defines (required or not): a header column outside this
    /// list is where a wrong header is pointed at.
    pub fn known_columns(self) -> &'static [&'static str] {
        match self {
            FileKind::UnvotesRollCalls => {
                &["rcid", "session", "importantvote", "date", "unres", "amend", "para", "short", "descr"]
            }
            FileKind::UnvotesVotes => &["rcid", "country", "country_code", "vote"],
            FileKind::UnvotesIssues => &["rcid", "short_name", "issue"],
            FileKind::UndlScrape => &scrape::METADATA,
            FileKind::UndlOfficial => &[
                "undl_id",
                "ms_code",
                "ms_name",
                "ms_vote",
                "date",
                "session",
                "resolution",
                "draft",
                "committee_report",
                "meeting",
                "title",
                "agenda_title",
                "subjects",
                "vote_note",
                "total_yes",
                "total_no",
                "total_abstentions",
                "total_non_voting",
                "total_ms",
                "undl_link",
            ],
        }
    }

    /// The kind a header most resembles, when it has at least half of a kind's required
    /// columns but not all: the file is probably that kind with a wrong header.
    pub fn closest(header: &[String]) -> Option<FileKind> {
        let has = |name: &str| header.iter().any(|h| same_name(h, name));
        FileKind::ALL
            .into_iter()
            .map(|kind| {
                let required = kind.required_columns();
                let found = required.iter().filter(|c| has(c)).count();
                (kind, found, required.len())
            })
            .filter(|(_, found, total)| *found * 2 >= *total && found < total)
            .max_by_key(|(_, found, total)| (*found * 100) / *total)
            .map(|(kind, _, _)| kind)
    }

    /// How the file is usually named, for messages.
    pub fn description(self) -> &'static str {
        match self {
            FileKind::UnvotesRollCalls => "unvotes roll calls (un_roll_calls.csv)",
            FileKind::UnvotesVotes => "unvotes votes (un_votes.csv)",
            FileKind::UnvotesIssues => "unvotes issues (un_roll_call_issues.csv)",
            FileKind::UndlScrape => "UN Digital Library scrape (UN DATA.csv)",
            FileKind::UndlOfficial => "UN Digital Library GA voting data (…_ga_voting.csv)",
        }
    }

    /// Which kind a header is, if any: the first kind whose columns it all has.
    pub fn detect(header: &[String]) -> Option<FileKind> {
        let has = |name: &str| header.iter().any(|h| same_name(h, name));
        FileKind::ALL.into_iter().find(|kind| kind.required_columns().iter().all(|c| has(c)))
    }
}

/// Header names compare without case, surrounding space or a byte-order mark.
fn same_name(header: &str, name: &str) -> bool {
    header.trim_start_matches('\u{feff}').trim().eq_ignore_ascii_case(name)
}

/// Reads a file's header and says what kind of file it is.
pub fn sniff<R: Read + Send>(input: Input<R>) -> Result<(FileKind, Vec<String>), ImportError> {
    let name = input.name;
    // Only the first line is read: decompress on this thread, not ahead on another.
    let mut buffered = BufReader::with_capacity(1 << 14, input.reader);
    let is_gzip = matches!(buffered.fill_buf(), Ok(bytes) if bytes.starts_with(&[0x1f, 0x8b]));
    let mut reader: Box<dyn Read> =
        if is_gzip { Box::new(flate2::bufread::MultiGzDecoder::new(buffered)) } else { Box::new(buffered) };
    {
        let mut csv = csv_reader(&mut reader);
        let header = read_header(&name, &mut csv)?;
        if let Some(kind) = FileKind::detect(&header.names) {
            return Ok((kind, header.names));
        }
        match FileKind::closest(&header.names) {
            // Name the first missing column, and the column that stands where it should.
            Some(kind) => Err(header.check(&name, kind).err().unwrap_or_else(|| unknown_header(&name, &header.names))),
            None => Err(unknown_header(&name, &header.names)),
        }
    }
}

fn unknown_header(file: &str, names: &[String]) -> ImportError {
    let shown: Vec<&str> = names.iter().take(12).map(|n| n.trim()).collect();
    let expected: Vec<String> =
        FileKind::ALL.iter().map(|k| format!("{}: {}", k.description(), k.required_columns().join(","))).collect();
    ImportError::new(
        file,
        1,
        format!(
            "the header ({}{}) matches no voting format normwatch reads; expected the columns of one of: {}",
            shown.join(","),
            if names.len() > 12 { ",…" } else { "" },
            expected.join("; ")
        ),
    )
}

/// Runs `f` over the file's decoded bytes: gzip (detected by its magic bytes, possibly
/// several members) is decompressed on a second thread while `f` parses.
pub(crate) fn with_decoded<R: Read + Send, T>(reader: R, f: impl FnOnce(&mut dyn Read) -> T) -> T {
    let mut buffered = BufReader::with_capacity(1 << 16, reader);
    // An error here shows up again, with its position, when `f` reads.
    let is_gzip = matches!(buffered.fill_buf(), Ok(bytes) if bytes.starts_with(&[0x1f, 0x8b]));
    if !is_gzip {
        return f(&mut buffered);
    }
    let decoder = flate2::bufread::MultiGzDecoder::new(buffered);
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::sync_channel::<io::Result<Vec<u8>>>(8);
        // Read chunks go back to the decompressor for reuse.
        let (recycle, reuse) = mpsc::sync_channel::<Vec<u8>>(16);
        scope.spawn(move || decompress(decoder, &sender, &reuse));
        let mut reader = ChannelReader { receiver, recycle, chunk: Vec::new(), position: 0, done: false };
        let result = f(&mut reader);
        // Dropping the receiver stops the decompressing thread if `f` stopped early.
        drop(reader);
        result
    })
}

const CHUNK: usize = 1 << 18;

fn decompress(mut decoder: impl Read, sender: &mpsc::SyncSender<io::Result<Vec<u8>>>, reuse: &mpsc::Receiver<Vec<u8>>) {
    loop {
        let mut chunk = reuse.try_recv().unwrap_or_default();
        chunk.resize(CHUNK, 0);
        let mut filled = 0;
        while filled < CHUNK {
            match decoder.read(&mut chunk[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    if filled > 0 {
                        chunk.truncate(filled);
                        let _ = sender.send(Ok(chunk));
                    }
                    let _ = sender.send(Err(e));
                    return;
                }
            }
        }
        if filled == 0 {
            return;
        }
        chunk.truncate(filled);
        if sender.send(Ok(chunk)).is_err() {
            return;
        }
    }
}

struct ChannelReader {
    receiver: mpsc::Receiver<io::Result<Vec<u8>>>,
    recycle: mpsc::SyncSender<Vec<u8>>,
    chunk: Vec<u8>,
    position: usize,
    done: bool,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.position == self.chunk.len() {
            if self.done {
                return Ok(0);
            }
            match self.receiver.recv() {
                Ok(Ok(chunk)) => {
                    let used = std::mem::replace(&mut self.chunk, chunk);
                    // A full recycling queue just drops the buffer.
                    let _ = self.recycle.try_send(used);
                    self.position = 0;
                }
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Err(_) => {
                    self.done = true;
                    return Ok(0);
                }
            }
        }
        let n = buf.len().min(self.chunk.len() - self.position);
        buf[..n].copy_from_slice(&self.chunk[self.position..self.position + n]);
        self.position += n;
        Ok(n)
    }
}

pub(crate) fn csv_reader<R: Read>(reader: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(1 << 16)
        .from_reader(reader)
}

/// A header row: names as written (a leading byte-order mark removed).
pub(crate) struct Header {
    pub names: Vec<String>,
}

impl Header {
    pub fn find(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|h| same_name(h, name))
    }

    /// The index of a column the format needs, or an error that names it and points at
    /// the first header column the format does not define (likely the misspelt one).
    pub fn require(&self, file: &str, kind: FileKind, name: &str) -> Result<usize, ImportError> {
        if let Some(index) = self.find(name) {
            return Ok(index);
        }
        let message = format!(
            "the header has no column `{name}`, which a {} file needs (it has {}); this header is: {}",
            kind.description(),
            kind.required_columns().join(","),
            self.names.iter().take(15).map(|n| n.trim()).collect::<Vec<_>>().join(",")
        );
        let stray = self.names.iter().position(|h| !kind.known_columns().iter().any(|k| same_name(h, k)));
        Err(match stray {
            Some(index) if kind != FileKind::UndlScrape => {
                ImportError::at(file, 1, index + 1, self.name(index), message)
            }
            _ => ImportError::new(file, 1, message),
        })
    }

    /// Checks that every required column of a kind is present.
    pub fn check(&self, file: &str, kind: FileKind) -> Result<(), ImportError> {
        for name in kind.required_columns() {
            self.require(file, kind, name)?;
        }
        Ok(())
    }

    /// The column's name for error messages.
    pub fn name(&self, index: usize) -> &str {
        self.names.get(index).map_or("", |n| n.trim())
    }
}

pub(crate) fn read_header<R: Read>(file: &str, reader: &mut csv::Reader<R>) -> Result<Header, ImportError> {
    let mut record = csv::ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => {}
        Ok(false) => return Err(ImportError::new(file, 1, "the file is empty: expected a header line")),
        Err(e) => return Err(ImportError::csv(file, 1, &e)),
    }
    let names = record
        .iter()
        .enumerate()
        .map(|(i, field)| {
            let text = String::from_utf8_lossy(field);
            if i == 0 { text.trim_start_matches('\u{feff}').to_string() } else { text.into_owned() }
        })
        .collect();
    Ok(Header { names })
}

/// Reads the next record; `Ok(false)` at the end.
pub(crate) fn next_record<R: Read>(
    file: &str,
    reader: &mut csv::Reader<R>,
    record: &mut csv::ByteRecord,
    last_line: u64,
) -> Result<bool, ImportError> {
    reader.read_byte_record(record).map_err(|e| ImportError::csv(file, last_line + 1, &e))
}

/// The line a record starts on.
pub(crate) fn line_of(record: &csv::ByteRecord) -> u64 {
    record.position().map_or(0, |p| p.line())
}

/// A field as text, or an error naming the column.
pub(crate) fn text<'a>(
    file: &str,
    line: u64,
    header: &Header,
    record: &'a csv::ByteRecord,
    index: usize,
) -> Result<&'a str, ImportError> {
    let bytes = record.get(index).unwrap_or_default();
    std::str::from_utf8(bytes)
        .map_err(|_| ImportError::at(file, line, index + 1, header.name(index), "the field is not valid UTF-8 text"))
}

/// A non-negative integer field. A decimal with a zero fraction (`120.0`, as the UN Digital
/// Library's 2026 voting CSV writes its totals) is that integer; any other fraction is an
/// error.
pub(crate) fn number<T: std::str::FromStr>(
    file: &str,
    line: u64,
    header: &Header,
    record: &csv::ByteRecord,
    index: usize,
) -> Result<T, ImportError> {
    let value = text(file, line, header, record, index)?.trim();
    let Some(digits) = whole_number(value) else {
        return Err(ImportError::at(
            file,
            line,
            index + 1,
            header.name(index),
            format!("`{value}` is not a whole number"),
        ));
    };
    digits
        .parse()
        .map_err(|_| ImportError::at(file, line, index + 1, header.name(index), format!("`{value}` is out of range")))
}

/// The digits of a whole number written `120` or `120.0` (any number of zeros after the
/// point); `None` for anything else (`4.5`, `-1`, `1e3`, `.0`, empty).
pub(crate) fn whole_number(text: &str) -> Option<&str> {
    let (digits, fraction) = match text.split_once('.') {
        Some((digits, fraction)) => (digits, Some(fraction)),
        None => (text, None),
    };
    let digits_ok = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let fraction_ok = fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b == b'0'));
    (digits_ok && fraction_ok).then_some(digits)
}

/// Parses ASCII digits quickly (the rcid of 870,000 vote rows).
pub(crate) fn parse_u32(bytes: &[u8]) -> Option<u32> {
    let bytes = bytes.trim_ascii();
    if bytes.is_empty() || bytes.len() > 9 {
        return None;
    }
    let mut n: u32 = 0;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(b - b'0');
    }
    Some(n)
}

/// A date written `YYYY-MM-DD` (anything after the tenth character, such as a time, is
/// ignored) or a year alone. Returns the date, if whole, and the year.
pub(crate) fn date_or_year(text: &str) -> Option<(Option<Date>, i32)> {
    let text = text.trim();
    if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
        let year: i32 = text.parse().ok()?;
        return (1900..=2200).contains(&year).then_some((None, year));
    }
    let head = text.get(..10)?;
    let date: Date = head.parse().ok()?;
    Some((Some(date), date.year()))
}

/// The date a vote is taken to be on for deciding who held a seat.
pub(crate) fn seat_date(date: Option<Date>, year: i32) -> Date {
    date.or_else(|| Date::from_ymd(year, 7, 1)).unwrap_or_else(|| Date::from_ymd(2000, 1, 1).expect("a valid date"))
}

/// The regular session a date falls in: session N opens in September of 1945 + N.
pub(crate) fn session_of(date: Option<Date>, year: i32) -> Option<u16> {
    let autumn = match (date, Date::from_ymd(year, 9, 1)) {
        (Some(date), Some(september)) => date >= september,
        _ => false,
    };
    let session = if autumn { year - 1945 } else { year - 1946 };
    u16::try_from(session.max(1)).ok()
}

/// A UN Digital Library vote letter: Y, N, A, X; empty is no vote.
pub(crate) fn undl_vote(bytes: &[u8]) -> Result<u8, ()> {
    match bytes.trim_ascii() {
        b"" => Ok(NO_VOTE),
        b"Y" | b"y" => Ok(encode(VoteValue::Yes)),
        b"N" | b"n" => Ok(encode(VoteValue::No)),
        b"A" | b"a" => Ok(encode(VoteValue::Abstain)),
        b"X" | b"x" => Ok(encode(VoteValue::NonVoting)),
        _ => Err(()),
    }
}

/// Records a state's vote on a roll call, refusing a second, different vote for the same
/// state (two columns or rows that mean the same state must agree).
pub(crate) fn put_vote(roll_call: &mut RollCall, column: usize, vote: u8) -> Result<(), String> {
    let existing = roll_call.byte(column);
    if column >= roll_call.votes.len() {
        return Err(format!("state column {column} is outside the state table (roll call {})", roll_call.record));
    }
    if existing == NO_VOTE || existing == vote {
        roll_call.votes[column] = vote;
        return Ok(());
    }
    let state = states().iso3(column);
    let show = |b: u8| crate::model::decode(b).map_or("none", |v| v.as_str());
    Err(format!(
        "{state} already has the vote `{}` on {} {}, and this gives `{}`; two labels for one state disagree",
        show(existing),
        roll_call.dataset.record_key(),
        roll_call.record,
        show(vote)
    ))
}

/// A title without the catalogue's suffix (`… : resolution / adopted by the General
/// Assembly`) and truncation marks.
pub(crate) fn clean_title(text: &str) -> String {
    let text = text.trim();
    let text = text.strip_suffix("[...]").unwrap_or(text).trim_end();
    let text = match text.find(" : resolution") {
        Some(at) => &text[..at],
        None => text,
    };
    text.trim().to_string()
}

/// Reads a lone part letter I, V or X as a section where the file shows that resolution in
/// sections. [`normwatch_core::Symbol::parse`] reads `A/RES/31/208[I]` as part I, as most of
/// the data means it (`A/RES/55/33[I]` is the ninth of parts A to X); but where another roll
/// call on the same resolution carries a section and none carries other part letters, the
/// letter is a section too. The 2021 scrape writes `A/RES/31/208[I]` beside `[III]`,
/// `A/RES/34/233[I]` beside `[IX]`, `[XI]`, `[XIII]`, `[XIV]`, and `A/RES/32/212[I]` beside
/// `[IV]`; unvotes writes the first two `R/31/208/I` and `R/34/233/I`, sections.
///
/// Returns the roll calls changed, and a note saying so.
pub(crate) fn sections_by_siblings(roll_calls: &mut [RollCall]) -> (Vec<usize>, Option<String>) {
    use std::collections::HashMap;
    let lone_roman = |r: &RollCall| r.symbol.as_ref().and_then(|s| s.part_as_section()).is_some();
    // whole resolution -> (a sibling has a section without letters, a sibling has other letters)
    let mut wholes: HashMap<normwatch_core::Symbol, (bool, bool)> = HashMap::new();
    for roll_call in roll_calls.iter() {
        let Some(symbol) = &roll_call.symbol else { continue };
        if symbol.whole() == *symbol {
            continue;
        }
        let entry = wholes.entry(symbol.whole()).or_default();
        if symbol.section().is_some() && symbol.part_letters().is_none() {
            entry.0 = true;
        } else if symbol.part_letters().is_some() && !lone_roman(roll_call) {
            entry.1 = true;
        }
    }
    let mut changed = Vec::new();
    for (index, roll_call) in roll_calls.iter_mut().enumerate() {
        let Some(section) = roll_call.symbol.as_ref().and_then(|s| s.part_as_section()) else { continue };
        if wholes.get(&section.whole()) == Some(&(true, false)) {
            roll_call.symbol = Some(section);
            changed.push(index);
        }
    }
    let note = (!changed.is_empty()).then(|| {
        let examples: Vec<String> = changed
            .iter()
            .take(3)
            .map(|&i| format!("{} ({})", roll_calls[i].symbol_text, roll_calls[i].record_ref()))
            .collect();
        format!(
            "{} roll calls write a lone I, V or X after the number where the other roll calls on that resolution \
             name sections; it is read as a section (e.g. {})",
            changed.len(),
            examples.join(", ")
        )
    });
    (changed, note)
}

/// Notes on symbols that do not name a resolution.
pub(crate) fn symbol_notes(roll_calls: &[RollCall]) -> Vec<String> {
    let mut notes = Vec::new();
    let missing: Vec<&RollCall> = roll_calls.iter().filter(|r| r.symbol.is_none()).collect();
    if !missing.is_empty() {
        let examples: Vec<String> = missing
            .iter()
            .take(3)
            .map(|r| {
                format!("{} ({})", r.record_ref(), if r.symbol_text.is_empty() { "empty" } else { &r.symbol_text })
            })
            .collect();
        notes.push(format!(
            "{} roll calls have no readable document symbol (e.g. {}); they count in the analyses but link to no document",
            missing.len(),
            examples.join(", ")
        ));
    }
    let drafts: Vec<&RollCall> = roll_calls.iter().filter(|r| r.symbol.is_some() && !r.is_resolution()).collect();
    if !drafts.is_empty() {
        let examples: Vec<String> =
            drafts.iter().take(3).map(|r| format!("{} ({})", r.symbol_text, r.record_ref())).collect();
        notes.push(format!(
            "{} roll calls name a document that is not a resolution, such as a draft (e.g. {}); they are not linked to documents",
            drafts.len(),
            examples.join(", ")
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_recognised() {
        let names = |s: &str| s.split(',').map(str::to_string).collect::<Vec<_>>();
        assert_eq!(FileKind::detect(&names("rcid,country,country_code,vote")), Some(FileKind::UnvotesVotes));
        assert_eq!(
            FileKind::detect(&names("\u{feff}rcid,session,importantvote,date,unres,amend,para,short,descr")),
            Some(FileKind::UnvotesRollCalls)
        );
        assert_eq!(FileKind::detect(&names("rcid,short_name,issue")), Some(FileKind::UnvotesIssues));
        assert_eq!(FileKind::detect(&names("rcid,country,country_code,votes")), None);
    }

    #[test]
    fn gzip_is_detected_by_its_magic_bytes() {
        use std::io::Write;
        let plain = b"rcid,short_name,issue\n1,me,Palestinian conflict\n".to_vec();
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(&plain).unwrap();
        let gz = encoder.finish().unwrap();
        for bytes in [plain.clone(), gz.clone()] {
            let mut out = Vec::new();
            with_decoded(bytes.as_slice(), |r| r.read_to_end(&mut out).unwrap());
            assert_eq!(out, plain);
        }
        // A truncated stream is an error, not a short file.
        let cut = &gz[..gz.len() - 12];
        let result = with_decoded(cut, |r| {
            let mut out = Vec::new();
            r.read_to_end(&mut out)
        });
        assert!(result.is_err(), "{result:?}");
    }

    use proptest::prelude::*;

    fn field() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "[0-9]{1,6}",
            "[YNAXyes]{1,3}",
            "[A-Z]{2,3}",
            Just("R/60/45".to_string()),
            Just("2005-12-08".to_string()),
            Just("\"a, \"\"b\"\"\"".to_string()),
            "[ -~]{0,12}",
            Just("\u{feff}".to_string()),
        ]
    }

    fn rows(columns: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::collection::vec(field(), columns.saturating_sub(1)..=columns + 1), 0..6)
            .prop_map(|rows| rows.iter().map(|r| r.join(",")).collect::<Vec<_>>().join("\n"))
    }

    proptest! {
        /// No input makes a reader panic: each ends in data or an error.
        #[test]
        fn readers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300), votes in rows(4), scrape in rows(13), official in rows(20)) {
            let _ = sniff(Input::new("x", bytes.as_slice()));
            let _ = read_scrape(Input::new("x", bytes.as_slice()));
            let _ = read_official(Input::new("x", bytes.as_slice()));
            let roll_calls = "rcid,session,importantvote,date,unres,amend,para,short,descr\n1,60,0,2005-12-08,R/60/45,,,a,b\n";
            let votes = format!("rcid,country,country_code,vote\n{votes}");
            let _ = read_unvotes(Input::new("r", roll_calls.as_bytes()), Input::new("v", votes.as_bytes()), Some(Input::new("i", bytes.as_slice())));
            let scrape = format!("Council,Date,Title,Resolution,TOTAL VOTES,NO-VOTE COUNT,ABSENT COUNT,NO COUNT,YES COUNT,Link,token,UNITED STATES,CHINA\n{scrape}");
            let _ = read_scrape(Input::new("s", scrape.as_bytes()));
            let official = format!("undl_id,ms_code,ms_name,ms_vote,date,session,resolution,draft,committee_report,meeting,title,agenda_title,subjects,vote_note,total_yes,total_no,total_abstentions,total_non_voting,total_ms,undl_link\n{official}");
            let _ = read_official(Input::new("o", official.as_bytes()));
        }

        /// What the official long format says, the reader keeps: every state's vote.
        #[test]
        fn official_rows_round_trip(votes in proptest::collection::vec(0u8..5, 6)) {
            let codes = ["USA", "RUS", "CHN", "FRA", "GBR", "NAM"];
            let mut text = String::from("undl_id,ms_code,ms_name,ms_vote,date,session,resolution,total_yes,total_no,total_abstentions,total_non_voting\n");
            for (code, vote) in codes.iter().zip(&votes) {
                let letter = ["", "Y", "N", "A", "X"][usize::from(*vote)];
                text.push_str(&format!("7,{code},,{letter},2018-12-05,73,A/RES/73/27,1,2,3,4\n"));
            }
            let parsed = read_official(Input::new("o", text.as_bytes())).unwrap();
            let rc = &parsed.table.roll_calls[0];
            for (code, vote) in codes.iter().zip(&votes) {
                prop_assert_eq!(rc.vote(normwatch_core::Iso3::parse(code).unwrap()), crate::model::decode(*vote));
            }
        }
    }

    #[test]
    fn small_parsers() {
        assert_eq!(whole_number("120"), Some("120"));
        assert_eq!(whole_number("120.0"), Some("120"));
        assert_eq!(whole_number("14.00"), Some("14"));
        for refused in ["4.5", "4.", ".0", "", "-1", "1e3", "4.05", "4,0"] {
            assert_eq!(whole_number(refused), None, "{refused}");
        }
        assert_eq!(parse_u32(b"4618"), Some(4618));
        assert_eq!(parse_u32(b""), None);
        assert_eq!(parse_u32(b"12a"), None);
        assert_eq!(date_or_year("2011"), Some((None, 2011)));
        assert_eq!(date_or_year("2005-12-08").map(|d| d.1), Some(2005));
        assert_eq!(date_or_year("8 Dec 2005"), None);
        assert_eq!(session_of("2005-12-08".parse().ok(), 2005), Some(60));
        assert_eq!(session_of("2006-06-30".parse().ok(), 2006), Some(60));
        assert_eq!(
            clean_title("Developments in the field : resolution / adopted by the General Assembl[...]"),
            "Developments in the field"
        );
        assert_eq!(undl_vote(b" Y "), Ok(1));
        assert_eq!(undl_vote(b""), Ok(NO_VOTE));
        assert!(undl_vote(b"maybe").is_err());
    }
}
