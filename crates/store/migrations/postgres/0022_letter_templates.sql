-- Mail and letter templates kept by redacteuren (issue 14): every save of a kind's text is a new
-- version, numbered from 1 per kind; the newest is used. A version without subject and body
-- ("terug naar standaardtekst") means the built-in text is used again. Nothing is overwritten,
-- so the history shows who changed what and when.
CREATE TABLE letter_templates (
    kind TEXT NOT NULL,
    version BIGINT NOT NULL,
    subject TEXT,
    body TEXT,
    saved_by TEXT,
    saved_at BIGINT NOT NULL,
    PRIMARY KEY (kind, version),
    CHECK ((subject IS NULL) = (body IS NULL))
);
-- Letters printed for a case (the citizen has no e-mail address): the answer (`brief`) or the
-- acknowledgement (`ontvangstbrief`) as printed, kept with the case like its mails; printing the
-- same text again keeps no second copy.
CREATE TABLE case_letters (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('brief', 'ontvangstbrief')),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    printed_by TEXT,
    printed_at BIGINT NOT NULL,
    PRIMARY KEY (case_id, kind, printed_at)
);
