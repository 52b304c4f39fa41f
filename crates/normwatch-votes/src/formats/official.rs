//! The UN Digital Library's General Assembly voting data (`YYYY_MM_DD_ga_voting.csv`,
//! data dictionary version 5): one row per Member State vote, with the roll call's
//! metadata and stated totals repeated on each row.
//!
//! Columns (dictionary v5): undl_id, ms_code, ms_name, ms_vote (Y, N, A, X = non-voting),
//! date, session, resolution, draft, committee_report, meeting, title, agenda_title,
//! subjects, vote_note, total_yes, total_no, total_abstentions, total_non_voting, total_ms,
//! undl_link. Rows of one `undl_id` need not be adjacent; the first row of each gives the
//! roll call's metadata.

use std::collections::HashMap;
use std::io::Read;

use normwatch_core::Symbol;
use normwatch_core::domain::VoteCounts;

use super::{
    FileKind, Input, Parsed, Sink, Stream, Streamed, clean_title, csv_reader, date_or_year, line_of, next_record,
    number, put_vote, read_header, seat_date, sections_by_siblings, session_of, symbol_notes, text, undl_vote,
    with_decoded,
};
use crate::error::ImportError;
use crate::model::{Body, Dataset, NO_VOTE, Part, RollCall, VoteTable};
use crate::states::states;

pub fn read_official<R: Read + Send>(input: Input<R>) -> Result<Parsed, ImportError> {
    read_official_into(input, &mut |_| {}).map(|s| s.parsed)
}

/// [`read_official`], handing each roll call to `sink` once the rows move on to the next
/// one (the file lists its votes roll call by roll call).
pub fn read_official_into<R: Read + Send>(input: Input<R>, sink: Sink<'_>) -> Result<Streamed, ImportError> {
    let file = input.name;
    let kind = FileKind::UndlOfficial;
    let table = states();
    with_decoded(input.reader, |reader| {
        let mut csv = csv_reader(reader);
        let header = read_header(&file, &mut csv)?;
        let undl_id = header.require(&file, kind, "undl_id")?;
        let ms_code = header.require(&file, kind, "ms_code")?;
        let ms_name = header.require(&file, kind, "ms_name")?;
        let ms_vote = header.require(&file, kind, "ms_vote")?;
        let date = header.require(&file, kind, "date")?;
        let resolution = header.require(&file, kind, "resolution")?;
        let total_yes = header.require(&file, kind, "total_yes")?;
        let total_no = header.require(&file, kind, "total_no")?;
        let total_abstentions = header.require(&file, kind, "total_abstentions")?;
        let total_non_voting = header.require(&file, kind, "total_non_voting")?;
        let session = header.find("session");
        let title = header.find("title");

        let mut list: Vec<RollCall> = Vec::new();
        let mut stream = Stream::new(sink);
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut last: Option<(Vec<u8>, usize)> = None;
        let mut state_cache: HashMap<(Vec<u8>, Vec<u8>), usize> = HashMap::new();
        let mut record = csv::ByteRecord::new();
        let mut line = 1;
        let mut rows = 0;
        while next_record(&file, &mut csv, &mut record, line)? {
            line = line_of(&record);
            rows += 1;
            let id_bytes = record.get(undl_id).unwrap_or_default().trim_ascii();
            let position = match &last {
                Some((last_id, position)) if last_id.as_slice() == id_bytes => *position,
                _ => {
                    let id = text(&file, line, &header, &record, undl_id)?.trim().to_string();
                    if id.is_empty() {
                        return Err(ImportError::at(
                            &file,
                            line,
                            undl_id + 1,
                            header.name(undl_id),
                            "the undl_id is empty",
                        ));
                    }
                    let position = match index.get(&id) {
                        Some(&position) => position,
                        None => {
                            let roll_call = new_roll_call(
                                &file,
                                line,
                                &header,
                                &record,
                                &id,
                                Columns {
                                    date,
                                    resolution,
                                    total_yes,
                                    total_no,
                                    total_abstentions,
                                    total_non_voting,
                                    session,
                                    title,
                                },
                            )?;
                            index.insert(id.clone(), list.len());
                            list.push(roll_call);
                            list.len() - 1
                        }
                    };
                    last = Some((id_bytes.to_vec(), position));
                    stream.row(&mut list, position, |_| {});
                    position
                }
            };
            let vote_bytes = record.get(ms_vote).unwrap_or_default();
            let Ok(value) = undl_vote(vote_bytes) else {
                return Err(ImportError::at(
                    &file,
                    line,
                    ms_vote + 1,
                    header.name(ms_vote),
                    format!("`{}` is not a vote: expected Y, N, A or X", String::from_utf8_lossy(vote_bytes).trim()),
                ));
            };
            if value == NO_VOTE {
                continue;
            }
            let code = record.get(ms_code).unwrap_or_default().trim_ascii();
            let name = record.get(ms_name).unwrap_or_default().trim_ascii();
            let key = (code.to_vec(), name.to_vec());
            let column = match state_cache.get(&key) {
                Some(&column) => column,
                None => {
                    let code_text = String::from_utf8_lossy(code);
                    let name_text = String::from_utf8_lossy(name);
                    let found = (if code.is_empty() { None } else { table.lookup(&code_text) })
                        .or_else(|| table.lookup_name(&name_text));
                    let Some(column) = found else {
                        return Err(ImportError::at(
                            &file,
                            line,
                            ms_code + 1,
                            header.name(ms_code),
                            format!("no state in kb/states.csv has the code `{code_text}` or the name `{name_text}`"),
                        ));
                    };
                    state_cache.insert(key, column);
                    column
                }
            };
            let roll_call = &mut list[position];
            let column = if table.may_move(column) {
                table.on(column, seat_date(roll_call.date, roll_call.year))
            } else {
                column
            };
            put_vote(roll_call, column, value)
                .map_err(|message| ImportError::at(&file, line, ms_code + 1, header.name(ms_code), message))?;
        }
        let mut pending = stream.pending(list.len());
        let (changed, section_note) = sections_by_siblings(&mut list);
        pending.extend(changed);
        pending.sort_unstable();
        pending.dedup();
        let mut notes = symbol_notes(&list);
        notes.extend(section_note);
        let parsed = Parsed {
            table: VoteTable { dataset: Dataset::UndlOfficial, origin: file.clone(), roll_calls: list },
            rows: vec![(file.clone(), rows)],
            notes,
        };
        Ok(Streamed { parsed, pending })
    })
}

struct Columns {
    date: usize,
    resolution: usize,
    total_yes: usize,
    total_no: usize,
    total_abstentions: usize,
    total_non_voting: usize,
    session: Option<usize>,
    title: Option<usize>,
}

fn new_roll_call(
    file: &str,
    line: u64,
    header: &super::Header,
    record: &csv::ByteRecord,
    id: &str,
    columns: Columns,
) -> Result<RollCall, ImportError> {
    let date_text = text(file, line, header, record, columns.date)?;
    let Some((vote_date, year)) = date_or_year(date_text) else {
        return Err(ImportError::at(
            file,
            line,
            columns.date + 1,
            header.name(columns.date),
            format!("`{}` is not a date written YYYY-MM-DD", date_text.trim()),
        ));
    };
    let symbol_text = text(file, line, header, record, columns.resolution)?.trim().to_string();
    let symbol = Symbol::parse(&symbol_text).ok();
    // The session column is a number for regular sessions; other spellings (special and
    // emergency special sessions) fall back to the symbol or the date.
    let stated_session = match columns.session {
        Some(c) => text(file, line, header, record, c)?.trim().parse::<u16>().ok(),
        None => None,
    };
    let session =
        stated_session.or_else(|| symbol.as_ref().and_then(Symbol::ga_session)).or_else(|| session_of(vote_date, year));
    let title = match columns.title {
        Some(c) => clean_title(text(file, line, header, record, c)?),
        None => String::new(),
    };
    let non_voting_text = text(file, line, header, record, columns.total_non_voting)?.trim();
    let totals = VoteCounts {
        yes: number(file, line, header, record, columns.total_yes)?,
        no: number(file, line, header, record, columns.total_no)?,
        abstain: number(file, line, header, record, columns.total_abstentions)?,
        non_voting: if non_voting_text.is_empty() {
            None
        } else {
            Some(number(file, line, header, record, columns.total_non_voting)?)
        },
    };
    Ok(RollCall {
        dataset: Dataset::UndlOfficial,
        record: id.to_string(),
        symbol,
        symbol_text,
        body: Body::GeneralAssembly,
        session,
        date: vote_date,
        year,
        title,
        part: Part::Whole,
        totals,
        issues: Vec::new(),
        line,
        votes: vec![NO_VOTE; states().len()],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use normwatch_core::Iso3;
    use normwatch_core::domain::VoteValue;

    const HEADER: &str = "undl_id,ms_code,ms_name,ms_vote,date,session,resolution,draft,committee_report,meeting,title,agenda_title,subjects,vote_note,total_yes,total_no,total_abstentions,total_non_voting,total_ms,undl_link\n";

    fn row(id: &str, code: &str, name: &str, vote: &str) -> String {
        format!(
            "{id},{code},{name},{vote},2005-12-08,60,A/RES/60/45,A/C.1/60/L.39,A/60/452,A/60/PV.61,\"Developments in the field of information\",item,,,177,1,0,13,191,https://x\n"
        )
    }

    fn read(rows: &str) -> Result<Parsed, ImportError> {
        read_official(Input::new("ga_voting.csv", format!("{HEADER}{rows}").into_bytes().as_slice()))
    }

    #[test]
    fn groups_rows_by_undl_id() {
        let rows = [
            row("562360", "USA", "UNITED STATES", "N"),
            row("999", "FRA", "FRANCE", "Y"),
            row("562360", "RUS", "RUSSIAN FEDERATION", "Y"),
            row("562360", "", "NAMIBIA", "X"),
        ]
        .concat();
        let parsed = read(&rows).unwrap();
        assert_eq!(parsed.table.roll_calls.len(), 2);
        let rc = &parsed.table.roll_calls[0];
        assert_eq!(rc.record_ref(), "undl_id=562360");
        assert_eq!(rc.totals, VoteCounts { yes: 177, no: 1, abstain: 0, non_voting: Some(13) });
        assert_eq!(rc.counted(), VoteCounts { yes: 1, no: 1, abstain: 0, non_voting: Some(1) });
        assert_eq!(rc.vote(Iso3::parse("NAM").unwrap()), Some(VoteValue::NonVoting));
        assert_eq!(rc.symbol.as_ref().map(|s| s.to_string()).as_deref(), Some("A/RES/60/45"));
        assert_eq!(rc.session, Some(60));
        assert_eq!(parsed.rows, vec![("ga_voting.csv".into(), 4)]);
    }

    /// The 2026 layout writes totals as decimals: a zero fraction is the whole number, any
    /// other is refused where it stands.
    #[test]
    fn totals_written_as_decimals() {
        let decimal = |yes: &str| {
            format!("7,USA,UNITED STATES,X,2018-12-05,73,A/RES/73/27,,,,T,,,,{yes},14.0,0.0,1.0,191.0,https://x\n")
        };
        let parsed = read(&decimal("120.0")).unwrap();
        let rc = &parsed.table.roll_calls[0];
        assert_eq!(rc.totals, VoteCounts { yes: 120, no: 14, abstain: 0, non_voting: Some(1) });
        assert_eq!(rc.vote(Iso3::parse("USA").unwrap()), Some(VoteValue::NonVoting));
        let error = read(&decimal("4.5")).unwrap_err();
        assert_eq!(error.to_string(), "ga_voting.csv, line 2, column 15 (total_yes): `4.5` is not a whole number");
    }

    /// A fixture in the layout of the 2026 file (see `tests/data/README.md`): a `vote_note`,
    /// an emergency special session and `X` for non-voting.
    #[test]
    fn the_2026_layout_fixture_imports() {
        let bytes = include_bytes!("../../tests/data/undl-ga-voting-2026-layout.csv");
        let parsed = read_official(Input::new("undl-ga-voting-2026-layout.csv", bytes.as_slice())).unwrap();
        assert_eq!(parsed.rows, vec![("undl-ga-voting-2026-layout.csv".to_string(), 193)]);
        let [rc] = parsed.table.roll_calls.as_slice() else { panic!("one roll call: {:?}", parsed.table) };
        assert_eq!(rc.symbol.as_ref().map(|s| s.to_string()).as_deref(), Some("A/RES/ES-10/19"));
        assert_eq!(rc.record_ref(), "undl_id=1327556");
        assert_eq!(rc.totals, VoteCounts { yes: 128, no: 9, abstain: 35, non_voting: Some(21) });
        assert_eq!(rc.counted(), rc.totals, "every state's row is there");
        assert_eq!(rc.title, "Status of Jerusalem");
        assert!(parsed.notes.is_empty(), "{:?}", parsed.notes);
    }

    #[test]
    fn a_bad_vote_names_its_place() {
        let rows = [row("1", "USA", "UNITED STATES", "N"), row("1", "RUS", "RUSSIAN FEDERATION", "Yes!")].concat();
        let error = read(&rows).unwrap_err();
        assert_eq!(
            error.to_string(),
            "ga_voting.csv, line 3, column 4 (ms_vote): `Yes!` is not a vote: expected Y, N, A or X"
        );
    }
}
