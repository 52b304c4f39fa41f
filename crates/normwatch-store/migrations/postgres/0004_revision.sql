-- The store revision (see migrations/sqlite/0004_revision.sql): one row, one counter,
-- bumped (`UPDATE revision SET value = value + 1`) inside every write transaction, never
-- by a read. The row lock that UPDATE takes orders concurrent writers, so every committed
-- write has its own revision and every server over this database sees it move.
-- (There is no 0003 here: on SQLite it creates the FTS5 search index.)

CREATE TABLE revision (
    id    BIGINT PRIMARY KEY CHECK (id = 1),
    value BIGINT NOT NULL CHECK (value >= 0)
);

INSERT INTO revision (id, value) VALUES (1, 0);

-- An id of this database, so that a key made of it and the revision does not repeat when a
-- database is dropped and made anew under the same name.
INSERT INTO meta (key, value) VALUES ('database_id', replace(gen_random_uuid()::text, '-', ''));
