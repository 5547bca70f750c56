-- Calls reported by the telephony platform or imported from call-centre exports. The
-- platform's call id makes a repeated report an update. They feed the reachability norm.
CREATE TABLE calls (
    call_id TEXT PRIMARY KEY,
    offered_at BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    waiting_seconds BIGINT,
    agent TEXT,
    contact_id TEXT REFERENCES contacts(id),
    updated_at BIGINT NOT NULL
);
CREATE INDEX calls_offered ON calls (offered_at);
CREATE INDEX calls_contact ON calls (contact_id);
