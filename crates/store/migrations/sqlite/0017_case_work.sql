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
