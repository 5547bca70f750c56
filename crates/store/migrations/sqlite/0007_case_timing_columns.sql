-- Two timing facts copied onto each case, so the compliance queries read one table: the channel
-- of the contact the case came from, and the first status change after receipt (the moment the
-- case was picked up, which meets the acknowledgement norm). The store keeps both current when a
-- case is written, its status changes or its contact's channel changes.
ALTER TABLE cases ADD COLUMN channel TEXT;
ALTER TABLE cases ADD COLUMN first_action_at BIGINT;
UPDATE cases SET
    channel = (SELECT k.channel FROM contacts k WHERE k.id = cases.contact_id),
    first_action_at = (SELECT MIN(h.at) FROM case_status_history h WHERE h.case_id = cases.id AND h.position > 0);
-- The roll-up worker takes the oldest markers first; after an import or the demo there are millions.
CREATE INDEX rollup_dirty_day ON rollup_dirty (day_at);
-- A contact's cases, e.g. to follow a change of its channel.
CREATE INDEX cases_contact ON cases (contact_id);
-- The open cases with every column the compliance figures need: the live part of a roll-up
-- report reads this small index only (open cases are a sliver of all cases). Led by status like
-- `cases_open_created`, so the planner sees the same selectivity and prefers this covering one.
CREATE INDEX cases_open_timing ON cases (status, created_at, case_type, team_id, topic_id, channel, first_action_at,
    acknowledgement_due, service_norm_due, legal_due, closed_at)
    WHERE status IN ('ontvangen', 'in_behandeling', 'opgeschort');
