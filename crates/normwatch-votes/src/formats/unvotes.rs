//! Voeten's data as packaged in unvotes 0.3.0: three CSV files joined on `rcid`.
//!
//! Quirks handled (see the dataset's PROVENANCE.md): Namibia's ISO2 code is the string
//! `NA`; the code is empty for the Yemen Arab Republic, the Federal Republic of Germany and
//! Zanzibar (their names are used); absences and non-votes were filtered out, so the
//! totals are the votes counted and `non_voting` is unknown; symbols are written `R/60/45`
//! and sometimes carry trailing spaces; the Yugoslavia/YU series runs on for the Federal
//! Republic of Yugoslavia, Serbia and Montenegro and Serbia (split by date).

use std::collections::HashMap;
use std::io::Read;

use normwatch_core::Symbol;
use normwatch_core::domain::{Date, VoteCounts, VoteValue};

use super::{
    FileKind, Input, Parsed, Sink, Stream, Streamed, clean_title, csv_reader, line_of, next_record, number, parse_u32,
    put_vote, read_header, seat_date, sections_by_siblings, symbol_notes, text, with_decoded,
};
use crate::error::ImportError;
use crate::model::{Body, Dataset, NO_VOTE, Part, RollCall, VoteTable, encode};
use crate::states::states;

/// Reads the three unvotes files (the issues file is optional).
pub fn read_unvotes<A, B, C>(
    roll_calls: Input<A>,
    votes: Input<B>,
    issues: Option<Input<C>>,
) -> Result<Parsed, ImportError>
where
    A: Read + Send,
    B: Read + Send,
    C: Read + Send,
{
    read_unvotes_into(roll_calls, votes, issues, &mut |_| {}).map(|s| s.parsed)
}

/// [`read_unvotes`], handing each roll call to `sink` once its votes are read (the votes
/// file lists them roll call by roll call). The issues are read before the votes so that a
/// roll call handed over is whole.
pub fn read_unvotes_into<A, B, C>(
    roll_calls: Input<A>,
    votes: Input<B>,
    issues: Option<Input<C>>,
    sink: Sink<'_>,
) -> Result<Streamed, ImportError>
where
    A: Read + Send,
    B: Read + Send,
    C: Read + Send,
{
    let roll_call_file = roll_calls.name.clone();
    let (mut list, index, roll_call_rows) = read_roll_calls(roll_calls)?;
    let mut rows = vec![(roll_call_file.clone(), roll_call_rows)];
    let issue_rows = match issues {
        Some(issues) => {
            let issues_file = issues.name.clone();
            Some((issues_file, read_issues(issues, &roll_call_file, &mut list, &index)?))
        }
        None => None,
    };
    // Every roll call's symbol is known before any is handed over.
    let (_, section_note) = sections_by_siblings(&mut list);
    let votes_file = votes.name.clone();
    let mut stream = Stream::new(sink);
    let vote_rows = read_votes(votes, &roll_call_file, &mut list, &index, &mut stream)?;
    rows.push((votes_file, vote_rows));
    rows.extend(issue_rows);
    for roll_call in &mut list {
        roll_call.totals = roll_call.counted();
    }
    let pending = stream.pending(list.len());
    let mut notes = symbol_notes(&list);
    notes.extend(section_note);
    let silent = list.iter().filter(|r| r.votes.iter().all(|b| *b == NO_VOTE)).count();
    if silent > 0 {
        notes.push(format!("{silent} roll calls have no votes in {}", rows[1].0));
    }
    let table = VoteTable { dataset: Dataset::Unvotes, origin: roll_call_file, roll_calls: list };
    Ok(Streamed { parsed: Parsed { table, rows, notes }, pending })
}

type RollCallIndex = HashMap<u32, usize>;

fn read_roll_calls<R: Read + Send>(input: Input<R>) -> Result<(Vec<RollCall>, RollCallIndex, u64), ImportError> {
    let file = input.name;
    let kind = FileKind::UnvotesRollCalls;
    with_decoded(input.reader, |reader| {
        let mut csv = csv_reader(reader);
        let header = read_header(&file, &mut csv)?;
        let rcid = header.require(&file, kind, "rcid")?;
        let session = header.require(&file, kind, "session")?;
        let date = header.require(&file, kind, "date")?;
        let unres = header.require(&file, kind, "unres")?;
        let amend = header.find("amend");
        let para = header.find("para");
        let short = header.find("short");
        let descr = header.find("descr");

        let columns = states().len();
        let mut list: Vec<RollCall> = Vec::new();
        let mut index = RollCallIndex::new();
        let mut record = csv::ByteRecord::new();
        let mut line = 1;
        while next_record(&file, &mut csv, &mut record, line)? {
            line = line_of(&record);
            let id: u32 = number(&file, line, &header, &record, rcid)?;
            let session_number: u16 = number(&file, line, &header, &record, session)?;
            let date_text = text(&file, line, &header, &record, date)?.trim();
            let vote_date: Date = date_text.parse().map_err(|_| {
                ImportError::at(
                    &file,
                    line,
                    date + 1,
                    header.name(date),
                    format!("`{date_text}` is not a date written YYYY-MM-DD"),
                )
            })?;
            let symbol_text =
                text(&file, line, &header, &record, unres)?.split_whitespace().collect::<Vec<_>>().join(" ");
            let symbol = if symbol_text.is_empty() { None } else { Symbol::parse(&symbol_text).ok() };
            let flag = |column: Option<usize>| -> Result<bool, ImportError> {
                let Some(column) = column else { return Ok(false) };
                match text(&file, line, &header, &record, column)?.trim() {
                    "" | "0" => Ok(false),
                    "1" => Ok(true),
                    other => Err(ImportError::at(
                        &file,
                        line,
                        column + 1,
                        header.name(column),
                        format!("`{other}` is not a flag: expected 1, 0 or nothing"),
                    )),
                }
            };
            let part = if flag(amend)? {
                Part::Amendment
            } else if flag(para)? {
                Part::Paragraph
            } else {
                Part::Whole
            };
            let optional = |column: Option<usize>| -> Result<String, ImportError> {
                match column {
                    Some(c) => Ok(text(&file, line, &header, &record, c)?.trim().to_string()),
                    None => Ok(String::new()),
                }
            };
            // The catalogue title (`… : resolution / adopted by …`) sits in `descr` or in
            // `short`; otherwise `short` is a heading and `descr` a description.
            let (short_text, description) = (optional(short)?, optional(descr)?);
            let title = match [&description, &short_text].into_iter().find(|t| t.contains(" : resolution")) {
                Some(catalogue) => clean_title(catalogue),
                None if !short_text.is_empty() => short_text.clone(),
                None => description.clone(),
            };
            if let Some(&first) = index.get(&id) {
                let earlier: &RollCall = &list[first];
                return Err(ImportError::at(
                    &file,
                    line,
                    rcid + 1,
                    header.name(rcid),
                    format!("rcid {id} appears twice (first on line {})", earlier.line),
                ));
            }
            index.insert(id, list.len());
            list.push(RollCall {
                dataset: Dataset::Unvotes,
                record: id.to_string(),
                symbol,
                symbol_text,
                body: Body::GeneralAssembly,
                session: Some(session_number),
                date: Some(vote_date),
                year: vote_date.year(),
                title,
                part,
                totals: VoteCounts { yes: 0, no: 0, abstain: 0, non_voting: None },
                issues: Vec::new(),
                line,
                votes: vec![NO_VOTE; columns],
            });
        }
        let rows = list.len() as u64;
        Ok((list, index, rows))
    })
}

/// Where a two-letter code's column is cached: `A`–`Z` squared.
fn code_slot(code: &[u8]) -> Option<usize> {
    match code {
        [a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => {
            Some(usize::from(a - b'A') * 26 + usize::from(b - b'A'))
        }
        _ => None,
    }
}

fn read_votes<R: Read + Send>(
    input: Input<R>,
    roll_call_file: &str,
    list: &mut [RollCall],
    index: &RollCallIndex,
    stream: &mut Stream<'_>,
) -> Result<u64, ImportError> {
    let file = input.name;
    let kind = FileKind::UnvotesVotes;
    let table = states();
    with_decoded(input.reader, |reader| {
        let mut csv = csv_reader(reader);
        let header = read_header(&file, &mut csv)?;
        let rcid = header.require(&file, kind, "rcid")?;
        let country = header.require(&file, kind, "country")?;
        let country_code = header.require(&file, kind, "country_code")?;
        let vote = header.require(&file, kind, "vote")?;

        // Column + 1 per two-letter code; 0 = not looked up yet.
        let mut by_code = [0u16; 26 * 26];
        let mut by_name: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut last: Option<(u32, usize)> = None;
        let mut record = csv::ByteRecord::new();
        let mut line = 1;
        let mut rows = 0u64;
        let (yes, no, abstain) = (encode(VoteValue::Yes), encode(VoteValue::No), encode(VoteValue::Abstain));
        while next_record(&file, &mut csv, &mut record, line)? {
            line = line_of(&record);
            rows += 1;
            let id_bytes = record.get(rcid).unwrap_or_default();
            let Some(id) = parse_u32(id_bytes) else {
                return Err(ImportError::at(
                    &file,
                    line,
                    rcid + 1,
                    header.name(rcid),
                    format!("`{}` is not a roll-call id (a whole number)", String::from_utf8_lossy(id_bytes)),
                ));
            };
            let position = match last {
                Some((last_id, position)) if last_id == id => position,
                _ => {
                    let Some(&position) = index.get(&id) else {
                        return Err(ImportError::at(
                            &file,
                            line,
                            rcid + 1,
                            header.name(rcid),
                            format!("rcid {id} has no roll call in {roll_call_file}"),
                        ));
                    };
                    last = Some((id, position));
                    stream.row(list, position, |r| r.totals = r.counted());
                    position
                }
            };
            let value = match record.get(vote).unwrap_or_default().trim_ascii() {
                b"yes" => yes,
                b"no" => no,
                b"abstain" => abstain,
                other => {
                    return Err(ImportError::at(
                        &file,
                        line,
                        vote + 1,
                        header.name(vote),
                        format!(
                            "`{}` is not a vote: unvotes votes are yes, no or abstain",
                            String::from_utf8_lossy(other)
                        ),
                    ));
                }
            };
            let code = record.get(country_code).unwrap_or_default().trim_ascii();
            let cached = code_slot(code).map(|slot| (slot, by_code[slot]));
            let column = match cached {
                Some((_, found)) if found > 0 => usize::from(found - 1),
                _ => {
                    let name = record.get(country).unwrap_or_default();
                    let found = if code.is_empty() {
                        match by_name.get(name) {
                            Some(&c) => Some(c),
                            None => {
                                let c = table.lookup_name(&String::from_utf8_lossy(name));
                                if let Some(c) = c {
                                    by_name.insert(name.to_vec(), c);
                                }
                                c
                            }
                        }
                    } else {
                        table
                            .lookup_iso2(&String::from_utf8_lossy(code))
                            .or_else(|| table.lookup_name(&String::from_utf8_lossy(name)))
                    };
                    let Some(column) = found else {
                        return Err(ImportError::at(
                            &file,
                            line,
                            country_code + 1,
                            header.name(country_code),
                            format!(
                                "no state in kb/states.csv has the code `{}` or the name `{}`",
                                String::from_utf8_lossy(code),
                                String::from_utf8_lossy(name).trim()
                            ),
                        ));
                    };
                    if let Some((slot, _)) = cached {
                        by_code[slot] = u16::try_from(column + 1).unwrap_or(0);
                    }
                    column
                }
            };
            let roll_call = &mut list[position];
            let column = if table.may_move(column) {
                table.on(column, seat_date(roll_call.date, roll_call.year))
            } else {
                column
            };
            put_vote(roll_call, column, value).map_err(|message| {
                ImportError::at(&file, line, country_code + 1, header.name(country_code), message)
            })?;
        }
        Ok(rows)
    })
}

fn read_issues<R: Read + Send>(
    input: Input<R>,
    roll_call_file: &str,
    list: &mut [RollCall],
    index: &RollCallIndex,
) -> Result<u64, ImportError> {
    let file = input.name;
    let kind = FileKind::UnvotesIssues;
    with_decoded(input.reader, |reader| {
        let mut csv = csv_reader(reader);
        let header = read_header(&file, &mut csv)?;
        let rcid = header.require(&file, kind, "rcid")?;
        let short_name = header.require(&file, kind, "short_name")?;
        let mut record = csv::ByteRecord::new();
        let mut line = 1;
        let mut rows = 0;
        while next_record(&file, &mut csv, &mut record, line)? {
            line = line_of(&record);
            rows += 1;
            let id: u32 = number(&file, line, &header, &record, rcid)?;
            let Some(&position) = index.get(&id) else {
                return Err(ImportError::at(
                    &file,
                    line,
                    rcid + 1,
                    header.name(rcid),
                    format!("rcid {id} has no roll call in {roll_call_file}"),
                ));
            };
            let code = text(&file, line, &header, &record, short_name)?.trim();
            if code.is_empty() {
                continue;
            }
            if !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
                return Err(ImportError::at(
                    &file,
                    line,
                    short_name + 1,
                    header.name(short_name),
                    format!("`{code}` is not an issue code (letters such as me, nu, di, hr, co, ec)"),
                ));
            }
            let issues = &mut list[position].issues;
            if !issues.iter().any(|i| i == code) {
                issues.push(code.to_string());
            }
        }
        Ok(rows)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use normwatch_core::Iso3;

    const ROLL_CALLS: &str = "rcid,session,importantvote,date,unres,amend,para,short,descr\n\
        4618,60,0,2005-12-08,R/60/45 ,,,\"ICT, SECURITY\",\"Developments in the field of information and telecommunications in the context of international security : resolution / adopted by the General Assembl\"\n\
        4619,60,0,2005-12-08,,1,,AMENDMENT,To adopt an amendment\n\
        9000,74,,2018-12-05,R/73/27,,,x,y\n";
    const VOTES: &str = "rcid,country,country_code,vote\n\
        4618,United States,US,no\n4618,Russia,RU,yes\n4618,Namibia,NA,yes\n4618,Yemen Arab Republic,,yes\n\
        4619,Canada,CA,abstain\n9000,Yugoslavia,YU,no\n";
    const ISSUES: &str = "rcid,short_name,issue\n4618,di,Arms control and disarmament\n4618,di,again\n";

    fn read(roll_calls: &str, votes: &str) -> Result<Parsed, ImportError> {
        read_unvotes(
            Input::new("un_roll_calls.csv", roll_calls.as_bytes()),
            Input::new("un_votes.csv", votes.as_bytes()),
            Some(Input::new("un_roll_call_issues.csv", ISSUES.as_bytes())),
        )
    }

    fn iso(code: &str) -> Iso3 {
        Iso3::parse(code).unwrap()
    }

    #[test]
    fn reads_roll_calls_votes_and_issues() {
        let parsed = read(ROLL_CALLS, VOTES).unwrap();
        let table = &parsed.table;
        assert_eq!(table.roll_calls.len(), 3);
        let rc = &table.roll_calls[0];
        assert_eq!(rc.symbol.as_ref().map(|s| s.to_string()).as_deref(), Some("A/RES/60/45"));
        assert_eq!(rc.symbol_text, "R/60/45");
        assert_eq!(
            rc.title,
            "Developments in the field of information and telecommunications in the context of international security"
        );
        assert_eq!(rc.totals, VoteCounts { yes: 3, no: 1, abstain: 0, non_voting: None });
        assert_eq!(rc.states_voting(VoteValue::No), vec![iso("USA")]);
        assert_eq!(rc.vote(iso("NAM")), Some(VoteValue::Yes), "NA is Namibia");
        assert_eq!(rc.vote(iso("YEM")), Some(VoteValue::Yes), "an empty code resolves by name");
        assert_eq!(rc.issues, vec!["di".to_string()]);
        assert_eq!(rc.line, 2);
        assert_eq!(table.roll_calls[1].part, Part::Amendment);
        assert_eq!(table.roll_calls[1].symbol, None);
        assert_eq!(table.roll_calls[2].vote(iso("SRB")), Some(VoteValue::No), "Yugoslavia's label in 2018 is Serbia");
        assert_eq!(
            parsed.rows,
            vec![("un_roll_calls.csv".into(), 3), ("un_votes.csv".into(), 6), ("un_roll_call_issues.csv".into(), 2)]
        );
        assert!(parsed.notes[0].contains("1 roll calls have no readable document symbol"), "{:?}", parsed.notes);
    }

    #[test]
    fn errors_name_line_and_column() {
        let bad_vote = VOTES.replace("4618,Russia,RU,yes", "4618,Russia,RU,maybe");
        let error = read(ROLL_CALLS, &bad_vote).unwrap_err();
        assert_eq!(error.file, "un_votes.csv");
        assert_eq!(error.line, 3);
        assert_eq!(error.column.as_ref().map(|c| c.number), Some(4));
        assert!(error.to_string().contains("`maybe` is not a vote"), "{error}");

        let unknown = VOTES.replace("Namibia,NA", "Atlantis,QQ");
        let error = read(ROLL_CALLS, &unknown).unwrap_err();
        assert!(error.to_string().contains("line 4, column 3 (country_code)"), "{error}");

        let orphan = format!("{VOTES}77,Canada,CA,yes\n");
        assert!(read(ROLL_CALLS, &orphan).unwrap_err().to_string().contains("rcid 77 has no roll call"));

        let bad_date = ROLL_CALLS.replace("2018-12-05", "5 Dec 2018");
        let error = read(&bad_date, VOTES).unwrap_err();
        assert!(error.to_string().contains("un_roll_calls.csv, line 4, column 4 (date)"), "{error}");

        let wrong_header = VOTES.replace("country_code,vote", "country_code,votes");
        let error = read(ROLL_CALLS, &wrong_header).unwrap_err();
        assert_eq!(error.line, 1);
        assert!(error.to_string().contains("line 1, column 4 (votes): the header has no column `vote`"), "{error}");

        let short_row = VOTES.replace("4618,Russia,RU,yes", "4618,Russia,RU");
        let error = read(ROLL_CALLS, &short_row).unwrap_err();
        assert_eq!(error.line, 3);

        let twice = format!("{ROLL_CALLS}4618,60,0,2005-12-08,R/60/45,,,a,b\n");
        assert!(read(&twice, VOTES).unwrap_err().to_string().contains("appears twice (first on line 2)"));
    }

    #[test]
    fn streaming_hands_over_whole_roll_calls() {
        // The votes of 4618 are split around those of 4619.
        let votes = "rcid,country,country_code,vote\n4618,United States,US,no\n4619,Canada,CA,abstain\n4618,Russia,RU,yes\n9000,Yugoslavia,YU,no\n";
        let mut seen: Vec<RollCall> = Vec::new();
        let streamed = read_unvotes_into(
            Input::new("un_roll_calls.csv", ROLL_CALLS.as_bytes()),
            Input::new("un_votes.csv", votes.as_bytes()),
            Some(Input::new("un_roll_call_issues.csv", ISSUES.as_bytes())),
            &mut |r| seen.push(r.clone()),
        )
        .unwrap();
        let all = &streamed.parsed.table.roll_calls;
        let records: Vec<&str> = seen.iter().map(|r| r.record.as_str()).collect();
        assert_eq!(records, ["4618", "4619"], "each handed over once, when the rows move on");
        // 4618 changed after it was handed over; 9000 was never handed over.
        assert_eq!(streamed.pending, vec![0, 2]);
        // What was handed over and not pending is final, issues and totals included.
        assert_eq!(&seen[1], &all[1]);
        assert_eq!(seen[0].issues, vec!["di".to_string()]);
        assert_eq!(all[0].totals, VoteCounts { yes: 1, no: 1, abstain: 0, non_voting: None });
        assert_eq!(streamed.parsed, read(ROLL_CALLS, votes).unwrap());
    }

    #[test]
    fn a_state_cannot_vote_twice_differently() {
        let twice = VOTES.replace("4618,Namibia,NA,yes", "4618,United States of America,US,yes");
        let error = read(ROLL_CALLS, &twice).unwrap_err();
        assert!(error.to_string().contains("USA already has the vote `no`"), "{error}");
    }
}
