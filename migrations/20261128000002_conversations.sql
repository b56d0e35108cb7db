-- Where each person is in the questionnaire. The state is a small JSON document (which
-- innovation, which question, a multi-message draft); it lives here, not in memory, so a restart
-- or a crash resumes everyone at the same question.
CREATE TABLE conversations (
    user_id         INTEGER PRIMARY KEY REFERENCES users (id),
    state           TEXT NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;

-- Telegram updates whose changes are committed. Recorded in the same transaction as the change,
-- so an update delivered twice (after a crash, before its offset was confirmed) changes nothing
-- the second time. Old rows are pruned.
CREATE TABLE handled_updates (
    update_id   INTEGER PRIMARY KEY,
    handled_at  INTEGER NOT NULL
) STRICT;

-- The same file is not counted twice for the same question (e.g. a redelivered upload).
CREATE UNIQUE INDEX evidence_once ON evidence_files (innovation_id, question_id, item, sha256)
    WHERE removed_at IS NULL;

-- Every state change of an innovation, with who and when (submitted, sent back, approved, ...).
CREATE TABLE innovation_events (
    id             INTEGER PRIMARY KEY,
    innovation_id  INTEGER NOT NULL REFERENCES innovations (id),
    at             INTEGER NOT NULL,
    actor_user_id  INTEGER REFERENCES users (id),
    from_state     TEXT NOT NULL,
    to_state       TEXT NOT NULL,
    comment        TEXT
) STRICT;
CREATE INDEX innovation_events_by_innovation ON innovation_events (innovation_id);

-- Updates fetched from Telegram but not yet fully handled. They are written here before their
-- offset is confirmed to Telegram, and deleted once handled: updates in flight when the bot
-- stopped or crashed are handled after the restart instead of being lost.
CREATE TABLE inbox (
    update_id    INTEGER PRIMARY KEY,
    payload      TEXT NOT NULL,
    received_at  INTEGER NOT NULL
) STRICT;
