-- Daily roll-ups for norm compliance, kept current by a worker from "dirty" markers written in
-- the same transaction as each change. Days are local dates (YYYY-MM-DD) of receipt.
CREATE TABLE norm_daily (
    day TEXT NOT NULL,
    team_id TEXT NOT NULL,
    topic_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    case_type TEXT NOT NULL,
    category TEXT NOT NULL,
    within_norm BIGINT NOT NULL,
    late BIGINT NOT NULL,
    legal_late BIGINT NOT NULL,
    PRIMARY KEY (day, team_id, topic_id, channel, case_type, category)
);
CREATE TABLE phone_daily (
    day TEXT PRIMARY KEY,
    within_norm BIGINT NOT NULL,
    late BIGINT NOT NULL
);
-- A case or phone contact whose roll-up day must be recomputed: `day_at` is its moment of
-- receipt (which decides the day), `touched` the moment of the change (so a marker renewed
-- while a refresh runs survives it).
CREATE TABLE rollup_dirty (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    day_at BIGINT NOT NULL,
    touched BIGINT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX cases_open_created ON cases (status, created_at);
CREATE INDEX contacts_channel_started ON contacts (channel, started_at);
