-- On SQLite, 0006 drops the FTS5 search table of 0003 (search moved to a tantivy index
-- outside the database). PostgreSQL never had it: nothing to do, but the numbering stays
-- the same on both backends.
SELECT 1;
