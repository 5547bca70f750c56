-- Rate limits shared by the nodes of one installation (issue 18): hits per scope (e.g. public
-- submissions, failed sign-ins), key (a hash of the address or account, never the address
-- itself) and fixed window. Old windows are removed as new ones start.
CREATE TABLE rate_windows (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (scope, key, window_start)
);
CREATE INDEX rate_windows_start ON rate_windows (window_start);
