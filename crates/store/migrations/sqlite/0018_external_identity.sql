-- An employee's account at the organisation's identity provider (OIDC sign-in): the provider's
-- `iss` and `sub`, bound at the first sign-in and the only thing later sign-ins are matched by;
-- and whether a beheerder allowed the next sign-in to bind the account by its username or
-- verified e-mail address (cleared once bound). Unbound accounts have neither (NULLs are
-- distinct, so any number of them may).
ALTER TABLE employees ADD COLUMN external_issuer TEXT;
ALTER TABLE employees ADD COLUMN external_subject TEXT;
ALTER TABLE employees ADD COLUMN external_link_allowed BOOLEAN NOT NULL DEFAULT FALSE;
CREATE UNIQUE INDEX employees_external_identity ON employees (external_issuer, external_subject);
