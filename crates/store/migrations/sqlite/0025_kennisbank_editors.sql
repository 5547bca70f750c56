-- The editors' workspace (/werkplek/kennisbank): its list orders and the drafts from
-- ruggespraak come from indexes, not from a scan of every article per page view.
CREATE INDEX articles_updated ON articles (updated_at, id);
CREATE INDEX articles_usage ON articles (usage_count, id);
CREATE INDEX articles_not_helped ON articles (not_helped) WHERE not_helped > 0;
CREATE INDEX articles_from_consultation ON articles (status, updated_at) WHERE from_consultation IS NOT NULL;
