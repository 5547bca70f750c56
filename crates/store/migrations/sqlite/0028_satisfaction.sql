-- Customer satisfaction (issue 15, docs/satisfaction.md): the rates per channel, the decision
-- taken for every closed contact and case (its source key is the dedupe key two nodes claim it
-- by), the last invitation per person (customer id or hashed e-mail address) for the 30-day rule,
-- the answers, the daily roll-up the dashboards read, and the action points (verbeterpunten).
CREATE TABLE survey_rates (
    channel TEXT PRIMARY KEY,
    percent BIGINT NOT NULL CHECK (percent BETWEEN 0 AND 100),
    changed_at BIGINT NOT NULL
);
-- outcome: invited, not_sampled, recent (invited within 30 days), no_address.
CREATE TABLE survey_invitations (
    source TEXT PRIMARY KEY,
    outcome TEXT NOT NULL,
    token_hash TEXT UNIQUE,
    channel TEXT NOT NULL,
    topic_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    segment TEXT NOT NULL,
    case_type TEXT NOT NULL,
    decided_at BIGINT NOT NULL,
    expires_at BIGINT,
    answered_at BIGINT
);
CREATE TABLE survey_recipients (
    person TEXT PRIMARY KEY,
    last_invited_at BIGINT NOT NULL
);
CREATE TABLE survey_responses (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL UNIQUE REFERENCES survey_invitations(source),
    day TEXT NOT NULL,
    answered_at BIGINT NOT NULL,
    channel TEXT NOT NULL,
    topic_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    segment TEXT NOT NULL,
    case_type TEXT NOT NULL,
    grade SMALLINT NOT NULL CHECK (grade BETWEEN 1 AND 10),
    solved BOOLEAN NOT NULL,
    effort SMALLINT NOT NULL CHECK (effort BETWEEN 1 AND 5),
    comment TEXT,
    comment_folded TEXT
);
CREATE INDEX survey_responses_day ON survey_responses (day, answered_at);
-- One row per local day (of answering) and group; '' where a group key is unknown.
CREATE TABLE satisfaction_daily (
    day TEXT NOT NULL,
    channel TEXT NOT NULL,
    topic_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    segment TEXT NOT NULL,
    case_type TEXT NOT NULL,
    answers BIGINT NOT NULL,
    grade_sum BIGINT NOT NULL,
    solved BIGINT NOT NULL,
    effort_sum BIGINT NOT NULL,
    low BIGINT NOT NULL,
    PRIMARY KEY (day, channel, topic_id, team_id, segment, case_type)
);
CREATE TABLE improvements (
    id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    owner_id TEXT NOT NULL REFERENCES employees(id),
    due TEXT NOT NULL,
    status TEXT NOT NULL,
    source_kind TEXT NOT NULL,
    source_ref TEXT NOT NULL,
    source_label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX improvements_source ON improvements (source_kind, source_ref);
CREATE INDEX improvements_status ON improvements (status, due);
-- The invitation job reads the contacts and cases closed in the last days.
CREATE INDEX survey_contacts_ended ON contacts (ended_at);
CREATE INDEX survey_cases_closed ON cases (closed_at);
