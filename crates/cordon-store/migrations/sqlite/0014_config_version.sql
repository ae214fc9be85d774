-- A version of the configuration the intake decides with (the settings and
-- the case definitions), set to a fresh random number by triggers on every
-- change to either table (random, not counted: a store that kept a version its
-- rolled-back transaction made can never mistake another's for it),
-- so that a store may keep them in memory and know, with one small read, when
-- another server (or another process on this file) changed them.

CREATE TABLE config_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
) STRICT;

INSERT INTO config_version (id, version) VALUES (1, 1);

CREATE TRIGGER config_version_settings_insert AFTER INSERT ON settings BEGIN
    UPDATE config_version SET version = random() WHERE id = 1;
END;
CREATE TRIGGER config_version_settings_update AFTER UPDATE ON settings BEGIN
    UPDATE config_version SET version = random() WHERE id = 1;
END;
CREATE TRIGGER config_version_settings_delete AFTER DELETE ON settings BEGIN
    UPDATE config_version SET version = random() WHERE id = 1;
END;
CREATE TRIGGER config_version_definitions_insert AFTER INSERT ON case_definitions BEGIN
    UPDATE config_version SET version = random() WHERE id = 1;
END;
CREATE TRIGGER config_version_definitions_update AFTER UPDATE ON case_definitions BEGIN
    UPDATE config_version SET version = random() WHERE id = 1;
END;
CREATE TRIGGER config_version_definitions_delete AFTER DELETE ON case_definitions BEGIN
    UPDATE config_version SET version = random() WHERE id = 1;
END;
