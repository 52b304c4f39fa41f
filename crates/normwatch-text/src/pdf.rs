//! Text from a PDF, through `pdf-extract`, guarded: the bytes must be under a size limit,
//! extraction runs on its own thread inside `catch_unwind` (pdf-extract panics on some
//! malformed files) and is abandoned after a time limit. The text then goes to
//! [`crate::resolution::parse`].
//!
//! An abandoned extraction cannot be stopped: its thread runs on until pdf-extract returns,
//! and its result is dropped. A caller importing many files should keep the limits tight.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::time::Duration;

/// Limits on one extraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PdfLimits {
    pub max_bytes: usize,
    pub timeout: Duration,
}

impl Default for PdfLimits {
    /// 20 MB and 30 seconds: a UN resolution is a few hundred kilobytes.
    fn default() -> PdfLimits {
        PdfLimits { max_bytes: 20 * 1024 * 1024, timeout: Duration::from_secs(30) }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("the file has {size} bytes, more than the limit of {limit} for a PDF")]
    TooLarge { size: usize, limit: usize },
    #[error("the file is not a PDF (it does not start with %PDF-)")]
    NotPdf,
    #[error("the PDF could not be read: {0}")]
    Extract(String),
    #[error("the PDF reader failed on this file ({0}); the file is probably malformed")]
    Panicked(String),
    #[error("reading the PDF took longer than {0:?}; gave up")]
    TimedOut(Duration),
    #[error("could not start the PDF reader: {0}")]
    Thread(String),
}

/// The text of a PDF, within the limits.
pub fn pdf_to_text(bytes: &[u8], limits: PdfLimits) -> Result<String, PdfError> {
    if bytes.len() > limits.max_bytes {
        return Err(PdfError::TooLarge { size: bytes.len(), limit: limits.max_bytes });
    }
    if !bytes.starts_with(b"%PDF-") {
        return Err(PdfError::NotPdf);
    }
    let owned = bytes.to_vec();
    let (sender, receiver) = mpsc::channel();
    std::thread::Builder::new()
        .name("pdf-extract".into())
        .spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(|| pdf_extract::extract_text_from_mem(&owned)));
            let _ = sender.send(result);
        })
        .map_err(|e| PdfError::Thread(e.to_string()))?;
    match receiver.recv_timeout(limits.timeout) {
        Ok(Ok(Ok(text))) => Ok(text),
        Ok(Ok(Err(error))) => Err(PdfError::Extract(error.to_string())),
        Ok(Err(panic)) => Err(PdfError::Panicked(panic_message(panic.as_ref()))),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(PdfError::TimedOut(limits.timeout)),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err(PdfError::Panicked("the reader stopped without an answer".into()))
        }
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page PDF showing `lines` in Helvetica, with a correct cross-reference table.
    pub(crate) fn tiny_pdf(lines: &[&str]) -> Vec<u8> {
        let mut content = String::from("BT /F1 11 Tf 14 TL 72 720 Td\n");
        for line in lines {
            content
                .push_str(&format!("({}) Tj T*\n", line.replace('\\', "\\\\").replace('(', "\\(").replace(')', "\\)")));
        }
        content.push_str("ET");
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
                .to_string(),
            format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
        ];
        let mut pdf = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, object) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
        }
        let xref = pdf.len();
        pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for offset in offsets {
            pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        pdf.extend_from_slice(
            format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
        );
        pdf
    }

    #[test]
    fn text_comes_out_of_a_pdf_and_parses() {
        let pdf = tiny_pdf(&["The General Assembly,", "", "1. Takes note of the elements annexed;"]);
        let text = pdf_to_text(&pdf, PdfLimits::default()).unwrap();
        assert!(text.contains("Takes note of the elements annexed"), "{text:?}");
        let parsed = crate::resolution::parse(&text);
        let operative: Vec<_> = parsed.operative().collect();
        assert_eq!(operative.len(), 1, "{parsed:?}");
        assert_eq!(operative[0].verb, Some(normwatch_core::domain::OperativeVerb::TakesNote));
    }

    #[test]
    fn limits_and_bad_files_are_errors() {
        let limits = PdfLimits { max_bytes: 10, timeout: Duration::from_secs(5) };
        assert_eq!(pdf_to_text(&[b'%'; 11], limits), Err(PdfError::TooLarge { size: 11, limit: 10 }));
        assert_eq!(pdf_to_text(b"hello", PdfLimits::default()), Err(PdfError::NotPdf));
        // Truncated and garbled PDFs give an error, never a panic of the caller.
        let pdf = tiny_pdf(&["x"]);
        for cut in [9, pdf.len() / 2, pdf.len() - 10] {
            let _ = pdf_to_text(&pdf[..cut], PdfLimits::default());
        }
        let mut garbled = pdf.clone();
        for b in garbled.iter_mut().skip(40).step_by(7) {
            *b = b'#';
        }
        assert!(pdf_to_text(&garbled, PdfLimits::default()).is_err());
    }
}
