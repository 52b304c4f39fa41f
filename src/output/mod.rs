//! One way to print a result: every command's result is a [`Report`] with a text form,
//! optionally a CSV form, and a JSON form that is a contract type of `normwatch-api`.
//! Commands build a report and hand it to [`print`]; nothing else writes to stdout.

pub mod accounts;
pub mod kb;
pub mod measure;
pub mod norms;
pub mod texts;
pub mod votes;

use std::io::{self, Write};

use serde::Serialize;

/// How to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Csv,
    Json,
}

impl Format {
    /// `--json` wins over `--csv`; text otherwise.
    pub fn of(json: bool, csv: bool) -> Format {
        if json {
            Format::Json
        } else if csv {
            Format::Csv
        } else {
            Format::Text
        }
    }
}

/// A command's result, printable in each format.
pub trait Report {
    /// The contract type printed by `--json` (owned, or borrowed from the report).
    type Json<'a>: Serialize
    where
        Self: 'a;

    fn json(&self) -> Self::Json<'_>;

    /// For people at a terminal.
    fn text(&self, out: &mut dyn Write) -> io::Result<()>;

    /// For spreadsheets; the text where a command has no table to give.
    fn csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        Ok(self.text(out)?)
    }
}

/// Prints a report to stdout. A closed pipe (`normwatch … | head`) is not an error.
pub fn print<R: Report>(report: &R, format: Format) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let result = match format {
        Format::Json => write_json(&mut out, &report.json()),
        Format::Text => report.text(&mut out).map_err(anyhow::Error::from),
        Format::Csv => report.csv(&mut out),
    }
    .and_then(|()| Ok(out.flush()?));
    match result {
        Err(error) if is_broken_pipe(&error) => Ok(()),
        other => other,
    }
}

/// Pretty JSON and a newline.
pub fn write_json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Prints a contract value as JSON to stdout.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    write_json(&mut out, value)?;
    out.flush()?;
    Ok(())
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        if let Some(json) = cause.downcast_ref::<serde_json::Error>() {
            return json.io_error_kind() == Some(io::ErrorKind::BrokenPipe);
        }
        let io = cause.downcast_ref::<io::Error>().or_else(|| match cause.downcast_ref::<csv::Error>()?.kind() {
            csv::ErrorKind::Io(io) => Some(io),
            _ => None,
        });
        io.is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// A CSV writer over an output.
pub fn csv_writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::Writer::from_writer(out)
}

// ------------------------------------------------------------------ shared formatting

/// A value with all its digits, or empty (CSV cells).
pub fn opt(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// `12.3%`, or `—` where there is no value.
pub fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |v| format!("{:.1}%", v * 100.0))
}

/// Text shortened to `width` characters with an ellipsis.
pub fn short(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(width - 1).collect::<String>())
    }
}
