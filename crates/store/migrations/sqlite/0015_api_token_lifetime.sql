-- API tokens get an id to list and revoke them by, an expiry, the time of their last use and the
-- time they were revoked. Existing tokens expire 90 days after they were created (created_at is
-- stored), so a token older than that stops working once this migration has run; issue a new one
-- with `gastvrij user token`. Their ids are UUIDv7 made from created_at and random bits.
-- SQLite cannot add a NOT NULL column without a default or a UNIQUE column, so the table is
-- built again (nothing refers to it).
CREATE TABLE api_tokens_new (
    token_hash TEXT PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    employee_id TEXT NOT NULL REFERENCES employees(id),
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
INSERT INTO api_tokens_new (token_hash, id, employee_id, label, created_at, expires_at)
SELECT
    token_hash,
    substr(printf('%012x', created_at / 1000), 1, 8) || '-' || substr(printf('%012x', created_at / 1000), 9, 4)
        || '-7' || substr(lower(hex(randomblob(2))), 2)
        || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2)
        || '-' || lower(hex(randomblob(6))),
    employee_id,
    label,
    created_at,
    created_at + 7776000000000
FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;
CREATE INDEX api_tokens_employee ON api_tokens (employee_id, created_at);
