-- Outgoing mail to citizens (the mail outbox). A mail is queued in the transaction of the change
-- that causes it, so a confirmation exists exactly when its cause does; the worker in `serve`
-- (or `gastvrij mail send-due`) delivers it. A worker claims due mail by moving its
-- next_attempt_at forward (a lease), so two workers never take the same mail; a failed attempt
-- sets the next one by the back-off schedule, and after the last one the mail is 'failed'.
-- last_error holds a short technical reason, never the mail's content.
CREATE TABLE mail_outbox (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    reply_to TEXT,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT,
    sent_at BIGINT,
    last_error TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
CREATE INDEX mail_outbox_created ON mail_outbox (created_at);
