//! The officers' web app: pages rendered on the server in Chinese or English, over the
//! same operations as the JSON API. Every page handler takes a `SignedIn` (or is the
//! log-in page), checks the permission it needs first, and reads like its use case.

pub mod account;
pub mod admin;
pub mod assets;
pub mod context;
pub mod duplicates;
pub mod events;
pub mod forms;
pub mod home;
mod i18n;
pub mod imports;
pub mod organizations;
pub mod people;
pub mod privacy;
pub mod records;
pub mod reports;
pub mod rsvp;
pub mod search;
pub mod session;
mod words;

pub use i18n::Lang;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

/// A page as HTML; a template that fails to render is our fault, logged, and a plain 500.
pub fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a page failed to render");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A page with a status other than 200 (a form shown again with its problems: 422).
pub fn render_status(status: StatusCode, template: &impl Template) -> Response {
    (status, render(template)).into_response()
}

/// After a form is stored: "see other", so reloading does not send it again.
pub fn see_other(path: &str) -> Response {
    Redirect::to(path).into_response()
}

/// A path to come back to after a form, only ever one of ours.
pub fn local_path(path: Option<&str>) -> String {
    match path {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_string(),
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/people/1")), "/people/1");
        assert_eq!(local_path(Some("//evil.example")), "/");
        assert_eq!(local_path(Some("https://evil.example")), "/");
        assert_eq!(local_path(Some("/\\evil.example")), "/");
        assert_eq!(local_path(None), "/");
    }
}
