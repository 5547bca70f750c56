-- Case work in the workspace (issue 14).
-- Since when an open case is suspended (opgeschort): its clock stands still meanwhile, so the
-- queue and the compliance queries judge it as at that moment (`norms::classify_case`).
ALTER TABLE cases ADD COLUMN suspended_since BIGINT;
UPDATE cases SET suspended_since =
    (SELECT MAX(h.at) FROM case_status_history h WHERE h.case_id = cases.id AND h.status = 'opgeschort')
    WHERE status = 'opgeschort';
-- How a closed case ended and the answer the citizen got (by mail, or a printed letter).
ALTER TABLE cases ADD COLUMN result TEXT;
ALTER TABLE cases ADD COLUMN answer TEXT;
-- The mails queued for a case (status news, suspension, extension, the answer), for its timeline.
CREATE TABLE case_mails (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    mail_id TEXT NOT NULL REFERENCES mail_outbox(id) ON DELETE CASCADE,
    PRIMARY KEY (case_id, mail_id)
);
CREATE INDEX case_mails_mail ON case_mails (mail_id);
-- Internal tasks: a case asks another team for something, needed by a day (ISO date); open
-- tasks show in the asked team's queue until it answers.
CREATE TABLE case_tasks (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    to_team TEXT NOT NULL REFERENCES teams(id),
    question TEXT NOT NULL,
    due_on TEXT NOT NULL,
    asked_by TEXT,
    asked_at BIGINT NOT NULL,
    answer TEXT,
    answered_by TEXT,
    answered_at BIGINT
);
CREATE INDEX case_tasks_case ON case_tasks (case_id);
CREATE INDEX case_tasks_open ON case_tasks (to_team, answered_at, due_on);
