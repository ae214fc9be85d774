-- The watch on neighbouring countries: the locations watched, each with the
-- population an administrator gave (used where the imported file has none)
-- and its thresholds; and the alerts raised when a watched location crossed
-- one, one per location, figure and day of crossing.
CREATE TABLE watch_list (
    location TEXT PRIMARY KEY,
    population INTEGER,
    per_100k_7d REAL NOT NULL,
    growth_week_on_week REAL,
    set_by BLOB NOT NULL,
    set_at INTEGER NOT NULL
) STRICT;

CREATE TABLE abroad_alerts (
    id BLOB PRIMARY KEY,
    location TEXT NOT NULL,
    measure TEXT NOT NULL,
    day TEXT NOT NULL,
    threshold REAL NOT NULL,
    figure TEXT NOT NULL,
    raised_at INTEGER NOT NULL,
    UNIQUE (location, measure, day)
) STRICT;
CREATE INDEX abroad_alerts_by_time ON abroad_alerts (raised_at, id);
