//! The state every handler shares: the application, and the web's own cache of the API's
//! answers, serialized, keyed like the app's caches by the store revision.
//!
//! Layer 2: refers to no other module of the crate.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::http::HeaderMap;
use normwatch_app::{App, Revision};

/// At most this many bytes of answers are kept per revision; beyond, answers are computed
/// each time (until the next revision empties the cache).
const MAX_BYTES: usize = 64 << 20;

/// An answer larger than this is never kept.
pub const MAX_KEPT_ANSWER: usize = 4 << 20;

/// A `200 OK` answer as it was sent: its headers (type, paging, disposition) and body.
#[derive(Clone)]
pub struct Kept {
    pub headers: HeaderMap,
    pub body: Bytes,
}

#[derive(Default)]
struct Bodies {
    revision: Option<Revision>,
    bytes: usize,
    by_key: HashMap<String, Kept>,
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

    /// The answer kept for this address at this revision.
    pub fn kept(&self, revision: &str, address: &str) -> Option<Kept> {
        let bodies = self.inner.bodies.read().ok()?;
        if bodies.revision.as_deref() != Some(revision) {
            return None;
        }
        bodies.by_key.get(address).cloned()
    }

    /// Keeps an answer for this revision; a new revision drops the old ones.
    pub fn keep(&self, revision: &str, address: &str, kept: Kept) {
        let Ok(mut bodies) = self.inner.bodies.write() else { return };
        if bodies.revision.as_deref() != Some(revision) {
            bodies.revision = Some(revision.to_string());
            bodies.by_key.clear();
            bodies.bytes = 0;
        }
        let size = kept.body.len() + address.len();
        if bodies.bytes + size <= MAX_BYTES && kept.body.len() <= MAX_KEPT_ANSWER {
            bodies.bytes += size;
            bodies.by_key.insert(address.to_string(), kept);
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
