//! Writes a tabular dataset as files: each table as CSV, Parquet and/or JSON, a Frictionless
//! `datapackage.json` describing them (schemas, field descriptions, primary and foreign
//! keys, licences and sources) and a `CITATION.cff`.
//!
//! The caller hands in plain [`Table`]s of typed [`Cell`]s; this crate knows nothing of the
//! store, the knowledge base or HTTP. Output is deterministic: the same package gives the
//! same bytes (no clock is read; the [`Package::version`] is a digest of the tables' CSV
//! text and the program's version).

mod describe;
mod parquet_io;

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use parquet_io::read_parquet;

/// What can go wrong while writing.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("cannot write {path}: {source}")]
    Csv { path: PathBuf, source: csv::Error },
    #[error("cannot write {path}: {source}")]
    Parquet { path: PathBuf, source: parquet::errors::ParquetError },
    #[error("table {table}, row {row}, field {field}: {message}")]
    Cell { table: String, row: usize, field: String, message: String },
    #[error("unknown format `{0}`: expected csv, parquet or json")]
    Format(String),
}

pub type Result<T, E = DatasetError> = std::result::Result<T, E>;

/// The value type of a field, by the names of Frictionless Table Schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    String,
    Integer,
    Boolean,
    /// `YYYY-MM-DD`; a Parquet `DATE`.
    Date,
}

impl FieldType {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
        }
    }
}

/// One column of a table.
#[derive(Clone, Debug)]
pub struct Field {
    pub name: &'static str,
    pub kind: FieldType,
    pub description: String,
    /// A value in every row (primary-key fields are always required).
    pub required: bool,
    /// The values allowed, where the field is a closed vocabulary.
    pub values: Vec<String>,
}

impl Field {
    pub fn new(name: &'static str, kind: FieldType, description: impl Into<String>) -> Field {
        Field { name, kind, description: description.into(), required: false, values: Vec::new() }
    }

    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }

    pub fn one_of<I: IntoIterator<Item = S>, S: Into<String>>(mut self, values: I) -> Field {
        self.values = values.into_iter().map(Into::into).collect();
        self
    }
}

/// One value. Empty text is written as null (Frictionless's default missing value is the
/// empty string), so [`Cell::text`] turns it into [`Cell::Null`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Null,
    Text(String),
    Int(i64),
    Bool(bool),
    /// Days are checked when written: `YYYY-MM-DD`.
    Date(String),
}

impl Cell {
    pub fn text(value: impl Into<String>) -> Cell {
        let value = value.into();
        if value.is_empty() { Cell::Null } else { Cell::Text(value) }
    }

    pub fn opt_text<S: Into<String>>(value: Option<S>) -> Cell {
        value.map_or(Cell::Null, Cell::text)
    }

    pub fn opt_int<I: Into<i64>>(value: Option<I>) -> Cell {
        value.map_or(Cell::Null, |v| Cell::Int(v.into()))
    }

    pub fn opt_date<D: fmt::Display>(value: Option<D>) -> Cell {
        value.map_or(Cell::Null, |d| Cell::Date(d.to_string()))
    }

    /// The CSV spelling: empty for null.
    pub fn csv(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Text(s) | Cell::Date(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Bool(b) => b.to_string(),
        }
    }
}

/// A foreign key: `fields` of this table refer to `reference` of `resource`.
#[derive(Clone, Debug)]
pub struct ForeignKey {
    pub fields: Vec<&'static str>,
    pub resource: &'static str,
    pub reference: Vec<&'static str>,
}

/// A licence or terms of use, as its source states it.
#[derive(Clone, Debug, PartialEq)]
pub struct License {
    /// An Open Definition / SPDX identifier where the source names one (`CC0-1.0`).
    pub name: Option<String>,
    pub path: Option<String>,
    /// The terms, in words.
    pub title: String,
}

/// A source of a table's data.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    pub title: String,
    pub path: Option<String>,
}

/// One table.
#[derive(Clone, Debug)]
pub struct Table {
    /// The file stem and resource name (lower case, `_`).
    pub name: &'static str,
    pub title: String,
    pub description: String,
    pub fields: Vec<Field>,
    pub primary_key: Vec<&'static str>,
    pub foreign_keys: Vec<ForeignKey>,
    pub sources: Vec<Source>,
    pub licenses: Vec<License>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    /// Checks every row against the schema: width, types, required fields, vocabularies.
    pub fn check(&self) -> Result<()> {
        for (r, row) in self.rows.iter().enumerate() {
            let fail = |field: &str, message: String| DatasetError::Cell {
                table: self.name.to_string(),
                row: r + 1,
                field: field.to_string(),
                message,
            };
            if row.len() != self.fields.len() {
                return Err(fail("*", format!("{} cells for {} fields", row.len(), self.fields.len())));
            }
            for (field, cell) in self.fields.iter().zip(row) {
                let required = field.required || self.primary_key.contains(&field.name);
                match (field.kind, cell) {
                    (_, Cell::Null) if required => return Err(fail(field.name, "a value is required".into())),
                    (_, Cell::Null) => {}
                    (FieldType::String, Cell::Text(s)) => {
                        if !field.values.is_empty() && !field.values.contains(s) {
                            return Err(fail(field.name, format!("`{s}` is not one of {:?}", field.values)));
                        }
                    }
                    (FieldType::Integer, Cell::Int(_)) | (FieldType::Boolean, Cell::Bool(_)) => {}
                    (FieldType::Date, Cell::Date(d)) => {
                        parquet_io::days(d).ok_or_else(|| fail(field.name, format!("`{d}` is not YYYY-MM-DD")))?;
                    }
                    (kind, cell) => return Err(fail(field.name, format!("{cell:?} in a {} field", kind.as_str()))),
                }
            }
        }
        Ok(())
    }

    /// The table as CSV text: a header of the field names, then one line per row.
    pub fn to_csv(&self) -> Result<Vec<u8>> {
        let path = PathBuf::from(format!("{}.csv", self.name));
        let csv_err = |source| DatasetError::Csv { path: path.clone(), source };
        let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
        writer.write_record(self.fields.iter().map(|f| f.name)).map_err(csv_err)?;
        for row in &self.rows {
            writer.write_record(row.iter().map(Cell::csv)).map_err(csv_err)?;
        }
        writer.into_inner().map_err(|e| DatasetError::Io { path: path.clone(), source: e.into_error() })
    }

    /// The table as a JSON array of objects, one per row, keys in field order.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = String::from("[");
        for (i, row) in self.rows.iter().enumerate() {
            out.push_str(if i == 0 { "\n{" } else { ",\n{" });
            for (j, (field, cell)) in self.fields.iter().zip(row).enumerate() {
                if j > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::Value::from(field.name).to_string());
                out.push(':');
                let value = match cell {
                    Cell::Null => serde_json::Value::Null,
                    Cell::Text(s) | Cell::Date(s) => serde_json::Value::from(s.as_str()),
                    Cell::Int(n) => serde_json::Value::from(*n),
                    Cell::Bool(b) => serde_json::Value::from(*b),
                };
                out.push_str(&value.to_string());
            }
            out.push('}');
        }
        out.push_str("\n]\n");
        out.into_bytes()
    }
}

/// How the dataset asks to be cited (`CITATION.cff`).
#[derive(Clone, Debug, PartialEq)]
pub struct Citation {
    pub title: String,
    pub message: String,
    /// Authors as entities or people, by name.
    pub authors: Vec<String>,
    pub abstract_text: String,
    pub repository: Option<String>,
    pub keywords: Vec<String>,
    /// The licence of the package as a whole, where one is declared (an SPDX id).
    pub license: Option<String>,
}

/// The whole dataset.
#[derive(Clone, Debug)]
pub struct Package {
    /// The package name (lower case, `-`).
    pub name: String,
    pub title: String,
    pub description: String,
    /// The program and version that wrote it (`normwatch 0.1.0`).
    pub program: String,
    pub program_version: String,
    pub homepage: Option<String>,
    pub licenses: Vec<License>,
    pub sources: Vec<Source>,
    /// What the data was derived from (a knowledge-base fingerprint, each import's file
    /// digests), name and value.
    pub inputs: Vec<(String, String)>,
    pub citation: Citation,
    pub tables: Vec<Table>,
}

/// An output format of the tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Csv,
    Parquet,
    Json,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Csv, Format::Parquet, Format::Json];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
            Format::Json => "json",
        }
    }

    pub fn mediatype(self) -> &'static str {
        match self {
            Format::Csv => "text/csv",
            Format::Parquet => "application/vnd.apache.parquet",
            Format::Json => "application/json",
        }
    }

    /// A comma-separated list (`csv,parquet`), in the order given, without repeats.
    pub fn parse_list(text: &str) -> Result<Vec<Format>> {
        let mut out = Vec::new();
        for word in text.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            let format = Format::ALL
                .into_iter()
                .find(|f| f.extension().eq_ignore_ascii_case(word))
                .ok_or_else(|| DatasetError::Format(word.to_string()))?;
            if !out.contains(&format) {
                out.push(format);
            }
        }
        if out.is_empty() {
            return Err(DatasetError::Format(text.to_string()));
        }
        Ok(out)
    }
}

/// The properties of [`Format::parse_list`] that its property test and fuzz target check:
/// a list of distinct formats whose own spelling reads back the same, or an error quoting a
/// part of the text.
#[doc(hidden)]
pub fn check_format_list(text: &str) {
    match Format::parse_list(text) {
        Ok(formats) => {
            assert!(!formats.is_empty());
            assert!(formats.iter().enumerate().all(|(i, f)| !formats[..i].contains(f)), "no repeats");
            let spelled: Vec<&str> = formats.iter().map(|f| f.extension()).collect();
            assert_eq!(Format::parse_list(&spelled.join(",")).ok().as_ref(), Some(&formats));
        }
        Err(DatasetError::Format(word)) => assert!(text.contains(word.as_str()), "{word:?} in {text:?}"),
        Err(other) => panic!("unexpected error {other}"),
    }
}

/// One file written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrittenFile {
    pub path: PathBuf,
    pub bytes: u64,
    pub sha256: String,
}

/// What [`write`] wrote.
#[derive(Clone, Debug)]
pub struct Written {
    pub version: String,
    pub files: Vec<WrittenFile>,
    /// Rows per table, in the package's order.
    pub rows: Vec<(&'static str, usize)>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

impl Package {
    /// The version: the program's version with a digest of every table's name and CSV text
    /// as build metadata (`0.1.0+1a2b3c4d5e6f`). Same tables, same version.
    pub fn version(&self, csvs: &[Vec<u8>]) -> String {
        let mut digest = Sha256::new();
        for (table, csv) in self.tables.iter().zip(csvs) {
            digest.update(table.name.as_bytes());
            digest.update([0]);
            digest.update((csv.len() as u64).to_le_bytes());
            digest.update(csv);
        }
        format!("{}+{}", self.program_version, &hex(&digest.finalize())[..12])
    }
}

fn put(dir: &Path, name: &str, bytes: &[u8], written: &mut Vec<WrittenFile>) -> Result<()> {
    let path = dir.join(name);
    // Write beside, then rename: a reader never sees half a file.
    let partial = dir.join(format!(".{name}.partial"));
    let io = |source| DatasetError::Io { path: path.clone(), source };
    let mut file = fs::File::create(&partial).map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.sync_all().map_err(io)?;
    fs::rename(&partial, &path).map_err(io)?;
    written.push(WrittenFile { path, bytes: bytes.len() as u64, sha256: sha256(bytes) });
    Ok(())
}

/// Writes every table in each format into `dir` (created if missing), then
/// `datapackage.json` and `CITATION.cff`. Checks every table first: nothing is written when
/// a cell does not fit its schema.
pub fn write(dir: &Path, package: &Package, formats: &[Format]) -> Result<Written> {
    for table in &package.tables {
        table.check()?;
    }
    fs::create_dir_all(dir).map_err(|source| DatasetError::Io { path: dir.to_path_buf(), source })?;
    let csvs: Vec<Vec<u8>> = package.tables.iter().map(Table::to_csv).collect::<Result<_>>()?;
    let version = package.version(&csvs);
    let mut files = Vec::new();
    let mut per_table: Vec<Vec<WrittenFile>> = Vec::new();
    for (table, csv) in package.tables.iter().zip(&csvs) {
        let mut mine = Vec::new();
        for format in formats {
            let name = format!("{}.{}", table.name, format.extension());
            match format {
                Format::Csv => put(dir, &name, csv, &mut mine)?,
                Format::Json => put(dir, &name, &table.to_json(), &mut mine)?,
                Format::Parquet => {
                    let bytes = parquet_io::to_parquet(table, &package.program)
                        .map_err(|source| DatasetError::Parquet { path: dir.join(&name), source })?;
                    put(dir, &name, &bytes, &mut mine)?;
                }
            }
        }
        files.extend(mine.iter().cloned());
        per_table.push(mine);
    }
    let descriptor = describe::datapackage(package, &version, formats, &per_table);
    put(dir, "datapackage.json", descriptor.as_bytes(), &mut files)?;
    put(dir, "CITATION.cff", describe::citation_cff(package, &version).as_bytes(), &mut files)?;
    Ok(Written { version, files, rows: package.tables.iter().map(|t| (t.name, t.rows.len())).collect() })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> Package {
        let people = Table {
            name: "people",
            title: "People".into(),
            description: "People, one per row.".into(),
            fields: vec![
                Field::new("id", FieldType::String, "The id."),
                Field::new("age", FieldType::Integer, "Age in years."),
                Field::new("born", FieldType::Date, "Birth date."),
                Field::new("member", FieldType::Boolean, "Whether a member."),
                Field::new("role", FieldType::String, "A role.").one_of(["a", "b"]),
            ],
            primary_key: vec!["id"],
            foreign_keys: Vec::new(),
            sources: vec![Source { title: "A register".into(), path: None }],
            licenses: Vec::new(),
            rows: vec![
                vec![Cell::text("x"), Cell::Int(3), Cell::Date("1970-01-02".into()), Cell::Bool(true), Cell::text("a")],
                vec![Cell::text("y, \"z\"\nw"), Cell::Null, Cell::Null, Cell::Bool(false), Cell::Null],
                vec![Cell::text("é"), Cell::Int(-4), Cell::Date("1946-12-11".into()), Cell::Null, Cell::text("b")],
            ],
        };
        let pets = Table {
            name: "pets",
            title: "Pets".into(),
            description: "Pets and owners.".into(),
            fields: vec![
                Field::new("owner", FieldType::String, "The owner."),
                Field::new("name", FieldType::String, "The name.").required(),
            ],
            primary_key: vec!["owner", "name"],
            foreign_keys: vec![ForeignKey { fields: vec!["owner"], resource: "people", reference: vec!["id"] }],
            sources: Vec::new(),
            licenses: vec![License { name: Some("CC0-1.0".into()), path: None, title: "Public domain".into() }],
            rows: vec![vec![Cell::text("x"), Cell::text("Rex")]],
        };
        Package {
            name: "sample".into(),
            title: "A sample".into(),
            description: "For tests.".into(),
            program: "normwatch-dataset test".into(),
            program_version: "0.0.1".into(),
            homepage: None,
            licenses: Vec::new(),
            sources: vec![Source { title: "A register".into(), path: Some("https://example.org".into()) }],
            inputs: vec![("kb".into(), "abc".into())],
            citation: Citation {
                title: "A sample".into(),
                message: "Cite it.".into(),
                authors: vec!["Someone".into()],
                abstract_text: "A sample: \"quoted\".".into(),
                repository: None,
                keywords: vec!["test".into()],
                license: None,
            },
            tables: vec![people, pets],
        }
    }

    #[test]
    fn the_same_package_gives_the_same_bytes_and_parquet_reads_back_as_the_csv() {
        let package = sample();
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let first = write(a.path(), &package, &Format::ALL).unwrap();
        let second = write(b.path(), &package, &Format::ALL).unwrap();
        assert_eq!(first.version, second.version);
        assert!(first.version.starts_with("0.0.1+"), "{}", first.version);
        let names = |w: &Written| {
            w.files.iter().map(|f| (f.path.file_name().unwrap().to_owned(), f.sha256.clone())).collect::<Vec<_>>()
        };
        assert_eq!(names(&first), names(&second));
        assert_eq!(first.files.len(), 2 * 3 + 2);
        for table in &package.tables {
            let csv = fs::read(a.path().join(format!("{}.csv", table.name))).unwrap();
            let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(csv.as_slice());
            let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
            let rows: Vec<Vec<String>> =
                reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
            let (pheader, prows) = read_parquet(&a.path().join(format!("{}.parquet", table.name))).unwrap();
            assert_eq!(header, pheader);
            assert_eq!(rows, prows, "{}", table.name);
            let json: serde_json::Value =
                serde_json::from_slice(&fs::read(a.path().join(format!("{}.json", table.name))).unwrap()).unwrap();
            assert_eq!(json.as_array().unwrap().len(), table.rows.len());
        }
        let descriptor: serde_json::Value =
            serde_json::from_slice(&fs::read(a.path().join("datapackage.json")).unwrap()).unwrap();
        assert_eq!(descriptor["version"], first.version.as_str());
        assert_eq!(descriptor["resources"][1]["schema"]["foreignKeys"][0]["reference"]["resource"], "people");
        let cff = fs::read_to_string(a.path().join("CITATION.cff")).unwrap();
        assert!(cff.starts_with("cff-version: 1.2.0\n"), "{cff}");
        assert!(cff.contains(&format!("version: \"{}\"", first.version)));
    }

    #[test]
    fn a_cell_that_does_not_fit_is_refused_with_table_row_and_field_and_nothing_is_written() {
        let mut package = sample();
        package.tables[0].rows[1][4] = Cell::text("c");
        let dir = tempfile::tempdir().unwrap();
        let error = write(&dir.path().join("out"), &package, &[Format::Csv]).unwrap_err().to_string();
        assert_eq!(error, "table people, row 2, field role: `c` is not one of [\"a\", \"b\"]");
        assert!(!dir.path().join("out").exists());
        package.tables[0].rows[1][4] = Cell::Null;
        package.tables[0].rows[0][2] = Cell::Date("1970-13-01".into());
        assert!(write(dir.path(), &package, &[Format::Csv]).unwrap_err().to_string().contains("field born"));
        package.tables[0].rows[0][2] = Cell::Null;
        package.tables[0].rows[0][0] = Cell::Null;
        assert!(write(dir.path(), &package, &[Format::Csv]).unwrap_err().to_string().contains("required"));
    }

    #[test]
    fn formats_parse_as_a_list() {
        assert_eq!(Format::parse_list("csv, parquet,csv").unwrap(), [Format::Csv, Format::Parquet]);
        assert_eq!(Format::parse_list("JSON").unwrap(), [Format::Json]);
        assert!(Format::parse_list("xlsx").unwrap_err().to_string().contains("`xlsx`"));
        assert!(Format::parse_list(" , ").is_err());
    }

    proptest::proptest! {
        /// Any text: a list of distinct formats that its own spelling gives back, or an
        /// error quoting the part of the text that is not a format.
        #[test]
        fn a_format_list_reads_back_or_names_the_bad_word(text in "[a-zA-Z, ]{0,30}|csv(, ?(parquet|json|CSV))*") {
            check_format_list(&text);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_and_integers_round_trip_through_csv_and_parquet(
            texts in proptest::collection::vec(proptest::option::of(".{0,12}"), 1..20),
            ints in proptest::collection::vec(proptest::option::of(proptest::num::i64::ANY), 20),
        ) {
            let table = Table {
                name: "t",
                title: "T".into(),
                description: String::new(),
                fields: vec![Field::new("s", FieldType::String, "s"), Field::new("n", FieldType::Integer, "n")],
                primary_key: Vec::new(),
                foreign_keys: Vec::new(),
                sources: Vec::new(),
                licenses: Vec::new(),
                rows: texts.iter().zip(&ints).map(|(s, n)| vec![Cell::opt_text(s.clone()), Cell::opt_int(*n)]).collect(),
            };
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("t.parquet");
            fs::write(&path, parquet_io::to_parquet(&table, "test").unwrap()).unwrap();
            let (_, rows) = read_parquet(&path).unwrap();
            let expected: Vec<Vec<String>> = table.rows.iter().map(|r| r.iter().map(Cell::csv).collect()).collect();
            proptest::prop_assert_eq!(rows, expected);
        }
    }
}
