-- Events, their guest lists and invitations, and the mail queue that sends invitations.

CREATE TABLE events (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name_zh     text,
    name_en     text,
    kind        text NOT NULL CHECK (kind IN ('tea_party', 'conference', 'forum', 'delegation_visit', 'training', 'other')),
    starts_on   date NOT NULL,
    ends_on     date,
    venue       text,
    -- people admitted at the door, guests and their plus-ones together; NULL: no limit
    capacity    integer CHECK (capacity > 0),
    status      text NOT NULL DEFAULT 'planning' CHECK (status IN ('planning', 'inviting', 'closed', 'held')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (name_zh IS NOT NULL OR name_en IS NOT NULL),
    CHECK (ends_on IS NULL OR ends_on >= starts_on)
);

-- At most this many invitations out (sent, accepted or unanswered) per country of residence,
-- or per organization through which guests were invited. Drafts are the planning list and
-- do not count.
CREATE TABLE event_quotas (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id         uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    country          text,
    organization_id  uuid REFERENCES organizations (id) ON DELETE CASCADE,
    quota            integer NOT NULL CHECK (quota >= 0),
    CHECK ((country IS NULL) <> (organization_id IS NULL))
);
CREATE UNIQUE INDEX event_quotas_country ON event_quotas (event_id, country) WHERE country IS NOT NULL;
CREATE UNIQUE INDEX event_quotas_org ON event_quotas (event_id, organization_id) WHERE organization_id IS NOT NULL;

-- One invitation per person per event, however many ways they were added.
CREATE TABLE invitations (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id           uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    person_id          uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    -- the guest's RSVP link and the QR code on the invitation; unguessable
    token              text NOT NULL UNIQUE,
    state              text NOT NULL DEFAULT 'draft'
                       CHECK (state IN ('draft', 'sent', 'accepted', 'declined', 'no_answer', 'cancelled')),
    -- why the guest is on the list: "search: …", "organization: … (president)", "added by hand"
    reasons            text[] NOT NULL DEFAULT '{}',
    -- the organization the guest was first invited through, for organization quotas
    via_organization   uuid REFERENCES organizations (id) ON DELETE SET NULL,
    plus_ones          integer NOT NULL DEFAULT 0 CHECK (plus_ones >= 0),
    party_size         integer CHECK (party_size >= 1),
    dietary            text,
    arrival_date       date,
    -- the language of the guest's mail and RSVP page: zh-Hans, zh-Hant, en, es, pt
    language           text NOT NULL DEFAULT 'zh-Hans',
    sent_at            timestamptz,
    answered_at        timestamptz,
    checked_in_at      timestamptz,
    checked_in_by      text,
    walk_in            boolean NOT NULL DEFAULT false,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, person_id)
);
CREATE INDEX invitations_person ON invitations (person_id);

-- Capacity and quotas are kept here, not in the handlers: the event's row is locked while
-- the count is taken, so two check-in desks (or two officers adding guests) wait for each
-- other instead of both taking the last place.
CREATE FUNCTION invitations_within_limits() RETURNS trigger AS $$
DECLARE
    ev record;
    heads integer;
    active integer;
    limit_row record;
    guest_country text;
BEGIN
    SELECT * INTO ev FROM events WHERE id = NEW.event_id FOR UPDATE;
    IF NEW.checked_in_at IS NOT NULL AND ev.capacity IS NOT NULL
       AND (TG_OP = 'INSERT' OR OLD.checked_in_at IS NULL OR OLD.party_size IS DISTINCT FROM NEW.party_size) THEN
        SELECT coalesce(sum(coalesce(party_size, 1)), 0) INTO heads
        FROM invitations WHERE event_id = NEW.event_id AND checked_in_at IS NOT NULL AND id <> NEW.id;
        IF heads + coalesce(NEW.party_size, 1) > ev.capacity THEN
            RAISE EXCEPTION 'event_full: % of % places taken', heads, ev.capacity USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    IF NEW.state IN ('sent', 'accepted', 'no_answer')
       AND (TG_OP = 'INSERT' OR OLD.state NOT IN ('sent', 'accepted', 'no_answer')) THEN
        SELECT country INTO guest_country FROM people WHERE id = NEW.person_id;
        FOR limit_row IN
            SELECT * FROM event_quotas q
            WHERE q.event_id = NEW.event_id
              AND (q.country = guest_country OR q.organization_id = NEW.via_organization)
        LOOP
            SELECT count(*) INTO active FROM invitations i JOIN people p ON p.id = i.person_id
            WHERE i.event_id = NEW.event_id AND i.id <> NEW.id AND i.state IN ('sent', 'accepted', 'no_answer')
              AND (p.country = limit_row.country OR i.via_organization = limit_row.organization_id);
            IF active + 1 > limit_row.quota THEN
                RAISE EXCEPTION 'quota_full: % of % places taken', active, limit_row.quota USING ERRCODE = 'check_violation';
            END IF;
        END LOOP;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER invitations_within_limits BEFORE INSERT OR UPDATE ON invitations
    FOR EACH ROW EXECUTE FUNCTION invitations_within_limits();

-- Invitations waiting to be mailed, written in the transaction that marks the invitation
-- sent (one row per invitation at most). The mail worker claims rows with SKIP LOCKED and
-- deletes each as soon as the mail server has taken the message. Only a crash between those
-- two steps can send a message twice, and then with the same Message-ID.
CREATE TABLE mail_outbox (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invitation_id    uuid NOT NULL UNIQUE REFERENCES invitations (id) ON DELETE CASCADE,
    enqueued_at      timestamptz NOT NULL DEFAULT now(),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text
);

-- Guests answering on their RSVP page are recorded in the audit log as the guest.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_actor_kind_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_actor_kind_check
    CHECK (actor_kind IN ('user', 'token', 'cli', 'system', 'guest'));
