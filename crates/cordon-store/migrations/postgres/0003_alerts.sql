-- Outbreak detection: per-day counts per node and syndrome, the daily job's
-- runs, alerts and their reviews. Days are 'YYYY-MM-DD' TEXT; day_number is
-- the same day as days since 1970-01-01, so that weeks can be summed in SQL.

-- Every node's path with each of its ancestors (itself included), so that
-- counts roll up the tree with an equi-join instead of LIKE on every row.
CREATE TABLE node_ancestors (
    path TEXT NOT NULL,
    ancestor_path TEXT NOT NULL,
    ancestor_level BIGINT NOT NULL,
    PRIMARY KEY (path, ancestor_level)
);

-- Reports (fever, respiratory, gastrointestinal) or cases opened
-- (suspected_case) per local day, at every node of the tree (with the node's
-- level, so that one level's series is one index range); missing rows are 0.
CREATE TABLE syndrome_counts (
    node_path TEXT NOT NULL,
    level BIGINT NOT NULL,
    syndrome TEXT NOT NULL,
    day TEXT NOT NULL,
    day_number BIGINT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (node_path, syndrome, day)
);
CREATE INDEX syndrome_counts_day ON syndrome_counts (day_number);
CREATE INDEX syndrome_counts_level ON syndrome_counts (level, day_number);

-- Small key/value state of the detection machinery (the last complete day counted).
CREATE TABLE detection_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Days the daily job has evaluated: one pass per local day.
CREATE TABLE detection_runs (
    day TEXT PRIMARY KEY,
    ran_at BIGINT NOT NULL,
    signals BIGINT NOT NULL,
    alerts BIGINT NOT NULL
);

CREATE TABLE alerts (
    id UUID PRIMARY KEY,
    node_id UUID NOT NULL REFERENCES nodes (id),
    node_path TEXT NOT NULL,
    syndrome TEXT NOT NULL,
    method TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    observed DOUBLE PRECISION NOT NULL,
    expected DOUBLE PRECISION,
    upper_bound DOUBLE PRECISION,
    status TEXT NOT NULL,
    raised_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT alerts_signal UNIQUE (node_path, syndrome, method, period_end)
);
CREATE INDEX alerts_path ON alerts (node_path, raised_at);
CREATE INDEX alerts_period ON alerts (period_end);

CREATE TABLE alert_reviews (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id UUID NOT NULL REFERENCES alerts (id),
    at BIGINT NOT NULL,
    officer_id UUID NOT NULL REFERENCES users (id),
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX alert_reviews_alert ON alert_reviews (alert_id, seq);

-- Cases are counted by the local day they were opened.
CREATE INDEX cases_opened_at ON cases (opened_at);
