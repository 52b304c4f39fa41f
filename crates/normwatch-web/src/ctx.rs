//! The state every handler shares: the application, and the web's own cache of serialized
//! answers, keyed like the app's caches by the store revision.
//!
//! Layer 2: refers to no other module of the crate.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use normwatch_app::{App, Revision};

/// The revision of the store a request is answered from, read once by the ETag layer and
/// handed to the handler in the request's extensions.
#[derive(Clone, Debug)]
pub struct AtRevision(pub Revision);

/// At most this many serialized answers are kept per revision.
const MAX_BODIES: usize = 20_000;

#[derive(Default)]
struct Bodies {
    revision: Option<Revision>,
    by_key: HashMap<String, Bytes>,
}

struct Inner {
    app: App,
    /// Mixed into every ETag: a restart (perhaps with other parameters) never answers
    /// 304 for an answer computed by another process.
    salt: u64,
    bodies: RwLock<Bodies>,
}

/// Cheap to clone (one `Arc`).
#[derive(Clone)]
pub struct Ctx {
    inner: Arc<Inner>,
}

impl Ctx {
    pub fn new(app: App) -> Ctx {
        let salt = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64)
            ^ u64::from(std::process::id());
        Ctx { inner: Arc::new(Inner { app, salt, bodies: RwLock::new(Bodies::default()) }) }
    }

    pub fn app(&self) -> &App {
        &self.inner.app
    }

    /// The entity tag of an answer: a hash of this process, the store revision and the
    /// address (path and query). Every API answer is a function of those three, so a
    /// client's tag can be checked before anything is computed.
    pub fn etag(&self, revision: &str, path_and_query: &str) -> String {
        let mut hash = fnv1a(0xcbf2_9ce4_8422_2325, &self.inner.salt.to_le_bytes());
        hash = fnv1a(hash, revision.as_bytes());
        hash = fnv1a(hash, &[0]);
        hash = fnv1a(hash, path_and_query.as_bytes());
        format!("\"{hash:016x}\"")
    }

    /// A serialized answer kept for this revision.
    pub fn body(&self, revision: &str, key: &str) -> Option<Bytes> {
        let bodies = self.inner.bodies.read().ok()?;
        if bodies.revision.as_deref() != Some(revision) {
            return None;
        }
        bodies.by_key.get(key).cloned()
    }

    /// Keeps a serialized answer for this revision; a new revision drops the old ones.
    pub fn keep_body(&self, revision: &str, key: &str, body: Bytes) {
        let Ok(mut bodies) = self.inner.bodies.write() else { return };
        if bodies.revision.as_deref() != Some(revision) {
            bodies.revision = Some(revision.to_string());
            bodies.by_key.clear();
        }
        if bodies.by_key.len() < MAX_BODIES {
            bodies.by_key.insert(key.to_string(), body);
        }
    }
}

/// FNV-1a, 64 bits, continued from `hash`: a stable hash for ETags (not for security).
fn fnv1a(mut hash: u64, bytes: &[u8]) -> u64 {
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}
