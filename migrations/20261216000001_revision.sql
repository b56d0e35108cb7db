-- An innovation's revision (issue 13): a number that grows whenever its answers, evidence files or
-- review comments change, whoever writes them (the bot, a command, a retention run). The bot keeps
-- each innovation's answers in memory between messages and reads them again only when the
-- revision is not the one it holds, instead of reloading and re-parsing everything per message.
-- Innovations are never deleted, so an id never comes back with an older revision.
ALTER TABLE innovations ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER answers_bump_revision_on_insert AFTER INSERT ON answers BEGIN
    UPDATE innovations SET revision = revision + 1 WHERE id = NEW.innovation_id;
END;
CREATE TRIGGER answers_bump_revision_on_update AFTER UPDATE ON answers BEGIN
    UPDATE innovations SET revision = revision + 1
    WHERE id IN (OLD.innovation_id, NEW.innovation_id);
END;
CREATE TRIGGER answers_bump_revision_on_delete AFTER DELETE ON answers BEGIN
    UPDATE innovations SET revision = revision + 1 WHERE id = OLD.innovation_id;
END;

CREATE TRIGGER evidence_bump_revision_on_insert AFTER INSERT ON evidence_files BEGIN
    UPDATE innovations SET revision = revision + 1 WHERE id = NEW.innovation_id;
END;
CREATE TRIGGER evidence_bump_revision_on_update AFTER UPDATE ON evidence_files BEGIN
    UPDATE innovations SET revision = revision + 1
    WHERE id IN (OLD.innovation_id, NEW.innovation_id);
END;
CREATE TRIGGER evidence_bump_revision_on_delete AFTER DELETE ON evidence_files BEGIN
    UPDATE innovations SET revision = revision + 1 WHERE id = OLD.innovation_id;
END;

CREATE TRIGGER comments_bump_revision_on_insert AFTER INSERT ON review_comments BEGIN
    UPDATE innovations SET revision = revision + 1 WHERE id = NEW.innovation_id;
END;
CREATE TRIGGER comments_bump_revision_on_update AFTER UPDATE ON review_comments BEGIN
    UPDATE innovations SET revision = revision + 1
    WHERE id IN (OLD.innovation_id, NEW.innovation_id);
END;
CREATE TRIGGER comments_bump_revision_on_delete AFTER DELETE ON review_comments BEGIN
    UPDATE innovations SET revision = revision + 1 WHERE id = OLD.innovation_id;
END;
