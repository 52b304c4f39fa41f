//! `normwatch user list` and `normwatch user audit`.

use std::io::{self, Write};

use normwatch_api as api;

use super::{Report, csv_writer};

/// `normwatch user list`: every account of the installation.
pub struct Accounts(pub Vec<api::AccountJson>);

impl Report for Accounts {
    type Json<'a> = &'a [api::AccountJson];

    fn json(&self) -> Self::Json<'_> {
        &self.0
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.0.is_empty() {
            return writeln!(out, "no accounts; add one with `normwatch user add EMAIL --role admin --password-stdin`");
        }
        for a in &self.0 {
            let state = a.disabled_at.as_deref().map_or_else(|| "active".to_string(), |at| format!("disabled {at}"));
            writeln!(
                out,
                "{}  {}  added {}  {state}  {} live session(s)",
                a.email, a.role, a.created_at, a.live_sessions
            )?;
        }
        Ok(())
    }

    fn csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let mut csv = csv_writer(out);
        csv.write_record(["email", "role", "created_at", "disabled_at", "live_sessions"])?;
        for a in &self.0 {
            let sessions = a.live_sessions.to_string();
            csv.write_record([&a.email, &a.role, &a.created_at, a.disabled_at.as_deref().unwrap_or(""), &sessions])?;
        }
        csv.flush()?;
        Ok(())
    }
}

/// `normwatch user audit`: the changes to accounts, newest first.
pub struct AccountAudit(pub Vec<api::AccountAuditJson>);

impl Report for AccountAudit {
    type Json<'a> = &'a [api::AccountAuditJson];

    fn json(&self) -> Self::Json<'_> {
        &self.0
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        for e in &self.0 {
            let change = match (&e.before, &e.after) {
                (Some(b), Some(a)) => format!(" ({b} → {a})"),
                (None, Some(a)) => format!(" ({a})"),
                _ => String::new(),
            };
            writeln!(out, "{}  {}  {} {}{change}", e.at, e.actor, e.action.replace('_', " "), e.email)?;
        }
        writeln!(out, "{} changes", self.0.len())
    }
}
