-- Grouping a melding reads only the reports near it: by postcode, or by a point in a box.
CREATE INDEX submissions_near_postcode ON submissions (topic_id, postcode, created_at);
CREATE INDEX submissions_near_point ON submissions (topic_id, lat);
DROP INDEX submissions_grouping;
