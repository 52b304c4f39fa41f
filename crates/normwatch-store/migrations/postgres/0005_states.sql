-- The state table of the knowledge base last loaded (its states.csv), row by row as text,
-- in its order. Replaced whole, in the same transaction, by every knowledge-base load.

CREATE TABLE states (
    position       BIGINT PRIMARY KEY,
    iso3           TEXT COLLATE "C" NOT NULL UNIQUE,
    iso2           TEXT COLLATE "C" NOT NULL,
    name           TEXT COLLATE "C" NOT NULL,
    aliases        TEXT COLLATE "C" NOT NULL,
    regional_group TEXT COLLATE "C" NOT NULL,
    member_from    TEXT COLLATE "C" NOT NULL,
    member_to      TEXT COLLATE "C" NOT NULL,
    successor      TEXT COLLATE "C" NOT NULL,
    source         TEXT COLLATE "C" NOT NULL,
    notes          TEXT COLLATE "C" NOT NULL
);
