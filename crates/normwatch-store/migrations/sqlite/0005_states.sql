-- The state table of the knowledge base last loaded (its states.csv), row by row as text,
-- in its order. Replaced whole, in the same transaction, by every knowledge-base load.

CREATE TABLE states (
    position       INTEGER PRIMARY KEY,
    iso3           TEXT NOT NULL UNIQUE,
    iso2           TEXT NOT NULL,
    name           TEXT NOT NULL,
    aliases        TEXT NOT NULL,
    regional_group TEXT NOT NULL,
    member_from    TEXT NOT NULL,
    member_to      TEXT NOT NULL,
    successor      TEXT NOT NULL,
    source         TEXT NOT NULL,
    notes          TEXT NOT NULL
);
