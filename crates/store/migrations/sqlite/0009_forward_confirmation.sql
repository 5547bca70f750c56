-- When the other body confirmed it took a forwarded question over (until then the water board
-- stays the owner).
ALTER TABLE questions ADD COLUMN forward_confirmed_at BIGINT;
