-- The GA 64/211 self-assessment (issue 12): accounts, sessions, and the team's assessments.
-- Workflow data, not sourced claims: ordinary relational tables. Times are Unix seconds
-- (UTC). Every change to an assessment writes its `assessment_audit` row in the same
-- transaction. These writes do not move the store revision: nothing cached per revision
-- (public answers, the search index) is derived from them.

CREATE TABLE users (
    email         TEXT PRIMARY KEY,             -- lower-cased
    role          TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    password_hash TEXT NOT NULL,                -- argon2id, PHC string
    created_at    INTEGER NOT NULL
);

-- A session is known by the SHA-256 of its token (the cookie holds the token itself).
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    email      TEXT NOT NULL REFERENCES users (email) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_email ON sessions (email);

CREATE TABLE assessments (
    id                TEXT PRIMARY KEY,
    title             TEXT NOT NULL,
    framework         TEXT NOT NULL,
    framework_version TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    created_by        TEXT NOT NULL,
    previous          TEXT                      -- the assessment this cycle started from
);

-- Members are known by e-mail; an imported assessment may name people without an account here.
CREATE TABLE assessment_members (
    assessment TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    email      TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('coordinator', 'contributor', 'reviewer', 'viewer')),
    position   INTEGER NOT NULL,
    PRIMARY KEY (assessment, email)
);
CREATE INDEX assessment_members_email ON assessment_members (email);

CREATE TABLE assessment_items (
    assessment   TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    question     TEXT NOT NULL,
    position     INTEGER NOT NULL,
    version      INTEGER NOT NULL CHECK (version >= 1),
    state        TEXT NOT NULL CHECK (state IN ('unassigned', 'assigned', 'in_review', 'accepted', 'sent_back')),
    assignee     TEXT,
    status       TEXT NOT NULL CHECK (status IN ('not_started', 'partial', 'in_place', 'not_applicable')),
    maturity     INTEGER,
    narrative    TEXT NOT NULL,
    owner_agency TEXT,
    answered_by  TEXT,
    answered_at  INTEGER,
    reviewed_by  TEXT,
    reviewed_at  INTEGER,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (assessment, question)
);

CREATE TABLE assessment_comments (
    assessment TEXT NOT NULL,
    question   TEXT NOT NULL,
    position   INTEGER NOT NULL,
    author     TEXT NOT NULL,
    at         INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('discussion', 'accepted', 'sent_back', 'reopened')),
    body       TEXT NOT NULL,
    PRIMARY KEY (assessment, question, position),
    FOREIGN KEY (assessment, question) REFERENCES assessment_items (assessment, question) ON DELETE CASCADE
);

-- Evidence as an answer lists it: a link, or a file's metadata (its bytes in evidence_files).
CREATE TABLE assessment_evidence (
    assessment   TEXT NOT NULL,
    question     TEXT NOT NULL,
    position     INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('link', 'file')),
    url          TEXT,
    title        TEXT,
    name         TEXT,
    content_type TEXT,
    size         INTEGER,
    sha256       TEXT,
    PRIMARY KEY (assessment, question, position),
    FOREIGN KEY (assessment, question) REFERENCES assessment_items (assessment, question) ON DELETE CASCADE
);

-- Uploaded evidence, by content (the policy's size limit is checked here too).
CREATE TABLE evidence_files (
    sha256       TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL CHECK (size > 0 AND size <= 10485760),
    bytes        BLOB NOT NULL,
    uploaded_by  TEXT NOT NULL,
    uploaded_at  INTEGER NOT NULL
);

CREATE TABLE assessment_actions (
    assessment  TEXT NOT NULL,
    question    TEXT NOT NULL,
    position    INTEGER NOT NULL,
    description TEXT NOT NULL,
    due         TEXT NOT NULL,                  -- YYYY-MM-DD
    owner       TEXT,
    done        INTEGER NOT NULL CHECK (done IN (0, 1)),
    PRIMARY KEY (assessment, question, position),
    FOREIGN KEY (assessment, question) REFERENCES assessment_items (assessment, question) ON DELETE CASCADE
);
CREATE INDEX assessment_actions_due ON assessment_actions (due);

-- Who changed what, when: the change as JSON (`change`), with its before and after states.
CREATE TABLE assessment_audit (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment TEXT NOT NULL,
    actor      TEXT NOT NULL,
    at         INTEGER NOT NULL,
    what       TEXT NOT NULL,
    question   TEXT,
    before     TEXT,
    after      TEXT,
    change     TEXT NOT NULL
);
CREATE INDEX assessment_audit_assessment ON assessment_audit (assessment, id);
