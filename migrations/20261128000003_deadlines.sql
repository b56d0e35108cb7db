-- A unit's own deadline, when the bureau set one; otherwise the campaign deadline applies
-- (bot_meta 'campaign_deadline', else the dialog file's default_deadline).
ALTER TABLE units ADD COLUMN deadline_at INTEGER;
