-- Open data (issue 17): other water boards' exported figures, one row per organisation and
-- year. `body` is the file as read and checked, written out again in one canonical form, so the
-- same figures in another layout are the same row.
CREATE TABLE peer_figures (
    organisation_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    organisation_name TEXT NOT NULL,
    schema_version TEXT NOT NULL,
    body TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_code, year)
);
