-- A message longer than Telegram allows goes out in several parts (src/telegram/split.rs).
-- `parts_sent` records how many parts of a row Telegram has accepted, so a row retried after a
-- failure, or after a crash, goes on with the next part instead of sending the first ones again.
ALTER TABLE outbox ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0;
