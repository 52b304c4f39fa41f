-- The UN General Debate Corpus (normwatch import speeches): one row per speech, and the
-- corpus's inverted index, one row per term with its postings (normwatch-text's `index`
-- module documents the encoding). A speech's `doc` is its document number in the postings
-- (0, 1, 2, ... in the order of the import). An import replaces all three tables in one
-- transaction, so the speeches and the postings always describe the same collection.

CREATE TABLE speech_sources (
    source      TEXT PRIMARY KEY,        -- the archive or file read
    sha256      TEXT NOT NULL,           -- of its bytes
    imported_at TEXT NOT NULL
);

CREATE TABLE speeches (
    doc       INTEGER PRIMARY KEY CHECK (doc >= 0),
    state     TEXT NOT NULL,             -- ISO3 of the state registry, or the corpus's own code (EU)
    resolved  INTEGER NOT NULL CHECK (resolved IN (0, 1)), -- 1: `state` is a registry ISO3
    session   INTEGER NOT NULL,
    year      INTEGER NOT NULL,
    words     INTEGER NOT NULL,          -- tokens (normwatch-text's token rule)
    text      TEXT NOT NULL,             -- normalised: no BOM, LF line ends, no form feeds
    path      TEXT NOT NULL,             -- the entry's path in the archive, or the file's path
    -- checked at the commit: an archive's row is written once its hash is known, after its speeches
    source    TEXT NOT NULL REFERENCES speech_sources (source) DEFERRABLE INITIALLY DEFERRED,
    UNIQUE (state, session)
);
CREATE INDEX speeches_by_year ON speeches (year, state);

-- Terms compare byte by byte (SQLite's BINARY collation), which for UTF-8 is the order of
-- code points: the order a prefix's term range `term >= $1 AND term < $2` assumes.
CREATE TABLE speech_terms (
    term     TEXT PRIMARY KEY,
    postings BLOB NOT NULL
) WITHOUT ROWID;
