-- The segment as a dimension of norm compliance (issue 15): each case carries the first segment
-- of its customer ('' without a customer or segment), kept current by the store when the case is
-- written and when the customer's segments change, as `cases.channel` follows its contact.
ALTER TABLE cases ADD COLUMN segment TEXT NOT NULL DEFAULT '';
UPDATE cases SET segment = COALESCE(
    (SELECT substr(cu.segments, 1, instr(cu.segments || ',', ',') - 1) FROM customers cu WHERE cu.id = cases.customer_id), '')
    WHERE customer_id IS NOT NULL;
-- The daily roll-up gets the segment in its key. The rows so far become segment '' ...
CREATE TABLE norm_daily_by_segment (
    day TEXT NOT NULL,
    team_id TEXT NOT NULL,
    topic_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    segment TEXT NOT NULL,
    case_type TEXT NOT NULL,
    category TEXT NOT NULL,
    within_norm BIGINT NOT NULL,
    late BIGINT NOT NULL,
    legal_late BIGINT NOT NULL,
    PRIMARY KEY (day, team_id, topic_id, channel, segment, case_type, category)
);
INSERT INTO norm_daily_by_segment (day, team_id, topic_id, channel, segment, case_type, category, within_norm, late, legal_late)
    SELECT day, team_id, topic_id, channel, '', case_type, category, within_norm, late, legal_late FROM norm_daily;
DROP TABLE norm_daily;
ALTER TABLE norm_daily_by_segment RENAME TO norm_daily;
-- ... and every day with a closed case of a customer with a segment is recomputed by the roll-up
-- worker (which replaces a day's rows whole), before the next report reads it.
INSERT OR IGNORE INTO rollup_dirty (kind, id, day_at, touched)
    SELECT 'case', id, created_at, 0 FROM cases WHERE status = 'afgehandeld' AND segment <> '';
-- The live count of open cases reads this covering index only: it needs the segment too.
DROP INDEX cases_open_timing;
CREATE INDEX cases_open_timing ON cases (status, created_at, case_type, team_id, topic_id, channel, segment, first_action_at,
    acknowledgement_due, service_norm_due, legal_due, closed_at)
    WHERE status IN ('ontvangen', 'in_behandeling', 'opgeschort');
