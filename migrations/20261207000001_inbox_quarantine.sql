-- A poison update (one whose handling panicked, or that was in flight at crash after crash) is
-- set aside instead of being replayed forever: `attempts` counts the replays after restarts,
-- `quarantined_at` marks it as set aside (kept for a developer to read; never handled again).
ALTER TABLE inbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE inbox ADD COLUMN quarantined_at INTEGER;
ALTER TABLE inbox ADD COLUMN failure TEXT;
