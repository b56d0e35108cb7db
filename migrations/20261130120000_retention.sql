-- Bounded storage (issue 10): once a day the scheduler deletes what no restart and no
-- idempotency check needs any more (see src/storage/retention.rs for what is kept and why).
-- These indexes let each of those DELETEs reach its old rows without scanning the table.
CREATE INDEX handled_updates_by_time ON handled_updates (handled_at);
CREATE INDEX outbox_by_creation ON outbox (created_at);
CREATE INDEX reminders_sent_by_deadline ON reminders_sent (deadline_at);
CREATE INDEX digests_sent_by_day ON digests_sent (day);
