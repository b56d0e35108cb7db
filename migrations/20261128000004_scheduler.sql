-- Everything timed is delivered through one durable outbox: reminders, digests and broadcasts.
-- A message is claimed ('sending') before the call to Telegram and marked 'sent' after it; after
-- a crash, claimed messages go back to 'pending' (at most the one in flight is sent twice).
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    chat_id          INTEGER NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('text', 'photo')),
    body             TEXT NOT NULL,
    photo            BLOB,
    keyboard         TEXT,
    source           TEXT NOT NULL CHECK (source IN ('reminder', 'digest', 'broadcast')),
    broadcast_id     INTEGER REFERENCES broadcasts (id),
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'blocked')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    sent_at          INTEGER
) STRICT;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);
CREATE INDEX outbox_by_broadcast ON outbox (broadcast_id, status);

-- One reminder per person, per innovation (0: the unit has none yet), per offset before a
-- given deadline: moving the deadline starts a new series.
CREATE TABLE reminders_sent (
    user_id         INTEGER NOT NULL REFERENCES users (id),
    innovation_key  INTEGER NOT NULL,
    offset_minutes  INTEGER NOT NULL,
    deadline_at     INTEGER NOT NULL,
    -- 'queued', or 'superseded' when a later offset was already due (the bot was down).
    outcome         TEXT NOT NULL,
    at              INTEGER NOT NULL,
    PRIMARY KEY (user_id, innovation_key, offset_minutes, deadline_at)
) STRICT;

-- One digest per person per local day.
CREATE TABLE digests_sent (
    user_id  INTEGER NOT NULL REFERENCES users (id),
    day      TEXT NOT NULL,
    at       INTEGER NOT NULL,
    PRIMARY KEY (user_id, day)
) STRICT;

CREATE TABLE broadcasts (
    id                   INTEGER PRIMARY KEY,
    author_user_id       INTEGER NOT NULL REFERENCES users (id),
    status               TEXT NOT NULL
                         CHECK (status IN ('composing', 'audience', 'preview', 'sending', 'done', 'cancelled')),
    body                 TEXT,
    audience             TEXT,
    recipients           INTEGER NOT NULL DEFAULT 0,
    progress_message_id  INTEGER,
    created_at           INTEGER NOT NULL,
    finished_at          INTEGER
) STRICT;
CREATE INDEX broadcasts_by_author ON broadcasts (author_user_id, status);
