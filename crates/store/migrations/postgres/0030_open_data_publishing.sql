-- Open data (issue 17), part two. The organisation code the exports carry, set by the beheerder
-- (without a row the code is derived from the organisation's name).
CREATE TABLE open_data_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    organisation_code TEXT NOT NULL
);
-- The years published at /open-data/: the file as it was at publishing (checked JSON), so a
-- public request reads one row and never computes a year of figures.
CREATE TABLE open_data_publications (
    year INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    published_at BIGINT NOT NULL
);
-- Portal availability: one row per minute (minutes since the epoch, UTC) in which a node found
-- the public portal working. Two nodes in the same minute write one row (ON CONFLICT DO NOTHING).
CREATE TABLE portal_heartbeats (
    minute BIGINT PRIMARY KEY,
    node TEXT NOT NULL
);
-- The export counts consultations per quarter by the moment they were asked.
CREATE INDEX consultations_asked ON consultations (asked_at);
