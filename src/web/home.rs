//! The home page: what needs attention today.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Text};
use diesel_async::RunQueryDsl;

use super::context::{Chrome, SignedIn};
use super::render;
use crate::app::AppState;
use crate::auth::Permission;
use crate::error::AppResult;
use crate::models::ImportRun;
use crate::schema::import_runs;

/// A follow-up is due from two weeks ahead, and stays due until a later contact with the
/// same person or organization is logged.
const FOLLOW_UPS: &str = "
    SELECT i.follow_up, i.kind, i.summary, pp.id AS person_id, pp.name AS person_name,
           oo.id AS organization_id, oo.name AS organization_name
    FROM interactions i
    LEFT JOIN LATERAL (
        SELECT p.id, coalesce(p.name_zh, p.name_latin, p.other_names[1]) AS name
        FROM interaction_people ip JOIN people p ON p.id = ip.person_id
        WHERE ip.interaction_id = i.id ORDER BY 2 LIMIT 1) pp ON true
    LEFT JOIN LATERAL (
        SELECT o.id, coalesce(o.name_zh, o.name_en, o.other_names[1]) AS name
        FROM interaction_organizations io JOIN organizations o ON o.id = io.organization_id
        WHERE io.interaction_id = i.id ORDER BY 2 LIMIT 1) oo ON true
    WHERE i.follow_up BETWEEN current_date - 90 AND current_date + 14
      AND NOT EXISTS (
        SELECT 1 FROM interactions j
        JOIN interaction_people jp ON jp.interaction_id = j.id
        JOIN interaction_people ip ON ip.person_id = jp.person_id AND ip.interaction_id = i.id
        WHERE j.date > i.date)
      AND NOT EXISTS (
        SELECT 1 FROM interactions j
        JOIN interaction_organizations jo ON jo.interaction_id = j.id
        JOIN interaction_organizations io ON io.organization_id = jo.organization_id AND io.interaction_id = i.id
        WHERE j.date > i.date)
    ORDER BY i.follow_up LIMIT 20";

/// Organizations still in liaison with no contact logged for a year, longest first.
const NOT_CONTACTED: &str = "
    WITH last AS (
        SELECT o.id, coalesce(o.name_zh, o.name_en, o.other_names[1], '') AS name, o.country, o.kind,
               (SELECT max(i.date) FROM interaction_organizations io JOIN interactions i ON i.id = io.interaction_id
                WHERE io.organization_id = o.id) AS last_contact
        FROM organizations o WHERE o.liaison_status <> 'closed')
    SELECT id, name, country, kind, last_contact, count(*) OVER () AS total
    FROM last WHERE last_contact IS NULL OR last_contact < current_date - 365
    ORDER BY last_contact NULLS FIRST, name LIMIT 15";

#[derive(QueryableByName)]
pub struct FollowUp {
    #[diesel(sql_type = Date)]
    pub follow_up: NaiveDate,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub summary: String,
    #[diesel(sql_type = Nullable<diesel::sql_types::Uuid>)]
    pub person_id: Option<uuid::Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    pub person_name: Option<String>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Uuid>)]
    pub organization_id: Option<uuid::Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    pub organization_name: Option<String>,
}

impl FollowUp {
    pub fn overdue(&self) -> bool {
        self.follow_up < Utc::now().date_naive()
    }
}

#[derive(QueryableByName)]
pub struct Quiet {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub id: uuid::Uuid,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub country: String,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Nullable<Date>)]
    pub last_contact: Option<NaiveDate>,
    #[diesel(sql_type = BigInt)]
    pub total: i64,
}

pub struct RecentImport {
    pub at: DateTime<Utc>,
    pub source: String,
    pub dry_run: bool,
    pub created: u64,
    pub updated: u64,
    pub rejected: u64,
}

impl From<ImportRun> for RecentImport {
    fn from(run: ImportRun) -> RecentImport {
        let total = |key: &str| {
            run.summary["counts"]
                .as_object()
                .map(|types| types.values().filter_map(|c| c[key].as_u64()).sum())
                .unwrap_or(0)
        };
        RecentImport {
            at: run.started_at,
            created: total("created"),
            updated: total("updated"),
            rejected: total("rejected"),
            source: run.source,
            dry_run: run.dry_run,
        }
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomeView {
    c: Chrome,
    events: Vec<crate::models::Event>,
    follow_ups: Vec<FollowUp>,
    quiet: Vec<Quiet>,
    quiet_total: i64,
    imports: Vec<RecentImport>,
    /// What an erasure just removed.
    erased: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct HomeQuery {
    erased: Option<uuid::Uuid>,
}

pub async fn page(State(app): State<AppState>, who: SignedIn, Query(q): Query<HomeQuery>) -> AppResult<Response> {
    who.require(Permission::ReadDirectory)?;
    let mut conn = app.conn().await?;
    let erased = match q.erased {
        Some(erasure) if who.c.can_answer_data_requests() => super::privacy::erased_notice(&mut conn, &who.c, erasure).await?,
        _ => None,
    };
    let (follow_ups, quiet) = if who.c.can_read_interactions() {
        let follow_ups: Vec<FollowUp> = diesel::sql_query(FOLLOW_UPS).load(&mut conn).await?;
        let quiet: Vec<Quiet> = diesel::sql_query(NOT_CONTACTED).load(&mut conn).await?;
        (follow_ups, quiet)
    } else {
        (Vec::new(), Vec::new())
    };
    let imports: Vec<ImportRun> = if who.c.can_import() {
        import_runs::table
            .order(import_runs::started_at.desc())
            .limit(5)
            .select(ImportRun::as_select())
            .load(&mut conn)
            .await?
    } else {
        Vec::new()
    };
    let events = {
        use crate::schema::events;
        events::table
            .filter(events::starts_on.ge(Utc::now().date_naive() - chrono::Duration::days(1)))
            .filter(events::status.ne("held"))
            .order(events::starts_on)
            .limit(5)
            .select(crate::models::Event::as_select())
            .load(&mut conn)
            .await?
    };
    Ok(render(&HomeView {
        events,
        quiet_total: quiet.get(0).map_or(0, |q| q.total),
        c: who.c,
        follow_ups,
        quiet,
        imports: imports.into_iter().map(Into::into).collect(),
        erased,
    }))
}
