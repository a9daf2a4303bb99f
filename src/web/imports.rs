//! The import page: upload a file in the interchange format, or check it with a dry run,
//! and read the report of stored and rejected records with their line numbers.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::context::{Chrome, SignedIn};
use super::{render, render_status};
use crate::api::imports::run_upload;
use crate::app::AppState;
use crate::auth::Permission;
use crate::error::{AppError, AppResult};
use crate::import::{Counts, Options, Report};

#[derive(Template)]
#[template(path = "import.html")]
struct ImportView {
    c: Chrome,
    report: Option<ReportView>,
    problem: Option<String>,
}

pub struct ReportView {
    pub file: String,
    pub stored: bool,
    pub dry_run: bool,
    pub strict: bool,
    pub counts: Vec<(String, Counts)>,
    pub rejected: u64,
    pub errors: Vec<ProblemView>,
    pub warnings: Vec<ProblemView>,
    pub warnings_not_listed: u64,
}

pub struct ProblemView {
    pub location: String,
    pub field: String,
    pub message: String,
}

impl ReportView {
    fn new(file: String, report: Report, c: &Chrome) -> ReportView {
        let problems = |list: Vec<crate::import::Problem>| {
            list.into_iter()
                .map(|p| ProblemView {
                    location: c.lang.location(&p.location),
                    field: p.field.unwrap_or_default(),
                    message: c.lang.field_message(&p.message),
                })
                .collect()
        };
        ReportView {
            file,
            stored: report.stored,
            dry_run: report.dry_run,
            strict: report.strict,
            rejected: report.rejected(),
            counts: report.counts.into_iter().collect(),
            errors: problems(report.errors),
            warnings: problems(report.warnings),
            warnings_not_listed: report.warnings_not_listed,
        }
    }
}

pub async fn page(who: SignedIn) -> AppResult<Response> {
    who.require(Permission::Import)?;
    Ok(render(&ImportView {
        c: who.c,
        report: None,
        problem: None,
    }))
}

pub async fn upload(State(app): State<AppState>, who: SignedIn, mut parts: Multipart) -> AppResult<Response> {
    who.require(Permission::Import)?;
    let unreadable = |e: axum::extract::multipart::MultipartError| AppError::BadRequest(format!("the upload could not be read: {e}"));
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut options = Options {
        strict: false,
        dry_run: false,
    };
    while let Some(field) = parts.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_string();
                let bytes = field.bytes().await.map_err(unreadable)?;
                if !name.is_empty() {
                    file = Some((name, bytes.to_vec()));
                }
            }
            Some("dry_run") => options.dry_run = true,
            Some("strict") => options.strict = true,
            _ => {}
        }
    }
    let Some((name, bytes)) = file else {
        let view = ImportView {
            problem: Some(who.c.t("import.no_file").to_string()),
            c: who.c,
            report: None,
        };
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &view));
    };
    match run_upload(&app, &who.actor, &name, &bytes, &options).await {
        Ok(report) => Ok(render(&ImportView {
            report: Some(ReportView::new(name, report, &who.c)),
            c: who.c,
            problem: None,
        })),
        // A file we cannot read at all is said on the page, with the form to try again.
        Err(e @ (AppError::BadRequest(_) | AppError::Invalid(_))) => {
            let view = ImportView {
                problem: Some(who.c.lang.message(&e.page())),
                c: who.c,
                report: None,
            };
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &view))
        }
        Err(e) => Err(e),
    }
}
