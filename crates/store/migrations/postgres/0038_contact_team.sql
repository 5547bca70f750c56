-- The contact figures per team (docs/contact-figures.md) count a contact for the team its
-- agent was in when the contact was recorded, and a consultation for the team of the employee
-- who asked it, then. Kept on the row, an employee moving to another team leaves their earlier
-- work with the team they did it for, and the hourly roll-ups never go stale on such a move.
-- Existing rows get the team their employee is in now (what the roll-ups counted until now).
ALTER TABLE contacts ADD COLUMN team_id TEXT;
UPDATE contacts SET team_id = (SELECT e.team_id FROM employees e WHERE e.id = contacts.agent_id)
    WHERE agent_id IS NOT NULL;
ALTER TABLE consultations ADD COLUMN asker_team_id TEXT;
UPDATE consultations SET asker_team_id = (SELECT e.team_id FROM employees e WHERE e.id = consultations.asked_by)
    WHERE asked_by IS NOT NULL;
