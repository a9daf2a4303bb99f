//! Liaison reports: the overview of every country and one country's report, as JSON, CSV,
//! Excel or PDF, in Chinese or English. Reading one is audited (it names people); so is
//! every file.

use axum::Json;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::{Params, State};
use crate::app::App;
use crate::audit;
use crate::auth::{Actor, CurrentUser, Permission};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::reports::files::{self, Format};
use crate::reports::{self, CountryReport, Headline, Period};
use crate::web::Lang;

#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct ReportQuery {
    /// json (default), csv, xlsx or pdf
    pub format: Option<String>,
    /// zh (default) or en
    pub lang: Option<String>,
    /// this_year (default), last_year or custom (with from and to)
    pub period: Option<String>,
    /// YYYY-MM-DD
    pub from: Option<String>,
    /// YYYY-MM-DD
    pub to: Option<String>,
}

impl ReportQuery {
    pub fn parts(&self) -> AppResult<(Format, Lang, Period)> {
        let format = Format::parse(self.format.as_deref())?;
        let lang = match self.lang.as_deref() {
            None => Lang::Zh,
            Some(l) => Lang::parse(l).ok_or_else(|| AppError::invalid("lang", "should be zh or en"))?,
        };
        let period = Period::parse(
            self.period.as_deref().filter(|p| !p.is_empty()),
            self.from.as_deref().filter(|f| !f.is_empty()),
            self.to.as_deref().filter(|t| !t.is_empty()),
            chrono::Utc::now().date_naive(),
        )?;
        Ok((format, lang, period))
    }
}

/// A report file as a download.
fn file(bytes: Vec<u8>, format: Format, name: &str) -> Response {
    let kind = match format {
        Format::Json => "application/json",
        Format::Csv => super::CSV,
        Format::Xlsx => super::XLSX,
        Format::Pdf => super::PDF,
    };
    super::attachment(bytes, kind, &format!("{name}.{}", format.extension()))
}

/// One country's report in the asked format; `print` turns the report into the printable
/// page for the PDF.
pub async fn country_report(
    app: &App,
    actor: &Actor,
    code: &str,
    q: &ReportQuery,
    print: impl FnOnce(&CountryReport, Lang) -> AppResult<String>,
) -> AppResult<Result<Response, CountryReport>> {
    actor.require(Permission::ReadDirectory)?;
    let (format, lang, period) = q.parts()?;
    if format != Format::Json {
        actor.require(Permission::Export)?;
    }
    let mut conn = app.conn().await?;
    let report = reports::country(&mut conn, code, period, actor.role).await?;
    let action = if format == Format::Json { "read" } else { "export" };
    let detail = json!({ "country": report.country, "format": format.extension(), "from": period.from, "to": period.to });
    audit::record(&mut conn, actor, action, "report", None, detail).await?;
    let name = format!("report-{}-{}", report.country, lang.code());
    Ok(match format {
        Format::Json => Err(report),
        Format::Csv => Ok(file(files::csv(&files::country_tables(&report, lang))?, format, &name)),
        Format::Xlsx => Ok(file(files::xlsx(&files::country_tables(&report, lang))?, format, &name)),
        Format::Pdf => Ok(file(crate::pdf::from_html(&print(&report, lang)?).await?, format, &name)),
    })
}

/// The overview in the asked format (JSON is the rows themselves).
pub async fn overview_report(
    app: &App,
    actor: &Actor,
    q: &ReportQuery,
    print: impl FnOnce(&[Headline], Period, Lang) -> AppResult<String>,
) -> AppResult<Result<Response, (Vec<Headline>, Period)>> {
    actor.require(Permission::ReadDirectory)?;
    let (format, lang, period) = q.parts()?;
    if format != Format::Json {
        actor.require(Permission::Export)?;
    }
    let mut conn = app.conn().await?;
    let rows = reports::overview(&mut conn, period).await?;
    if format != Format::Json {
        let detail = json!({ "countries": rows.len(), "format": format.extension(), "from": period.from, "to": period.to });
        audit::record(&mut conn, actor, "export", "report", None, detail).await?;
    }
    let name = format!("countries-{}", lang.code());
    let table = || vec![files::overview_table(&rows, lang)];
    Ok(match format {
        Format::Json => Err((rows, period)),
        Format::Csv => Ok(file(files::csv(&table())?, format, &name)),
        Format::Xlsx => Ok(file(files::xlsx(&table())?, format, &name)),
        Format::Pdf => Ok(file(crate::pdf::from_html(&print(&rows, period, lang)?).await?, format, &name)),
    })
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Overview {
    pub period: Period,
    pub countries: Vec<Headline>,
}

#[utoipa::path(get, path = "/api/v1/reports/countries", tag = "reports", params(ReportQuery),
    responses((status = 200, body = Overview), (status = 422, body = ErrorBody)))]
pub async fn overview(app: State, CurrentUser(actor): CurrentUser, Params(q): Params<ReportQuery>) -> AppResult<Response> {
    let printed = overview_report(&app, &actor, &q, crate::web::reports::print_overview).await?;
    Ok(match printed {
        Ok(file) => file,
        Err((countries, period)) => Json(Overview { period, countries }).into_response(),
    })
}

#[utoipa::path(get, path = "/api/v1/reports/countries/{cc}", tag = "reports", params(ReportQuery),
    responses((status = 200, body = CountryReport), (status = 422, body = ErrorBody)))]
pub async fn country(
    app: State,
    CurrentUser(actor): CurrentUser,
    Path(code): Path<String>,
    Params(q): Params<ReportQuery>,
) -> AppResult<Response> {
    Ok(
        match country_report(&app, &actor, &code, &q, crate::web::reports::print_country).await? {
            Ok(file) => file,
            Err(report) => Json(report).into_response(),
        },
    )
}
