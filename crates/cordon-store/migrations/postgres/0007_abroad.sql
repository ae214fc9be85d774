-- The situation abroad: daily series per location as Our World in Data
-- publishes them (`cordon import owid`). One row per location and day; a
-- later file revises the day's numbers in place.
CREATE TABLE abroad_days (
    location TEXT NOT NULL,
    day TEXT NOT NULL,
    iso_code TEXT,
    new_cases DOUBLE PRECISION,
    new_deaths DOUBLE PRECISION,
    total_cases DOUBLE PRECISION,
    total_deaths DOUBLE PRECISION,
    population DOUBLE PRECISION,
    source TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (location, day)
);
