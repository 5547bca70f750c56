-- A journey map reads the compliance figures of a period once, by channel and, within each
-- channel, by topic, summed over the whole period (`App::compliance_by_part` without weeks).
-- With an index in that order the database sums `norm_daily` as it reads it, without sorting a
-- year of rows first (issue 15: the map under 200 ms over a year at scale 100).
CREATE INDEX norm_daily_channel_topic ON norm_daily (channel, topic_id, day, within_norm, late, legal_late);
