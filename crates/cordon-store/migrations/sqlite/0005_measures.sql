-- Directives: the measures a command issues to the units below it. Each
-- directive has versions (the first as issued, one more per amendment); the
-- terms of a version are kept as the JSON the core reads, beside the columns
-- the lists filter on. Acknowledgements are one per user; coverage counts
-- the units whose users acknowledged.
CREATE TABLE directives (
    id BLOB PRIMARY KEY,
    scope_id BLOB NOT NULL REFERENCES nodes (id),
    scope_path TEXT NOT NULL,
    kind TEXT NOT NULL,
    issued_by BLOB NOT NULL REFERENCES users (id),
    issued_at INTEGER NOT NULL,
    revoked TEXT
) STRICT;
CREATE INDEX directives_by_scope ON directives (scope_path, issued_at);

CREATE TABLE directive_versions (
    directive_id BLOB NOT NULL REFERENCES directives (id),
    number INTEGER NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    review_on TEXT NOT NULL,
    version TEXT NOT NULL,
    PRIMARY KEY (directive_id, number)
) STRICT;

CREATE TABLE directive_acks (
    directive_id BLOB NOT NULL REFERENCES directives (id),
    user_id BLOB NOT NULL REFERENCES users (id),
    node_id BLOB NOT NULL REFERENCES nodes (id),
    node_path TEXT NOT NULL,
    acknowledged_at INTEGER NOT NULL,
    PRIMARY KEY (directive_id, user_id)
) STRICT;
CREATE INDEX directive_acks_by_node ON directive_acks (directive_id, node_id);

-- Planned gatherings with cordon's answer (allowed or refused, citing the
-- directive version whose limit decided it).
CREATE TABLE gatherings (
    id BLOB PRIMARY KEY,
    unit_id BLOB NOT NULL REFERENCES nodes (id),
    unit_path TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    refused INTEGER NOT NULL,
    directive_id BLOB,
    gathering TEXT NOT NULL,
    registered_at INTEGER NOT NULL
) STRICT;
CREATE INDEX gatherings_by_unit ON gatherings (unit_path, starts_at);

-- Alert levels as set, each with the recommendation and signals behind it;
-- the level in force at a node is its latest.
CREATE TABLE alert_levels (
    id BLOB PRIMARY KEY,
    node_id BLOB NOT NULL REFERENCES nodes (id),
    node_path TEXT NOT NULL,
    level INTEGER NOT NULL,
    set_at INTEGER NOT NULL,
    level_set TEXT NOT NULL
) STRICT;
CREATE INDEX alert_levels_by_node ON alert_levels (node_path, set_at);

-- What residents say, counted by area, category and week (the Monday).
CREATE TABLE rumours (
    id BLOB PRIMARY KEY,
    unit_id BLOB NOT NULL REFERENCES nodes (id),
    unit_path TEXT NOT NULL,
    category TEXT NOT NULL,
    week TEXT NOT NULL,
    people INTEGER NOT NULL,
    rumour TEXT NOT NULL,
    logged_at INTEGER NOT NULL
) STRICT;
CREATE INDEX rumours_by_week ON rumours (week, unit_path);

-- Lectures and the attendance of each unit (one figure per unit and lecture).
CREATE TABLE lectures (
    id BLOB PRIMARY KEY,
    node_id BLOB NOT NULL REFERENCES nodes (id),
    node_path TEXT NOT NULL,
    topic TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    lecture TEXT NOT NULL,
    scheduled_at INTEGER NOT NULL
) STRICT;
CREATE INDEX lectures_by_node ON lectures (node_path, starts_at);

CREATE TABLE lecture_attendance (
    lecture_id BLOB NOT NULL REFERENCES lectures (id),
    unit_id BLOB NOT NULL REFERENCES nodes (id),
    unit_path TEXT NOT NULL,
    attended INTEGER NOT NULL,
    recorded_by BLOB NOT NULL REFERENCES users (id),
    recorded_at INTEGER NOT NULL,
    PRIMARY KEY (lecture_id, unit_id)
) STRICT;

-- A unit that has not acknowledged a directive by the deadline escalates
-- once per directive.
ALTER TABLE escalations ADD COLUMN directive_id BLOB REFERENCES directives (id);
CREATE UNIQUE INDEX escalations_directive_once ON escalations (subject_path, directive_id) WHERE kind = 'directive_unacknowledged';

-- Notifications reach users too (a directive to every user in its scope,
-- through the same channel as the messages to persons): the person becomes
-- optional, the user and the directive are named.
CREATE TABLE notifications_new (
    id BLOB PRIMARY KEY,
    person_id BLOB REFERENCES persons (id),
    user_id BLOB REFERENCES users (id),
    order_id BLOB REFERENCES orders (id),
    directive_id BLOB REFERENCES directives (id),
    message TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    channel TEXT
) STRICT;
INSERT INTO notifications_new (id, person_id, order_id, message, created_at, sent_at, channel)
    SELECT id, person_id, order_id, message, created_at, sent_at, channel FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_pending ON notifications (sent_at);
