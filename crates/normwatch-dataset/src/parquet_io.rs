//! Parquet through the `parquet` crate's column writer (no Arrow arrays): strings as
//! `BYTE_ARRAY` annotated `STRING`, integers as `INT64`, booleans, dates as `INT32`
//! annotated `DATE` (days since 1970-01-01); Snappy pages; row groups of at most
//! [`ROW_GROUP`] rows. And the reader that turns a file back into CSV spellings.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::errors::{ParquetError, Result};
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::record::Field as Value;
use parquet::schema::types::Type;

use crate::{Cell, FieldType, Table};

/// Rows per row group.
pub const ROW_GROUP: usize = 256 * 1024;

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (proleptic Gregorian), if it is one.
pub(crate) fn days(text: &str) -> Option<i32> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = &text[range];
        part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok())?
    };
    let (y, m, d) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&m) || d < 1 || d > month_days[(m - 1) as usize] {
        return None;
    }
    // H. Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    i32::try_from(era * 146_097 + doe - 719_468).ok()
}

/// The `YYYY-MM-DD` of days since 1970-01-01 (H. Hinnant's civil_from_days).
pub(crate) fn civil(days: i32) -> String {
    let z = i64::from(days) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn schema(table: &Table) -> Result<Type> {
    let mut fields = Vec::new();
    for field in &table.fields {
        let (physical, logical) = match field.kind {
            FieldType::String => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
            FieldType::Integer => (Physical::INT64, None),
            FieldType::Boolean => (Physical::BOOLEAN, None),
            FieldType::Date => (Physical::INT32, Some(LogicalType::Date)),
        };
        let repetition = if required(table, field) { Repetition::REQUIRED } else { Repetition::OPTIONAL };
        fields.push(Arc::new(
            Type::primitive_type_builder(field.name, physical)
                .with_repetition(repetition)
                .with_logical_type(logical)
                .build()?,
        ));
    }
    Type::group_type_builder("schema").with_fields(fields).build()
}

fn required(table: &Table, field: &crate::Field) -> bool {
    field.required || table.primary_key.contains(&field.name)
}

/// The table as a Parquet file. The table must have passed [`Table::check`].
pub fn to_parquet(table: &Table, created_by: &str) -> Result<Vec<u8>> {
    let properties =
        WriterProperties::builder().set_compression(Compression::SNAPPY).set_created_by(created_by.to_string()).build();
    let mut writer = SerializedFileWriter::new(Vec::new(), Arc::new(schema(table)?), Arc::new(properties))?;
    let mismatch = |field: &str| ParquetError::General(format!("field {field}: a value of another type"));
    for chunk in table.rows.chunks(ROW_GROUP) {
        let mut group = writer.next_row_group()?;
        for (c, field) in table.fields.iter().enumerate() {
            let mut column = group.next_column()?.ok_or_else(|| ParquetError::General("a column is missing".into()))?;
            let levels: Vec<i16> = chunk.iter().map(|row| i16::from(row[c] != Cell::Null)).collect();
            let levels = (!required(table, field)).then_some(levels.as_slice());
            let present = chunk.iter().map(|row| &row[c]).filter(|cell| **cell != Cell::Null);
            match field.kind {
                FieldType::String => {
                    let values = present
                        .map(|cell| match cell {
                            Cell::Text(s) => Ok(ByteArray::from(s.as_str())),
                            _ => Err(mismatch(field.name)),
                        })
                        .collect::<Result<Vec<_>>>()?;
                    column.typed::<ByteArrayType>().write_batch(&values, levels, None)?;
                }
                FieldType::Integer => {
                    let values = present
                        .map(|cell| match cell {
                            Cell::Int(n) => Ok(*n),
                            _ => Err(mismatch(field.name)),
                        })
                        .collect::<Result<Vec<_>>>()?;
                    column.typed::<Int64Type>().write_batch(&values, levels, None)?;
                }
                FieldType::Boolean => {
                    let values = present
                        .map(|cell| match cell {
                            Cell::Bool(b) => Ok(*b),
                            _ => Err(mismatch(field.name)),
                        })
                        .collect::<Result<Vec<_>>>()?;
                    column.typed::<BoolType>().write_batch(&values, levels, None)?;
                }
                FieldType::Date => {
                    let values = present
                        .map(|cell| match cell {
                            Cell::Date(d) => days(d).ok_or_else(|| mismatch(field.name)),
                            _ => Err(mismatch(field.name)),
                        })
                        .collect::<Result<Vec<_>>>()?;
                    column.typed::<Int32Type>().write_batch(&values, levels, None)?;
                }
            }
            column.close()?;
        }
        group.close()?;
    }
    writer.into_inner()
}

/// Reads a Parquet file of flat columns back as its column names and each row's values in
/// their CSV spelling (empty for null), to compare a file with its CSV.
pub fn read_parquet(path: &Path) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    let file = File::open(path).map_err(|e| ParquetError::General(format!("{}: {e}", path.display())))?;
    let reader = SerializedFileReader::new(file)?;
    let columns: Vec<String> =
        reader.metadata().file_metadata().schema_descr().columns().iter().map(|c| c.name().to_string()).collect();
    let mut rows = Vec::new();
    for row in reader.get_row_iter(None)? {
        let row = row?;
        let cells = row
            .get_column_iter()
            .map(|(_, value)| match value {
                Value::Null => String::new(),
                Value::Str(s) => s.clone(),
                Value::Long(n) => n.to_string(),
                Value::Int(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Date(d) => civil(*d),
                other => format!("{other}"),
            })
            .collect();
        rows.push(cells);
    }
    Ok((columns, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_civil_are_inverse_and_refuse_impossible_dates() {
        assert_eq!(days("1970-01-01"), Some(0));
        assert_eq!(days("1970-01-02"), Some(1));
        assert_eq!(days("1969-12-31"), Some(-1));
        assert_eq!(days("2000-02-29"), Some(11_016));
        for text in ["1900-02-29", "2021-02-29", "2021-04-31", "2021-00-10", "21-01-01", "2021-1-01", "2021-01-+1"] {
            assert_eq!(days(text), None, "{text}");
        }
        for d in (-200_000..200_000).step_by(97) {
            assert_eq!(days(&civil(d)), Some(d));
        }
    }
}
