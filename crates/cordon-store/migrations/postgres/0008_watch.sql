-- The watch on neighbouring countries: the locations watched, each with the
-- population an administrator gave (used where the imported file has none)
-- and its thresholds; and the alerts raised when a watched location crossed
-- one, one per location, figure and day of crossing.
CREATE TABLE watch_list (
    location TEXT PRIMARY KEY,
    population BIGINT,
    per_100k_7d DOUBLE PRECISION NOT NULL,
    growth_week_on_week DOUBLE PRECISION,
    set_by UUID NOT NULL,
    set_at BIGINT NOT NULL
);

CREATE TABLE abroad_alerts (
    id UUID PRIMARY KEY,
    location TEXT NOT NULL,
    measure TEXT NOT NULL,
    day TEXT NOT NULL,
    threshold DOUBLE PRECISION NOT NULL,
    figure TEXT NOT NULL,
    raised_at BIGINT NOT NULL,
    UNIQUE (location, measure, day)
);
CREATE INDEX abroad_alerts_by_time ON abroad_alerts (raised_at, id);
