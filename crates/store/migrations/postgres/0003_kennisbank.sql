-- The kennisbank: articles (VAC-compatible), their versions, consultations (ruggespraak) and the
-- synonym list kept by editors. Lists of free text (keywords) are JSON arrays.
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    external_id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    public_answer TEXT,
    status TEXT NOT NULL,
    audience TEXT NOT NULL,
    keywords TEXT NOT NULL,
    owning_teams TEXT NOT NULL,
    related TEXT NOT NULL,
    topic_id TEXT REFERENCES topics(id),
    review_date TEXT,
    publish_at BIGINT,
    archive_at BIGINT,
    usage_count BIGINT NOT NULL,
    helped BIGINT NOT NULL,
    not_helped BIGINT NOT NULL,
    from_consultation TEXT,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX articles_status ON articles (status, review_date);
CREATE TABLE article_versions (
    article_id TEXT NOT NULL REFERENCES articles(id),
    version BIGINT NOT NULL,
    at BIGINT NOT NULL,
    author TEXT NOT NULL,
    diff TEXT NOT NULL,
    PRIMARY KEY (article_id, version)
);
CREATE TABLE consultations (
    id TEXT PRIMARY KEY,
    contact_id TEXT REFERENCES contacts(id),
    question_id TEXT,
    asked_by TEXT,
    to_team TEXT REFERENCES teams(id),
    to_employee TEXT REFERENCES employees(id),
    question TEXT NOT NULL,
    answer TEXT,
    answered_by TEXT,
    asked_at BIGINT NOT NULL,
    answered_at BIGINT,
    article_id TEXT REFERENCES articles(id)
);
CREATE INDEX consultations_team ON consultations (to_team, answered_at);
CREATE INDEX consultations_employee ON consultations (to_employee, answered_at);
CREATE TABLE kennisbank_synonyms (
    position BIGINT PRIMARY KEY,
    rule TEXT NOT NULL
);
