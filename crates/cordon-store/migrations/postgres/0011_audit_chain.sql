-- The audit chain: each record carries the hash of the record before it
-- (prev_hash) and the hash of its own content and that link (hash), both
-- lowercase hex SHA-256, computed by cordon_core::audit_chain. audit_head
-- holds the last record's seq and hash; a writer locks it (SELECT ... FOR
-- UPDATE) just before commit, appends its records after the head and moves
-- the head, so the chain follows commit order even when transactions start
-- in another order. Records written before this migration are sealed once,
-- in Rust, when the store opens (sealed = FALSE until then). From now on
-- cordon gives every record its seq explicitly (the head's seq + 1), so the
-- identity goes: it handed out numbers in start order and left gaps on
-- rollback.

ALTER TABLE audit ALTER COLUMN seq DROP IDENTITY;
ALTER TABLE audit ADD COLUMN prev_hash TEXT, ADD COLUMN hash TEXT;

CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    last_seq BIGINT NOT NULL,
    last_hash TEXT NOT NULL,
    sealed BOOLEAN NOT NULL
);

INSERT INTO audit_head (id, last_seq, last_hash, sealed)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', FALSE);
