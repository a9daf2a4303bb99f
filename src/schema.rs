//! Diesel's view of the tables in `migrations/`; keep the two in step.

diesel::table! {
    places (id) {
        id -> Text,
        level -> Text,
        name_simplified -> Text,
        name_official -> Nullable<Text>,
        name_traditional -> Nullable<Text>,
        pinyin -> Nullable<Text>,
        jyutping -> Nullable<Text>,
        romanizations -> Array<Text>,
        parent_id -> Nullable<Text>,
        status -> Text,
        notes -> Nullable<Text>,
        source -> Nullable<Text>,
    }
}

diesel::table! {
    organizations (id) {
        id -> Uuid,
        external_id -> Nullable<Text>,
        name_zh -> Nullable<Text>,
        name_en -> Nullable<Text>,
        other_names -> Array<Text>,
        kind -> Text,
        country -> Text,
        city -> Nullable<Text>,
        founded_year -> Nullable<Int4>,
        hometowns -> Array<Text>,
        parent_id -> Nullable<Uuid>,
        liaison_status -> Text,
        website -> Nullable<Text>,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        tags -> Array<Text>,
        notes -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    organization_hometowns (organization_id, place_id) {
        organization_id -> Uuid,
        place_id -> Text,
    }
}

diesel::table! {
    people (id) {
        id -> Uuid,
        external_id -> Nullable<Text>,
        name_zh -> Nullable<Text>,
        name_latin -> Nullable<Text>,
        other_names -> Array<Text>,
        gender -> Nullable<Text>,
        birth_year -> Nullable<Int4>,
        country -> Text,
        city -> Nullable<Text>,
        hometown -> Nullable<Text>,
        hometown_place_id -> Nullable<Text>,
        status -> Nullable<Text>,
        languages -> Array<Text>,
        occupation -> Nullable<Text>,
        employer -> Nullable<Text>,
        talent_fields -> Array<Text>,
        high_level_talent -> Bool,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        wechat -> Nullable<Text>,
        whatsapp -> Nullable<Text>,
        consent_status -> Text,
        consent_date -> Nullable<Date>,
        consent_purposes -> Array<Text>,
        tags -> Array<Text>,
        notes -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    memberships (id) {
        id -> Uuid,
        person_id -> Uuid,
        organization_id -> Uuid,
        role -> Text,
        since -> Nullable<Text>,
        until -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    interactions (id) {
        id -> Uuid,
        external_id -> Nullable<Text>,
        date -> Date,
        kind -> Text,
        summary -> Text,
        officer -> Nullable<Text>,
        follow_up -> Nullable<Date>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    interaction_people (interaction_id, person_id) {
        interaction_id -> Uuid,
        person_id -> Uuid,
    }
}

diesel::table! {
    interaction_organizations (interaction_id, organization_id) {
        interaction_id -> Uuid,
        organization_id -> Uuid,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        email -> Text,
        display_name -> Nullable<Text>,
        role -> Text,
        password_hash -> Nullable<Text>,
        locale -> Text,
        disabled -> Bool,
        created_at -> Timestamptz,
        failed_logins -> Int4,
        locked_until -> Nullable<Timestamptz>,
        last_login_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Bytea,
        user_id -> Uuid,
        csrf_token -> Text,
        created_at -> Timestamptz,
        last_seen_at -> Timestamptz,
        ip -> Nullable<Text>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Uuid,
        name -> Text,
        role -> Text,
        token_hash -> Bytea,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        last_used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Int8,
        at -> Timestamptz,
        actor_kind -> Text,
        actor_id -> Nullable<Uuid>,
        actor_label -> Text,
        action -> Text,
        entity_type -> Text,
        entity_id -> Nullable<Uuid>,
        detail -> Jsonb,
        ip -> Nullable<Text>,
        request_id -> Nullable<Text>,
    }
}

diesel::table! {
    search_outbox (id) {
        id -> Int8,
        entity_type -> Text,
        entity_id -> Uuid,
        enqueued_at -> Timestamptz,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    import_runs (id) {
        id -> Uuid,
        started_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
        actor_label -> Text,
        source -> Text,
        strict -> Bool,
        dry_run -> Bool,
        summary -> Jsonb,
    }
}

diesel::joinable!(organization_hometowns -> organizations (organization_id));
diesel::joinable!(organization_hometowns -> places (place_id));
diesel::joinable!(people -> places (hometown_place_id));
diesel::table! {
    events (id) {
        id -> Uuid,
        name_zh -> Nullable<Text>,
        name_en -> Nullable<Text>,
        kind -> Text,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        venue -> Nullable<Text>,
        capacity -> Nullable<Int4>,
        status -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    event_quotas (id) {
        id -> Uuid,
        event_id -> Uuid,
        country -> Nullable<Text>,
        organization_id -> Nullable<Uuid>,
        quota -> Int4,
    }
}

diesel::table! {
    invitations (id) {
        id -> Uuid,
        event_id -> Uuid,
        person_id -> Uuid,
        token -> Text,
        state -> Text,
        reasons -> Array<Text>,
        via_organization -> Nullable<Uuid>,
        plus_ones -> Int4,
        party_size -> Nullable<Int4>,
        dietary -> Nullable<Text>,
        arrival_date -> Nullable<Date>,
        language -> Text,
        sent_at -> Nullable<Timestamptz>,
        answered_at -> Nullable<Timestamptz>,
        checked_in_at -> Nullable<Timestamptz>,
        checked_in_by -> Nullable<Text>,
        walk_in -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> Int8,
        invitation_id -> Uuid,
        enqueued_at -> Timestamptz,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    person_keys (key, person_id) {
        key -> Text,
        person_id -> Uuid,
    }
}

diesel::table! {
    duplicate_queue (person_id) {
        person_id -> Uuid,
        queued_at -> Timestamptz,
    }
}

diesel::table! {
    duplicate_candidates (person_a, person_b) {
        person_a -> Uuid,
        person_b -> Uuid,
        score -> Float4,
        evidence -> Array<Text>,
        status -> Text,
        found_at -> Timestamptz,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    person_merges (id) {
        id -> Uuid,
        survivor_id -> Uuid,
        merged_id -> Uuid,
        survivor_before -> Jsonb,
        merged_row -> Jsonb,
        moved -> Jsonb,
        merged_by -> Text,
        merged_at -> Timestamptz,
        undone_at -> Nullable<Timestamptz>,
        undone_by -> Nullable<Text>,
    }
}

diesel::table! {
    person_aliases (external_id) {
        external_id -> Text,
        person_id -> Uuid,
        merge_id -> Uuid,
    }
}

diesel::table! {
    consent_events (id) {
        id -> Int8,
        person_id -> Uuid,
        status -> Text,
        purposes -> Array<Text>,
        date -> Date,
        source -> Text,
        recorded_by -> Text,
        recorded_at -> Timestamptz,
    }
}

diesel::table! {
    erasures (id) {
        id -> Uuid,
        erased_at -> Timestamptz,
        erased_by -> Text,
        reason -> Text,
        counts -> Jsonb,
    }
}

diesel::table! {
    export_requests (id) {
        id -> Uuid,
        requested_by -> Text,
        requester_id -> Nullable<Uuid>,
        filters -> Jsonb,
        purpose -> Text,
        status -> Text,
        requested_at -> Timestamptz,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(invitations -> events (event_id));
diesel::joinable!(invitations -> people (person_id));
diesel::joinable!(event_quotas -> events (event_id));
diesel::joinable!(mail_outbox -> invitations (invitation_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(memberships -> people (person_id));
diesel::joinable!(memberships -> organizations (organization_id));
diesel::joinable!(interaction_people -> interactions (interaction_id));
diesel::joinable!(interaction_people -> people (person_id));
diesel::joinable!(interaction_organizations -> interactions (interaction_id));
diesel::joinable!(interaction_organizations -> organizations (organization_id));

diesel::allow_tables_to_appear_in_same_query!(
    places,
    organizations,
    organization_hometowns,
    people,
    memberships,
    interactions,
    interaction_people,
    interaction_organizations,
    users,
    sessions,
    events,
    event_quotas,
    invitations,
    mail_outbox,
    api_tokens,
    audit_log,
    search_outbox,
    import_runs,
    person_keys,
    duplicate_queue,
    duplicate_candidates,
    person_merges,
    person_aliases,
    consent_events,
    erasures,
    export_requests,
);
