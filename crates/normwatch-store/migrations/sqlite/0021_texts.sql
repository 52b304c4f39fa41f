-- Resolution and draft texts a user imported (normwatch import text PATH --symbol SYMBOL):
-- the text as read (normalised to LF), where it was read from (the file and its SHA-256),
-- and its paragraphs as normwatch-text's parser found them. An import of a symbol replaces
-- its earlier text; the knowledge base's reviewed paragraphs (`paragraphs`) are not touched.

CREATE TABLE texts (
    symbol      TEXT PRIMARY KEY,        -- canonical
    source      TEXT NOT NULL,           -- the file read
    sha256      TEXT NOT NULL,           -- of its bytes
    body        TEXT NOT NULL,           -- the text the paragraphs were parsed from
    imported_at TEXT NOT NULL
);

CREATE TABLE text_paragraphs (
    symbol   TEXT NOT NULL REFERENCES texts (symbol) ON DELETE CASCADE,
    position INTEGER NOT NULL,           -- 0, 1, 2, ... in the order of the text
    part     TEXT NOT NULL CHECK (part IN ('preambular', 'operative', 'annex')),
    number   TEXT,                       -- operative number or annex item label
    lead     TEXT,                       -- the leading participle or verb as written
    verb     TEXT,                       -- the operative verb (the core's vocabulary)
    text     TEXT NOT NULL,
    line     INTEGER NOT NULL,           -- 1-based line in `body`
    PRIMARY KEY (symbol, position)
);
