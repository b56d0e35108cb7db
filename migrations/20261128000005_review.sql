-- Review and selection (issue 5). A reviewer's comments on single questions: written one by one
-- while the reviewer prepares a send-back (sent_at NULL: still the reviewer's draft), sent all
-- at once with the send-back, shown beside their question until answering it again resolves
-- them.
CREATE TABLE review_comments (
    id              INTEGER PRIMARY KEY,
    innovation_id   INTEGER NOT NULL REFERENCES innovations (id),
    question_id     TEXT NOT NULL,
    item            INTEGER NOT NULL DEFAULT 0,
    comment         TEXT NOT NULL,
    author_user_id  INTEGER NOT NULL REFERENCES users (id),
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    resolved_at     INTEGER,
    resolved_by     INTEGER REFERENCES users (id)
) STRICT;
CREATE INDEX review_comments_by_innovation
    ON review_comments (innovation_id, question_id, item);

-- The question a reviewer has picked and whose comment they are about to type (one per
-- reviewer): it lives here, not in memory, so a restart does not lose it.
CREATE TABLE review_drafts (
    user_id         INTEGER PRIMARY KEY REFERENCES users (id),
    innovation_id   INTEGER NOT NULL REFERENCES innovations (id),
    question_id     TEXT NOT NULL,
    item            INTEGER NOT NULL DEFAULT 0,
    updated_at      INTEGER NOT NULL
) STRICT;
