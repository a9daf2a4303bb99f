//! Liaison reports: one country's picture, and the overview of every country. Read-only
//! queries over the contact graph and the events; what a role may not read is left out.
//! The same figures feed the page, the JSON, and the CSV, Excel and PDF files.

pub mod charts;
pub mod files;

use chrono::{Datelike, Months, NaiveDate, Utc};
use diesel::sql_types::{BigInt, Date, Nullable, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use uuid::Uuid;

use crate::auth::{Permission, Role};
use crate::error::{AppError, AppResult};
use crate::places::Places;

/// The stretch of time that interactions and events are counted over.
#[derive(Clone, Copy, Debug, Serialize, utoipa::ToSchema)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// `this_year` (the default), `last_year`, or `from` and `to` dates.
    pub fn parse(name: Option<&str>, from: Option<&str>, to: Option<&str>, today: NaiveDate) -> AppResult<Period> {
        let year = |y: i32| Period {
            from: NaiveDate::from_ymd_opt(y, 1, 1).expect("a first of January"),
            to: NaiveDate::from_ymd_opt(y, 12, 31).expect("a last of December"),
        };
        let date = |text: &str, field: &str| {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                .map_err(|_| AppError::invalid(field, format!("\"{text}\" is not a date written YYYY-MM-DD, e.g. 2024-01-18")))
        };
        match (
            name.unwrap_or(if from.is_some() || to.is_some() { "custom" } else { "this_year" }),
            from,
            to,
        ) {
            ("this_year", _, _) => Ok(year(today.year())),
            ("last_year", _, _) => Ok(year(today.year() - 1)),
            ("custom", Some(f), Some(t)) => {
                let (from, to) = (date(f, "from")?, date(t, "to")?);
                if to < from {
                    return Err(AppError::invalid("to", "is before from"));
                }
                Ok(Period { from, to })
            }
            ("custom", _, _) => Err(AppError::invalid("from", "a custom period needs both from and to (YYYY-MM-DD)")),
            (other, _, _) => Err(AppError::invalid(
                "period",
                format!("\"{other}\" is not this_year, last_year or custom"),
            )),
        }
    }
}

/// A label and a number: a row of a breakdown.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema, diesel::QueryableByName)]
pub struct Count {
    #[diesel(sql_type = Text)]
    pub label: String,
    #[diesel(sql_type = BigInt)]
    pub count: i64,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema, diesel::QueryableByName)]
pub struct KindRow {
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = BigInt)]
    pub total: i64,
    #[diesel(sql_type = BigInt)]
    pub active: i64,
    #[diesel(sql_type = BigInt)]
    pub dormant: i64,
}

/// An organization of the country, with its office bearers and last contact.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema, diesel::QueryableByName)]
pub struct OrgRow {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub city: Option<String>,
    #[diesel(sql_type = Text)]
    pub liaison_status: String,
    /// "会长 黃志明; 秘书长 …", roles as stored.
    #[diesel(sql_type = Text)]
    pub bearers: String,
    #[diesel(sql_type = Nullable<Date>)]
    pub last_contact: Option<NaiveDate>,
}

/// Someone or something not contacted for a while.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema, diesel::QueryableByName)]
pub struct Quiet {
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Nullable<Date>)]
    pub last_contact: Option<NaiveDate>,
    /// 6, 12 or 24: the longest of these that has passed; 0 for never contacted.
    #[diesel(sql_type = BigInt)]
    pub months: i64,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema, diesel::QueryableByName)]
pub struct EventRow {
    #[diesel(sql_type = Text)]
    pub event: String,
    #[diesel(sql_type = Date)]
    pub starts_on: NaiveDate,
    #[diesel(sql_type = BigInt)]
    pub invited: i64,
    #[diesel(sql_type = BigInt)]
    pub accepted: i64,
    #[diesel(sql_type = BigInt)]
    pub came: i64,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema, diesel::QueryableByName)]
pub struct FollowUp {
    #[diesel(sql_type = Date)]
    pub follow_up: NaiveDate,
    #[diesel(sql_type = Text)]
    pub with: String,
    #[diesel(sql_type = Text)]
    pub summary: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema, diesel::QueryableByName)]
pub struct Person {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub detail: String,
}

/// The headline figures, also one row of the overview.
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema, diesel::QueryableByName)]
pub struct Headline {
    #[diesel(sql_type = Text)]
    pub country: String,
    #[diesel(sql_type = BigInt)]
    pub organizations: i64,
    #[diesel(sql_type = BigInt)]
    pub active_organizations: i64,
    #[diesel(sql_type = BigInt)]
    pub people: i64,
    #[diesel(sql_type = BigInt)]
    pub high_level_talents: i64,
    /// Interactions in the period with the country's people or organizations.
    #[diesel(sql_type = BigInt)]
    pub interactions: i64,
    #[diesel(sql_type = Nullable<Date>)]
    pub last_contact: Option<NaiveDate>,
    /// Guests from the country who came to events in the period.
    #[diesel(sql_type = BigInt)]
    pub event_guests: i64,
}

/// One country's liaison report. Sections a role may not read are empty and named in
/// `left_out`.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CountryReport {
    pub country: String,
    pub period: Period,
    pub generated_at: chrono::DateTime<Utc>,
    pub headline: Headline,
    pub organizations_by_kind: Vec<KindRow>,
    pub organizations: Vec<OrgRow>,
    pub youth_and_trade: Vec<OrgRow>,
    pub people_by_status: Vec<Count>,
    pub people_by_county: Vec<Count>,
    pub people_by_town: Vec<Count>,
    pub people_by_talent_field: Vec<Count>,
    pub high_level_talents: Vec<Person>,
    pub interactions_by_month: Vec<Count>,
    pub not_contacted: Vec<Quiet>,
    pub events: Vec<EventRow>,
    pub follow_ups: Vec<FollowUp>,
    /// Sections left out because the role may not read them.
    pub left_out: Vec<String>,
}

/// Headline figures of every country with people or organizations (`None`) or of one.
const HEADLINE: &str = "
WITH countries AS (
    SELECT $3::text AS country WHERE $3::text IS NOT NULL
    UNION SELECT country FROM organizations WHERE $3::text IS NULL
    UNION SELECT country FROM people WHERE $3::text IS NULL),
orgs AS (
    SELECT country, count(*) AS n, count(*) FILTER (WHERE liaison_status = 'active') AS active
    FROM organizations WHERE $3::text IS NULL OR country = $3 GROUP BY country),
ppl AS (
    SELECT country, count(*) AS n FROM people WHERE $3::text IS NULL OR country = $3 GROUP BY country),
talents AS (
    SELECT country, count(*) AS n FROM people WHERE high_level_talent AND ($3::text IS NULL OR country = $3) GROUP BY country),
-- an interaction counts once per country, however many of its people and organizations are there
touched AS MATERIALIZED (
    SELECT o.country, i.id, i.date FROM interactions i
    JOIN interaction_organizations io ON io.interaction_id = i.id JOIN organizations o ON o.id = io.organization_id
    WHERE $3::text IS NULL OR o.country = $3
    UNION
    SELECT p.country, i.id, i.date FROM interactions i
    JOIN interaction_people ip ON ip.interaction_id = i.id JOIN people p ON p.id = ip.person_id
    WHERE $3::text IS NULL OR p.country = $3),
contact AS (
    SELECT country, count(*) FILTER (WHERE date BETWEEN $1 AND $2) AS n, max(date) AS last
    FROM touched GROUP BY country),
came AS (
    SELECT p.country, count(*) AS n FROM invitations v JOIN events e ON e.id = v.event_id JOIN people p ON p.id = v.person_id
    WHERE v.checked_in_at IS NOT NULL AND e.starts_on BETWEEN $1 AND $2 AND ($3::text IS NULL OR p.country = $3)
    GROUP BY p.country)
SELECT c.country, coalesce(orgs.n, 0) AS organizations, coalesce(orgs.active, 0) AS active_organizations,
       coalesce(ppl.n, 0) AS people, coalesce(talents.n, 0) AS high_level_talents,
       coalesce(contact.n, 0) AS interactions, contact.last AS last_contact, coalesce(came.n, 0) AS event_guests
FROM countries c
LEFT JOIN orgs ON orgs.country = c.country LEFT JOIN ppl ON ppl.country = c.country
LEFT JOIN talents ON talents.country = c.country LEFT JOIN contact ON contact.country = c.country LEFT JOIN came ON came.country = c.country
ORDER BY coalesce(ppl.n, 0) + coalesce(orgs.n, 0) DESC, c.country";

/// One row per country.
pub async fn overview(conn: &mut AsyncPgConnection, period: Period) -> AppResult<Vec<Headline>> {
    Ok(diesel::sql_query(HEADLINE)
        .bind::<Date, _>(period.from)
        .bind::<Date, _>(period.to)
        .bind::<Nullable<Text>, _>(None::<String>)
        .load(conn)
        .await?)
}

async fn counts(conn: &mut AsyncPgConnection, sql: &str, country: &str) -> AppResult<Vec<Count>> {
    Ok(diesel::sql_query(sql).bind::<Text, _>(country).load(conn).await?)
}

const ORGS: &str = "
SELECT o.id, coalesce(o.name_zh, o.name_en, o.other_names[1], '') AS name, o.kind, o.city, o.liaison_status,
       coalesce((SELECT string_agg(m.role || ' ' || coalesce(p.name_zh, p.name_latin, ''), '; ' ORDER BY m.role)
                 FROM memberships m JOIN people p ON p.id = m.person_id
                 WHERE m.organization_id = o.id AND m.role IN ('president', 'vice_president', 'secretary_general', 'treasurer')
                   AND (m.until IS NULL OR m.until >= to_char(current_date, 'YYYY'))), '') AS bearers,
       (SELECT max(i.date) FROM interaction_organizations io JOIN interactions i ON i.id = io.interaction_id
        WHERE io.organization_id = o.id) AS last_contact
FROM organizations o WHERE o.country = $1 AND ($2 OR o.kind IN ('youth_society', 'trade_office'))
ORDER BY o.kind, name LIMIT 500";

/// Organizations and key people (office bearers, high-level talents) quiet for 6, 12 or 24 months.
const QUIET: &str = "
WITH org_last AS (
    SELECT x.organization_id AS id, max(i.date) AS last_contact FROM interaction_organizations x
    JOIN interactions i ON i.id = x.interaction_id JOIN organizations o ON o.id = x.organization_id
    WHERE o.country = $1 GROUP BY 1),
key_people AS (
    SELECT id FROM people WHERE country = $1 AND high_level_talent
    UNION
    SELECT m.person_id FROM memberships m JOIN people p ON p.id = m.person_id
    WHERE p.country = $1 AND m.role IN ('president', 'secretary_general')),
person_last AS (
    SELECT x.person_id AS id, max(i.date) AS last_contact FROM interaction_people x
    JOIN key_people k ON k.id = x.person_id JOIN interactions i ON i.id = x.interaction_id GROUP BY 1),
subjects AS (
    SELECT 'organization' AS kind, o.id, coalesce(o.name_zh, o.name_en, '') AS name, l.last_contact
    FROM organizations o LEFT JOIN org_last l ON l.id = o.id WHERE o.country = $1 AND o.liaison_status <> 'closed'
    UNION ALL
    SELECT 'person', p.id, coalesce(p.name_zh, p.name_latin, ''), l.last_contact
    FROM key_people k JOIN people p ON p.id = k.id LEFT JOIN person_last l ON l.id = k.id)
SELECT kind, id, name, last_contact,
       CASE WHEN last_contact IS NULL THEN 0
            WHEN last_contact < current_date - interval '24 months' THEN 24
            WHEN last_contact < current_date - interval '12 months' THEN 12 ELSE 6 END::bigint AS months
FROM subjects WHERE last_contact IS NULL OR last_contact < current_date - interval '6 months'
ORDER BY last_contact NULLS FIRST, name LIMIT 300";

/// The liaison report of one country, as far as `role` may read.
pub async fn country(conn: &mut AsyncPgConnection, code: &str, period: Period, role: Role) -> AppResult<CountryReport> {
    let code = code.trim().to_uppercase();
    if !crate::records::is_country_code(&code) {
        return Err(AppError::invalid(
            "country",
            format!("\"{code}\" is not a two-letter country code, e.g. US"),
        ));
    }
    let people = role.allows(Permission::ReadPeople);
    let interactions = role.allows(Permission::ReadInteractions);
    let mut left_out = Vec::new();
    let headline: Headline = diesel::sql_query(HEADLINE)
        .bind::<Date, _>(period.from)
        .bind::<Date, _>(period.to)
        .bind::<Nullable<Text>, _>(Some(code.clone()))
        .get_result(conn)
        .await
        .optional_empty()?
        .unwrap_or_else(|| Headline {
            country: code.clone(),
            ..Default::default()
        });
    let organizations_by_kind = diesel::sql_query(
        "SELECT kind, count(*) AS total, count(*) FILTER (WHERE liaison_status = 'active') AS active, \
         count(*) FILTER (WHERE liaison_status = 'dormant') AS dormant FROM organizations WHERE country = $1 \
         GROUP BY kind ORDER BY count(*) DESC, kind",
    )
    .bind::<Text, _>(&code)
    .load(conn)
    .await?;
    let org_rows = |all: bool| {
        diesel::sql_query(ORGS)
            .bind::<Text, _>(code.clone())
            .bind::<diesel::sql_types::Bool, _>(all)
    };
    let mut organizations: Vec<OrgRow> = org_rows(true).load(conn).await?;
    let mut youth_and_trade: Vec<OrgRow> = org_rows(false).load(conn).await?;
    if !interactions {
        for o in organizations.iter_mut().chain(youth_and_trade.iter_mut()) {
            o.last_contact = None;
        }
    }
    let mut report = CountryReport {
        country: code.clone(),
        period,
        generated_at: Utc::now(),
        headline,
        organizations_by_kind,
        organizations: std::mem::take(&mut organizations),
        youth_and_trade: std::mem::take(&mut youth_and_trade),
        people_by_status: Vec::new(),
        people_by_county: Vec::new(),
        people_by_town: Vec::new(),
        people_by_talent_field: Vec::new(),
        high_level_talents: Vec::new(),
        interactions_by_month: Vec::new(),
        not_contacted: Vec::new(),
        events: Vec::new(),
        follow_ups: Vec::new(),
        left_out: Vec::new(),
    };
    if people {
        report.people_by_status = counts(
            conn,
            "SELECT coalesce(status, 'unknown') AS label, count(*) AS count FROM people WHERE country = $1 \
             GROUP BY 1 ORDER BY 2 DESC, 1",
            &code,
        )
        .await?;
        let by_place = counts(
            conn,
            "SELECT hometown_place_id AS label, count(*) AS count FROM people WHERE country = $1 \
             AND hometown_place_id IS NOT NULL GROUP BY 1",
            &code,
        )
        .await?;
        let (county, town) = by_level(&by_place);
        report.people_by_county = county;
        report.people_by_town = town;
        report.people_by_talent_field = counts(
            conn,
            "SELECT t AS label, count(*) AS count FROM people, unnest(talent_fields) t WHERE country = $1 \
             AND talent_fields <> '{}' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 30",
            &code,
        )
        .await?;
        report.high_level_talents = diesel::sql_query(
            "SELECT id, coalesce(name_zh, name_latin, '') AS name, \
             concat_ws(' · ', occupation, employer, array_to_string(talent_fields, ', ')) AS detail \
             FROM people WHERE country = $1 AND high_level_talent ORDER BY name LIMIT 200",
        )
        .bind::<Text, _>(&code)
        .load(conn)
        .await?;
        let events: Vec<EventRow> = diesel::sql_query(
            "SELECT coalesce(e.name_zh, e.name_en) AS event, e.starts_on, \
             count(*) FILTER (WHERE v.state <> 'cancelled') AS invited, count(*) FILTER (WHERE v.state = 'accepted') AS accepted, \
             count(*) FILTER (WHERE v.checked_in_at IS NOT NULL) AS came \
             FROM invitations v JOIN events e ON e.id = v.event_id JOIN people p ON p.id = v.person_id \
             WHERE p.country = $1 AND e.starts_on BETWEEN $2 AND $3 GROUP BY e.id ORDER BY e.starts_on",
        )
        .bind::<Text, _>(&code)
        .bind::<Date, _>(period.from)
        .bind::<Date, _>(period.to)
        .load(conn)
        .await?;
        report.events = events;
    } else {
        left_out.extend(["people", "events"].map(String::from));
    }
    if interactions {
        let start = first_of_month(Utc::now().date_naive()) - Months::new(23);
        let months: Vec<Count> = diesel::sql_query(
            "WITH touched AS ( \
               SELECT i.id, i.date FROM interactions i JOIN interaction_organizations x ON x.interaction_id = i.id \
               JOIN organizations o ON o.id = x.organization_id WHERE o.country = $1 AND i.date >= $2 \
               UNION \
               SELECT i.id, i.date FROM interactions i JOIN interaction_people x ON x.interaction_id = i.id \
               JOIN people p ON p.id = x.person_id WHERE p.country = $1 AND i.date >= $2), \
             per_month AS (SELECT date_trunc('month', date) AS m, count(*) AS n FROM touched GROUP BY 1) \
             SELECT to_char(g, 'YYYY-MM') AS label, coalesce(per_month.n, 0) AS count \
             FROM generate_series($2::date, current_date, interval '1 month') g LEFT JOIN per_month ON per_month.m = g ORDER BY g",
        )
        .bind::<Text, _>(&code)
        .bind::<Date, _>(start)
        .load(conn)
        .await?;
        report.interactions_by_month = months;
        report.not_contacted = diesel::sql_query(QUIET).bind::<Text, _>(&code).load(conn).await?;
        report.follow_ups = diesel::sql_query(
            "SELECT DISTINCT ON (i.id) i.follow_up, coalesce(p.name_zh, p.name_latin, o.name_zh, o.name_en, '') AS with, i.summary \
             FROM interactions i LEFT JOIN interaction_people ip ON ip.interaction_id = i.id LEFT JOIN people p ON p.id = ip.person_id \
             LEFT JOIN interaction_organizations io ON io.interaction_id = i.id LEFT JOIN organizations o ON o.id = io.organization_id \
             WHERE i.follow_up BETWEEN current_date - 90 AND current_date + 30 AND (p.country = $1 OR o.country = $1) \
             ORDER BY i.id, i.follow_up LIMIT 100",
        )
        .bind::<Text, _>(&code)
        .load(conn)
        .await?;
        report.follow_ups.sort_by_key(|f| f.follow_up);
    } else {
        left_out.extend(["interactions", "not_contacted", "follow_ups"].map(String::from));
    }
    report.left_out = left_out;
    Ok(report)
}

fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).expect("every month has a first day")
}

/// People by place, summed up to the county and kept at the town (places below a town are
/// counted with their town).
fn by_level(by_place: &[Count]) -> (Vec<Count>, Vec<Count>) {
    let places = Places::get();
    let mut county: std::collections::BTreeMap<String, i64> = Default::default();
    let mut town: std::collections::BTreeMap<String, i64> = Default::default();
    for row in by_place {
        let mut chain: Vec<String> = places.ancestors(&row.label);
        chain.reverse();
        chain.push(row.label.clone());
        let levels: Vec<(&str, String)> = chain
            .iter()
            .filter_map(|id| places.by_id(id))
            .map(|p| (p.level.as_str(), p.name_simplified.clone()))
            .collect();
        let is_county = |l: &str| matches!(l, "county-level city" | "district" | "historic county");
        let is_town = |l: &str| matches!(l, "town" | "subdistrict" | "former town" | "historic locality");
        if let Some((_, name)) = levels.iter().find(|(l, _)| is_county(l)) {
            *county.entry(name.clone()).or_default() += row.count;
        }
        if let Some((_, name)) = levels.iter().find(|(l, _)| is_town(l)) {
            *town.entry(name.clone()).or_default() += row.count;
        }
    }
    let sorted = |map: std::collections::BTreeMap<String, i64>| {
        let mut list: Vec<Count> = map.into_iter().map(|(label, count)| Count { label, count }).collect();
        list.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
        list
    };
    let mut towns = sorted(town);
    towns.truncate(20);
    (sorted(county), towns)
}

/// `get_result` that reads "no row" as None.
trait OptionalEmpty<T> {
    fn optional_empty(self) -> Result<Option<T>, diesel::result::Error>;
}

impl<T> OptionalEmpty<T> for Result<T, diesel::result::Error> {
    fn optional_empty(self) -> Result<Option<T>, diesel::result::Error> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(diesel::result::Error::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_read_plainly() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let this = Period::parse(None, None, None, today).unwrap();
        assert_eq!(
            (this.from.to_string(), this.to.to_string()),
            ("2026-01-01".into(), "2026-12-31".into())
        );
        assert_eq!(Period::parse(Some("last_year"), None, None, today).unwrap().from.year(), 2025);
        let custom = Period::parse(None, Some("2024-03-01"), Some("2024-06-30"), today).unwrap();
        assert_eq!(custom.to.to_string(), "2024-06-30");
        assert!(Period::parse(None, Some("2024-06-30"), Some("2024-03-01"), today).is_err());
        assert!(Period::parse(Some("decade"), None, None, today).is_err());
    }
}
