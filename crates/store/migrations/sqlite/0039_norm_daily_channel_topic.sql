-- A journey map reads the compliance figures of a period once, by channel and, within each
-- channel, by topic (`App::compliance_by_part`). With an index in that order the database sums a
-- year of `norm_daily` rows as it reads them instead of sorting them first (issue 15: the map
-- under 200 ms over a year at scale 100).
CREATE INDEX norm_daily_day_channel_topic ON norm_daily (day, channel, topic_id, within_norm, late, legal_late);
