-- Imported roll-call votes. One row per roll call, its votes packed in a BLOB: one byte per
-- state, in the order `vote_datasets.states` lists them (0 no vote, 1 yes, 2 no,
-- 3 abstain, 4 non-voting). A dataset is replaced whole by each import of it, in one
-- transaction. The knowledge base's `modality`/`votes`/`voted_no` claims with basis
-- `dataset` are derived from these rows when a document is read, never stored.

CREATE TABLE vote_datasets (
    dataset     TEXT PRIMARY KEY CHECK (dataset IN ('unvotes', 'undl-scrape-2021', 'undl-ga-voting')),
    states      TEXT NOT NULL, -- ISO3 codes, comma-separated: the column order of `votes`
    roll_calls  INTEGER NOT NULL,
    votes       INTEGER NOT NULL,
    imported_at TEXT NOT NULL
);

-- The files each import read.
CREATE TABLE imports (
    dataset     TEXT NOT NULL REFERENCES vote_datasets (dataset) ON DELETE CASCADE,
    path        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    rows        INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (dataset, path)
);

CREATE TABLE roll_calls (
    dataset     TEXT NOT NULL REFERENCES vote_datasets (dataset) ON DELETE CASCADE,
    record      TEXT NOT NULL,           -- the dataset's id: rcid, token, undl_id
    symbol      TEXT,                    -- canonical, where the dataset's spelling parses
    symbol_text TEXT NOT NULL,           -- as the dataset writes it
    is_resolution INTEGER NOT NULL,      -- the symbol names a resolution (not a draft)
    body        TEXT NOT NULL CHECK (body IN ('ga', 'sc')),
    session     INTEGER,
    date        TEXT,                    -- YYYY-MM-DD; NULL where only the year is known
    year        INTEGER NOT NULL,
    title       TEXT NOT NULL,
    part        TEXT NOT NULL CHECK (part IN ('whole', 'paragraph', 'amendment')),
    yes         INTEGER NOT NULL,        -- totals as the dataset states them
    no          INTEGER NOT NULL,
    abstain     INTEGER NOT NULL,
    non_voting  INTEGER,
    issues      TEXT NOT NULL,           -- issue codes, space-separated
    origin_file TEXT NOT NULL,
    origin_line INTEGER NOT NULL,
    votes       BLOB NOT NULL,
    PRIMARY KEY (dataset, record)
);
CREATE INDEX roll_calls_by_symbol ON roll_calls (symbol);
CREATE INDEX roll_calls_by_session ON roll_calls (session);
