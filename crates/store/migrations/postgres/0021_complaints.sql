-- Complaints as the Awb asks, chapter 9 (issue 14).
-- What a klacht adds to its case, as JSON (`domain::complaint::Complaint`): the employees it is
-- about (Awb 9:7), the hearing (9:10) and the measures taken (for the annual overview, 9:12a).
-- NULL for other case types.
ALTER TABLE cases ADD COLUMN complaint TEXT;
-- The complaint register lists the klachten received in a year.
CREATE INDEX cases_type_created ON cases (case_type, created_at);
