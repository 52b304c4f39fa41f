-- Accounts managed from the installation (the administrators' page, `normwatch user`):
-- an account can be disabled (it may not sign in, and its sessions are closed), and every
-- change to an account writes an `account_audit` row in the same transaction. Password
-- hashes are never written to the audit.

ALTER TABLE users ADD COLUMN disabled_at INTEGER;

CREATE TABLE account_audit (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    at     INTEGER NOT NULL,
    actor  TEXT NOT NULL,   -- an e-mail address, or `installation` (the command line, a first start)
    email  TEXT NOT NULL,   -- whose account
    action TEXT NOT NULL CHECK (action IN
               ('created', 'role_changed', 'password_changed', 'password_reset', 'disabled', 'enabled')),
    before TEXT,
    after  TEXT
);
CREATE INDEX account_audit_email ON account_audit (email, id);
