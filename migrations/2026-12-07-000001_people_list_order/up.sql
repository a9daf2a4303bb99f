-- People lists are shown oldest first, by (created_at, id). Without an index in that order a
-- page of a large country sorts every person of it first (hundreds of ms at 300,000 people).
CREATE INDEX people_country_created ON people (country, created_at, id);
CREATE INDEX people_created ON people (created_at, id);
