DROP TABLE import_runs, search_outbox, audit_log, api_tokens, users;
