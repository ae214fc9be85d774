-- The spine: jurisdictions, users, sessions, persons, reports, cases, tasks,
-- rosters, escalations, settings, audit and the event outbox.
-- Times are INTEGER Unix microseconds (UTC); days are 'YYYY-MM-DD' TEXT.

CREATE TABLE levels (
    depth INTEGER PRIMARY KEY,
    name TEXT NOT NULL
) STRICT;

CREATE TABLE nodes (
    id BLOB PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    level INTEGER NOT NULL,
    parent_id BLOB REFERENCES nodes (id),
    population INTEGER NOT NULL,
    path TEXT NOT NULL UNIQUE,
    boundary TEXT
) STRICT;
CREATE INDEX nodes_parent ON nodes (parent_id);

CREATE TABLE facilities (
    id BLOB PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    node_id BLOB NOT NULL REFERENCES nodes (id),
    node_path TEXT NOT NULL
) STRICT;

CREATE TABLE users (
    id BLOB PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    node_id BLOB NOT NULL REFERENCES nodes (id),
    node_path TEXT NOT NULL,
    phone TEXT,
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX users_path ON users (node_path);

CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    user_id BLOB NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    label TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;

CREATE TABLE persons (
    id BLOB PRIMARY KEY,
    full_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    sex TEXT NOT NULL,
    birth_year INTEGER NOT NULL,
    unit_id BLOB NOT NULL REFERENCES nodes (id),
    unit_path TEXT NOT NULL,
    phone TEXT,
    address TEXT,
    document_number TEXT,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX persons_unit_name ON persons (unit_id, name_key);
CREATE INDEX persons_path ON persons (unit_path);

CREATE TABLE case_definitions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    rule TEXT NOT NULL,
    active INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE cases (
    id BLOB PRIMARY KEY,
    person_id BLOB NOT NULL REFERENCES persons (id),
    unit_id BLOB NOT NULL REFERENCES nodes (id),
    unit_path TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT,
    onset_date TEXT,
    definition_code TEXT NOT NULL,
    opened_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX cases_person ON cases (person_id);
CREATE INDEX cases_path ON cases (unit_path, opened_at);

CREATE TABLE reports (
    id BLOB PRIMARY KEY,
    person_id BLOB NOT NULL REFERENCES persons (id),
    unit_id BLOB NOT NULL REFERENCES nodes (id),
    unit_path TEXT NOT NULL,
    reporter_id BLOB NOT NULL REFERENCES users (id),
    symptoms TEXT NOT NULL,
    temperature_c REAL,
    onset_date TEXT,
    note TEXT,
    received_at INTEGER NOT NULL,
    report_date TEXT NOT NULL,
    case_id BLOB REFERENCES cases (id)
) STRICT;
CREATE INDEX reports_path ON reports (unit_path, received_at);
CREATE INDEX reports_date ON reports (report_date, unit_path);

CREATE TABLE daily_reports (
    id BLOB PRIMARY KEY,
    unit_id BLOB NOT NULL REFERENCES nodes (id),
    unit_path TEXT NOT NULL,
    date TEXT NOT NULL,
    ill_count INTEGER NOT NULL,
    note TEXT,
    reporter_id BLOB NOT NULL REFERENCES users (id),
    received_at INTEGER NOT NULL,
    CONSTRAINT daily_reports_unit_date UNIQUE (unit_id, date)
) STRICT;

CREATE TABLE tasks (
    id BLOB PRIMARY KEY,
    kind TEXT NOT NULL,
    case_id BLOB REFERENCES cases (id),
    person_id BLOB NOT NULL REFERENCES persons (id),
    subject_path TEXT NOT NULL,
    area_path TEXT NOT NULL,
    assignee_id BLOB REFERENCES users (id),
    status TEXT NOT NULL,
    deadline INTEGER NOT NULL,
    escalations INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    note TEXT
) STRICT;
CREATE INDEX tasks_assignee ON tasks (assignee_id, status);
CREATE INDEX tasks_deadline ON tasks (status, deadline);
CREATE INDEX tasks_path ON tasks (subject_path);

CREATE TABLE shifts (
    id BLOB PRIMARY KEY,
    worker_id BLOB NOT NULL REFERENCES users (id),
    node_id BLOB NOT NULL REFERENCES nodes (id),
    node_path TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL
) STRICT;
CREATE INDEX shifts_path ON shifts (node_path, ends_at);

CREATE TABLE escalations (
    id BLOB PRIMARY KEY,
    kind TEXT NOT NULL,
    scope_path TEXT NOT NULL,
    subject_path TEXT NOT NULL,
    task_id BLOB REFERENCES tasks (id),
    date TEXT,
    to_worker_id BLOB REFERENCES users (id),
    raised_at INTEGER NOT NULL
) STRICT;
CREATE INDEX escalations_scope ON escalations (scope_path, raised_at);
CREATE UNIQUE INDEX escalations_silent_once ON escalations (subject_path, date) WHERE kind = 'unit_silent';

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor_id BLOB,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before TEXT,
    after TEXT
) STRICT;

CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    entity_id BLOB NOT NULL,
    data TEXT NOT NULL
) STRICT;
