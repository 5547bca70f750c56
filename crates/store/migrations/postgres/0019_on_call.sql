-- The on-call service (storingsdienst): a melding with danger now is mailed to it at once.
ALTER TABLE organisation ADD COLUMN on_call_email TEXT;
ALTER TABLE organisation ADD COLUMN on_call_phone TEXT;
