DELETE FROM audit_log WHERE actor_kind = 'guest';
ALTER TABLE audit_log DROP CONSTRAINT audit_log_actor_kind_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_actor_kind_check
    CHECK (actor_kind IN ('user', 'token', 'cli', 'system'));
DROP TABLE mail_outbox;
DROP TRIGGER invitations_within_limits ON invitations;
DROP FUNCTION invitations_within_limits();
DROP TABLE invitations;
DROP TABLE event_quotas;
DROP TABLE events;
