//! `normwatch user add EMAIL --role admin|member --password-stdin`: accounts for the
//! self-assessment. The password is read from standard input (never from the command line,
//! where other users of the machine could see it in the process list).

use std::io::Read;

use anyhow::{Context, bail};
use clap::{Subcommand, ValueEnum};
use normwatch_app::App;
use normwatch_app::assessments::AccountRole;

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
}

#[derive(Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Admin,
    Member,
}

pub async fn run(command: UserCommand, app: &App) -> anyhow::Result<()> {
    match command {
        UserCommand::Add { email, role, password_stdin } => {
            if !password_stdin {
                bail!(
                    "give the password on standard input with --password-stdin, e.g. `printf '%s' \"$PW\" | normwatch user add {email} --password-stdin`"
                );
            }
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password).context("cannot read the password from standard input")?;
            let password = password.strip_suffix('\n').unwrap_or(&password);
            let password = password.strip_suffix('\r').unwrap_or(password);
            let role = match role {
                RoleArg::Admin => AccountRole::Admin,
                RoleArg::Member => AccountRole::Member,
            };
            let user = app.add_user(&email, role, password).await?;
            println!("added {user} ({})", role.as_str());
            Ok(())
        }
    }
}
