-- Response times as a read model: the board, the situation report and the
-- response-time summary read the delays of investigations as counts per node
-- (every ancestor), local day opened, measure and delay, never the tasks.

-- The local day a task was created (set by the store; filled for older rows
-- when the read models are rebuilt).
ALTER TABLE tasks ADD COLUMN created_date TEXT;

-- What each investigation contributes: 'opened' (minutes 0), 'in_time' when
-- acknowledged before its first deadline (minutes 0), and the delays from
-- opening to the first acknowledgement ('acknowledged') and to the first
-- visit ('visited') in whole minutes, rounded down to the minute below an
-- hour, to five minutes below a day and to the hour beyond.
CREATE VIEW response_facts (task_id, subject_path, day, measure, minutes) AS
    SELECT id, subject_path, created_date, 'opened', 0 FROM tasks
     WHERE kind = 'investigation' AND created_date IS NOT NULL
    UNION ALL
    SELECT id, subject_path, created_date, 'in_time', 0 FROM tasks
     WHERE kind = 'investigation' AND created_date IS NOT NULL AND acknowledged_in_time = 1
    UNION ALL
    SELECT id, subject_path, created_date, 'acknowledged',
           CASE WHEN acknowledged_at - created_at < 3600000000 THEN MAX(0, (acknowledged_at - created_at) / 60000000)
                WHEN acknowledged_at - created_at < 86400000000 THEN (acknowledged_at - created_at) / 300000000 * 5
                ELSE (acknowledged_at - created_at) / 3600000000 * 60 END
      FROM tasks WHERE kind = 'investigation' AND created_date IS NOT NULL AND acknowledged_at IS NOT NULL
    UNION ALL
    SELECT id, subject_path, created_date, 'visited',
           CASE WHEN visited_at - created_at < 3600000000 THEN MAX(0, (visited_at - created_at) / 60000000)
                WHEN visited_at - created_at < 86400000000 THEN (visited_at - created_at) / 300000000 * 5
                ELSE (visited_at - created_at) / 3600000000 * 60 END
      FROM tasks WHERE kind = 'investigation' AND created_date IS NOT NULL AND visited_at IS NOT NULL;

-- Investigations by node (every ancestor), local day opened, measure and delay.
CREATE TABLE response_counts (
    node_path TEXT NOT NULL,
    day TEXT NOT NULL,
    measure TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (node_path, day, measure, minutes)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER read_models_response_insert AFTER INSERT ON tasks WHEN NEW.kind = 'investigation' BEGIN
    INSERT INTO response_counts (node_path, day, measure, minutes, count)
    SELECT a.ancestor_path, f.day, f.measure, f.minutes, 1
      FROM response_facts f JOIN node_ancestors a ON a.path = f.subject_path WHERE f.task_id = NEW.id
    ON CONFLICT (node_path, day, measure, minutes) DO UPDATE SET count = count + 1;
END;

-- An update takes the task's old contribution away before it and adds the new one after.
CREATE TRIGGER read_models_response_before_update BEFORE UPDATE ON tasks
WHEN (OLD.kind = 'investigation' OR NEW.kind = 'investigation')
 AND (OLD.acknowledged_at IS NOT NEW.acknowledged_at OR OLD.acknowledged_in_time IS NOT NEW.acknowledged_in_time
      OR OLD.visited_at IS NOT NEW.visited_at OR OLD.created_date IS NOT NEW.created_date
      OR OLD.created_at <> NEW.created_at OR OLD.subject_path <> NEW.subject_path OR OLD.kind <> NEW.kind) BEGIN
    INSERT INTO response_counts (node_path, day, measure, minutes, count)
    SELECT a.ancestor_path, f.day, f.measure, f.minutes, -1
      FROM response_facts f JOIN node_ancestors a ON a.path = f.subject_path WHERE f.task_id = OLD.id
    ON CONFLICT (node_path, day, measure, minutes) DO UPDATE SET count = count - 1;
END;

CREATE TRIGGER read_models_response_after_update AFTER UPDATE ON tasks
WHEN (OLD.kind = 'investigation' OR NEW.kind = 'investigation')
 AND (OLD.acknowledged_at IS NOT NEW.acknowledged_at OR OLD.acknowledged_in_time IS NOT NEW.acknowledged_in_time
      OR OLD.visited_at IS NOT NEW.visited_at OR OLD.created_date IS NOT NEW.created_date
      OR OLD.created_at <> NEW.created_at OR OLD.subject_path <> NEW.subject_path OR OLD.kind <> NEW.kind) BEGIN
    INSERT INTO response_counts (node_path, day, measure, minutes, count)
    SELECT a.ancestor_path, f.day, f.measure, f.minutes, 1
      FROM response_facts f JOIN node_ancestors a ON a.path = f.subject_path WHERE f.task_id = NEW.id
    ON CONFLICT (node_path, day, measure, minutes) DO UPDATE SET count = count + 1;
END;

-- Rebuild every read model once when the store next opens, filling the new one.
DELETE FROM read_model_state WHERE key = 'built';

-- The open tasks by deadline (the board's list and the workers' lists): the
-- tasks done, nearly all of them in a long epidemic, are not walked.
CREATE INDEX tasks_open_by_deadline ON tasks (deadline, id) WHERE status IN ('assigned', 'acknowledged', 'overdue', 'escalated');
