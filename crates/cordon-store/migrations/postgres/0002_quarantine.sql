-- Quarantine: investigations, contacts and handovers, isolation and
-- quarantine orders, follow-up visits, arrivals at points of entry, and
-- notifications. Times are BIGINT Unix microseconds; days 'YYYY-MM-DD' TEXT.

ALTER TABLE cases ADD COLUMN source_case_id UUID REFERENCES cases (id);

CREATE TABLE investigations (
    case_id UUID PRIMARY KEY REFERENCES cases (id),
    exposure_history TEXT,
    sample JSONB,
    isolation JSONB,
    recorded_by UUID NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL
);

CREATE TABLE orders (
    id UUID PRIMARY KEY,
    person_id UUID NOT NULL REFERENCES persons (id),
    kind TEXT NOT NULL,
    place TEXT NOT NULL,
    facility_id UUID REFERENCES facilities (id),
    area_path TEXT NOT NULL,
    person_path TEXT NOT NULL,
    reason TEXT NOT NULL,
    case_id UUID REFERENCES cases (id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    minimum_ends_on TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT,
    issued_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX orders_person ON orders (person_id, status);
CREATE INDEX orders_status ON orders (status, ends_on);
CREATE INDEX orders_area ON orders (area_path);
CREATE UNIQUE INDEX orders_one_in_force ON orders (person_id, kind) WHERE status IN ('active', 'extended');

CREATE TABLE contacts (
    id UUID PRIMARY KEY,
    case_id UUID NOT NULL REFERENCES cases (id),
    person_id UUID NOT NULL REFERENCES persons (id),
    person_path TEXT NOT NULL,
    relation TEXT NOT NULL,
    exposure_date TEXT NOT NULL,
    setting TEXT NOT NULL,
    order_id UUID REFERENCES orders (id),
    became_case_id UUID REFERENCES cases (id),
    handed_over BOOLEAN NOT NULL,
    listed_by UUID NOT NULL REFERENCES users (id),
    listed_at BIGINT NOT NULL
);
CREATE INDEX contacts_case ON contacts (case_id);
CREATE INDEX contacts_person ON contacts (person_id);

CREATE TABLE handovers (
    id UUID PRIMARY KEY,
    contact_id UUID NOT NULL REFERENCES contacts (id),
    person_id UUID NOT NULL REFERENCES persons (id),
    order_id UUID REFERENCES orders (id),
    from_path TEXT NOT NULL,
    to_path TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    accepted_by UUID REFERENCES users (id),
    accepted_at BIGINT
);
CREATE INDEX handovers_to ON handovers (to_path, created_at);

ALTER TABLE tasks ADD COLUMN order_id UUID REFERENCES orders (id);
ALTER TABLE tasks ADD COLUMN due_on TEXT;
CREATE UNIQUE INDEX tasks_one_follow_up_a_day ON tasks (order_id, due_on) WHERE order_id IS NOT NULL;

CREATE TABLE visits (
    task_id UUID PRIMARY KEY REFERENCES tasks (id),
    order_id UUID NOT NULL REFERENCES orders (id),
    seen BOOLEAN NOT NULL,
    temperature_c DOUBLE PRECISION,
    symptoms JSONB NOT NULL,
    note TEXT,
    report_id UUID REFERENCES reports (id),
    visited_by UUID NOT NULL REFERENCES users (id),
    visited_at BIGINT NOT NULL
);
CREATE INDEX visits_order ON visits (order_id);

CREATE TABLE arrivals (
    id UUID PRIMARY KEY,
    point_of_entry_id UUID NOT NULL REFERENCES facilities (id),
    poe_path TEXT NOT NULL,
    person_id UUID NOT NULL REFERENCES persons (id),
    travel_document TEXT NOT NULL,
    origin_country TEXT NOT NULL,
    route TEXT,
    arrived_on TEXT NOT NULL,
    temperature_c DOUBLE PRECISION,
    symptoms JSONB NOT NULL,
    report_id UUID REFERENCES reports (id),
    order_id UUID REFERENCES orders (id),
    registered_by UUID NOT NULL REFERENCES users (id),
    registered_at BIGINT NOT NULL
);
CREATE INDEX arrivals_poe ON arrivals (poe_path, arrived_on);

CREATE TABLE notifications (
    id UUID PRIMARY KEY,
    person_id UUID NOT NULL REFERENCES persons (id),
    order_id UUID REFERENCES orders (id),
    message TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    channel TEXT
);
CREATE INDEX notifications_pending ON notifications (sent_at);
