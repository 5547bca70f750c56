-- Contact figures (issue 15, docs/contact-figures.md) from roll-ups instead of a scan per page
-- view. Every write of a contact, its questions, a consultation or a case made from a contact
-- marks the UTC hour (hours since the epoch) of the contact's start, or of the consultation's
-- asking, in `contact_dirty`; `App::refresh_contact_rollups` recomputes those hours from the raw
-- tables before every read and every minute. `touched` is the moment of the last change, so a
-- marker renewed while a refresh runs survives it.
CREATE TABLE contact_dirty (
    utc_hour BIGINT PRIMARY KEY,
    touched BIGINT NOT NULL
);
-- Contacts per UTC hour of their start, channel, team of their agent ('' none) and first
-- segment of their customer ('' unknown): all, closed, closed at once (first time right), and
-- their questions forwarded to another body.
CREATE TABLE contact_hourly (
    utc_hour BIGINT NOT NULL,
    channel TEXT NOT NULL,
    team_id TEXT NOT NULL,
    segment TEXT NOT NULL,
    contacts BIGINT NOT NULL,
    closed BIGINT NOT NULL,
    first_time BIGINT NOT NULL,
    forwarded BIGINT NOT NULL,
    PRIMARY KEY (utc_hour, channel, team_id, segment)
);
-- The same without team and segment, for the figures of everyone (a year is 8,760 hours).
CREATE TABLE contact_hourly_all (
    utc_hour BIGINT NOT NULL,
    channel TEXT NOT NULL,
    contacts BIGINT NOT NULL,
    closed BIGINT NOT NULL,
    first_time BIGINT NOT NULL,
    forwarded BIGINT NOT NULL,
    PRIMARY KEY (utc_hour, channel)
);
CREATE INDEX contact_hourly_team ON contact_hourly (team_id, utc_hour);
CREATE INDEX contact_hourly_segment ON contact_hourly (segment, utc_hour);
-- Questions handed over as a case, per UTC hour of the contact's start, team of its agent,
-- segment, and team of the case ('' when the case is missing).
CREATE TABLE handover_hourly (
    utc_hour BIGINT NOT NULL,
    team_id TEXT NOT NULL,
    segment TEXT NOT NULL,
    case_team_id TEXT NOT NULL,
    questions BIGINT NOT NULL,
    PRIMARY KEY (utc_hour, team_id, segment, case_team_id)
);
CREATE TABLE handover_hourly_all (
    utc_hour BIGINT NOT NULL,
    case_team_id TEXT NOT NULL,
    questions BIGINT NOT NULL,
    PRIMARY KEY (utc_hour, case_team_id)
);
-- Consultations (ruggespraak) per UTC hour of asking and team of the asker ('' none).
CREATE TABLE consult_hourly (
    utc_hour BIGINT NOT NULL,
    team_id TEXT NOT NULL,
    asked BIGINT NOT NULL,
    answered BIGINT NOT NULL,
    to_article BIGINT NOT NULL,
    PRIMARY KEY (utc_hour, team_id)
);
-- First time right asks whether a consultation about the contact exists.
CREATE INDEX consultations_contact ON consultations (contact_id);
-- Backfill: every hour with a contact or a consultation is computed by the first refresh.
INSERT INTO contact_dirty (utc_hour, touched)
    SELECT DISTINCT started_at / 3600000000, 0 FROM contacts
    UNION SELECT DISTINCT asked_at / 3600000000, 0 FROM consultations;
