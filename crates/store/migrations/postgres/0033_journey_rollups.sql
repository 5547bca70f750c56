-- The journey map (issue 15, docs/journeys.md) from daily roll-ups instead of reading the raw
-- rows per touchpoint. Every write of a contact (with its questions), a case or a survey answer
-- marks the UTC hour (hours since the epoch) of the contact's start, the case's receipt or the
-- answer in `journey_dirty`; `App::refresh_journey_rollups` recomputes the local days (in the
-- `termijnenwet` calendar's time zone) of those hours before every map and every minute.
-- `touched` counts the changes, so a marker renewed while a refresh runs survives it.
CREATE TABLE journey_dirty (
    utc_hour BIGINT PRIMARY KEY,
    touched BIGINT NOT NULL
);
-- Per local day of the contact's start, channel and topic: the contacts with at least one
-- question on that topic; topic '*' counts every contact on the channel.
CREATE TABLE journey_contact_daily (
    day TEXT NOT NULL,
    channel TEXT NOT NULL,
    topic_id TEXT NOT NULL,
    contacts BIGINT NOT NULL,
    PRIMARY KEY (day, channel, topic_id)
);
-- Cases per local day of receipt, topic ('' none), channel ('' none) and current status.
CREATE TABLE journey_case_daily (
    day TEXT NOT NULL,
    topic_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    cases BIGINT NOT NULL,
    PRIMARY KEY (day, topic_id, channel, status)
);
-- Picked-up cases per local day of receipt, topic, channel and bucket of their wait from
-- receipt to first action: `bucket` is the bucket's lower bound in seconds (6 minutes wide
-- below 10 hours, an hour wide below 10 days, a day wide beyond) and `seconds` the sum of their
-- waits (so the median is read as the mean wait of the bucket it falls in).
CREATE TABLE journey_wait_daily (
    day TEXT NOT NULL,
    topic_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    bucket BIGINT NOT NULL,
    cases BIGINT NOT NULL,
    seconds BIGINT NOT NULL,
    PRIMARY KEY (day, topic_id, channel, bucket)
);
-- Survey answers (portal) per local day of answering and the topic and channel of their case.
CREATE TABLE journey_survey_daily (
    day TEXT NOT NULL,
    topic_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    answers BIGINT NOT NULL,
    grade_sum BIGINT NOT NULL,
    PRIMARY KEY (day, topic_id, channel)
);
-- A touchpoint reads the days of its topics (or of topic '*').
CREATE INDEX journey_contact_daily_topic ON journey_contact_daily (topic_id, day);
CREATE INDEX journey_case_daily_topic ON journey_case_daily (topic_id, day);
CREATE INDEX journey_wait_daily_topic ON journey_wait_daily (topic_id, day);
CREATE INDEX journey_survey_daily_topic ON journey_survey_daily (topic_id, day);
-- A case's survey answers, to mark when the case's topic or channel changes.
CREATE INDEX submissions_case ON submissions (case_id);
-- Backfill: every hour with a contact, a case or a survey answer is computed by the first refresh.
INSERT INTO journey_dirty (utc_hour, touched)
    SELECT DISTINCT started_at / 3600000000, 0 FROM contacts
    UNION SELECT DISTINCT created_at / 3600000000, 0 FROM cases
    UNION SELECT DISTINCT answered_at / 3600000000, 0 FROM survey_answers;
