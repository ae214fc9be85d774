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
    count BIGINT NOT NULL,
    PRIMARY KEY (node_path, day, case_status)
);

-- Cases by node, local day opened ('' before it was known) and status, with the deaths among them.
CREATE TABLE case_counts (
    node_path TEXT NOT NULL,
    opened_date TEXT NOT NULL,
    status TEXT NOT NULL,
    cases BIGINT NOT NULL,
    deaths BIGINT NOT NULL,
    PRIMARY KEY (node_path, opened_date, status)
);

-- Cases by node, curve day (onset, else first report) and status.
CREATE TABLE case_curve (
    node_path TEXT NOT NULL,
    day TEXT NOT NULL,
    status TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (node_path, day, status)
);

-- Tasks by node of their subject and status.
CREATE TABLE task_counts (
    node_path TEXT NOT NULL,
    status TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (node_path, status)
);

-- Orders in force (active or extended) by node of the person and kind; one per
-- person and kind (orders_one_in_force), so this counts people.
CREATE TABLE order_counts (
    node_path TEXT NOT NULL,
    kind TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (node_path, kind)
);

-- Small state of the read models (whether they were built from the base tables).
CREATE TABLE read_model_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE FUNCTION read_models_node_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO node_ancestors (path, ancestor_path, ancestor_level)
    SELECT NEW.path, a.ancestor_path, a.ancestor_level FROM node_ancestors a JOIN nodes p ON a.path = p.path
     WHERE p.id = NEW.parent_id
    UNION ALL SELECT NEW.path, NEW.path, NEW.level
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER read_models_node_insert AFTER INSERT ON nodes FOR EACH ROW EXECUTE FUNCTION read_models_node_insert();

-- The cases row is updated first, then the counts: every writer takes its locks
-- in the order cases, case_counts, case_curve, report_counts.
CREATE FUNCTION read_models_report_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.case_id IS NOT NULL THEN
        UPDATE cases SET first_report_date = NEW.report_date
         WHERE id = NEW.case_id AND (first_report_date IS NULL OR first_report_date > NEW.report_date);
    END IF;
    INSERT INTO report_counts AS t (node_path, day, case_status, count)
    SELECT a.ancestor_path, NEW.report_date, COALESCE((SELECT c.status FROM cases c WHERE c.id = NEW.case_id), ''), 1
      FROM node_ancestors a WHERE a.path = NEW.unit_path ORDER BY a.ancestor_level
    ON CONFLICT (node_path, day, case_status) DO UPDATE SET count = t.count + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER read_models_report_insert AFTER INSERT ON reports FOR EACH ROW EXECUTE FUNCTION read_models_report_insert();

-- Adds `delta` (+1 or -1) for one version of a case to case_counts and case_curve.
CREATE FUNCTION read_models_case_add(c cases, delta BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_counts AS t (node_path, opened_date, status, cases, deaths)
    SELECT a.ancestor_path, COALESCE(c.opened_date, ''), c.status, delta, CASE WHEN c.outcome = 'died' THEN delta ELSE 0 END
      FROM node_ancestors a WHERE a.path = c.unit_path ORDER BY a.ancestor_level
    ON CONFLICT (node_path, opened_date, status) DO UPDATE SET cases = t.cases + excluded.cases, deaths = t.deaths + excluded.deaths;
    IF COALESCE(c.onset_date, c.first_report_date) IS NOT NULL THEN
        INSERT INTO case_curve AS t (node_path, day, status, count)
        SELECT a.ancestor_path, COALESCE(c.onset_date, c.first_report_date), c.status, delta
          FROM node_ancestors a WHERE a.path = c.unit_path ORDER BY a.ancestor_level
        ON CONFLICT (node_path, day, status) DO UPDATE SET count = t.count + excluded.count;
    END IF;
END $$;

CREATE FUNCTION read_models_case_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM read_models_case_add(NEW, 1);
    RETURN NULL;
END $$;
CREATE TRIGGER read_models_case_insert AFTER INSERT ON cases FOR EACH ROW EXECUTE FUNCTION read_models_case_insert();

CREATE FUNCTION read_models_case_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM read_models_case_add(OLD, -1);
    PERFORM read_models_case_add(NEW, 1);
    -- A case's reports move with its status on the curve of reports.
    IF OLD.status <> NEW.status THEN
        INSERT INTO report_counts AS t (node_path, day, case_status, count)
        SELECT a.ancestor_path, r.report_date, s.status, s.delta * COUNT(*)
          FROM reports r JOIN node_ancestors a ON a.path = r.unit_path
         CROSS JOIN (VALUES (OLD.status, -1), (NEW.status, 1)) AS s (status, delta)
         WHERE r.case_id = NEW.id
         GROUP BY a.ancestor_level, a.ancestor_path, r.report_date, s.status, s.delta
         ORDER BY a.ancestor_level, a.ancestor_path, r.report_date, s.status
        ON CONFLICT (node_path, day, case_status) DO UPDATE SET count = t.count + excluded.count;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER read_models_case_update AFTER UPDATE ON cases FOR EACH ROW
WHEN (OLD.status <> NEW.status OR (OLD.outcome IS NOT DISTINCT FROM 'died') <> (NEW.outcome IS NOT DISTINCT FROM 'died')
      OR OLD.opened_date IS DISTINCT FROM NEW.opened_date OR OLD.unit_path <> NEW.unit_path
      OR COALESCE(OLD.onset_date, OLD.first_report_date) IS DISTINCT FROM COALESCE(NEW.onset_date, NEW.first_report_date))
EXECUTE FUNCTION read_models_case_update();

CREATE FUNCTION read_models_task_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO task_counts AS t (node_path, status, count)
        SELECT a.ancestor_path, OLD.status, -1 FROM node_ancestors a WHERE a.path = OLD.subject_path ORDER BY a.ancestor_level
        ON CONFLICT (node_path, status) DO UPDATE SET count = t.count - 1;
    END IF;
    INSERT INTO task_counts AS t (node_path, status, count)
    SELECT a.ancestor_path, NEW.status, 1 FROM node_ancestors a WHERE a.path = NEW.subject_path ORDER BY a.ancestor_level
    ON CONFLICT (node_path, status) DO UPDATE SET count = t.count + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER read_models_task_insert AFTER INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION read_models_task_change();
CREATE TRIGGER read_models_task_update AFTER UPDATE ON tasks FOR EACH ROW
WHEN (OLD.status <> NEW.status OR OLD.subject_path <> NEW.subject_path)
EXECUTE FUNCTION read_models_task_change();

CREATE FUNCTION read_models_order_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status IN ('active', 'extended') THEN
        INSERT INTO order_counts AS t (node_path, kind, count)
        SELECT a.ancestor_path, OLD.kind, -1 FROM node_ancestors a WHERE a.path = OLD.person_path ORDER BY a.ancestor_level
        ON CONFLICT (node_path, kind) DO UPDATE SET count = t.count - 1;
    END IF;
    IF NEW.status IN ('active', 'extended') THEN
        INSERT INTO order_counts AS t (node_path, kind, count)
        SELECT a.ancestor_path, NEW.kind, 1 FROM node_ancestors a WHERE a.path = NEW.person_path ORDER BY a.ancestor_level
        ON CONFLICT (node_path, kind) DO UPDATE SET count = t.count + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER read_models_order_insert AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION read_models_order_change();
CREATE TRIGGER read_models_order_update AFTER UPDATE ON orders FOR EACH ROW
WHEN ((OLD.status IN ('active', 'extended')) <> (NEW.status IN ('active', 'extended'))
      OR OLD.kind <> NEW.kind OR OLD.person_path <> NEW.person_path)
EXECUTE FUNCTION read_models_order_change();
