-- The employee pulse (issue 15), anonymous by construction (docs/pulse.md). An answer row holds
-- the period, the team and the scores, never the employee nor a time finer than the period; its
-- id is random (no time in it). Who answered in a period is kept apart, only to refuse a second
-- answer. Both rows are written in one transaction.
CREATE TABLE pulse_answers (
    id TEXT PRIMARY KEY,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    team_id TEXT REFERENCES teams(id),
    workload SMALLINT NOT NULL CHECK (workload BETWEEN 1 AND 5),
    equipped SMALLINT NOT NULL CHECK (equipped BETWEEN 1 AND 5),
    collaboration SMALLINT NOT NULL CHECK (collaboration BETWEEN 1 AND 5),
    trust_in_knowledge SMALLINT NOT NULL CHECK (trust_in_knowledge BETWEEN 1 AND 5),
    enjoyment SMALLINT NOT NULL CHECK (enjoyment BETWEEN 1 AND 5),
    comment TEXT
);
CREATE INDEX pulse_answers_period ON pulse_answers (period_start, team_id);

CREATE TABLE pulse_respondents (
    employee_id TEXT NOT NULL REFERENCES employees(id),
    period_start TEXT NOT NULL,
    PRIMARY KEY (employee_id, period_start)
);

-- The schedule a beheerder set; no row means weekly.
CREATE TABLE pulse_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    cadence TEXT NOT NULL,
    changed_at BIGINT NOT NULL
);
