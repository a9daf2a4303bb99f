-- Keeping people's records right: duplicate candidates and merges (which can be undone),
-- consent given and withdrawn over time, and erasures.

-- Name, e-mail and phone keys of each person, for blocking: duplicate detection compares
-- only people who share a key, never all pairs. Kept by the duplicate worker.
CREATE TABLE person_keys (
    key        text NOT NULL,
    person_id  uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (key, person_id)
);
CREATE INDEX person_keys_person ON person_keys (person_id);

-- People whose names or contact fields changed and who must be compared again. Filled by
-- a trigger, so no write path can forget it; the duplicate worker drains it.
CREATE TABLE duplicate_queue (
    person_id  uuid PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    queued_at  timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION queue_duplicate_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO duplicate_queue (person_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE INDEX duplicate_queue_order ON duplicate_queue (queued_at);

CREATE TRIGGER people_duplicate_check
    AFTER INSERT ON people FOR EACH ROW EXECUTE FUNCTION queue_duplicate_check();
-- Updates set every column; only a real change of what is compared queues the person.
CREATE TRIGGER people_duplicate_recheck
    AFTER UPDATE ON people FOR EACH ROW
    WHEN ((OLD.name_zh, OLD.name_latin, OLD.other_names, OLD.gender, OLD.birth_year, OLD.country, OLD.city,
           OLD.hometown_place_id, OLD.email, OLD.phone)
          IS DISTINCT FROM
          (NEW.name_zh, NEW.name_latin, NEW.other_names, NEW.gender, NEW.birth_year, NEW.country, NEW.city,
           NEW.hometown_place_id, NEW.email, NEW.phone))
    EXECUTE FUNCTION queue_duplicate_check();

-- Two records that may be the same person; person_a < person_b. A dismissed pair stays
-- dismissed when the worker finds it again.
CREATE TABLE duplicate_candidates (
    person_a    uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    person_b    uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    score       real NOT NULL,
    -- what agrees and what differs, as codes (same_zh, email, born_1_apart ...)
    evidence    text[] NOT NULL DEFAULT '{}',
    status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed')),
    found_at    timestamptz NOT NULL DEFAULT now(),
    decided_by  text,
    decided_at  timestamptz,
    PRIMARY KEY (person_a, person_b),
    CHECK (person_a < person_b)
);
CREATE INDEX duplicate_candidates_open ON duplicate_candidates (score DESC) WHERE status = 'open';
CREATE INDEX duplicate_candidates_b ON duplicate_candidates (person_b);

-- A merge: the merged-away person's row and everything moved, so the merge can be undone.
CREATE TABLE person_merges (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    survivor_id      uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    merged_id        uuid NOT NULL,
    -- the survivor's row before the merge and the merged-away person's row, as JSON
    survivor_before  jsonb NOT NULL,
    merged_row       jsonb NOT NULL,
    -- ids of the rows moved to the survivor, and rows dropped as repeats, per table
    moved            jsonb NOT NULL,
    merged_by        text NOT NULL,
    merged_at        timestamptz NOT NULL DEFAULT now(),
    undone_at        timestamptz,
    undone_by        text
);
CREATE INDEX person_merges_survivor ON person_merges (survivor_id);
CREATE INDEX person_merges_merged ON person_merges (merged_id);

-- The external ids of merged-away records, so the source systems' keys still resolve.
CREATE TABLE person_aliases (
    external_id  text PRIMARY KEY,
    person_id    uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    merge_id     uuid NOT NULL REFERENCES person_merges (id) ON DELETE CASCADE
);
CREATE INDEX person_aliases_person ON person_aliases (person_id);

-- Consent as it was given and withdrawn; people.consent_* holds the current state.
CREATE TABLE consent_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id    uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    status       text NOT NULL CHECK (status IN ('granted', 'withdrawn')),
    purposes     text[] NOT NULL,
    -- the day the person gave or withdrew it, and how (form, e-mail, in person ...)
    date         date NOT NULL,
    source       text NOT NULL,
    recorded_by  text NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consent_events_person ON consent_events (person_id, recorded_at);

-- Every change of a person's consent is kept, whichever way it came (an import, an edit).
-- The consent form writes its own event, with how and by whom, and says so.
CREATE FUNCTION record_consent_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('qiaolink.consent_recorded', true) = 'yes'
       OR (NEW.consent_status = 'unknown' AND (TG_OP = 'INSERT' OR OLD.consent_status = 'unknown')) THEN
        RETURN NULL;
    END IF;
    INSERT INTO consent_events (person_id, status, purposes, date, source, recorded_by)
    VALUES (NEW.id,
            CASE WHEN NEW.consent_status = 'granted' THEN 'granted' ELSE 'withdrawn' END,
            NEW.consent_purposes, coalesce(NEW.consent_date, current_date), 'record', 'import or edit');
    RETURN NULL;
END $$;

CREATE TRIGGER people_consent_history
    AFTER INSERT ON people FOR EACH ROW EXECUTE FUNCTION record_consent_change();
CREATE TRIGGER people_consent_change
    AFTER UPDATE OF consent_status, consent_date, consent_purposes ON people FOR EACH ROW
    WHEN (OLD.consent_status IS DISTINCT FROM NEW.consent_status
          OR OLD.consent_date IS DISTINCT FROM NEW.consent_date
          OR OLD.consent_purposes IS DISTINCT FROM NEW.consent_purposes)
    EXECUTE FUNCTION record_consent_change();

-- That an erasure happened, without the data: no name, no external id.
CREATE TABLE erasures (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    erased_at    timestamptz NOT NULL DEFAULT now(),
    erased_by    text NOT NULL,
    -- why, in the officer's words (a request received on ..., a ticket number)
    reason       text NOT NULL CHECK (reason <> ''),
    -- how many rows went, per table
    counts       jsonb NOT NULL
);

-- Bulk exports of personal data wait for an admin's approval.
CREATE TABLE export_requests (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    requested_by  text NOT NULL,
    requester_id  uuid,
    -- the export's filters: type, country
    filters       jsonb NOT NULL,
    purpose       text NOT NULL CHECK (purpose <> ''),
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'refused', 'used')),
    requested_at  timestamptz NOT NULL DEFAULT now(),
    decided_by    text,
    decided_at    timestamptz
);


-- Everyone already stored is compared once.
INSERT INTO duplicate_queue (person_id) SELECT id FROM people;
