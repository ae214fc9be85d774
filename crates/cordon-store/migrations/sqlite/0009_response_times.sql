-- Response times: when an investigation was first acknowledged (and whether
-- before its first deadline) and when the worker was first there, kept on
-- the task so the board and situation reports can give medians and shares.
-- Tasks acknowledged before this migration have no recorded time: they count
-- as unknown, not as zero.
ALTER TABLE tasks ADD COLUMN acknowledged_at INTEGER;
ALTER TABLE tasks ADD COLUMN acknowledged_in_time INTEGER;
ALTER TABLE tasks ADD COLUMN visited_at INTEGER;
CREATE INDEX tasks_created ON tasks (kind, created_at);
