-- Cases to date by node (every ancestor) and status, with the deaths among
-- them: the map's cumulative counts read one row per area and status
-- instead of every day of case_counts.
CREATE TABLE case_totals (
    node_path TEXT NOT NULL,
    status TEXT NOT NULL,
    cases INTEGER NOT NULL,
    deaths INTEGER NOT NULL,
    PRIMARY KEY (node_path, status)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER read_models_case_totals_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_totals (node_path, status, cases, deaths)
    SELECT a.ancestor_path, NEW.status, 1, CASE WHEN NEW.outcome = 'died' THEN 1 ELSE 0 END
      FROM node_ancestors a WHERE a.path = NEW.unit_path
    ON CONFLICT (node_path, status) DO UPDATE SET cases = cases + 1, deaths = deaths + excluded.deaths;
END;

CREATE TRIGGER read_models_case_totals_update AFTER UPDATE ON cases
WHEN OLD.status <> NEW.status OR (OLD.outcome IS 'died') <> (NEW.outcome IS 'died') OR OLD.unit_path <> NEW.unit_path BEGIN
    INSERT INTO case_totals (node_path, status, cases, deaths)
    SELECT a.ancestor_path, OLD.status, -1, CASE WHEN OLD.outcome = 'died' THEN -1 ELSE 0 END
      FROM node_ancestors a WHERE a.path = OLD.unit_path
    ON CONFLICT (node_path, status) DO UPDATE SET cases = cases - 1, deaths = deaths + excluded.deaths;
    INSERT INTO case_totals (node_path, status, cases, deaths)
    SELECT a.ancestor_path, NEW.status, 1, CASE WHEN NEW.outcome = 'died' THEN 1 ELSE 0 END
      FROM node_ancestors a WHERE a.path = NEW.unit_path
    ON CONFLICT (node_path, status) DO UPDATE SET cases = cases + 1, deaths = deaths + excluded.deaths;
END;

-- Rebuild every read model once when the store next opens, filling the new one.
DELETE FROM read_model_state WHERE key = 'built';
