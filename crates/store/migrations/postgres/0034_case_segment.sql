-- The segment as a dimension of norm compliance (issue 15): each case carries the first segment
-- of its customer ('' without a customer or segment), kept current by the store when the case is
-- written and when the customer's segments change, as `cases.channel` follows its contact.
ALTER TABLE cases ADD COLUMN segment TEXT NOT NULL DEFAULT '';
UPDATE cases c SET segment = split_part(cu.segments, ',', 1)
    FROM customers cu WHERE cu.id = c.customer_id AND cu.segments <> '';
-- The daily roll-up gets the segment in its key. The rows so far become segment '' ...
ALTER TABLE norm_daily ADD COLUMN segment TEXT NOT NULL DEFAULT '';
ALTER TABLE norm_daily DROP CONSTRAINT norm_daily_pkey;
ALTER TABLE norm_daily ADD PRIMARY KEY (day, team_id, topic_id, channel, segment, case_type, category);
-- ... and every day with a closed case of a customer with a segment is recomputed by the roll-up
-- worker (which replaces a day's rows whole), before the next report reads it.
INSERT INTO rollup_dirty (kind, id, day_at, touched)
    SELECT 'case', id, created_at, 0 FROM cases WHERE status = 'afgehandeld' AND segment <> ''
    ON CONFLICT (kind, id) DO NOTHING;
-- The live count of open cases reads this covering index only: it needs the segment too.
DROP INDEX cases_open_timing;
CREATE INDEX cases_open_timing ON cases (status, created_at, case_type, team_id, topic_id, channel, segment, first_action_at,
    acknowledgement_due, service_norm_due, legal_due, closed_at)
    WHERE status IN ('ontvangen', 'in_behandeling', 'opgeschort');
ANALYZE cases;
