-- The audit chain: each record carries the hash of the record before it
-- (prev_hash) and the hash of its own content and that link (hash), both
-- lowercase hex SHA-256, computed by cordon_core::audit_chain. audit_head
-- holds the last record's seq and hash; a writer takes it (a lock on
-- PostgreSQL) just before commit, appends its records after the head and
-- moves the head, so the chain follows commit order. Records written before
-- this migration are sealed once, in Rust, when the store opens (sealed = 0
-- until then). From now on cordon gives every record its seq explicitly
-- (the head's seq + 1).

ALTER TABLE audit ADD COLUMN prev_hash TEXT;
ALTER TABLE audit ADD COLUMN hash TEXT;

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq INTEGER NOT NULL,
    last_hash TEXT NOT NULL,
    sealed INTEGER NOT NULL
) STRICT;

INSERT INTO audit_head (id, last_seq, last_hash, sealed)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0);
