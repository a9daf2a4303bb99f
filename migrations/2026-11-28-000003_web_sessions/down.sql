ALTER TABLE users DROP COLUMN failed_logins, DROP COLUMN locked_until, DROP COLUMN last_login_at;
DROP TABLE sessions;
