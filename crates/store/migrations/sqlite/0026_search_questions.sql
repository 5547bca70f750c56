-- Learning from the questions (issue 16, docs/kennisbank-learning.md). One row per search in the
-- KCC workspace or on the public answers page, written after personal data was masked (the text
-- never holds a postcode, e-mail address, phone number or name) and with the time rounded down
-- to the hour. The id is random (no time in it). `used`: 0 nothing from the results used yet,
-- 1 the top hit used ("gebruikt" / "geholpen"), 2 another hit used. Rows older than a year are
-- deleted by the retention job.
CREATE TABLE search_questions (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    asked_hour BIGINT NOT NULL,
    asked_week TEXT NOT NULL,
    text TEXT NOT NULL,
    group_key TEXT NOT NULL,
    hits BIGINT NOT NULL,
    top_article_id TEXT,
    topic_id TEXT,
    used SMALLINT NOT NULL DEFAULT 0
);
CREATE INDEX search_questions_hour ON search_questions (asked_hour, channel);

-- The last time an article was used in a contact or helped on the website, for "not used in
-- six months". Uses before this migration are unknown (NULL).
ALTER TABLE articles ADD COLUMN last_used_at BIGINT;
CREATE INDEX articles_last_used ON articles (status, last_used_at);
