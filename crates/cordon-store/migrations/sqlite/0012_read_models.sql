-- Read models: counts per node of the tree (every ancestor of the unit, through
-- node_ancestors), kept up to date by triggers in the same transaction as the
-- change that moves them, so that no writer can forget one. Pages and summaries
-- read these few thousand rows instead of counting reports and cases.
-- Store::rebuild_read_models recomputes them all from the base tables.

-- The local day a case was opened (set by the store) and the day of its first
-- report (kept by a trigger): the curve's day is the onset, else the first report.
ALTER TABLE cases ADD COLUMN opened_date TEXT;
ALTER TABLE cases ADD COLUMN first_report_date TEXT;
CREATE INDEX reports_case ON reports (case_id);
CREATE INDEX cases_deaths ON cases (updated_at) WHERE outcome = 'died';
CREATE INDEX orders_in_force ON orders (person_path) WHERE status IN ('active', 'extended');
CREATE INDEX escalations_raised ON escalations (raised_at);
-- Lists newest first over a large subtree walk these and filter by path; a report's task is found by its case.
CREATE INDEX reports_received ON reports (received_at);
CREATE INDEX tasks_case ON tasks (case_id, kind, created_at);
CREATE INDEX tasks_by_deadline ON tasks (deadline, id);

-- Every node's ancestors (itself included), kept in step with nodes.
INSERT INTO node_ancestors (path, ancestor_path, ancestor_level)
WITH RECURSIVE up (path, ancestor_id, ancestor_path, ancestor_level) AS (
    SELECT n.path, n.id, n.path, n.level FROM nodes n
     WHERE NOT EXISTS (SELECT 1 FROM node_ancestors a WHERE a.path = n.path)
    UNION ALL
    SELECT up.path, p.id, p.path, p.level FROM up
      JOIN nodes n ON n.id = up.ancestor_id JOIN nodes p ON p.id = n.parent_id
) SELECT path, ancestor_path, ancestor_level FROM up;

-- Symptom reports by node, report day and the status of the case they joined ('' for none).
CREATE TABLE report_counts (
    node_path TEXT NOT NULL,
    day TEXT NOT NULL,
    case_status TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (node_path, day, case_status)
) STRICT, WITHOUT ROWID;

-- Cases by node, local day opened ('' before it was known) and status, with the deaths among them.
CREATE TABLE case_counts (
    node_path TEXT NOT NULL,
    opened_date TEXT NOT NULL,
    status TEXT NOT NULL,
    cases INTEGER NOT NULL,
    deaths INTEGER NOT NULL,
    PRIMARY KEY (node_path, opened_date, status)
) STRICT, WITHOUT ROWID;

-- Cases by node, curve day (onset, else first report) and status.
CREATE TABLE case_curve (
    node_path TEXT NOT NULL,
    day TEXT NOT NULL,
    status TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (node_path, day, status)
) STRICT, WITHOUT ROWID;

-- Tasks by node of their subject and status.
CREATE TABLE task_counts (
    node_path TEXT NOT NULL,
    status TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (node_path, status)
) STRICT, WITHOUT ROWID;

-- Orders in force (active or extended) by node of the person and kind; one per
-- person and kind (orders_one_in_force), so this counts people.
CREATE TABLE order_counts (
    node_path TEXT NOT NULL,
    kind TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (node_path, kind)
) STRICT, WITHOUT ROWID;

-- Small state of the read models (whether they were built from the base tables).
CREATE TABLE read_model_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TRIGGER read_models_node_insert AFTER INSERT ON nodes BEGIN
    INSERT INTO node_ancestors (path, ancestor_path, ancestor_level)
    SELECT NEW.path, a.ancestor_path, a.ancestor_level FROM node_ancestors a JOIN nodes p ON a.path = p.path
     WHERE p.id = NEW.parent_id
    UNION ALL SELECT NEW.path, NEW.path, NEW.level WHERE true
    ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER read_models_report_insert AFTER INSERT ON reports BEGIN
    UPDATE cases SET first_report_date = NEW.report_date
     WHERE NEW.case_id IS NOT NULL AND id = NEW.case_id AND (first_report_date IS NULL OR first_report_date > NEW.report_date);
    INSERT INTO report_counts (node_path, day, case_status, count)
    SELECT a.ancestor_path, NEW.report_date, COALESCE((SELECT c.status FROM cases c WHERE c.id = NEW.case_id), ''), 1
      FROM node_ancestors a WHERE a.path = NEW.unit_path
    ON CONFLICT (node_path, day, case_status) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER read_models_case_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_counts (node_path, opened_date, status, cases, deaths)
    SELECT a.ancestor_path, COALESCE(NEW.opened_date, ''), NEW.status, 1, CASE WHEN NEW.outcome = 'died' THEN 1 ELSE 0 END
      FROM node_ancestors a WHERE a.path = NEW.unit_path
    ON CONFLICT (node_path, opened_date, status) DO UPDATE SET cases = cases + 1, deaths = deaths + excluded.deaths;
    INSERT INTO case_curve (node_path, day, status, count)
    SELECT a.ancestor_path, COALESCE(NEW.onset_date, NEW.first_report_date), NEW.status, 1
      FROM node_ancestors a WHERE a.path = NEW.unit_path AND COALESCE(NEW.onset_date, NEW.first_report_date) IS NOT NULL
    ON CONFLICT (node_path, day, status) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER read_models_case_counts_update AFTER UPDATE ON cases
WHEN OLD.status <> NEW.status OR (OLD.outcome IS 'died') <> (NEW.outcome IS 'died')
  OR OLD.opened_date IS NOT NEW.opened_date OR OLD.unit_path <> NEW.unit_path BEGIN
    INSERT INTO case_counts (node_path, opened_date, status, cases, deaths)
    SELECT a.ancestor_path, COALESCE(OLD.opened_date, ''), OLD.status, -1, CASE WHEN OLD.outcome = 'died' THEN -1 ELSE 0 END
      FROM node_ancestors a WHERE a.path = OLD.unit_path
    ON CONFLICT (node_path, opened_date, status) DO UPDATE SET cases = cases - 1, deaths = deaths + excluded.deaths;
    INSERT INTO case_counts (node_path, opened_date, status, cases, deaths)
    SELECT a.ancestor_path, COALESCE(NEW.opened_date, ''), NEW.status, 1, CASE WHEN NEW.outcome = 'died' THEN 1 ELSE 0 END
      FROM node_ancestors a WHERE a.path = NEW.unit_path
    ON CONFLICT (node_path, opened_date, status) DO UPDATE SET cases = cases + 1, deaths = deaths + excluded.deaths;
END;

CREATE TRIGGER read_models_case_curve_update AFTER UPDATE ON cases
WHEN OLD.status <> NEW.status OR OLD.unit_path <> NEW.unit_path
  OR COALESCE(OLD.onset_date, OLD.first_report_date) IS NOT COALESCE(NEW.onset_date, NEW.first_report_date) BEGIN
    INSERT INTO case_curve (node_path, day, status, count)
    SELECT a.ancestor_path, COALESCE(OLD.onset_date, OLD.first_report_date), OLD.status, -1
      FROM node_ancestors a WHERE a.path = OLD.unit_path AND COALESCE(OLD.onset_date, OLD.first_report_date) IS NOT NULL
    ON CONFLICT (node_path, day, status) DO UPDATE SET count = count - 1;
    INSERT INTO case_curve (node_path, day, status, count)
    SELECT a.ancestor_path, COALESCE(NEW.onset_date, NEW.first_report_date), NEW.status, 1
      FROM node_ancestors a WHERE a.path = NEW.unit_path AND COALESCE(NEW.onset_date, NEW.first_report_date) IS NOT NULL
    ON CONFLICT (node_path, day, status) DO UPDATE SET count = count + 1;
END;

-- A case's reports move with its status on the curve of reports.
CREATE TRIGGER read_models_case_reports_update AFTER UPDATE ON cases WHEN OLD.status <> NEW.status BEGIN
    INSERT INTO report_counts (node_path, day, case_status, count)
    SELECT a.ancestor_path, r.report_date, OLD.status, -COUNT(*)
      FROM reports r JOIN node_ancestors a ON a.path = r.unit_path WHERE r.case_id = OLD.id
     GROUP BY a.ancestor_path, r.report_date
    ON CONFLICT (node_path, day, case_status) DO UPDATE SET count = count + excluded.count;
    INSERT INTO report_counts (node_path, day, case_status, count)
    SELECT a.ancestor_path, r.report_date, NEW.status, COUNT(*)
      FROM reports r JOIN node_ancestors a ON a.path = r.unit_path WHERE r.case_id = NEW.id
     GROUP BY a.ancestor_path, r.report_date
    ON CONFLICT (node_path, day, case_status) DO UPDATE SET count = count + excluded.count;
END;

CREATE TRIGGER read_models_task_insert AFTER INSERT ON tasks BEGIN
    INSERT INTO task_counts (node_path, status, count)
    SELECT a.ancestor_path, NEW.status, 1 FROM node_ancestors a WHERE a.path = NEW.subject_path
    ON CONFLICT (node_path, status) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER read_models_task_update AFTER UPDATE ON tasks
WHEN OLD.status <> NEW.status OR OLD.subject_path <> NEW.subject_path BEGIN
    INSERT INTO task_counts (node_path, status, count)
    SELECT a.ancestor_path, OLD.status, -1 FROM node_ancestors a WHERE a.path = OLD.subject_path
    ON CONFLICT (node_path, status) DO UPDATE SET count = count - 1;
    INSERT INTO task_counts (node_path, status, count)
    SELECT a.ancestor_path, NEW.status, 1 FROM node_ancestors a WHERE a.path = NEW.subject_path
    ON CONFLICT (node_path, status) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER read_models_order_insert AFTER INSERT ON orders WHEN NEW.status IN ('active', 'extended') BEGIN
    INSERT INTO order_counts (node_path, kind, count)
    SELECT a.ancestor_path, NEW.kind, 1 FROM node_ancestors a WHERE a.path = NEW.person_path
    ON CONFLICT (node_path, kind) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER read_models_order_update AFTER UPDATE ON orders
WHEN (OLD.status IN ('active', 'extended')) <> (NEW.status IN ('active', 'extended'))
  OR OLD.kind <> NEW.kind OR OLD.person_path <> NEW.person_path BEGIN
    INSERT INTO order_counts (node_path, kind, count)
    SELECT a.ancestor_path, OLD.kind, -1 FROM node_ancestors a
     WHERE a.path = OLD.person_path AND OLD.status IN ('active', 'extended')
    ON CONFLICT (node_path, kind) DO UPDATE SET count = count - 1;
    INSERT INTO order_counts (node_path, kind, count)
    SELECT a.ancestor_path, NEW.kind, 1 FROM node_ancestors a
     WHERE a.path = NEW.person_path AND NEW.status IN ('active', 'extended')
    ON CONFLICT (node_path, kind) DO UPDATE SET count = count + 1;
END;
