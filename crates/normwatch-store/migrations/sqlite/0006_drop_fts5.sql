-- Search moved to a tantivy index outside the database (the `normwatch-search` crate,
-- kept in step with the revision by the application): the FTS5 table of 0003 goes.
DROP TABLE IF EXISTS search;
