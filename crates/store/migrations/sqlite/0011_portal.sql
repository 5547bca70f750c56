-- The public portal: what citizens send in (each with its case and a contact on channel
-- webformulier), the private tracking link (only its SHA-256 is kept), messages both ways,
-- photos (stored in the database so a submission is stored completely or not at all),
-- survey answers, questions the kennisbank prevented, incidents (calamities), and the
-- activity calendar with its subscriptions.
CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    topic_id TEXT REFERENCES topics(id),
    title TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    last_report_at BIGINT NOT NULL,
    closed_at BIGINT,
    banner TEXT
);
CREATE INDEX incidents_open ON incidents (closed_at, last_report_at);
CREATE TABLE submissions (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL UNIQUE REFERENCES cases(id),
    token_hash TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    topic_id TEXT REFERENCES topics(id),
    description TEXT NOT NULL,
    postcode TEXT,
    house_number TEXT,
    place TEXT,
    lat REAL,
    lon REAL,
    observed TEXT,
    urgent BOOLEAN NOT NULL,
    preference TEXT NOT NULL,
    name TEXT,
    email TEXT,
    phone TEXT,
    photo_location_allowed BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    incident_id TEXT REFERENCES incidents(id)
);
CREATE INDEX submissions_grouping ON submissions (topic_id, created_at);
CREATE INDEX submissions_incident ON submissions (incident_id);
CREATE TABLE submission_messages (
    id TEXT PRIMARY KEY,
    submission_id TEXT NOT NULL REFERENCES submissions(id),
    at BIGINT NOT NULL,
    from_citizen BOOLEAN NOT NULL,
    author_id TEXT REFERENCES employees(id),
    text TEXT NOT NULL
);
CREATE INDEX submission_messages_by_submission ON submission_messages (submission_id, at);
CREATE TABLE submission_photos (
    id TEXT PRIMARY KEY,
    submission_id TEXT NOT NULL REFERENCES submissions(id),
    message_id TEXT REFERENCES submission_messages(id),
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX submission_photos_by_submission ON submission_photos (submission_id);
CREATE TABLE survey_answers (
    submission_id TEXT PRIMARY KEY REFERENCES submissions(id),
    grade BIGINT NOT NULL,
    solved BOOLEAN NOT NULL,
    effort BIGINT NOT NULL,
    comment TEXT,
    reopen_requested BOOLEAN NOT NULL,
    answered_at BIGINT NOT NULL
);
CREATE TABLE prevented_questions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL REFERENCES articles(id),
    at BIGINT NOT NULL
);
CREATE INDEX prevented_questions_at ON prevented_questions (at);
CREATE TABLE planned_works (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    what TEXT NOT NULL,
    why TEXT NOT NULL,
    area TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    contact TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX planned_works_period ON planned_works (ends_on, starts_on);
CREATE TABLE planned_work_areas (
    work_id TEXT NOT NULL REFERENCES planned_works(id),
    postcode_from BIGINT,
    postcode_to BIGINT,
    place TEXT
);
CREATE INDEX planned_work_areas_postcode ON planned_work_areas (postcode_from, postcode_to);
CREATE INDEX planned_work_areas_work ON planned_work_areas (work_id);
CREATE TABLE contact_planned_works (
    contact_id TEXT NOT NULL REFERENCES contacts(id),
    work_id TEXT NOT NULL REFERENCES planned_works(id),
    PRIMARY KEY (contact_id, work_id)
);
CREATE INDEX contact_planned_works_work ON contact_planned_works (work_id);
CREATE TABLE work_subscriptions (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    postcode TEXT NOT NULL,
    confirm_hash TEXT NOT NULL UNIQUE,
    unsubscribe_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    unsubscribed_at BIGINT
);
CREATE INDEX work_subscriptions_postcode ON work_subscriptions (postcode);
-- Secrets of this installation, made once (e.g. the key that derives tracking links, so a
-- status mail can carry the link while only its hash identifies the submission).
CREATE TABLE installation_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
