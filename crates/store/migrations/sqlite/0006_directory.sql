-- The expertise directory (wie weet wat): subjects, availability today, a note. One row per
-- employee; expertise is a JSON array of strings.
CREATE TABLE employee_directory (
    employee_id TEXT PRIMARY KEY REFERENCES employees(id),
    expertise TEXT NOT NULL,
    availability TEXT NOT NULL,
    until TEXT,
    note TEXT,
    updated_at BIGINT NOT NULL
);
