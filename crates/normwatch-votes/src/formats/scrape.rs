//! "UN DATA.csv": an unofficial scrape of the UN Digital Library's voting records, one row
//! per roll call (GA and SC, to December 2021), one column per state name.
//!
//! Quirks handled (see the dataset's PROVENANCE.md): the file starts with a byte-order
//! mark; `ABSENT COUNT` holds the abstentions and `NO-VOTE COUNT` the non-voting members;
//! several columns are one state under old names, typos or stray spaces (all resolved
//! through `kb/states.csv`, and required to agree); `Resolution` sometimes holds a draft
//! symbol or `MISSING_DATA`; two rows give only the year as the date.

use std::collections::HashMap;
use std::io::Read;

use normwatch_core::Symbol;
use normwatch_core::domain::VoteCounts;

use super::{
    FileKind, Input, Parsed, Sink, Streamed, clean_title, csv_reader, date_or_year, line_of, next_record, number,
    put_vote, read_header, seat_date, sections_by_siblings, session_of, symbol_notes, text, undl_vote, with_decoded,
};
use crate::error::ImportError;
use crate::model::{Body, Dataset, NO_VOTE, Part, RollCall, VoteTable};
use crate::states::states;

/// The scrape's metadata columns, before one column per state.
pub(crate) const METADATA: [&str; 11] = [
    "Council",
    "Date",
    "Title",
    "Resolution",
    "TOTAL VOTES",
    "NO-VOTE COUNT",
    "ABSENT COUNT",
    "NO COUNT",
    "YES COUNT",
    "Link",
    "token",
];

pub fn read_scrape<R: Read + Send>(input: Input<R>) -> Result<Parsed, ImportError> {
    read_scrape_into(input, &mut |_| {}).map(|s| s.parsed)
}

/// [`read_scrape`], handing each roll call (one row) to `sink` as soon as it is read.
pub fn read_scrape_into<R: Read + Send>(input: Input<R>, sink: Sink<'_>) -> Result<Streamed, ImportError> {
    let file = input.name;
    let kind = FileKind::UndlScrape;
    let table = states();
    with_decoded(input.reader, |reader| {
        let mut csv = csv_reader(reader);
        let header = read_header(&file, &mut csv)?;
        let council = header.require(&file, kind, "Council")?;
        let date = header.require(&file, kind, "Date")?;
        let title = header.require(&file, kind, "Title")?;
        let resolution = header.require(&file, kind, "Resolution")?;
        let non_voting = header.require(&file, kind, "NO-VOTE COUNT")?;
        // The labels are shifted: ABSENT COUNT is the number of abstentions.
        let abstain = header.require(&file, kind, "ABSENT COUNT")?;
        let no = header.require(&file, kind, "NO COUNT")?;
        let yes = header.require(&file, kind, "YES COUNT")?;
        let token = header.require(&file, kind, "token")?;

        // Every other column is a state.
        let mut state_columns: Vec<(usize, usize)> = Vec::new();
        for (index, name) in header.names.iter().enumerate() {
            if METADATA.iter().any(|m| name.trim().eq_ignore_ascii_case(m)) {
                continue;
            }
            let Some(column) = table.lookup_name(name) else {
                return Err(ImportError::at(
                    &file,
                    1,
                    index + 1,
                    name,
                    format!("`{}` is not a name of any state in kb/states.csv", name.trim()),
                ));
            };
            state_columns.push((index, column));
        }

        let mut list: Vec<RollCall> = Vec::new();
        let mut seen: HashMap<String, u64> = HashMap::new();
        let mut record = csv::ByteRecord::new();
        let mut line = 1;
        while next_record(&file, &mut csv, &mut record, line)? {
            line = line_of(&record);
            let body = match text(&file, line, &header, &record, council)?.trim() {
                "General Assembly" => Body::GeneralAssembly,
                "Security Council" => Body::SecurityCouncil,
                other => {
                    return Err(ImportError::at(
                        &file,
                        line,
                        council + 1,
                        header.name(council),
                        format!("`{other}` is neither General Assembly nor Security Council"),
                    ));
                }
            };
            let date_text = text(&file, line, &header, &record, date)?;
            let Some((vote_date, year)) = date_or_year(date_text) else {
                return Err(ImportError::at(
                    &file,
                    line,
                    date + 1,
                    header.name(date),
                    format!("`{}` is not a date written YYYY-MM-DD (or a year)", date_text.trim()),
                ));
            };
            let symbol_text = text(&file, line, &header, &record, resolution)?.trim().to_string();
            let symbol = Symbol::parse(&symbol_text).ok();
            let record_id = text(&file, line, &header, &record, token)?.trim().to_string();
            if record_id.is_empty() {
                return Err(ImportError::at(&file, line, token + 1, header.name(token), "the record token is empty"));
            }
            if let Some(first) = seen.insert(record_id.clone(), line) {
                return Err(ImportError::at(
                    &file,
                    line,
                    token + 1,
                    header.name(token),
                    format!("token {record_id} appears twice (first on line {first})"),
                ));
            }
            let totals = VoteCounts {
                yes: number(&file, line, &header, &record, yes)?,
                no: number(&file, line, &header, &record, no)?,
                abstain: number(&file, line, &header, &record, abstain)?,
                non_voting: Some(number(&file, line, &header, &record, non_voting)?),
            };
            let session = match body {
                Body::GeneralAssembly => {
                    symbol.as_ref().and_then(Symbol::ga_session).or_else(|| session_of(vote_date, year))
                }
                Body::SecurityCouncil => None,
            };
            let mut roll_call = RollCall {
                dataset: Dataset::UndlScrape,
                record: record_id,
                symbol,
                symbol_text,
                body,
                session,
                date: vote_date,
                year,
                title: clean_title(text(&file, line, &header, &record, title)?),
                part: Part::Whole,
                totals,
                issues: Vec::new(),
                line,
                votes: vec![NO_VOTE; table.len()],
            };
            let on = seat_date(vote_date, year);
            for &(index, column) in &state_columns {
                let field = record.get(index).unwrap_or_default();
                let Ok(value) = undl_vote(field) else {
                    return Err(ImportError::at(
                        &file,
                        line,
                        index + 1,
                        header.name(index),
                        format!(
                            "`{}` is not a vote: expected Y, N, A, X or nothing",
                            String::from_utf8_lossy(field).trim()
                        ),
                    ));
                };
                if value == NO_VOTE {
                    continue;
                }
                let column = if table.may_move(column) { table.on(column, on) } else { column };
                put_vote(&mut roll_call, column, value)
                    .map_err(|message| ImportError::at(&file, line, index + 1, header.name(index), message))?;
            }
            sink(&roll_call);
            list.push(roll_call);
        }
        let rows = list.len() as u64;
        let (pending, section_note) = sections_by_siblings(&mut list);
        let mut notes = symbol_notes(&list);
        notes.extend(section_note);
        let parsed = Parsed {
            table: VoteTable { dataset: Dataset::UndlScrape, origin: file.clone(), roll_calls: list },
            rows: vec![(file.clone(), rows)],
            notes,
        };
        Ok(Streamed { parsed, pending })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use normwatch_core::Iso3;
    use normwatch_core::domain::VoteValue;

    const HEADER: &str = "\u{feff}Council,Date,Title,Resolution,TOTAL VOTES,NO-VOTE COUNT,ABSENT COUNT,NO COUNT,YES COUNT,Link,token,UNITED STATES, UNITED STATES,RUSSIAN FEDERATION,CHILEs ,USSR\r\n";

    fn read(rows: &str) -> Result<Parsed, ImportError> {
        read_scrape(Input::new("UN DATA.csv", format!("{HEADER}{rows}").into_bytes().as_slice()))
    }

    #[test]
    fn reads_shifted_counts_and_merged_columns() {
        let parsed = read(
            "General Assembly,2020-12-31,\"Developments : resolution / adopted by the General Assembl[...]\",A/RES/75/240,4,1,1,1,1,https://x,3896180,N,,Y,A,\r\n\
             Security Council,1991-12-31,T,S/RES/725(1991),1,0,0,0,1,https://x,1,,,,,Y\r\n\
             General Assembly,2021-12-01,T,A/76/L.14,0,0,0,0,0,https://x,3949879,,,,,\r\n",
        )
        .unwrap();
        let rc = &parsed.table.roll_calls[0];
        assert_eq!(rc.totals, VoteCounts { yes: 1, no: 1, abstain: 1, non_voting: Some(1) });
        assert_eq!(rc.counted(), VoteCounts { non_voting: Some(0), ..rc.totals });
        assert_eq!(rc.title, "Developments");
        assert_eq!(rc.session, Some(75));
        assert_eq!(rc.vote(Iso3::parse("USA").unwrap()), Some(VoteValue::No));
        assert_eq!(rc.vote(Iso3::parse("CHL").unwrap()), Some(VoteValue::Abstain));
        assert_eq!(rc.record_ref(), "token=3896180");
        let sc = &parsed.table.roll_calls[1];
        assert_eq!(sc.body, Body::SecurityCouncil);
        assert_eq!(sc.vote(Iso3::parse("RUS").unwrap()), Some(VoteValue::Yes), "USSR on 31 Dec 1991 is Russia");
        assert!(!parsed.table.roll_calls[2].is_resolution());
        assert!(parsed.notes.iter().any(|n| n.contains("A/76/L.14")), "{:?}", parsed.notes);
    }

    /// A lone I is a section where the resolution's other roll calls are sections, and a
    /// part where they are parts (the rule at `sections_by_siblings`).
    #[test]
    fn a_lone_i_follows_its_siblings() {
        let parsed = read(
            "General Assembly,1976-12-22,Yearbook of the United Nations,A/RES/31/208[I],0,0,0,0,0,x,1,,,,,\r\n\
             General Assembly,1976-12-22,Future trend in computer usage,A/RES/31/208[III],0,0,0,0,0,x,2,,,,,\r\n\
             General Assembly,2000-11-20,T,A/RES/55/33[I],0,0,0,0,0,x,3,,,,,\r\n\
             General Assembly,2000-11-20,T,A/RES/55/33[J],0,0,0,0,0,x,4,,,,,\r\n\
             General Assembly,1996-12-17,T,A/RES/51/30 I,0,0,0,0,0,x,5,,,,,\r\n",
        )
        .unwrap();
        let symbols: Vec<String> =
            parsed.table.roll_calls.iter().map(|r| r.symbol.as_ref().unwrap().to_string()).collect();
        assert_eq!(symbols, ["A/RES/31/208/I", "A/RES/31/208/III", "A/RES/55/33I", "A/RES/55/33J", "A/RES/51/30I"]);
        assert!(parsed.notes.iter().any(|n| n.starts_with("1 roll calls write a lone I")), "{:?}", parsed.notes);
        let streamed = read_scrape_into(
            Input::new("UN DATA.csv", format!("{HEADER}General Assembly,1976-12-22,T,A/RES/31/208[I],0,0,0,0,0,x,1,,,,,\r\nGeneral Assembly,1976-12-22,T,A/RES/31/208[III],0,0,0,0,0,x,2,,,,,\r\n").as_bytes()),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(streamed.pending, vec![0], "the changed roll call is handed over again");
    }

    #[test]
    fn errors_name_line_and_column() {
        let error = read("General Assembly,2020-12-31,T,A/RES/75/240,4,1,1,1,1,x,1,N,,Q,A,X\r\n").unwrap_err();
        assert_eq!(error.line, 2);
        assert!(error.to_string().contains("column 14 (RUSSIAN FEDERATION): `Q` is not a vote"), "{error}");
        let error = read("General Assembly,2020-12-31,T,A/RES/75/240,4,1,1,1,1,x,1,N,Y,,,\r\n").unwrap_err();
        assert!(error.to_string().contains("two labels for one state disagree"), "{error}");
        let error = read("General Assembly,2020-12-31,T,A/RES/75/240,4,1,one,1,1,x,1,,,,,\r\n").unwrap_err();
        assert!(error.to_string().contains("column 7 (ABSENT COUNT)"), "{error}");
        let bad_header =
            read_scrape(Input::new("UN DATA.csv", HEADER.replace("USSR", "NARNIA").as_bytes())).unwrap_err();
        assert!(bad_header.to_string().contains("line 1, column 16 (NARNIA)"), "{bad_header}");
    }
}
