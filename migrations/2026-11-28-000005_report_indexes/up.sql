-- Indexes for the country reports, so a country of 300,000 people is counted from the
-- indexes alone: by hometown, by talent field, and the high-level talents.
CREATE INDEX people_country_hometown ON people (country, hometown_place_id);
CREATE INDEX people_country_talents ON people (country) INCLUDE (talent_fields) WHERE talent_fields <> '{}';
CREATE INDEX people_high_level_talent ON people (country) WHERE high_level_talent;
