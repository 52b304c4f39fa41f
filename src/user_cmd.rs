//! `normwatch user …`: the installation's accounts, from the machine it runs on (the
//! command line may do what an administrator may; the account audit names it
//! `installation`). A password is read from standard input, never from the command line,
//! where other users of the machine could see it in the process list.

use std::io::Read;

use anyhow::{Context, bail};
use clap::{Subcommand, ValueEnum};
use normwatch_app::App;
use normwatch_app::accounts::{AUDIT_ROWS, AccountEdit, Actor, account_audit_json, account_json};
use normwatch_app::assessments::AccountRole;

use crate::output::accounts::{AccountAudit, Accounts};
use crate::output::{self, Format};

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add an account; its password is read from standard input.
    Add {
        /// The e-mail address the user signs in with.
        email: String,
        #[arg(long, value_enum, default_value = "member")]
        role: RoleArg,
        /// Read the password from standard input (the only way to give it); a final
        /// newline is dropped.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Every account: role, when added, disabled or not, live sessions (`--json`, `--csv`).
    List {
        #[arg(long)]
        csv: bool,
    },
    /// Set a new password (read from standard input); every session of the account ends.
    Passwd {
        email: String,
        /// Read the password from standard input (the only way to give it).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Change an account's role. The last administrator who can sign in stays one.
    Role {
        email: String,
        #[arg(value_enum)]
        role: RoleArg,
    },
    /// Disable an account: it may no longer sign in, and its sessions end at once.
    Disable { email: String },
    /// Enable a disabled account again.
    Enable { email: String },
    /// The changes to accounts, newest first: who did what to whose account, and when.
    Audit {
        /// Only this account's changes.
        email: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Admin,
    Member,
}

impl RoleArg {
    fn role(self) -> AccountRole {
        match self {
            RoleArg::Admin => AccountRole::Admin,
            RoleArg::Member => AccountRole::Member,
        }
    }
}

fn read_password(password_stdin: bool, example: &str) -> anyhow::Result<String> {
    if !password_stdin {
        bail!("give the password on standard input with --password-stdin, e.g. `printf '%s' \"$PW\" | {example}`");
    }
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password).context("cannot read the password from standard input")?;
    let password = password.strip_suffix('\n').unwrap_or(&password);
    let password = password.strip_suffix('\r').unwrap_or(password);
    Ok(password.to_string())
}

pub async fn run(command: UserCommand, app: &App, json: bool) -> anyhow::Result<()> {
    let by = Actor::Installation;
    let edit = |email: &str, edit: AccountEdit| {
        let email = email.to_string();
        async move { app.edit_account(&Actor::Installation, &email, &edit).await }
    };
    match command {
        UserCommand::Add { email, role, password_stdin } => {
            let example = format!("normwatch user add {email} --password-stdin");
            let password = read_password(password_stdin, &example)?;
            let user = app.add_user(&email, role.role(), &password).await?;
            println!("added {user} ({})", role.role().as_str());
        }
        UserCommand::List { csv } => {
            let accounts = app.accounts(&by).await?;
            let report = Accounts(accounts.iter().map(account_json).collect());
            output::print(&report, Format::of(json, csv))?;
        }
        UserCommand::Passwd { email, password_stdin } => {
            let example = format!("normwatch user passwd {email} --password-stdin");
            let password = read_password(password_stdin, &example)?;
            let account = edit(&email, AccountEdit { password: Some(password), ..AccountEdit::default() }).await?;
            println!("new password for {}; its sessions have ended", account.email);
        }
        UserCommand::Role { email, role } => {
            let account = edit(&email, AccountEdit { role: Some(role.role()), ..AccountEdit::default() }).await?;
            println!("{} is now {}", account.email, account.role.as_str());
        }
        UserCommand::Disable { email } => {
            let account = edit(&email, AccountEdit { disabled: Some(true), ..AccountEdit::default() }).await?;
            println!("{} is disabled; its sessions have ended", account.email);
        }
        UserCommand::Enable { email } => {
            let account = edit(&email, AccountEdit { disabled: Some(false), ..AccountEdit::default() }).await?;
            println!("{} may sign in again", account.email);
        }
        UserCommand::Audit { email } => {
            let entries = app.account_audit(&by, email.as_deref(), AUDIT_ROWS).await?;
            let report = AccountAudit(entries.iter().map(account_audit_json).collect());
            output::print(&report, Format::of(json, false))?;
        }
    }
    Ok(())
}
