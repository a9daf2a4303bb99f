//! What one request may take: a body of at most so many bytes, and so much time. Imports
//! get a larger allowance than forms and JSON. Past either, the request is stopped with
//! an error in words (413 or 503), not left to hang or to fill the memory.

use axum::body::{Body, HttpBody};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::error::{AppError, ErrorPage};

/// The routes that receive import files.
const UPLOADS: &[&str] = &["/api/v1/imports", "/import"];

pub async fn guard(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let limits = &app.config.limits;
    let upload = req
        .extensions()
        .get::<MatchedPath>()
        .is_some_and(|p| UPLOADS.contains(&p.as_str()));
    let (max_bytes, time) = if upload {
        (limits.upload_bytes, limits.upload_timeout)
    } else {
        (limits.body_bytes, limits.request_timeout)
    };
    let too_large = || {
        AppError::TooLarge {
            limit: size_in_words(max_bytes),
        }
        .into_response()
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max_bytes) || req.body().size_hint().lower() > max_bytes {
        return too_large();
    }
    // A body sent without its length, or longer than it said, is cut off at the limit.
    let req = req.map(|body| Body::new(http_body_util::Limited::new(body, max_bytes as usize)));
    match tokio::time::timeout(time, next.run(req)).await {
        // Extractors that hit the limit know nothing of it: the answer is worded here.
        Ok(response)
            if response.status() == StatusCode::PAYLOAD_TOO_LARGE
                && response.extensions().get::<ErrorPage>().is_none_or(|page| page.code == "too_large") =>
        {
            too_large()
        }
        Ok(response) => response,
        Err(_) => AppError::TimedOut { seconds: time.as_secs() }.into_response(),
    }
}

/// `512 MB`, `64 KB`.
fn size_in_words(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB && bytes % MB == 0 {
        format!("{} MB", bytes / MB)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}
