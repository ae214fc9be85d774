-- Sign-in that resists guessing: failed attempts kept for the throttle
-- (shared by every server on this database), sessions with an id (to list
-- and revoke one) and a last-seen time (for the idle timeout), and a flag
-- that makes a user change a password an administrator reset.

ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;

CREATE TABLE sessions_new (
    id BLOB NOT NULL,
    token_hash BLOB PRIMARY KEY,
    user_id BLOB NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    label TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
) STRICT;
INSERT INTO sessions_new (id, token_hash, user_id, kind, label, created_at, expires_at, last_seen_at)
    SELECT randomblob(16), token_hash, user_id, kind, label, created_at, expires_at, created_at FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
CREATE UNIQUE INDEX sessions_id ON sessions (id);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE sign_in_failures (
    at INTEGER NOT NULL,
    username TEXT NOT NULL,
    address TEXT NOT NULL
) STRICT;
CREATE INDEX sign_in_failures_username ON sign_in_failures (username, at);
CREATE INDEX sign_in_failures_address ON sign_in_failures (address, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);
