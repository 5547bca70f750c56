-- When the last confirmation mail of a work subscription went out: subscribing again within a
-- day sends no new one, and one address gets a few confirmation mails a day at most.
ALTER TABLE work_subscriptions ADD COLUMN confirm_sent_at BIGINT;
CREATE INDEX work_subscriptions_email_key_sent ON work_subscriptions (email_key, confirm_sent_at);
