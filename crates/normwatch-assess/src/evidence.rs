//! Evidence attached to an answer: a link, or an uploaded file's metadata (the bytes are
//! stored by the caller). The limits below are this installation's policy, chosen to keep
//! uploads to ordinary office documents and pictures; they are not facts about anything and
//! may be changed here.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Policy: the largest file accepted as evidence (10 MiB).
pub const MAX_EVIDENCE_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Policy: at most this many pieces of evidence per answer.
pub const MAX_EVIDENCE_PER_ANSWER: usize = 50;

/// Policy: the longest file name, link or title accepted (in bytes).
pub const MAX_EVIDENCE_TEXT: usize = 2048;

/// Policy: the content types accepted for uploads, each with the file-name extensions
/// that may carry it and the leading bytes such a file starts with (empty: checked as text).
pub const ALLOWED_CONTENT_TYPES: &[(&str, &[&str], &[u8])] = &[
    ("application/pdf", &["pdf"], b"%PDF-"),
    ("image/png", &["png"], b"\x89PNG\r\n\x1a\n"),
    ("image/jpeg", &["jpg", "jpeg"], b"\xff\xd8\xff"),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", &["docx"], b"PK\x03\x04"),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &["xlsx"], b"PK\x03\x04"),
    ("application/vnd.openxmlformats-officedocument.presentationml.presentation", &["pptx"], b"PK\x03\x04"),
    ("application/vnd.oasis.opendocument.text", &["odt"], b"PK\x03\x04"),
    ("application/vnd.oasis.opendocument.spreadsheet", &["ods"], b"PK\x03\x04"),
    ("text/plain", &["txt"], b""),
    ("text/csv", &["csv"], b""),
];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Evidence {
    Link {
        url: String,
        title: String,
    },
    File {
        name: String,
        content_type: String,
        size: u64,
        /// Lower-case hex SHA-256 of the bytes, so the stored copy can be checked.
        sha256: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceError {
    #[error("the file is {size} bytes; the limit is {MAX_EVIDENCE_FILE_BYTES}")]
    TooLarge { size: u64 },
    #[error("the file is empty")]
    Empty,
    #[error("`{0}` is not an accepted content type")]
    ContentType(String),
    #[error("the name `{name}` does not end in an extension for {content_type}")]
    Extension { name: String, content_type: String },
    #[error("the file's bytes are not those of {0}")]
    Content(String),
    #[error("`{0}` is not a usable file name")]
    Name(String),
    #[error("`{0}` is not an http(s) link")]
    Url(String),
    #[error("text longer than {MAX_EVIDENCE_TEXT} bytes")]
    TooLong,
    #[error("`{0}` is not a SHA-256 digest in hex")]
    Digest(String),
}

fn allowed(content_type: &str) -> Option<&'static (&'static str, &'static [&'static str], &'static [u8])> {
    ALLOWED_CONTENT_TYPES.iter().find(|(t, _, _)| *t == content_type)
}

fn check_name(name: &str, content_type: &str) -> Result<(), EvidenceError> {
    let usable = !name.trim().is_empty()
        && name.trim() == name
        && !name.contains(['/', '\\', '\0'])
        && !name.chars().any(char::is_control)
        && name != "."
        && name != "..";
    if !usable {
        return Err(EvidenceError::Name(name.to_string()));
    }
    let (_, extensions, _) =
        allowed(content_type).ok_or_else(|| EvidenceError::ContentType(content_type.to_string()))?;
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if !extensions.contains(&extension.as_str()) {
        return Err(EvidenceError::Extension { name: name.to_string(), content_type: content_type.to_string() });
    }
    Ok(())
}

/// Checks evidence as stored in an answer (what an import or an API call hands in).
pub fn check_evidence(evidence: &Evidence) -> Result<(), EvidenceError> {
    match evidence {
        Evidence::Link { url, title } => {
            if url.len() > MAX_EVIDENCE_TEXT || title.len() > MAX_EVIDENCE_TEXT {
                return Err(EvidenceError::TooLong);
            }
            let lower = url.to_ascii_lowercase();
            let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
            if rest.is_none_or(|r| r.is_empty() || r.starts_with('/'))
                || url.chars().any(|c| c.is_whitespace() || c.is_control())
            {
                return Err(EvidenceError::Url(url.clone()));
            }
            Ok(())
        }
        Evidence::File { name, content_type, size, sha256 } => {
            if name.len() > MAX_EVIDENCE_TEXT {
                return Err(EvidenceError::TooLong);
            }
            if *size == 0 {
                return Err(EvidenceError::Empty);
            }
            if *size > MAX_EVIDENCE_FILE_BYTES {
                return Err(EvidenceError::TooLarge { size: *size });
            }
            check_name(name, content_type)?;
            if sha256.len() != 64 || !sha256.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)) {
                return Err(EvidenceError::Digest(sha256.clone()));
            }
            Ok(())
        }
    }
}

/// Checks an upload against the policy (size, declared type, extension, leading bytes) and
/// gives the evidence to store with the answer.
pub fn check_upload(name: &str, content_type: &str, bytes: &[u8]) -> Result<Evidence, EvidenceError> {
    let size = bytes.len() as u64;
    if size == 0 {
        return Err(EvidenceError::Empty);
    }
    if size > MAX_EVIDENCE_FILE_BYTES {
        return Err(EvidenceError::TooLarge { size });
    }
    let (content_type, _, magic) =
        allowed(content_type).ok_or_else(|| EvidenceError::ContentType(content_type.to_string()))?;
    check_name(name, content_type)?;
    let content_ok = if magic.is_empty() {
        std::str::from_utf8(bytes).is_ok_and(|t| !t.contains('\0'))
    } else {
        bytes.starts_with(magic)
    };
    if !content_ok {
        return Err(EvidenceError::Content((*content_type).to_string()));
    }
    let digest = Sha256::digest(bytes);
    let sha256 = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok(Evidence::File { name: name.to_string(), content_type: (*content_type).to_string(), size, sha256 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_are_checked_for_size_type_name_and_content() {
        let pdf = b"%PDF-1.7\n...";
        let ok = check_upload("plan.pdf", "application/pdf", pdf).unwrap();
        assert!(check_evidence(&ok).is_ok());
        let cases: &[(&str, &str, &[u8], &str)] = &[
            ("plan.pdf", "application/x-msdownload", pdf, "content type"),
            ("plan.exe", "application/pdf", pdf, "extension"),
            ("plan.pdf", "application/pdf", b"MZ\x90\x00", "bytes"),
            ("../plan.pdf", "application/pdf", pdf, "file name"),
            ("notes.txt", "text/plain", b"a\0b", "bytes"),
            ("notes.txt", "text/plain", b"", "empty"),
        ];
        for (name, content_type, bytes, expected) in cases {
            let error = check_upload(name, content_type, bytes).unwrap_err().to_string();
            assert!(error.contains(expected), "{name} {content_type}: {error}");
        }
        let big = vec![b'a'; MAX_EVIDENCE_FILE_BYTES as usize + 1];
        assert!(matches!(check_upload("big.txt", "text/plain", &big), Err(EvidenceError::TooLarge { .. })));
        let at_limit = vec![b'a'; MAX_EVIDENCE_FILE_BYTES as usize];
        assert!(check_upload("big.txt", "text/plain", &at_limit).is_ok());
    }

    #[test]
    fn links_must_be_http() {
        let link = |url: &str| Evidence::Link { url: url.into(), title: "t".into() };
        assert!(check_evidence(&link("https://example.org/strategy.pdf")).is_ok());
        for bad in ["javascript:alert(1)", "ftp://x", "https://", "https:///x", "https://a b"] {
            assert!(check_evidence(&link(bad)).is_err(), "{bad}");
        }
    }
}
