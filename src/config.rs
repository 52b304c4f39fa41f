//! The command's settings, layered: built-in defaults < a `normwatch.toml` file
//! (`--config-file PATH` or `NORMWATCH_CONFIG`) < environment variables (`NORMWATCH_DATABASE`
//! or `NORMWATCH_DB`, `NORMWATCH_INDEX_DIR`, `NORMWATCH_ADDR`, `NORMWATCH_MEASUREMENT_CONFIG`)
//! < command-line flags.
//!
//! Paths in the file are relative to the file's folder; paths from the environment or
//! the flags are relative to the current folder. The `database` setting is an address:
//! `postgres://…` and `sqlite://PATH` are taken as they are, a bare path is a file path.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use figment::value::magic::RelativePathBuf;
use serde::{Deserialize, Serialize};

/// Where `serve` listens unless told otherwise.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// What the flags say; `None` or empty where they say nothing.
#[derive(Debug, Default)]
pub struct Flags {
    pub config_file: Option<PathBuf>,
    /// `--database URL`, or `--db PATH` (a bare path).
    pub database: Option<String>,
    /// `--index-dir DIR`.
    pub index_dir: Option<PathBuf>,
    pub addr: Option<SocketAddr>,
    pub measurement_config: Option<PathBuf>,
    pub votes: Vec<PathBuf>,
}

/// The settings after every layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The database's address (`postgres://…`, `sqlite://PATH` or a bare path); `None`: the
    /// SQLite file in the user's data directory.
    pub database: Option<String>,
    /// The search index's folder; `None`: beside the SQLite file (required with PostgreSQL).
    pub index_dir: Option<PathBuf>,
    /// Where `serve` listens.
    pub addr: SocketAddr,
    /// The measurement parameters (`config/measurement.toml` format); `None`: built in.
    pub measurement_config: Option<PathBuf>,
    /// Vote datasets `serve` imports (unless already imported) before serving.
    pub votes: Vec<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Layered {
    database: Option<RelativePathBuf>,
    index_dir: Option<RelativePathBuf>,
    addr: String,
    measurement_config: Option<RelativePathBuf>,
    #[serde(default)]
    votes: Vec<RelativePathBuf>,
}

#[derive(Serialize)]
struct Defaults {
    addr: &'static str,
}

/// Reads every layer.
pub fn load(flags: Flags) -> anyhow::Result<Settings> {
    let mut figment = Figment::from(Serialized::defaults(Defaults { addr: DEFAULT_ADDR }));
    if let Some(path) = &flags.config_file {
        if !path.is_file() {
            bail!("the configuration file {} does not exist", path.display());
        }
        figment = figment.merge(Toml::file_exact(path));
    }
    figment = figment.merge(
        Env::prefixed("NORMWATCH_")
            .only(&["db", "database", "index_dir", "addr", "measurement_config"])
            .map(|key| if key == "db" { "database".into() } else { key.into() }),
    );
    if let Some(database) = &flags.database {
        figment = figment.merge(("database", database));
    }
    if let Some(dir) = &flags.index_dir {
        figment = figment.merge(("index_dir", dir));
    }
    if let Some(addr) = flags.addr {
        figment = figment.merge(("addr", addr.to_string()));
    }
    if let Some(path) = &flags.measurement_config {
        figment = figment.merge(("measurement_config", path));
    }
    if !flags.votes.is_empty() {
        figment = figment.merge(("votes", &flags.votes));
    }
    let origin = flags.config_file.as_ref().map_or_else(String::new, |p| format!(" (file {})", p.display()));
    let layered: Layered = figment.extract().with_context(|| format!("reading the settings{origin}"))?;
    let addr = layered
        .addr
        .parse::<SocketAddr>()
        .with_context(|| format!("the setting `addr` = `{}` is not HOST:PORT{origin}", layered.addr))?;
    Ok(Settings {
        database: layered.database.map(|p| address(&p)),
        index_dir: layered.index_dir.map(|p| p.relative()),
        addr,
        measurement_config: layered.measurement_config.map(|p| p.relative()),
        votes: layered.votes.iter().map(RelativePathBuf::relative).collect(),
    })
}

/// A `database` setting as an address: a URL as written, a bare path relative to the file
/// it was read from (or to the current folder).
fn address(setting: &RelativePathBuf) -> String {
    let written = setting.original().to_string_lossy();
    if written.contains("://") || written.starts_with("sqlite:") {
        written.into_owned()
    } else {
        setting.relative().display().to_string()
    }
}

// figment's `Jail` hands its closures figment's own (large) error type.
#[cfg(test)]
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn defaults_then_file_then_flags() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            assert_eq!(load(Flags::default()).unwrap().addr.to_string(), DEFAULT_ADDR);
            jail.create_file(
                "normwatch.toml",
                "database = \"data/nw.sqlite\"\naddr = \"0.0.0.0:9000\"\nvotes = [\"v1\", \"v2\"]\n",
            )?;
            let file = Some(jail.directory().join("normwatch.toml"));
            let from_file = load(Flags { config_file: file.clone(), ..Flags::default() }).unwrap();
            assert_eq!(from_file.addr.to_string(), "0.0.0.0:9000");
            let relative = jail.directory().join("data/nw.sqlite").display().to_string();
            assert_eq!(from_file.database, Some(relative), "relative to the file");
            assert_eq!(from_file.votes.len(), 2);
            jail.set_env("NORMWATCH_ADDR", "127.0.0.1:7000");
            let from_env = load(Flags { config_file: file.clone(), ..Flags::default() }).unwrap();
            assert_eq!(from_env.addr.to_string(), "127.0.0.1:7000", "the environment wins over the file");
            let flags = Flags {
                config_file: file,
                addr: Some("127.0.0.1:7001".parse().unwrap()),
                votes: vec![PathBuf::from("only")],
                ..Flags::default()
            };
            let from_flags = load(flags).unwrap();
            assert_eq!(from_flags.addr.to_string(), "127.0.0.1:7001", "a flag wins over the environment");
            assert_eq!(from_flags.votes, vec![PathBuf::from("only")]);
            Ok(())
        });
    }

    #[test]
    fn the_index_dir_is_relative_to_the_file_and_the_environment_or_a_flag_wins() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            assert_eq!(load(Flags::default()).unwrap().index_dir, None, "beside the SQLite file by default");
            jail.create_file("normwatch.toml", "index_dir = \"idx\"\n")?;
            let file = Some(jail.directory().join("normwatch.toml"));
            let from_file = load(Flags { config_file: file.clone(), ..Flags::default() }).unwrap();
            assert_eq!(from_file.index_dir, Some(jail.directory().join("idx")));
            jail.set_env("NORMWATCH_INDEX_DIR", "/srv/nw-index");
            let from_env = load(Flags { config_file: file.clone(), ..Flags::default() }).unwrap();
            assert_eq!(from_env.index_dir, Some(PathBuf::from("/srv/nw-index")));
            let flags = Flags { config_file: file, index_dir: Some("flag-idx".into()), ..Flags::default() };
            assert_eq!(load(flags).unwrap().index_dir, Some(PathBuf::from("flag-idx")));
            Ok(())
        });
    }

    #[test]
    fn an_unknown_key_or_a_missing_file_is_an_error() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            jail.create_file("normwatch.toml", "databse = \"x\"\n")?;
            let file = Some(jail.directory().join("normwatch.toml"));
            let error = load(Flags { config_file: file, ..Flags::default() }).unwrap_err();
            assert!(format!("{error:#}").contains("databse"), "{error:#}");
            let missing = load(Flags { config_file: Some("/no/such/normwatch.toml".into()), ..Flags::default() });
            assert!(missing.unwrap_err().to_string().contains("does not exist"));
            Ok(())
        });
    }

    #[test]
    fn a_database_url_is_taken_as_written_and_the_environment_may_name_it() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            jail.create_file("normwatch.toml", "database = \"postgres://nw:secret@db:5432/nw\"\n")?;
            let file = Some(jail.directory().join("normwatch.toml"));
            let from_file = load(Flags { config_file: file.clone(), ..Flags::default() }).unwrap();
            assert_eq!(from_file.database.as_deref(), Some("postgres://nw:secret@db:5432/nw"));
            jail.set_env("NORMWATCH_DATABASE", "sqlite://other.sqlite");
            let from_env = load(Flags { config_file: file, ..Flags::default() }).unwrap();
            assert_eq!(from_env.database.as_deref(), Some("sqlite://other.sqlite"), "the environment wins");
            Ok(())
        });
    }
}
