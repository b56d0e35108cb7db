-- Foundation: work units, people, invitations, innovations, answers, evidence files, audit log.
-- Times are Unix seconds (UTC). Tables are STRICT so a wrong type is an error, not a surprise.

CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    telegram_id   INTEGER NOT NULL UNIQUE,
    display_name  TEXT NOT NULL DEFAULT '',
    username      TEXT,
    language      TEXT NOT NULL DEFAULT 'id' CHECK (language IN ('id', 'en')),
    role          TEXT NOT NULL CHECK (role IN ('staff', 'coordinator', 'bureau')),
    unit_id       INTEGER REFERENCES units (id),
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    CHECK (role = 'bureau' OR unit_id IS NOT NULL)
) STRICT;
CREATE INDEX users_by_unit ON users (unit_id);

CREATE TABLE invitations (
    id          INTEGER PRIMARY KEY,
    -- SHA-256 of the deep-link token: the token itself is never stored.
    token_hash  TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL CHECK (role IN ('staff', 'coordinator', 'bureau')),
    unit_id     INTEGER REFERENCES units (id),
    max_uses    INTEGER NOT NULL CHECK (max_uses > 0),
    uses        INTEGER NOT NULL DEFAULT 0,
    expires_at  INTEGER NOT NULL,
    revoked_at  INTEGER,
    created_by  INTEGER REFERENCES users (id),
    created_at  INTEGER NOT NULL,
    CHECK (role = 'bureau' OR unit_id IS NOT NULL)
) STRICT;

CREATE TABLE innovations (
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER NOT NULL REFERENCES units (id),
    state           TEXT NOT NULL DEFAULT 'draft'
                    CHECK (state IN ('draft', 'submitted', 'returned', 'approved', 'selected')),
    dialog_version  TEXT NOT NULL,
    created_by      INTEGER NOT NULL REFERENCES users (id),
    created_at      INTEGER NOT NULL,
    updated_by      INTEGER NOT NULL REFERENCES users (id),
    updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX innovations_by_unit ON innovations (unit_id);

-- One row per answered question (per item of a repeatable group). `value` is the JSON of the
-- validated answer. Rows of questions a newer dialog file dropped are kept, never deleted.
CREATE TABLE answers (
    innovation_id  INTEGER NOT NULL REFERENCES innovations (id),
    question_id    TEXT NOT NULL,
    item           INTEGER NOT NULL DEFAULT 0,
    value          TEXT NOT NULL,
    answered_by    INTEGER NOT NULL REFERENCES users (id),
    answered_at    INTEGER NOT NULL,
    PRIMARY KEY (innovation_id, question_id, item)
) STRICT;

CREATE TABLE evidence_files (
    id               INTEGER PRIMARY KEY,
    innovation_id    INTEGER NOT NULL REFERENCES innovations (id),
    question_id      TEXT NOT NULL,
    item             INTEGER NOT NULL DEFAULT 0,
    kind             TEXT NOT NULL CHECK (kind IN ('document', 'photo', 'video')),
    original_name    TEXT,
    mime_type        TEXT,
    size_bytes       INTEGER NOT NULL,
    sha256           TEXT NOT NULL,
    -- Relative to EVIDENCE_DIR; files are named by content hash.
    stored_path      TEXT NOT NULL,
    telegram_file_unique_id TEXT,
    uploaded_by      INTEGER NOT NULL REFERENCES users (id),
    uploaded_at      INTEGER NOT NULL,
    removed_at       INTEGER,
    removed_by       INTEGER REFERENCES users (id)
) STRICT;
CREATE INDEX evidence_by_innovation ON evidence_files (innovation_id, question_id);

CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY,
    at             INTEGER NOT NULL,
    actor_user_id  INTEGER REFERENCES users (id),
    action         TEXT NOT NULL,
    target         TEXT,
    details        TEXT
) STRICT;
CREATE INDEX audit_by_time ON audit_log (at);

-- Small facts the bot learns at run time, e.g. its own @username for invitation links.
CREATE TABLE bot_meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) STRICT;
