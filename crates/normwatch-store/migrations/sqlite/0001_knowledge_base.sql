-- The knowledge base as layers of sourced claims. The layer `kb` is replaced as a whole
-- each time the reviewed files are loaded; importers add layers of their own
-- (`import:<dataset>`), so reloading the knowledge base never loses imported data.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE sources (
    id       TEXT PRIMARY KEY,
    kind     TEXT NOT NULL CHECK (kind IN ('seed', 'dataset', 'reference')),
    file     TEXT,
    citation TEXT NOT NULL
);

CREATE TABLE records (
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    layer       TEXT NOT NULL,
    origin_file TEXT NOT NULL,
    origin_line INTEGER NOT NULL,
    PRIMARY KEY (kind, id, layer)
);

CREATE TABLE claims (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    layer       TEXT NOT NULL,
    field       TEXT NOT NULL,
    value       TEXT NOT NULL, -- FactValue as JSON
    source      TEXT NOT NULL, -- SourceRef as JSON
    source_text TEXT NOT NULL, -- the reference as written, for search and display
    basis       TEXT NOT NULL CHECK (basis IN ('seed', 'document', 'dataset')),
    quote       TEXT,
    note        TEXT,
    origin_file TEXT NOT NULL,
    origin_line INTEGER NOT NULL
);
CREATE INDEX claims_by_record ON claims (kind, id);
CREATE INDEX claims_by_field ON claims (kind, field);

CREATE TABLE items (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    layer       TEXT NOT NULL,
    list        TEXT NOT NULL,
    label       TEXT NOT NULL,
    heading     TEXT,
    text        TEXT NOT NULL,
    paraphrase  INTEGER NOT NULL,
    count       INTEGER,
    source      TEXT NOT NULL,
    source_text TEXT NOT NULL,
    origin_file TEXT NOT NULL,
    origin_line INTEGER NOT NULL
);
CREATE INDEX items_by_record ON items (kind, id);

CREATE TABLE paragraphs (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    layer       TEXT NOT NULL,
    part        TEXT NOT NULL,
    number      INTEGER,
    verb        TEXT,
    verb_text   TEXT,
    text        TEXT NOT NULL,
    source      TEXT NOT NULL,
    source_text TEXT NOT NULL,
    origin_file TEXT NOT NULL,
    origin_line INTEGER NOT NULL
);
CREATE INDEX paragraphs_by_record ON paragraphs (kind, id);
