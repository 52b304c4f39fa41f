-- Resolution and draft texts a user imported (see migrations/sqlite/0021_texts.sql).

CREATE TABLE texts (
    symbol      TEXT COLLATE "C" PRIMARY KEY,
    source      TEXT COLLATE "C" NOT NULL,
    sha256      TEXT COLLATE "C" NOT NULL,
    body        TEXT COLLATE "C" NOT NULL,
    imported_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE text_paragraphs (
    symbol   TEXT COLLATE "C" NOT NULL REFERENCES texts (symbol) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    part     TEXT COLLATE "C" NOT NULL CHECK (part IN ('preambular', 'operative', 'annex')),
    number   TEXT COLLATE "C",
    lead     TEXT COLLATE "C",
    verb     TEXT COLLATE "C",
    text     TEXT COLLATE "C" NOT NULL,
    line     BIGINT NOT NULL,
    PRIMARY KEY (symbol, position)
);
