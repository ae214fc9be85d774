-- Outbreak detection: per-day counts per node and syndrome, the daily job's
-- runs, alerts and their reviews. Days are 'YYYY-MM-DD' TEXT; day_number is
-- the same day as days since 1970-01-01, so that weeks can be summed in SQL.

-- Every node's path with each of its ancestors (itself included), so that
-- counts roll up the tree with an equi-join instead of LIKE on every row.
CREATE TABLE node_ancestors (
    path TEXT NOT NULL,
    ancestor_path TEXT NOT NULL,
    ancestor_level INTEGER NOT NULL,
    PRIMARY KEY (path, ancestor_level)
) STRICT;

-- Reports (fever, respiratory, gastrointestinal) or cases opened
-- (suspected_case) per local day, at every node of the tree (with the node's
-- level, so that one level's series is one index range); missing rows are 0.
CREATE TABLE syndrome_counts (
    node_path TEXT NOT NULL,
    level INTEGER NOT NULL,
    syndrome TEXT NOT NULL,
    day TEXT NOT NULL,
    day_number INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (node_path, syndrome, day)
) STRICT;
CREATE INDEX syndrome_counts_day ON syndrome_counts (day_number);
CREATE INDEX syndrome_counts_level ON syndrome_counts (level, day_number);

-- Small key/value state of the detection machinery (the last complete day counted).
CREATE TABLE detection_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Days the daily job has evaluated: one pass per local day.
CREATE TABLE detection_runs (
    day TEXT PRIMARY KEY,
    ran_at INTEGER NOT NULL,
    signals INTEGER NOT NULL,
    alerts INTEGER NOT NULL
) STRICT;

CREATE TABLE alerts (
    id BLOB PRIMARY KEY,
    node_id BLOB NOT NULL REFERENCES nodes (id),
    node_path TEXT NOT NULL,
    syndrome TEXT NOT NULL,
    method TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    observed REAL NOT NULL,
    expected REAL,
    upper_bound REAL,
    status TEXT NOT NULL,
    raised_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT alerts_signal UNIQUE (node_path, syndrome, method, period_end)
) STRICT;
CREATE INDEX alerts_path ON alerts (node_path, raised_at);
CREATE INDEX alerts_period ON alerts (period_end);

CREATE TABLE alert_reviews (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id BLOB NOT NULL REFERENCES alerts (id),
    at INTEGER NOT NULL,
    officer_id BLOB NOT NULL REFERENCES users (id),
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL
) STRICT;
CREATE INDEX alert_reviews_alert ON alert_reviews (alert_id, seq);

-- Cases are counted by the local day they were opened.
CREATE INDEX cases_opened_at ON cases (opened_at);
