-- Imported roll-call votes (see migrations/sqlite/0002_votes.sql): one row per roll call,
-- its votes packed in a BYTEA, one byte per state in the order `vote_datasets.states`
-- lists them (0 no vote, 1 yes, 2 no, 3 abstain, 4 non-voting). A dataset is replaced
-- whole by each import of it, in one transaction.

CREATE TABLE vote_datasets (
    dataset     TEXT COLLATE "C" PRIMARY KEY CHECK (dataset IN ('unvotes', 'undl-scrape-2021', 'undl-ga-voting')),
    states      TEXT COLLATE "C" NOT NULL, -- ISO3 codes, comma-separated: the column order of `votes`
    roll_calls  BIGINT NOT NULL,
    votes       BIGINT NOT NULL,
    imported_at TEXT COLLATE "C" NOT NULL
);

-- The files each import read.
CREATE TABLE imports (
    dataset     TEXT COLLATE "C" NOT NULL REFERENCES vote_datasets (dataset) ON DELETE CASCADE,
    path        TEXT COLLATE "C" NOT NULL,
    sha256      TEXT COLLATE "C" NOT NULL,
    rows        BIGINT NOT NULL,
    imported_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (dataset, path)
);

CREATE TABLE roll_calls (
    dataset     TEXT COLLATE "C" NOT NULL REFERENCES vote_datasets (dataset) ON DELETE CASCADE,
    record      TEXT COLLATE "C" NOT NULL,  -- the dataset's id: rcid, token, undl_id
    symbol      TEXT COLLATE "C",           -- canonical, where the dataset's spelling parses
    symbol_text TEXT COLLATE "C" NOT NULL,  -- as the dataset writes it
    is_resolution BIGINT NOT NULL,          -- 1: the symbol names a resolution (not a draft)
    body        TEXT COLLATE "C" NOT NULL CHECK (body IN ('ga', 'sc')),
    session     BIGINT,
    date        TEXT COLLATE "C",           -- YYYY-MM-DD; NULL where only the year is known
    year        BIGINT NOT NULL,
    title       TEXT COLLATE "C" NOT NULL,
    part        TEXT COLLATE "C" NOT NULL CHECK (part IN ('whole', 'paragraph', 'amendment')),
    yes         BIGINT NOT NULL,            -- totals as the dataset states them
    no          BIGINT NOT NULL,
    abstain     BIGINT NOT NULL,
    non_voting  BIGINT,
    issues      TEXT COLLATE "C" NOT NULL,  -- issue codes, space-separated
    origin_file TEXT COLLATE "C" NOT NULL,
    origin_line BIGINT NOT NULL,
    votes       BYTEA NOT NULL,
    PRIMARY KEY (dataset, record)
);
CREATE INDEX roll_calls_by_symbol ON roll_calls (symbol);
CREATE INDEX roll_calls_by_session ON roll_calls (session);
