-- Two deadlines (issue 11): the units' deadline, which staff are reminded of, and SINOVIK's
-- national close, which ends the bureau's selection. The one deadline the bureau could set in the
-- bot before was the one staff were reminded of: it becomes the units' deadline.
UPDATE bot_meta SET key = 'units_deadline' WHERE key = 'campaign_deadline';

-- When an innovation was first handed in after its unit's deadline (unix seconds); NULL when it
-- was on time or has not been handed in. Kept as it was at the submission, whatever the deadline
-- becomes later, and shown to the bureau as "late".
ALTER TABLE innovations ADD COLUMN late_submitted_at INTEGER;
