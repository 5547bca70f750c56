-- Events for staff and workers (the outbox): written in the same transaction as their cause,
-- or by a worker; a dedupe key makes raising the same event twice a no-op.
CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    team_id TEXT,
    employee_id TEXT,
    summary TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE
);
CREATE INDEX events_team ON events (team_id, seq);
CREATE INDEX events_employee ON events (employee_id, seq);
