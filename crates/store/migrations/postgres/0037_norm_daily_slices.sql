-- The compliance report over a long period (issue 15: a year's norm dashboard and journey map
-- under 200 ms) sums `norm_daily` per day and slice. With an index in that order the database
-- sums the rows as it reads them, instead of sorting a year of rows first; each index holds the
-- sums too, so the table itself is not read. The team slice already has the primary key's order.
CREATE INDEX norm_daily_day_category ON norm_daily (day, category, channel, within_norm, late, legal_late);
CREATE INDEX norm_daily_day_topic ON norm_daily (day, topic_id, within_norm, late, legal_late);
CREATE INDEX norm_daily_day_channel ON norm_daily (day, channel, within_norm, late, legal_late);
