-- API tokens get an id to list and revoke them by, an expiry, the time of their last use and the
-- time they were revoked. Existing tokens expire 90 days after they were created (created_at is
-- stored), so a token older than that stops working once this migration has run; issue a new one
-- with `gastvrij user token`. Their ids are UUIDv7 made from created_at and random bits.
ALTER TABLE api_tokens ADD COLUMN id TEXT;
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN revoked_at BIGINT;
-- gen_random_uuid() is a UUIDv4: its first 13 characters become the creation time in
-- milliseconds and its version digit a 7; the variant bits stay as they are.
UPDATE api_tokens SET
    id = overlay(
        overlay(gen_random_uuid()::text
            placing substr(lpad(to_hex(created_at / 1000), 12, '0'), 1, 8) || '-'
                || substr(lpad(to_hex(created_at / 1000), 12, '0'), 9, 4)
            from 1 for 13)
        placing '7' from 15 for 1),
    expires_at = created_at + 7776000000000;
ALTER TABLE api_tokens ALTER COLUMN id SET NOT NULL;
ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_id_key UNIQUE (id);
CREATE INDEX api_tokens_employee ON api_tokens (employee_id, created_at);
