-- Customer journeys (issue 15, docs/journeys.md): per segment and process, the ordered
-- touchpoints with the customer's expectation, the flags and the topics, channels and case
-- statuses that belong to each (comma-separated codes and ids). A journey and its touchpoints
-- are written together in one transaction; `version` refuses a change made on a stale copy.
CREATE TABLE journeys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    segment TEXT NOT NULL,
    process TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL
);
CREATE TABLE journey_touchpoints (
    journey_id TEXT NOT NULL REFERENCES journeys(id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    expectation TEXT NOT NULL,
    moment_of_truth BOOLEAN NOT NULL,
    moetje BOOLEAN NOT NULL,
    peak BOOLEAN NOT NULL,
    topics TEXT NOT NULL,
    channels TEXT NOT NULL,
    statuses TEXT NOT NULL,
    PRIMARY KEY (journey_id, position)
);
-- The journey map reads the survey answers of a period through survey_answers_by_answered_at
-- (migration 27).
-- The journey map counts the cases received in a period per topic (and their waiting time).
CREATE INDEX cases_topic_created ON cases (topic_id, created_at);
