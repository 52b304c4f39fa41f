-- Full-text search over what the knowledge base says in words: record ids and symbols,
-- every text-valued claim (titles, names, summaries, quotes), items (annexed elements,
-- recommendations, pledges) and paragraphs. The index is derived data: `Store::load_kb`
-- rebuilds it inside its transaction (see `search.rs`); this migration fills it once for
-- databases that already hold a knowledge base.

CREATE VIRTUAL TABLE search USING fts5(
    kind UNINDEXED,   -- record kind: document, series, body, group, event, actor
    id UNINDEXED,     -- the record's id or canonical symbol
    field UNINDEXED,  -- `id`, a claim's field, `quote`, `item:<list>` or `paragraph`
    text,
    tokenize = 'porter unicode61'
);

INSERT INTO search (kind, id, field, text)
SELECT DISTINCT kind, id, 'id', id FROM records;

INSERT INTO search (kind, id, field, text)
SELECT kind, id, field, json_extract(value, '$.v') FROM claims WHERE json_extract(value, '$.t') = 'text';

INSERT INTO search (kind, id, field, text)
SELECT kind, id, 'quote', quote FROM claims WHERE quote IS NOT NULL;

INSERT INTO search (kind, id, field, text)
SELECT kind, id, 'item:' || list, COALESCE(heading || ': ', '') || text FROM items;

INSERT INTO search (kind, id, field, text)
SELECT kind, id, 'paragraph', text FROM paragraphs;
