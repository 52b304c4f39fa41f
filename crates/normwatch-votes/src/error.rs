//! Import errors that say where the problem is: file, line and, where there is one, column.

use std::fmt;

/// A column of a CSV file: its 1-based number and its header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub number: usize,
    pub name: String,
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.name.is_empty() {
            write!(f, "column {}", self.number)
        } else {
            write!(f, "column {} ({})", self.number, self.name.trim())
        }
    }
}

/// Why a file could not be imported. Nothing is imported when any file fails.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}, line {line}{}: {message}", column.as_ref().map(|c| format!(", {c}")).unwrap_or_default())]
pub struct ImportError {
    /// The file's name as the user gave it.
    pub file: String,
    /// 1-based; the header is line 1.
    pub line: u64,
    pub column: Option<Column>,
    pub message: String,
}

impl ImportError {
    pub fn new(file: &str, line: u64, message: impl Into<String>) -> ImportError {
        ImportError { file: file.to_string(), line, column: None, message: message.into() }
    }

    pub fn at(file: &str, line: u64, number: usize, name: &str, message: impl Into<String>) -> ImportError {
        ImportError {
            file: file.to_string(),
            line,
            column: Some(Column { number, name: name.to_string() }),
            message: message.into(),
        }
    }

    /// Explains a read error: a truncated or corrupt gzip stream, invalid UTF-8, a disk error.
    pub fn io(file: &str, line: u64, error: &std::io::Error) -> ImportError {
        use std::io::ErrorKind;
        let message = match error.kind() {
            ErrorKind::UnexpectedEof => {
                "the data ends early: the file is truncated (download or copy it again)".to_string()
            }
            ErrorKind::InvalidInput | ErrorKind::InvalidData => {
                format!("the compressed data is damaged ({error}); download or copy the file again")
            }
            _ => format!("cannot read the file: {error}"),
        };
        ImportError::new(file, line, message)
    }

    /// Converts an error of the CSV reader, keeping its position.
    pub fn csv(file: &str, fallback_line: u64, error: &csv::Error) -> ImportError {
        let line = error.position().map_or(fallback_line, |p| p.line());
        match error.kind() {
            csv::ErrorKind::Io(io) => ImportError::io(file, line, io),
            csv::ErrorKind::UnequalLengths { expected_len, len, .. } => ImportError::new(
                file,
                line,
                format!(
                    "the row has {len} fields where the header has {expected_len}; is a quote unclosed or the line cut?"
                ),
            ),
            _ => ImportError::new(file, line, format!("the file is not valid CSV: {error}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_file_line_and_column() {
        let error = ImportError::at("un_votes.csv.gz", 12, 4, "vote", "`maybe` is not a vote");
        assert_eq!(error.to_string(), "un_votes.csv.gz, line 12, column 4 (vote): `maybe` is not a vote");
        let error = ImportError::new("a.csv", 1, "no header");
        assert_eq!(error.to_string(), "a.csv, line 1: no header");
    }

    #[test]
    fn a_truncated_stream_says_so() {
        let io = std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "eof");
        assert!(ImportError::io("x.gz", 3, &io).to_string().contains("truncated"));
    }
}
