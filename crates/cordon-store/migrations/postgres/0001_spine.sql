-- The spine: jurisdictions, users, sessions, persons, reports, cases, tasks,
-- rosters, escalations, settings, audit and the event outbox.
-- Times are BIGINT Unix microseconds (UTC), as on SQLite; days are 'YYYY-MM-DD' TEXT.

CREATE TABLE levels (
    depth BIGINT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE nodes (
    id UUID PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    level BIGINT NOT NULL,
    parent_id UUID REFERENCES nodes (id),
    population BIGINT NOT NULL,
    path TEXT NOT NULL UNIQUE,
    boundary TEXT
);
CREATE INDEX nodes_parent ON nodes (parent_id);

CREATE TABLE facilities (
    id UUID PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    node_id UUID NOT NULL REFERENCES nodes (id),
    node_path TEXT NOT NULL
);

CREATE TABLE users (
    id UUID PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    node_id UUID NOT NULL REFERENCES nodes (id),
    node_path TEXT NOT NULL,
    phone TEXT,
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX users_path ON users (node_path);

CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    label TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE persons (
    id UUID PRIMARY KEY,
    full_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    sex TEXT NOT NULL,
    birth_year BIGINT NOT NULL,
    unit_id UUID NOT NULL REFERENCES nodes (id),
    unit_path TEXT NOT NULL,
    phone TEXT,
    address TEXT,
    document_number TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX persons_unit_name ON persons (unit_id, name_key);
CREATE INDEX persons_path ON persons (unit_path);

CREATE TABLE case_definitions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    rule JSONB NOT NULL,
    active BOOLEAN NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE cases (
    id UUID PRIMARY KEY,
    person_id UUID NOT NULL REFERENCES persons (id),
    unit_id UUID NOT NULL REFERENCES nodes (id),
    unit_path TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT,
    onset_date TEXT,
    definition_code TEXT NOT NULL,
    opened_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX cases_person ON cases (person_id);
CREATE INDEX cases_path ON cases (unit_path, opened_at);

CREATE TABLE reports (
    id UUID PRIMARY KEY,
    person_id UUID NOT NULL REFERENCES persons (id),
    unit_id UUID NOT NULL REFERENCES nodes (id),
    unit_path TEXT NOT NULL,
    reporter_id UUID NOT NULL REFERENCES users (id),
    symptoms JSONB NOT NULL,
    temperature_c DOUBLE PRECISION,
    onset_date TEXT,
    note TEXT,
    received_at BIGINT NOT NULL,
    report_date TEXT NOT NULL,
    case_id UUID REFERENCES cases (id)
);
CREATE INDEX reports_path ON reports (unit_path, received_at);
CREATE INDEX reports_date ON reports (report_date, unit_path);

CREATE TABLE daily_reports (
    id UUID PRIMARY KEY,
    unit_id UUID NOT NULL REFERENCES nodes (id),
    unit_path TEXT NOT NULL,
    date TEXT NOT NULL,
    ill_count BIGINT NOT NULL,
    note TEXT,
    reporter_id UUID NOT NULL REFERENCES users (id),
    received_at BIGINT NOT NULL,
    CONSTRAINT daily_reports_unit_date UNIQUE (unit_id, date)
);

CREATE TABLE tasks (
    id UUID PRIMARY KEY,
    kind TEXT NOT NULL,
    case_id UUID REFERENCES cases (id),
    person_id UUID NOT NULL REFERENCES persons (id),
    subject_path TEXT NOT NULL,
    area_path TEXT NOT NULL,
    assignee_id UUID REFERENCES users (id),
    status TEXT NOT NULL,
    deadline BIGINT NOT NULL,
    escalations BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    note TEXT
);
CREATE INDEX tasks_assignee ON tasks (assignee_id, status);
CREATE INDEX tasks_deadline ON tasks (status, deadline);
CREATE INDEX tasks_path ON tasks (subject_path);

CREATE TABLE shifts (
    id UUID PRIMARY KEY,
    worker_id UUID NOT NULL REFERENCES users (id),
    node_id UUID NOT NULL REFERENCES nodes (id),
    node_path TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL
);
CREATE INDEX shifts_path ON shifts (node_path, ends_at);

CREATE TABLE escalations (
    id UUID PRIMARY KEY,
    kind TEXT NOT NULL,
    scope_path TEXT NOT NULL,
    subject_path TEXT NOT NULL,
    task_id UUID REFERENCES tasks (id),
    date TEXT,
    to_worker_id UUID REFERENCES users (id),
    raised_at BIGINT NOT NULL
);
CREATE INDEX escalations_scope ON escalations (scope_path, raised_at);
CREATE UNIQUE INDEX escalations_silent_once ON escalations (subject_path, date) WHERE kind = 'unit_silent';

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value JSONB NOT NULL
);

CREATE TABLE audit (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id UUID,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before JSONB,
    after JSONB
);

CREATE TABLE events (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    entity_id UUID NOT NULL,
    data JSONB NOT NULL
);
