//! Where the knowledge base comes from (the copy built into the binary, or a folder) and
//! loading it into the store.

use std::path::{Path, PathBuf};

use normwatch_core::kb::{Kb, KbFile};
use normwatch_store::{LoadSummary, Store, kb_files};
use sha2::{Digest, Sha256};

use crate::{AppError, Result};

/// Knowledge-base files: the copy built into the binary, or a folder's.
pub struct KbSource {
    files: Vec<KbFile>,
    folder: Option<PathBuf>,
}

/// The fingerprint prefix of the built-in knowledge base; a folder's starts `folder:`.
const EMBEDDED_PREFIX: &str = "built-in:";

impl KbSource {
    /// The built-in copy (`None`) or the files of a folder.
    pub fn read(dir: Option<&Path>) -> Result<KbSource> {
        Ok(match dir {
            Some(dir) => KbSource {
                files: kb_files::from_folder(dir).map_err(|e| AppError::KnowledgeBase(e.to_string()))?,
                folder: Some(dir.to_path_buf()),
            },
            None => KbSource { files: kb_files::embedded(), folder: None },
        })
    }

    pub fn files(&self) -> &[KbFile] {
        &self.files
    }

    /// "the built-in knowledge base" or "the knowledge base in DIR".
    pub fn describe(&self) -> String {
        match &self.folder {
            Some(dir) => format!("the knowledge base in {}", dir.display()),
            None => "the built-in knowledge base".to_string(),
        }
    }

    /// Validates the files; errors name files under the folder they came from.
    pub fn load(&self) -> Result<Kb> {
        let root = self.folder.as_ref().map_or_else(|| "kb".to_string(), |d| d.display().to_string());
        normwatch_core::kb::load(&self.files)
            .map_err(|errors| AppError::KnowledgeBase(format!("loading {}: {}", self.describe(), errors.under(&root))))
    }

    /// A fingerprint of the files, to tell whether the database holds them.
    pub fn fingerprint(&self) -> String {
        let prefix = if self.folder.is_some() { "folder:" } else { EMBEDDED_PREFIX };
        let mut sorted: Vec<&KbFile> = self.files.iter().collect();
        sorted.sort_by(|a, b| a.path.cmp(&b.path));
        let mut hasher = Sha256::new();
        for file in sorted {
            hasher.update(file.path.as_bytes());
            hasher.update([0]);
            hasher.update(file.text.as_bytes());
            hasher.update([0]);
        }
        let hex: String = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
        format!("{prefix}{hex}")
    }

    /// Loads these files into the store in one transaction.
    pub async fn load_into(&self, store: &Store) -> Result<LoadSummary> {
        let kb = self.load()?;
        Ok(store.load_kb(&kb, &self.fingerprint()).await?)
    }
}

/// What [`ensure_built_in`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KbState {
    /// The database already holds the built-in knowledge base of this binary, or one
    /// loaded from a folder (left as it is).
    Current,
    /// The built-in knowledge base was loaded (first start, or a newer binary).
    Loaded(LoadSummary),
}

/// Makes sure the store holds a knowledge base: on first start, or after an upgrade
/// brought a newer built-in one, the built-in knowledge base is loaded in one
/// transaction. A knowledge base loaded from a folder with `init --kb` is left as it is.
/// This writes: only `serve` and `init` call it; reading commands never do.
pub async fn ensure_built_in(store: &Store) -> Result<KbState> {
    let source = KbSource::read(None)?;
    let wanted = source.fingerprint();
    match store.kb_fingerprint().await? {
        Some(current) if current == wanted || !current.starts_with(EMBEDDED_PREFIX) => Ok(KbState::Current),
        _ => Ok(KbState::Loaded(source.load_into(store).await?)),
    }
}

/// Whether the store holds any knowledge base at all.
pub async fn is_loaded(store: &Store) -> Result<bool> {
    Ok(store.kb_fingerprint().await?.is_some())
}
