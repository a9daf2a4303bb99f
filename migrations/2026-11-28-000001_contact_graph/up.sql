-- The contact graph: the hometown hierarchy, organizations, people, their memberships
-- and the interactions officers log with them. PostgreSQL is the source of truth; the
-- search index is derived from these tables (see search_outbox in the next migration).

-- Hometown places: province -> prefecture city -> county / district -> town -> village,
-- plus cultural regions (五邑, 四邑) and historic names (新寧, 岡州). Reference data,
-- loaded from domain/places.csv by `qiaolink migrate`; ids are the table's own stable ids.
CREATE TABLE places (
    id                text PRIMARY KEY,
    level             text NOT NULL,
    name_simplified   text NOT NULL,
    name_official     text,
    name_traditional  text,
    pinyin            text,
    jyutping          text,
    -- every spelling a source shows in use (Toisan, Hoisan, Sunning ...)
    romanizations     text[] NOT NULL DEFAULT '{}',
    parent_id         text REFERENCES places (id),
    status            text NOT NULL DEFAULT 'current',
    notes             text,
    source            text
);

CREATE TABLE organizations (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- the key of the source system; unique, so a re-import updates instead of duplicating
    external_id     text UNIQUE,
    name_zh         text,
    name_en         text,
    other_names     text[] NOT NULL DEFAULT '{}',
    kind            text NOT NULL CHECK (kind IN (
                        'hometown_association', 'clan_association', 'benevolent_association',
                        'youth_society', 'student_association', 'chamber_of_commerce',
                        'trade_office', 'professional_society', 'media', 'other')),
    country         text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    city            text,
    founded_year    integer CHECK (founded_year BETWEEN 1500 AND 2100),
    -- the ancestral places served, as the source wrote them; resolved places are in
    -- organization_hometowns
    hometowns       text[] NOT NULL DEFAULT '{}',
    parent_id       uuid REFERENCES organizations (id) ON DELETE SET NULL,
    -- how the office's relationship stands: active, dormant (no contact, still exists), closed
    liaison_status  text NOT NULL DEFAULT 'active'
                        CHECK (liaison_status IN ('active', 'dormant', 'closed')),
    website         text,
    email           text,
    phone           text,
    tags            text[] NOT NULL DEFAULT '{}',
    notes           text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (name_zh IS NOT NULL OR name_en IS NOT NULL OR cardinality(other_names) > 0),
    CHECK (parent_id IS DISTINCT FROM id)
);
CREATE INDEX organizations_country_kind ON organizations (country, kind);
CREATE INDEX organizations_parent ON organizations (parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE organization_hometowns (
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    place_id        text NOT NULL REFERENCES places (id),
    PRIMARY KEY (organization_id, place_id)
);
CREATE INDEX organization_hometowns_place ON organization_hometowns (place_id);

CREATE TABLE people (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    external_id        text UNIQUE,
    -- names as written: one Chinese, one Latin (any order), and any aliases, paper names,
    -- maiden names or other spellings
    name_zh            text,
    name_latin         text,
    other_names        text[] NOT NULL DEFAULT '{}',
    gender             text CHECK (gender IN ('female', 'male', 'other')),
    birth_year         integer CHECK (birth_year BETWEEN 1880 AND 2100),
    country            text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    city               text,
    -- ancestral hometown as written, and the place it resolved to (most specific level)
    hometown           text,
    hometown_place_id  text REFERENCES places (id),
    -- 华侨, 外籍华人, 归侨, 侨眷, 港澳同胞, 留学生, 外籍专家
    status             text CHECK (status IN (
                           'overseas_chinese', 'foreign_citizen_of_chinese_origin',
                           'returned_overseas_chinese', 'relative_of_overseas_chinese',
                           'hk_macao_compatriot', 'student_abroad', 'foreign_expert', 'other')),
    languages          text[] NOT NULL DEFAULT '{}',
    occupation         text,
    employer           text,
    talent_fields      text[] NOT NULL DEFAULT '{}',
    -- counted as 高层次人才
    high_level_talent  boolean NOT NULL DEFAULT false,
    -- contact channels: personal data, shown only to roles that need them
    email              text,
    phone              text,
    wechat             text,
    whatsapp           text,
    consent_status     text NOT NULL DEFAULT 'unknown'
                           CHECK (consent_status IN ('granted', 'withdrawn', 'unknown')),
    consent_date       date,
    consent_purposes   text[] NOT NULL DEFAULT '{}',
    tags               text[] NOT NULL DEFAULT '{}',
    notes              text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (name_zh IS NOT NULL OR name_latin IS NOT NULL OR cardinality(other_names) > 0)
);
CREATE INDEX people_country_status ON people (country, status);
CREATE INDEX people_hometown ON people (hometown_place_id);

-- A person's role in an organization over a term. since/until are partial dates
-- (YYYY, YYYY-MM or YYYY-MM-DD) because association rolls rarely give the day.
CREATE TABLE memberships (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    person_id        uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    organization_id  uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    role             text NOT NULL CHECK (role IN (
                         'president', 'vice_president', 'secretary_general', 'treasurer',
                         'director', 'member', 'honorary', 'liaison')),
    since            text CHECK (since ~ '^\d{4}(-\d{2}(-\d{2})?)?$'),
    until            text CHECK (until ~ '^\d{4}(-\d{2}(-\d{2})?)?$'),
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (person_id, organization_id, role, since)
);
CREATE INDEX memberships_organization ON memberships (organization_id, role);

-- A visit, call, meeting or message, with the people and organizations it involved.
CREATE TABLE interactions (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    external_id  text UNIQUE,
    date         date NOT NULL,
    kind         text NOT NULL CHECK (kind IN (
                     'visit', 'meeting', 'call', 'email', 'wechat', 'letter', 'event', 'other')),
    summary      text NOT NULL CHECK (summary <> ''),
    -- who on the staff handled it, as written
    officer      text,
    follow_up    date,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX interactions_date ON interactions (date);
CREATE INDEX interactions_follow_up ON interactions (follow_up) WHERE follow_up IS NOT NULL;

CREATE TABLE interaction_people (
    interaction_id  uuid NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
    person_id       uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (interaction_id, person_id)
);
CREATE INDEX interaction_people_person ON interaction_people (person_id);

CREATE TABLE interaction_organizations (
    interaction_id   uuid NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
    organization_id  uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    PRIMARY KEY (interaction_id, organization_id)
);
CREATE INDEX interaction_organizations_org ON interaction_organizations (organization_id);
