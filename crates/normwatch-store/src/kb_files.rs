//! Reading knowledge-base files: from the copy embedded in the binary, or from a folder.

use std::path::Path;

use include_dir::{Dir, include_dir};
use normwatch_core::kb::KbFile;

/// The reviewed knowledge base as it was when the binary was built.
static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../kb");

pub fn embedded() -> Vec<KbFile> {
    let mut files = Vec::new();
    collect_embedded(&EMBEDDED, &mut files);
    files
}

fn collect_embedded(dir: &Dir<'static>, out: &mut Vec<KbFile>) {
    for file in dir.files() {
        if let Some(text) = file.contents_utf8() {
            out.push(KbFile { path: file.path().to_string_lossy().replace('\\', "/"), text: text.to_string() });
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, out);
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KbFolderError {
    #[error("{0} is not a folder (pass the knowledge base folder, such as ./kb)")]
    NotAFolder(std::path::PathBuf),
    #[error("cannot read {path}")]
    Read { path: std::path::PathBuf, source: std::io::Error },
}

/// Reads every file under `root`, with paths relative to it.
pub fn from_folder(root: &Path) -> Result<Vec<KbFile>, KbFolderError> {
    if !root.is_dir() {
        return Err(KbFolderError::NotAFolder(root.to_path_buf()));
    }
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let read = |source| KbFolderError::Read { path: dir.clone(), source };
        for entry in std::fs::read_dir(&dir).map_err(read)? {
            let path = entry.map_err(read)?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            if relative.split('/').any(|part| part.starts_with('.')) {
                continue;
            }
            let text =
                std::fs::read_to_string(&path).map_err(|source| KbFolderError::Read { path: path.clone(), source })?;
            files.push(KbFile { path: relative, text });
        }
    }
    Ok(files)
}
