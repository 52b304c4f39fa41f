//! The descriptors: a Frictionless Tabular Data Package (`datapackage.json`, v1 with the
//! `tabular-data-package` profile) and a Citation File Format 1.2.0 file.

use serde::Serialize;

use crate::{Field, Format, License, Package, Source, Table, WrittenFile};

#[derive(Serialize)]
struct LicenseJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    title: &'a str,
}

fn licenses(list: &[License]) -> Vec<LicenseJson<'_>> {
    list.iter().map(|l| LicenseJson { name: l.name.as_deref(), path: l.path.as_deref(), title: &l.title }).collect()
}

#[derive(Serialize)]
struct SourceJson<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
}

fn sources(list: &[Source]) -> Vec<SourceJson<'_>> {
    list.iter().map(|s| SourceJson { title: &s.title, path: s.path.as_deref() }).collect()
}

#[derive(Serialize)]
struct Constraints<'a> {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    required: bool,
    #[serde(rename = "enum", skip_serializing_if = "<[String]>::is_empty")]
    values: &'a [String],
}

#[derive(Serialize)]
struct FieldJson<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    constraints: Option<Constraints<'a>>,
}

fn field<'a>(table: &Table, f: &'a Field) -> FieldJson<'a> {
    let required = f.required || table.primary_key.contains(&f.name);
    FieldJson {
        name: f.name,
        kind: f.kind.as_str(),
        description: &f.description,
        constraints: (required || !f.values.is_empty()).then_some(Constraints { required, values: &f.values }),
    }
}

#[derive(Serialize)]
struct Reference<'a> {
    resource: &'a str,
    fields: &'a [&'static str],
}

#[derive(Serialize)]
struct ForeignKeyJson<'a> {
    fields: &'a [&'static str],
    reference: Reference<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Schema<'a> {
    fields: Vec<FieldJson<'a>>,
    #[serde(skip_serializing_if = "<[&str]>::is_empty")]
    primary_key: &'a [&'static str],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    foreign_keys: Vec<ForeignKeyJson<'a>>,
    missing_values: [&'static str; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Dialect {
    delimiter: &'static str,
    line_terminator: &'static str,
    quote_char: &'static str,
    double_quote: bool,
    header: bool,
}

#[derive(Serialize)]
struct FileJson {
    path: String,
    format: &'static str,
    mediatype: &'static str,
    bytes: u64,
    hash: String,
}

#[derive(Serialize)]
struct Resource<'a> {
    profile: &'static str,
    name: &'a str,
    path: String,
    format: &'static str,
    mediatype: &'static str,
    encoding: &'static str,
    bytes: u64,
    hash: String,
    title: &'a str,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    dialect: Option<Dialect>,
    schema: Schema<'a>,
    rows: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<SourceJson<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    licenses: Vec<LicenseJson<'a>>,
    /// The same table in the other formats written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    alternates: Vec<FileJson>,
}

#[derive(Serialize)]
struct Input<'a> {
    name: &'a str,
    value: &'a str,
}

#[derive(Serialize)]
struct Provenance<'a> {
    program: &'a str,
    inputs: Vec<Input<'a>>,
}

#[derive(Serialize)]
struct DataPackage<'a> {
    profile: &'static str,
    name: &'a str,
    title: &'a str,
    description: &'a str,
    version: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    homepage: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    licenses: Vec<LicenseJson<'a>>,
    sources: Vec<SourceJson<'a>>,
    /// What the package was derived from, by whom.
    normwatch: Provenance<'a>,
    resources: Vec<Resource<'a>>,
}

fn file_json(format: Format, file: &WrittenFile) -> FileJson {
    FileJson {
        path: file.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        format: format.extension(),
        mediatype: format.mediatype(),
        bytes: file.bytes,
        hash: format!("sha256:{}", file.sha256),
    }
}

/// `datapackage.json`: every table as a resource whose path is its file in the first of
/// `formats` (CSV when written), the others listed as `alternates`.
pub(crate) fn datapackage(package: &Package, version: &str, formats: &[Format], files: &[Vec<WrittenFile>]) -> String {
    let resources = package
        .tables
        .iter()
        .zip(files)
        .map(|(table, written)| {
            let mut order: Vec<(Format, &WrittenFile)> = formats.iter().copied().zip(written).collect();
            order.sort_by_key(|(f, _)| *f);
            let (main_format, main) = order[0];
            let main = file_json(main_format, main);
            Resource {
                profile: "tabular-data-resource",
                name: table.name,
                path: main.path,
                format: main.format,
                mediatype: main.mediatype,
                encoding: "utf-8",
                bytes: main.bytes,
                hash: main.hash,
                title: &table.title,
                description: &table.description,
                dialect: (main_format == Format::Csv).then_some(Dialect {
                    delimiter: ",",
                    line_terminator: "\n",
                    quote_char: "\"",
                    double_quote: true,
                    header: true,
                }),
                schema: Schema {
                    fields: table.fields.iter().map(|f| field(table, f)).collect(),
                    primary_key: &table.primary_key,
                    foreign_keys: table
                        .foreign_keys
                        .iter()
                        .map(|k| ForeignKeyJson {
                            fields: &k.fields,
                            reference: Reference { resource: k.resource, fields: &k.reference },
                        })
                        .collect(),
                    missing_values: [""],
                },
                rows: table.rows.len(),
                sources: sources(&table.sources),
                licenses: licenses(&table.licenses),
                alternates: order[1..].iter().map(|(f, w)| file_json(*f, w)).collect(),
            }
        })
        .collect();
    let descriptor = DataPackage {
        profile: "tabular-data-package",
        name: &package.name,
        title: &package.title,
        description: &package.description,
        version,
        homepage: package.homepage.as_deref(),
        licenses: licenses(&package.licenses),
        sources: sources(&package.sources),
        normwatch: Provenance {
            program: &package.program,
            inputs: package.inputs.iter().map(|(name, value)| Input { name, value }).collect(),
        },
        resources,
    };
    let mut text = serde_json::to_string_pretty(&descriptor).expect("plain data serialises");
    text.push('\n');
    text
}

/// A YAML double-quoted scalar (JSON's escapes are YAML's).
fn quoted(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// `CITATION.cff` (Citation File Format 1.2.0, type `dataset`).
pub(crate) fn citation_cff(package: &Package, version: &str) -> String {
    let c = &package.citation;
    let mut out = String::from("cff-version: 1.2.0\n");
    out.push_str(&format!("message: {}\n", quoted(&c.message)));
    out.push_str("type: dataset\n");
    out.push_str(&format!("title: {}\n", quoted(&c.title)));
    out.push_str(&format!("version: {}\n", quoted(version)));
    out.push_str(&format!("abstract: {}\n", quoted(&c.abstract_text)));
    out.push_str("authors:\n");
    for author in &c.authors {
        out.push_str(&format!("  - name: {}\n", quoted(author)));
    }
    if let Some(repository) = &c.repository {
        out.push_str(&format!("repository-code: {}\n", quoted(repository)));
    }
    if let Some(license) = &c.license {
        out.push_str(&format!("license: {}\n", quoted(license)));
    }
    if !c.keywords.is_empty() {
        out.push_str("keywords:\n");
        for keyword in &c.keywords {
            out.push_str(&format!("  - {}\n", quoted(keyword)));
        }
    }
    out
}
