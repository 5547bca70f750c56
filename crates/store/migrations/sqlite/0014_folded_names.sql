-- Names, places and e-mail addresses kept a second time in folded form, so both backends search
-- and sort them the same way for all of Unicode (SQLite's lower() and LIKE fold only ASCII, and
-- each backend's ORDER BY follows its own collation). The store writes these columns with
-- gastvrij_domain::text::fold (names, places: case and diacritics folded) and email_key (the
-- whole address lower-cased), and sorts by them with byte order, ties broken by id.
-- SQL cannot fold all of Unicode, so the rows that exist already are filled in by the store
-- right after the migrations (Database::migrate); until then the columns are NULL.
ALTER TABLE customers ADD COLUMN name_folded TEXT;
ALTER TABLE customers ADD COLUMN email_key TEXT;
ALTER TABLE employees ADD COLUMN name_folded TEXT;
ALTER TABLE teams ADD COLUMN name_folded TEXT;
ALTER TABLE topics ADD COLUMN name_folded TEXT;
ALTER TABLE work_subscriptions ADD COLUMN email_key TEXT;
ALTER TABLE planned_work_areas ADD COLUMN place_folded TEXT;
CREATE INDEX customers_name_folded ON customers (name_folded, id);
CREATE INDEX customers_email_key ON customers (email_key);
CREATE INDEX work_subscriptions_email_key ON work_subscriptions (email_key, postcode);
CREATE INDEX planned_work_areas_place_folded ON planned_work_areas (place_folded);
