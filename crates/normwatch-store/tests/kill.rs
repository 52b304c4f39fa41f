//! Nothing lost when killed: an import of the real unvotes data (Voeten) is SIGKILLed at
//! random points, and after each kill the database holds either nothing of that import or
//! all of it, passes [`Store::check`] (on SQLite, `PRAGMA integrity_check` among others),
//! and the next import succeeds.
//!
//! The importer is this test binary run again as a child (the ignored test
//! `child_imports`): it reads the data, says `ready`, imports it in one transaction and
//! says `committed`. The parent kills it at a random moment after `ready`, within a window
//! a little longer than one whole import takes, so that some kills land after the commit.
//! 100 points on SQLite; on PostgreSQL as many, at the same time, when
//! `NORMWATCH_TEST_DATABASE` is set (in a schema of its own). `NORMWATCH_KILL_SEED` repeats
//! a run's points; `NORMWATCH_KILL_POINTS` changes their number.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use normwatch_store::Store;
use normwatch_store::votes::ImportedFile;
use normwatch_votes::Input;
use normwatch_votes::formats::read_unvotes;

/// Kill points per backend, unless `NORMWATCH_KILL_POINTS` says otherwise.
const POINTS: usize = 100;
const CHILD_ADDRESS: &str = "NORMWATCH_KILL_CHILD_DATABASE";
const CHILD_TAG: &str = "NORMWATCH_KILL_CHILD_TAG";
/// What the child prints (on lines of their own, after the test harness's own words).
const READY: &str = "kill-test-child: ready";
const COMMITTED: &str = "kill-test-child: committed";

/// The unvotes files, or `None` when they are absent and `NORMWATCH_SKIP_REAL_DATA=1`.
fn unvotes() -> Option<PathBuf> {
    let shared = match std::env::var_os("NORMWATCH_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    };
    let dir = std::env::var_os("NORMWATCH_SHARED_DATA").map(PathBuf::from).unwrap_or_else(|| shared.join("data"));
    let unvotes = dir.join("unvotes-voeten");
    if unvotes.join("un_votes.csv.gz").is_file() {
        return Some(unvotes);
    }
    if std::env::var_os("NORMWATCH_SKIP_REAL_DATA").is_some_and(|v| v == "1") {
        say(format_args!("kill test: skipped because NORMWATCH_SKIP_REAL_DATA=1 and {} is absent", unvotes.display()));
        return None;
    }
    panic!(
        "kill test: the unvotes data is not at {} (set NORMWATCH_SHARED or NORMWATCH_SHARED_DATA, or NORMWATCH_SKIP_REAL_DATA=1 to skip)",
        unvotes.display()
    );
}

/// The child: imports the real unvotes data into the database it is given, the files
/// tagged with its tag (so the parent can tell whose import it sees). Does nothing unless
/// run by [`an_import_killed_anywhere_leaves_nothing_or_everything`].
#[tokio::test]
#[ignore = "run as a child process by the kill test"]
async fn child_imports() {
    let (Ok(address), Ok(tag)) = (std::env::var(CHILD_ADDRESS), std::env::var(CHILD_TAG)) else { return };
    let dir = unvotes().expect("the parent found the data");
    let open = |name: &str| {
        let path = dir.join(name);
        Input::new(name, std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
    };
    let parsed =
        read_unvotes(open("un_roll_calls.csv.gz"), open("un_votes.csv.gz"), Some(open("un_roll_call_issues.csv.gz")))
            .unwrap_or_else(|e| panic!("{e}"));
    let files: Vec<ImportedFile> = parsed
        .rows
        .iter()
        .map(|(path, rows)| ImportedFile { path: path.clone(), sha256: tag.clone(), rows: *rows })
        .collect();
    let store = Store::connect(&address).await.unwrap_or_else(|e| panic!("{e}"));
    println!("\n{READY}");
    store.import_votes(&[(parsed.table, files)]).await.unwrap_or_else(|e| panic!("{e}"));
    println!("\n{COMMITTED}");
}

/// The address the child of `tag` connects with: on PostgreSQL its sessions carry the tag
/// as `application_name`, so that the parent can wait for the server to finish with them.
fn child_address(address: &str, tag: &str) -> String {
    if !address.starts_with("postgres") {
        return address.to_string();
    }
    let separator = if address.contains('?') { '&' } else { '?' };
    format!("{address}{separator}application_name=nwkill-{tag}")
}

/// After a kill, waits until the server has no session of the child left. A client killed
/// during `COMMIT` leaves its server process to finish the commit; reading before it has
/// would see the import appear between two reads.
async fn settle(address: &str, tag: &str) {
    if !address.starts_with("postgres") {
        return;
    }
    let pool = sqlx::PgPool::connect(address).await.unwrap_or_else(|e| panic!("{e}"));
    let name = format!("nwkill-{tag}");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = $1")
            .bind(&name)
            .fetch_one(&pool)
            .await
            .unwrap();
        if left == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "the server still runs a session of the killed child {tag}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    pool.close().await;
}

/// Runs one child importing under `tag`; kills it `delay` after it says `ready` (or lets
/// it finish when `None`). Returns whether it said `committed` and how long its import took.
fn run_child(address: &str, tag: &str, delay: Option<Duration>) -> (bool, Duration) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["child_imports", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD_ADDRESS, child_address(address, tag))
        .env(CHILD_TAG, tag)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the test binary runs again");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let ready = lines.by_ref().map_while(Result::ok).any(|line| line == READY);
    assert!(ready, "the child importer never got ready");
    let started = Instant::now();
    if let Some(delay) = delay {
        std::thread::sleep(delay);
        // SIGKILL; a child that has already exited is not an error.
        let _ = child.kill();
    }
    // Read to the end: a reader gone would make the child's last words fail.
    let committed = lines.map_while(Result::ok).filter(|line| line == COMMITTED).count() == 1;
    let took = started.elapsed();
    let status = child.wait().unwrap();
    if delay.is_none() {
        assert!(status.success() && committed, "an uninterrupted import fails: {status}");
    }
    (committed, took)
}

/// A small random generator (xorshift): no dependency for a test's kill points.
struct Points(u64);

impl Points {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// What the database holds of the unvotes import: the tag of the import it shows, its
/// roll calls and digest; after checking it is consistent.
async fn state(address: &str) -> Option<(String, i64, String, u64)> {
    let store = Store::connect(address).await.unwrap_or_else(|e| panic!("{e}"));
    let report = store.check().await.unwrap();
    assert!(report.is_ok(), "after a kill: {:?}", report.problems);
    let imports = store.vote_imports().await.unwrap();
    let revision = store.revision().await.unwrap();
    store.close().await;
    assert!(imports.len() <= 1, "{imports:?}");
    let status = imports.into_iter().next()?;
    let tags: Vec<&str> = status.files.iter().map(|f| f.sha256.as_str()).collect();
    assert!(tags.windows(2).all(|w| w[0] == w[1]), "files of two imports: {tags:?}");
    Some((tags[0].to_string(), status.roll_calls, status.digest, revision))
}

async fn kill_many_times(address: &str, points: usize, seed: u64) {
    let shown_address = normwatch_store::postgres::redact(address);
    say(format_args!("kill test on {shown_address}: {points} points, NORMWATCH_KILL_SEED={seed}"));
    let mut random = Points(seed);
    // One whole import first: what "all of it" is, and how long an import takes.
    let (_, whole) = run_child(address, "whole", None);
    let (tag, roll_calls, digest, mut revision) = state(address).await.expect("the whole import is there");
    assert_eq!(tag, "whole");
    assert!(roll_calls > 5000, "{roll_calls} roll calls");
    let window = whole.as_micros() as u64 * 5 / 4 + 1;
    let mut shown = tag;
    let (mut before, mut after) = (0, 0);
    for point in 0..points {
        let tag = format!("kill-{point}");
        let delay = Duration::from_micros(random.next() % window);
        let (said_committed, _) = run_child(address, &tag, Some(delay));
        settle(address, &tag).await;
        let (now, count, now_digest, now_revision) = state(address).await.expect("a dataset stays imported");
        assert_eq!((count, &now_digest), (roll_calls, &digest), "point {point} ({delay:?}): not all of one import");
        if now == tag {
            after += 1;
            revision += 1;
        } else {
            assert_eq!(now, shown, "point {point}: the import before is what shows");
            assert!(!said_committed, "point {point}: the child committed, but its import is not there");
            before += 1;
        }
        assert_eq!(now_revision, revision, "point {point}: the revision counts the committed imports");
        shown = now;
    }
    say(format_args!(
        "kill test on {shown_address}: {points} kills (seed {seed}): {before} before the commit, {after} after"
    ));
    // The next import after the last kill succeeds.
    run_child(address, "last", None);
    assert_eq!(state(address).await.map(|s| s.0).as_deref(), Some("last"));
}

fn points() -> usize {
    std::env::var("NORMWATCH_KILL_POINTS").map_or(POINTS, |n| n.parse().expect("NORMWATCH_KILL_POINTS is a number"))
}

fn seed() -> u64 {
    match std::env::var("NORMWATCH_KILL_SEED") {
        Ok(seed) => seed.parse().expect("NORMWATCH_KILL_SEED is a number"),
        Err(_) => std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1,
    }
}

/// A database that a first import, killed before it could start, left empty; then the
/// kill points.
async fn kill_test(address: &str) {
    Store::connect(address).await.unwrap_or_else(|e| panic!("{e}")).close().await;
    run_child(address, "first", Some(Duration::ZERO));
    assert_eq!(state(address).await, None, "a first import killed at once leaves nothing");
    kill_many_times(address, points(), seed()).await;
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(future)
}

/// SQLite and PostgreSQL side by side (each child works alone on its own database).
#[test]
fn an_import_killed_anywhere_leaves_nothing_or_everything() {
    if unvotes().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sqlite = dir.path().join("killed.sqlite").display().to_string();
    let postgres = std::env::var("NORMWATCH_TEST_DATABASE").ok().filter(|u| !u.trim().is_empty());
    if postgres.is_none() {
        say(format_args!("NORMWATCH_TEST_DATABASE is not set: the PostgreSQL run of the kill test is skipped"));
    }
    std::thread::scope(|scope| {
        let on_sqlite = scope.spawn(|| block_on(kill_test(&sqlite)));
        if let Some(url) = &postgres {
            block_on(async {
                let schema = format!("nw_kill_{}", std::process::id());
                let admin = sqlx::PgPool::connect(url).await.unwrap_or_else(|e| panic!("NORMWATCH_TEST_DATABASE: {e}"));
                sqlx::raw_sql(&format!("CREATE SCHEMA {schema}")).execute(&admin).await.unwrap();
                let separator = if url.contains('?') { '&' } else { '?' };
                kill_test(&format!("{url}{separator}options[search_path]={schema}")).await;
                sqlx::raw_sql(&format!("DROP SCHEMA {schema} CASCADE")).execute(&admin).await.unwrap();
            });
        }
        if let Err(panic) = on_sqlite.join() {
            std::panic::resume_unwind(panic);
        }
    });
}

/// Says something straight on stderr, past the test harness's capture (which hides what a
/// passing test prints), so that `cargo test` shows it: a skipped run, the kill points.
fn say(message: std::fmt::Arguments) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{message}");
}
