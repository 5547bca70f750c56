-- Foundation schema (SQLite). Times are microseconds since the Unix epoch (UTC); ids are UUID text.
CREATE TABLE organisation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    inhabitants BIGINT NOT NULL,
    time_zone TEXT NOT NULL
);
CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT
);
CREATE TABLE employees (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    team_id TEXT REFERENCES teams(id),
    roles TEXT NOT NULL,
    username TEXT UNIQUE,
    active BOOLEAN NOT NULL,
    password_hash TEXT
);
CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL REFERENCES employees(id),
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE topics (
    id TEXT PRIMARY KEY,
    parent_id TEXT REFERENCES topics(id),
    name TEXT NOT NULL,
    team_id TEXT REFERENCES teams(id)
);
CREATE TABLE customers (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT,
    segments TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    postcode TEXT,
    house_number TEXT,
    street TEXT,
    city TEXT,
    kvk_number TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX customers_address ON customers (postcode, house_number);
CREATE INDEX customers_email ON customers (email);
CREATE INDEX customers_phone ON customers (phone);
CREATE INDEX customers_kvk ON customers (kvk_number);
CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    customer_id TEXT REFERENCES customers(id),
    agent_id TEXT REFERENCES employees(id),
    state TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    ended_at BIGINT,
    waiting_seconds BIGINT,
    version BIGINT NOT NULL
);
CREATE INDEX contacts_started ON contacts (started_at);
CREATE INDEX contacts_customer ON contacts (customer_id, started_at);
CREATE TABLE questions (
    id TEXT PRIMARY KEY,
    contact_id TEXT NOT NULL REFERENCES contacts(id),
    position BIGINT NOT NULL,
    topic_id TEXT REFERENCES topics(id),
    text TEXT NOT NULL,
    answer TEXT,
    line TEXT,
    outcome TEXT,
    case_id TEXT,
    forwarded_to TEXT
);
CREATE INDEX questions_contact ON questions (contact_id, position);
CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    case_type TEXT NOT NULL,
    topic_id TEXT REFERENCES topics(id),
    team_id TEXT NOT NULL REFERENCES teams(id),
    owner_id TEXT REFERENCES employees(id),
    customer_id TEXT REFERENCES customers(id),
    contact_id TEXT REFERENCES contacts(id),
    subject TEXT NOT NULL,
    intent TEXT,
    status TEXT NOT NULL,
    urgent BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    closed_at BIGINT,
    -- Deadlines (first late moment) copied from `timing` for queries; `timing` holds the
    -- events and every recalculation as JSON.
    acknowledgement_due BIGINT,
    service_norm_due BIGINT,
    legal_due BIGINT,
    timing TEXT NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX cases_team ON cases (team_id, status);
CREATE INDEX cases_customer ON cases (customer_id);
CREATE INDEX cases_created ON cases (created_at);
CREATE INDEX cases_service_norm_due ON cases (status, service_norm_due);
CREATE TABLE case_status_history (
    case_id TEXT NOT NULL REFERENCES cases(id),
    position BIGINT NOT NULL,
    status TEXT NOT NULL,
    at BIGINT NOT NULL,
    by_employee TEXT,
    reason TEXT,
    PRIMARY KEY (case_id, position)
);
CREATE TABLE case_notes (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    at BIGINT NOT NULL,
    author_id TEXT,
    text TEXT NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id, at);
CREATE TABLE case_attachments (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL,
    uploaded_by TEXT
);
CREATE INDEX case_attachments_case ON case_attachments (case_id);
CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    summary TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity_id, seq);
-- The audit log is append-only: the database itself refuses edits and deletions.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
