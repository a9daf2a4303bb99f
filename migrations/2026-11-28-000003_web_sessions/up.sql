-- Log-in for the web app: sessions kept in the database (so they survive a restart and can
-- be ended from anywhere), and what slows down password guessing.

-- A signed-in browser. The cookie holds a random token; only its SHA-256 is kept here.
-- A session ends when idle too long, when too old, at log-out, or when its user is
-- disabled (checked on every request).
CREATE TABLE sessions (
    token_hash    bytea PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- the token every form of this session must send back (CSRF protection)
    csrf_token    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    ip            text
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Consecutive failed log-ins; after five the account waits before it accepts a password again.
ALTER TABLE users
    ADD COLUMN failed_logins integer NOT NULL DEFAULT 0,
    ADD COLUMN locked_until timestamptz,
    ADD COLUMN last_login_at timestamptz;
