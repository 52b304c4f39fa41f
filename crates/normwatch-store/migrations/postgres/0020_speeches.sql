-- The UN General Debate Corpus (see migrations/sqlite/0020_speeches.sql): the speeches and
-- the corpus's inverted index, replaced together by each import in one transaction.

CREATE TABLE speech_sources (
    source      TEXT COLLATE "C" PRIMARY KEY,
    sha256      TEXT COLLATE "C" NOT NULL,
    imported_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE speeches (
    doc       BIGINT PRIMARY KEY CHECK (doc >= 0),
    state     TEXT COLLATE "C" NOT NULL,
    resolved  BIGINT NOT NULL CHECK (resolved IN (0, 1)),
    session   BIGINT NOT NULL,
    year      BIGINT NOT NULL,
    words     BIGINT NOT NULL,
    text      TEXT COLLATE "C" NOT NULL,
    path      TEXT COLLATE "C" NOT NULL,
    source    TEXT COLLATE "C" NOT NULL REFERENCES speech_sources (source) DEFERRABLE INITIALLY DEFERRED,
    UNIQUE (state, session)
);
CREATE INDEX speeches_by_year ON speeches (year, state);

-- COLLATE "C": terms compare byte by byte (code-point order for UTF-8), whatever the
-- database's locale, as a prefix's term range `term >= $1 AND term < $2` assumes.
CREATE TABLE speech_terms (
    term     TEXT COLLATE "C" PRIMARY KEY,
    postings BYTEA NOT NULL
);
