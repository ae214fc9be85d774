-- The situation abroad: daily series per location as Our World in Data
-- publishes them (`cordon import owid`). One row per location and day; a
-- later file revises the day's numbers in place.
CREATE TABLE abroad_days (
    location TEXT NOT NULL,
    day TEXT NOT NULL,
    iso_code TEXT,
    new_cases REAL,
    new_deaths REAL,
    total_cases REAL,
    total_deaths REAL,
    population REAL,
    source TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    PRIMARY KEY (location, day)
) STRICT;
