-- Versions of the norm set (issue 15, docs/norms.md): each is valid from its day until the next
-- one, so a figure is judged by the norm valid on its day. No row: the set in code is valid.
-- `norms` holds the norm set as JSON (`gastvrij_domain::norms::NormSet`).
CREATE TABLE norm_versions (
    valid_from TEXT PRIMARY KEY,
    norms TEXT NOT NULL,
    saved_at BIGINT NOT NULL
);

-- Gastvrijheid (category 5) averages the survey grades of a period: read by moment of answer.
CREATE INDEX survey_answers_by_answered_at ON survey_answers (answered_at);

-- The "vandaag" panel counts the consultations still open.
CREATE INDEX consultations_open ON consultations (asked_at) WHERE answered_at IS NULL;
