-- Quarantine: investigations, contacts and handovers, isolation and
-- quarantine orders, follow-up visits, arrivals at points of entry, and
-- notifications. Times are INTEGER Unix microseconds; days 'YYYY-MM-DD' TEXT.

ALTER TABLE cases ADD COLUMN source_case_id BLOB REFERENCES cases (id);

CREATE TABLE investigations (
    case_id BLOB PRIMARY KEY REFERENCES cases (id),
    exposure_history TEXT,
    sample TEXT,
    isolation TEXT,
    recorded_by BLOB NOT NULL REFERENCES users (id),
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE orders (
    id BLOB PRIMARY KEY,
    person_id BLOB NOT NULL REFERENCES persons (id),
    kind TEXT NOT NULL,
    place TEXT NOT NULL,
    facility_id BLOB REFERENCES facilities (id),
    area_path TEXT NOT NULL,
    person_path TEXT NOT NULL,
    reason TEXT NOT NULL,
    case_id BLOB REFERENCES cases (id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    minimum_ends_on TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT,
    issued_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX orders_person ON orders (person_id, status);
CREATE INDEX orders_status ON orders (status, ends_on);
CREATE INDEX orders_area ON orders (area_path);
CREATE UNIQUE INDEX orders_one_in_force ON orders (person_id, kind) WHERE status IN ('active', 'extended');

CREATE TABLE contacts (
    id BLOB PRIMARY KEY,
    case_id BLOB NOT NULL REFERENCES cases (id),
    person_id BLOB NOT NULL REFERENCES persons (id),
    person_path TEXT NOT NULL,
    relation TEXT NOT NULL,
    exposure_date TEXT NOT NULL,
    setting TEXT NOT NULL,
    order_id BLOB REFERENCES orders (id),
    became_case_id BLOB REFERENCES cases (id),
    handed_over INTEGER NOT NULL,
    listed_by BLOB NOT NULL REFERENCES users (id),
    listed_at INTEGER NOT NULL
) STRICT;
CREATE INDEX contacts_case ON contacts (case_id);
CREATE INDEX contacts_person ON contacts (person_id);

CREATE TABLE handovers (
    id BLOB PRIMARY KEY,
    contact_id BLOB NOT NULL REFERENCES contacts (id),
    person_id BLOB NOT NULL REFERENCES persons (id),
    order_id BLOB REFERENCES orders (id),
    from_path TEXT NOT NULL,
    to_path TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    accepted_by BLOB REFERENCES users (id),
    accepted_at INTEGER
) STRICT;
CREATE INDEX handovers_to ON handovers (to_path, created_at);

ALTER TABLE tasks ADD COLUMN order_id BLOB REFERENCES orders (id);
ALTER TABLE tasks ADD COLUMN due_on TEXT;
CREATE UNIQUE INDEX tasks_one_follow_up_a_day ON tasks (order_id, due_on) WHERE order_id IS NOT NULL;

CREATE TABLE visits (
    task_id BLOB PRIMARY KEY REFERENCES tasks (id),
    order_id BLOB NOT NULL REFERENCES orders (id),
    seen INTEGER NOT NULL,
    temperature_c REAL,
    symptoms TEXT NOT NULL,
    note TEXT,
    report_id BLOB REFERENCES reports (id),
    visited_by BLOB NOT NULL REFERENCES users (id),
    visited_at INTEGER NOT NULL
) STRICT;
CREATE INDEX visits_order ON visits (order_id);

CREATE TABLE arrivals (
    id BLOB PRIMARY KEY,
    point_of_entry_id BLOB NOT NULL REFERENCES facilities (id),
    poe_path TEXT NOT NULL,
    person_id BLOB NOT NULL REFERENCES persons (id),
    travel_document TEXT NOT NULL,
    origin_country TEXT NOT NULL,
    route TEXT,
    arrived_on TEXT NOT NULL,
    temperature_c REAL,
    symptoms TEXT NOT NULL,
    report_id BLOB REFERENCES reports (id),
    order_id BLOB REFERENCES orders (id),
    registered_by BLOB NOT NULL REFERENCES users (id),
    registered_at INTEGER NOT NULL
) STRICT;
CREATE INDEX arrivals_poe ON arrivals (poe_path, arrived_on);

CREATE TABLE notifications (
    id BLOB PRIMARY KEY,
    person_id BLOB NOT NULL REFERENCES persons (id),
    order_id BLOB REFERENCES orders (id),
    message TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    channel TEXT
) STRICT;
CREATE INDEX notifications_pending ON notifications (sent_at);
