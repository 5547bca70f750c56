-- The contact figures per team (docs/contact-figures.md) count a contact for the team its
-- agent was in when the contact was recorded, and a consultation for the team of the employee
-- who asked it, then. Kept on the row, an employee moving to another team leaves their earlier
-- work with the team they did it for, and the hourly roll-ups never go stale on such a move.
-- Existing rows get the team their employee is in now. The roll-ups counted the team at the
-- time each hour was last recomputed, which for an employee who moved since is another one: every
-- hour with such a row is marked, and recomputed by the first refresh (docs/contact-figures.md).
ALTER TABLE contacts ADD COLUMN team_id TEXT;
UPDATE contacts SET team_id = (SELECT e.team_id FROM employees e WHERE e.id = contacts.agent_id)
    WHERE agent_id IS NOT NULL;
ALTER TABLE consultations ADD COLUMN asker_team_id TEXT;
UPDATE consultations SET asker_team_id = (SELECT e.team_id FROM employees e WHERE e.id = consultations.asked_by)
    WHERE asked_by IS NOT NULL;
INSERT INTO contact_dirty (utc_hour, touched)
    SELECT DISTINCT started_at / 3600000000, 0 FROM contacts WHERE agent_id IS NOT NULL
    ON CONFLICT (utc_hour) DO UPDATE SET touched = contact_dirty.touched + 1;
INSERT INTO contact_dirty (utc_hour, touched)
    SELECT DISTINCT asked_at / 3600000000, 0 FROM consultations WHERE asked_by IS NOT NULL
    ON CONFLICT (utc_hour) DO UPDATE SET touched = contact_dirty.touched + 1;
