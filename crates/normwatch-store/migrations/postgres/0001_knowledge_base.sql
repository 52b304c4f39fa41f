-- The knowledge base as sourced claims, on PostgreSQL: the same tables and columns as
-- migrations/sqlite (0001-0005; 0003, the SQLite FTS5 search index, has no counterpart
-- here), with these translations:
--   * INTEGER columns are BIGINT: the store reads every integer as i64, and PostgreSQL
--     decodes exactly the type a column has;
--   * BLOB is BYTEA; `seq` is an identity column;
--   * text is compared and sorted by code point (COLLATE "C"), as SQLite does, so that
--     listings come out in the same order on both backends.
-- Only the layer `kb` exists: imported votes live in the tables of 0002 and the claims
-- documents get from them are derived when read.

CREATE TABLE meta (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value TEXT COLLATE "C" NOT NULL
);

CREATE TABLE sources (
    id       TEXT COLLATE "C" PRIMARY KEY,
    kind     TEXT COLLATE "C" NOT NULL CHECK (kind IN ('seed', 'dataset', 'reference')),
    file     TEXT COLLATE "C",
    citation TEXT COLLATE "C" NOT NULL
);

CREATE TABLE records (
    kind        TEXT COLLATE "C" NOT NULL,
    id          TEXT COLLATE "C" NOT NULL,
    layer       TEXT COLLATE "C" NOT NULL,
    origin_file TEXT COLLATE "C" NOT NULL,
    origin_line BIGINT NOT NULL,
    PRIMARY KEY (kind, id, layer)
);

CREATE TABLE claims (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        TEXT COLLATE "C" NOT NULL,
    id          TEXT COLLATE "C" NOT NULL,
    layer       TEXT COLLATE "C" NOT NULL,
    field       TEXT COLLATE "C" NOT NULL,
    value       TEXT COLLATE "C" NOT NULL, -- FactValue as JSON
    source      TEXT COLLATE "C" NOT NULL, -- SourceRef as JSON
    source_text TEXT COLLATE "C" NOT NULL, -- the reference as written, for search and display
    basis       TEXT COLLATE "C" NOT NULL CHECK (basis IN ('seed', 'document', 'dataset')),
    quote       TEXT COLLATE "C",
    note        TEXT COLLATE "C",
    origin_file TEXT COLLATE "C" NOT NULL,
    origin_line BIGINT NOT NULL
);
CREATE INDEX claims_by_record ON claims (kind, id);
CREATE INDEX claims_by_field ON claims (kind, field);

CREATE TABLE items (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        TEXT COLLATE "C" NOT NULL,
    id          TEXT COLLATE "C" NOT NULL,
    layer       TEXT COLLATE "C" NOT NULL,
    list        TEXT COLLATE "C" NOT NULL,
    label       TEXT COLLATE "C" NOT NULL,
    heading     TEXT COLLATE "C",
    text        TEXT COLLATE "C" NOT NULL,
    paraphrase  BIGINT NOT NULL,
    count       BIGINT,
    source      TEXT COLLATE "C" NOT NULL,
    source_text TEXT COLLATE "C" NOT NULL,
    origin_file TEXT COLLATE "C" NOT NULL,
    origin_line BIGINT NOT NULL
);
CREATE INDEX items_by_record ON items (kind, id);

CREATE TABLE paragraphs (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        TEXT COLLATE "C" NOT NULL,
    id          TEXT COLLATE "C" NOT NULL,
    layer       TEXT COLLATE "C" NOT NULL,
    part        TEXT COLLATE "C" NOT NULL,
    number      BIGINT,
    verb        TEXT COLLATE "C",
    verb_text   TEXT COLLATE "C",
    text        TEXT COLLATE "C" NOT NULL,
    source      TEXT COLLATE "C" NOT NULL,
    source_text TEXT COLLATE "C" NOT NULL,
    origin_file TEXT COLLATE "C" NOT NULL,
    origin_line BIGINT NOT NULL
);
CREATE INDEX paragraphs_by_record ON paragraphs (kind, id);
