-- Cases to date by node (every ancestor) and status, with the deaths among
-- them: the map's cumulative counts read one row per area and status
-- instead of every day of case_counts.
CREATE TABLE case_totals (
    node_path TEXT NOT NULL,
    status TEXT NOT NULL,
    cases BIGINT NOT NULL,
    deaths BIGINT NOT NULL,
    PRIMARY KEY (node_path, status)
);

-- Adds `delta` (+1 or -1) for one version of a case.
CREATE FUNCTION read_models_case_totals_add(c cases, delta BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_totals AS t (node_path, status, cases, deaths)
    SELECT a.ancestor_path, c.status, delta, CASE WHEN c.outcome = 'died' THEN delta ELSE 0 END
      FROM node_ancestors a WHERE a.path = c.unit_path ORDER BY a.ancestor_level
    ON CONFLICT (node_path, status) DO UPDATE SET cases = t.cases + excluded.cases, deaths = t.deaths + excluded.deaths;
END $$;

CREATE FUNCTION read_models_case_totals_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM read_models_case_totals_add(OLD, -1);
    END IF;
    PERFORM read_models_case_totals_add(NEW, 1);
    RETURN NULL;
END $$;

CREATE TRIGGER read_models_case_totals_insert AFTER INSERT ON cases FOR EACH ROW EXECUTE FUNCTION read_models_case_totals_change();
CREATE TRIGGER read_models_case_totals_update AFTER UPDATE ON cases FOR EACH ROW
WHEN (OLD.status <> NEW.status OR (OLD.outcome IS NOT DISTINCT FROM 'died') <> (NEW.outcome IS NOT DISTINCT FROM 'died')
      OR OLD.unit_path <> NEW.unit_path)
EXECUTE FUNCTION read_models_case_totals_change();

-- Rebuild every read model once when the store next opens, filling the new one.
DELETE FROM read_model_state WHERE key = 'built';
