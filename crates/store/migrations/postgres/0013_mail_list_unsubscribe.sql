-- Mail to subscribers carries its one-click unsubscribe link as a header (List-Unsubscribe).
ALTER TABLE mail_outbox ADD COLUMN list_unsubscribe TEXT;
