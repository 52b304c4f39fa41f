-- The store revision: one row, one counter, bumped (`UPDATE revision SET value = value + 1`)
-- inside every write transaction (a knowledge-base load, a vote import), never by a read.
-- A cache of derived data keys on it: reading one row tells whether anything changed.
--
-- A correction to the header of 0001 (a migration already applied cannot change, since
-- sqlx checks its checksum): importers do not add layers of their own. Only the layer `kb`
-- exists; imported votes live in the tables of 0002, and the claims documents get from them
-- are derived when read.

CREATE TABLE revision (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL CHECK (value >= 0)
);

INSERT INTO revision (id, value) VALUES (1, 0);

-- An id of this database file, so that a key made of it and the revision does not repeat
-- when a file is deleted and made anew at the same path.
INSERT INTO meta (key, value) VALUES ('database_id', lower(hex(randomblob(16))));
