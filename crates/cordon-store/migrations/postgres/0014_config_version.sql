-- A version of the configuration the intake decides with (the settings and
-- the case definitions), set to a fresh random number by triggers on every
-- change to either table (random, not counted: a store that kept a version its
-- rolled-back transaction made can never mistake another's for it),
-- so that a store may keep them in memory and know, with one small read, when
-- another server changed them.

CREATE TABLE config_version (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);

INSERT INTO config_version (id, version) VALUES (1, 1);

CREATE FUNCTION config_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE config_version SET version = (random() * 9.0e18)::bigint WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER config_version_settings AFTER INSERT OR UPDATE OR DELETE ON settings
    FOR EACH STATEMENT EXECUTE FUNCTION config_version_bump();
CREATE TRIGGER config_version_definitions AFTER INSERT OR UPDATE OR DELETE ON case_definitions
    FOR EACH STATEMENT EXECUTE FUNCTION config_version_bump();
