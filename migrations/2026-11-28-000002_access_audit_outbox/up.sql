-- Who may use qiaolink, what they did, and what the search index still has to learn.

-- Staff accounts. Roles: admin, officer, event_staff, viewer (see docs/permissions.md).
CREATE TABLE users (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email          text NOT NULL,
    display_name   text,
    role           text NOT NULL CHECK (role IN ('admin', 'officer', 'event_staff', 'viewer')),
    -- argon2 PHC string; NULL means the account cannot log in with a password
    password_hash  text,
    locale         text NOT NULL DEFAULT 'zh' CHECK (locale IN ('zh', 'en')),
    disabled       boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email ON users (lower(email));

-- API tokens for scripts. Only the SHA-256 of the token is kept: a stolen database
-- does not yield working tokens. The token is shown once, when created.
CREATE TABLE api_tokens (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name          text NOT NULL,
    role          text NOT NULL CHECK (role IN ('admin', 'officer', 'event_staff', 'viewer')),
    token_hash    bytea NOT NULL UNIQUE,
    created_by    uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);

-- Who read, exported or changed what, when and from where. Written in the same
-- transaction as every write, and for every read of a full person record and every
-- export. `detail` holds ids, counts and field names, never the personal data itself.
CREATE TABLE audit_log (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    actor_kind   text NOT NULL CHECK (actor_kind IN ('user', 'token', 'cli', 'system')),
    actor_id     uuid,
    actor_label  text NOT NULL,
    action       text NOT NULL,
    entity_type  text NOT NULL,
    entity_id    uuid,
    detail       jsonb NOT NULL DEFAULT '{}',
    ip           text,
    request_id   text
);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);
CREATE INDEX audit_log_at ON audit_log (at);

-- The search outbox: every write of a person, organization or membership adds a row here
-- in its own transaction; the search worker claims rows (FOR UPDATE SKIP LOCKED), indexes
-- the entity as it is now in the database, and deletes the row. So no write is lost
-- between the database and the index, even while the index is down.
CREATE TABLE search_outbox (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity_type      text NOT NULL CHECK (entity_type IN ('person', 'organization')),
    entity_id        uuid NOT NULL,
    enqueued_at      timestamptz NOT NULL DEFAULT now(),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text
);
CREATE INDEX search_outbox_due ON search_outbox (next_attempt_at);

-- One row per import, for the import report and the home page's "recent imports".
CREATE TABLE import_runs (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    actor_label  text NOT NULL,
    source       text NOT NULL,
    strict       boolean NOT NULL,
    dry_run      boolean NOT NULL DEFAULT false,
    -- counts of created, updated, unchanged and rejected records by type
    summary      jsonb NOT NULL DEFAULT '{}'
);
