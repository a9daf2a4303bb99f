//! The report pages: the overview of every country and one country's dossier, with charts,
//! a period selector, and the same report as Excel, PDF or CSV in Chinese or English.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::Lang;
use super::context::{Chrome, SignedIn};
use super::render;
use crate::api::reports::{ReportQuery, country_report, overview_report};
use crate::app::AppState;
use crate::error::AppResult;
use crate::reports::files::bearers;
use crate::reports::{CountryReport, Headline, Period, charts};

/// The charts of a country report, drawn as SVG.
pub struct Charts {
    pub kinds: String,
    pub statuses: String,
    pub counties: String,
    pub towns: String,
    pub talents: String,
    pub months: String,
}

impl Charts {
    fn new(r: &CountryReport, lang: Lang) -> Charts {
        let rows = |list: &[crate::reports::Count], group: Option<&str>| {
            list.iter()
                .map(|c| (group.map_or(c.label.clone(), |g| lang.label(g, &c.label)), c.count))
                .collect::<Vec<_>>()
        };
        Charts {
            kinds: charts::bars(
                &r.organizations_by_kind
                    .iter()
                    .map(|k| (lang.label("kind", &k.kind), k.total))
                    .collect::<Vec<_>>(),
            ),
            statuses: charts::bars(&rows(&r.people_by_status, Some("status"))),
            counties: charts::bars(&rows(&r.people_by_county, None)),
            towns: charts::bars(&rows(&r.people_by_town, None)),
            talents: charts::bars(&rows(&r.people_by_talent_field[..r.people_by_talent_field.len().min(15)], None)),
            months: charts::line(&rows(&r.interactions_by_month, None)),
        }
    }
}

/// What both the page and the printed dossier show.
pub struct Dossier {
    pub r: CountryReport,
    pub ch: Charts,
}

impl Dossier {
    pub fn bearers(&self, stored: &str, lang: &Lang) -> String {
        bearers(stored, *lang)
    }

    /// Whether the reader's role lets the report show this section.
    pub fn shows(&self, section: &str) -> bool {
        !self.r.left_out.iter().any(|s| s == section)
    }
}

#[derive(Template)]
#[template(path = "report_country.html")]
struct CountryPage {
    c: Chrome,
    d: Dossier,
    q: PeriodForm,
}

#[derive(Template)]
#[template(path = "print/report_country.html")]
struct CountryPrint {
    c: Chrome,
    d: Dossier,
    css: &'static str,
}

/// The period as the form shows it, and the query that keeps it for the download links.
pub struct PeriodForm {
    pub period: String,
    pub from: String,
    pub to: String,
    pub query: String,
}

impl PeriodForm {
    fn new(q: &ReportQuery, period: Period) -> PeriodForm {
        let name = q
            .period
            .clone()
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| if q.from.is_some() { "custom".into() } else { "this_year".into() });
        PeriodForm {
            query: format!("period={name}&from={}&to={}", period.from, period.to),
            period: name,
            from: period.from.to_string(),
            to: period.to.to_string(),
        }
    }
}

const PRINT_CSS: &str = include_str!("../../assets/app.css");

pub fn print_country(r: &CountryReport, lang: Lang) -> AppResult<String> {
    let view = CountryPrint {
        c: Chrome::anonymous(lang),
        d: Dossier {
            ch: Charts::new(r, lang),
            r: r.clone(),
        },
        css: PRINT_CSS,
    };
    Ok(view.render().map_err(anyhow::Error::from)?)
}

pub async fn country(
    State(app): State<AppState>,
    who: SignedIn,
    Path(code): Path<String>,
    Query(q): Query<ReportQuery>,
) -> AppResult<Response> {
    match country_report(&app, &who.actor, &code, &q, print_country).await? {
        Ok(file) => Ok(file),
        Err(report) => {
            let (_, _, period) = q.parts()?;
            let ch = Charts::new(&report, who.c.lang);
            Ok(render(&CountryPage {
                c: who.c,
                d: Dossier { r: report, ch },
                q: PeriodForm::new(&q, period),
            }))
        }
    }
}

#[derive(Template)]
#[template(path = "report_overview.html")]
struct OverviewPage {
    c: Chrome,
    rows: Vec<Headline>,
    chart: String,
    q: PeriodForm,
}

#[derive(Template)]
#[template(path = "print/report_overview.html")]
struct OverviewPrint {
    c: Chrome,
    rows: Vec<Headline>,
    chart: String,
    period: Period,
    css: &'static str,
}

fn ranking(rows: &[Headline]) -> String {
    let mut top: Vec<(String, i64)> = rows.iter().map(|h| (h.country.clone(), h.people)).collect();
    top.sort_by(|a, b| b.1.cmp(&a.1));
    top.truncate(15);
    charts::bars(&top)
}

pub fn print_overview(rows: &[Headline], period: Period, lang: Lang) -> AppResult<String> {
    let view = OverviewPrint {
        c: Chrome::anonymous(lang),
        chart: ranking(rows),
        rows: rows.to_vec(),
        period,
        css: PRINT_CSS,
    };
    Ok(view.render().map_err(anyhow::Error::from)?)
}

#[derive(Deserialize, Default)]
pub struct SortQuery {
    sort: Option<String>,
}

pub async fn overview(
    State(app): State<AppState>,
    who: SignedIn,
    Query(q): Query<ReportQuery>,
    Query(s): Query<SortQuery>,
) -> AppResult<Response> {
    match overview_report(&app, &who.actor, &q, print_overview).await? {
        Ok(file) => Ok(file),
        Err((mut rows, period)) => {
            let sort = s.sort.unwrap_or_else(|| "people".into());
            match sort.as_str() {
                "country" => rows.sort_by(|a, b| a.country.cmp(&b.country)),
                "organizations" => rows.sort_by(|a, b| b.organizations.cmp(&a.organizations)),
                "interactions" => rows.sort_by(|a, b| b.interactions.cmp(&a.interactions)),
                "last_contact" => rows.sort_by(|a, b| a.last_contact.cmp(&b.last_contact)),
                "talents" => rows.sort_by(|a, b| b.high_level_talents.cmp(&a.high_level_talents)),
                _ => rows.sort_by(|a, b| b.people.cmp(&a.people)),
            }
            Ok(render(&OverviewPage {
                chart: ranking(&rows),
                c: who.c,
                rows,
                q: PeriodForm::new(&q, period),
            }))
        }
    }
}
