//! One error type for the whole service, turned into the contract's JSON error shape.
//! The cause of a 500 goes to the log only; the user gets a plain sentence.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// A problem with one field of a request, in words an officer understands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// The field, e.g. `country` or `memberships[1].role`.
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("please sign in or give an API token")]
    Unauthenticated,
    #[error("your role ({role}) may not {action}")]
    Forbidden { role: &'static str, action: &'static str },
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("the request is not valid: {}", summary(.0))]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    #[error("the upload is too large: the limit is {limit}; split the file into smaller ones")]
    TooLarge { limit: String },
    #[error("the request took longer than {seconds} seconds and was stopped before it finished; please try again, or with less at once")]
    TimedOut { seconds: u64 },
    #[error("search is unavailable right now; records are safe and become searchable when it returns")]
    SearchUnavailable(String),
    #[error("the database is busy or unreachable; please try again in a moment")]
    Unavailable(#[source] anyhow::Error),
    #[error("something went wrong on our side; the details are in the server log")]
    Internal(anyhow::Error),
}

fn summary(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

impl AppError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> AppError {
        AppError::Invalid(vec![FieldError::new(field, message)])
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden { .. } => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TimedOut { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Unavailable(_) | AppError::SearchUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The error as a web page shows it.
    pub fn page(&self) -> ErrorPage {
        ErrorPage {
            code: self.code(),
            message: self.to_string(),
            forbidden: match self {
                AppError::Forbidden { role, action } => Some((*role, *action)),
                _ => None,
            },
            fields: match self {
                AppError::Invalid(fields) => fields.clone(),
                _ => Vec::new(),
            },
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden { .. } => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::Invalid(_) => "invalid",
            AppError::BadRequest(_) => "bad_request",
            AppError::Conflict(_) => "conflict",
            AppError::TooLarge { .. } => "too_large",
            AppError::TimedOut { .. } => "timed_out",
            AppError::Unavailable(_) => "unavailable",
            AppError::SearchUnavailable(_) => "search_unavailable",
            AppError::Internal(_) => "internal",
        }
    }
}

/// The contract's error body: `{"error": {"code": ..., "message": ..., "fields": [...]}}`.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    /// For `invalid`: every field that was wrong.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

/// The error as a web page shows it; every error response carries one in its extensions.
#[derive(Clone, Debug)]
pub struct ErrorPage {
    pub code: &'static str,
    /// The message in English, as the API sends it.
    pub message: String,
    /// For `forbidden`: the role and what it may not do.
    pub forbidden: Option<(&'static str, &'static str)>,
    pub fields: Vec<FieldError>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Internal(cause) => {
                tracing::error!(error = %crate::logging::redact(&format!("{cause:#}")), "request failed")
            }
            AppError::Unavailable(cause) => {
                tracing::warn!(error = %crate::logging::redact(&format!("{cause:#}")), "dependency unavailable")
            }
            AppError::SearchUnavailable(cause) => tracing::warn!(error = %cause, "search backend unavailable"),
            _ => {}
        }
        let page = self.page();
        let body = ErrorBody {
            error: ErrorDetail {
                code: page.code.to_string(),
                message: page.message.clone(),
                fields: page.fields.clone(),
            },
        };
        let mut response = (self.status(), Json(body)).into_response();
        response.extensions_mut().insert(page);
        response
    }
}

/// Whether a database error means the server is gone for now (restarting, shutting down,
/// the connection cut) rather than anything wrong with the request.
fn database_away(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        // The driver could not send the query: the connection is gone.
        Error::DatabaseError(DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand, _)
        | Error::BrokenTransactionManager => true,
        // PostgreSQL's own words while it stops or starts.
        Error::DatabaseError(DatabaseErrorKind::Unknown, info) => [
            "terminating connection",
            "the database system is shutting down",
            "the database system is starting up",
        ]
        .iter()
        .any(|m| info.message().contains(m)),
        _ => false,
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> AppError {
        let away = e.chain().any(|cause| {
            cause.downcast_ref::<diesel::result::Error>().is_some_and(database_away)
                || cause.downcast_ref::<diesel_async::pooled_connection::deadpool::PoolError>().is_some()
        });
        if away { AppError::Unavailable(e) } else { AppError::Internal(e) }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> AppError {
        use diesel::result::{DatabaseErrorKind, Error};
        if database_away(&e) {
            return AppError::Unavailable(e.into());
        }
        match e {
            Error::NotFound => AppError::NotFound("record"),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => AppError::Conflict(format!(
                "a record with the same key already exists ({})",
                info.constraint_name().unwrap_or("unique key")
            )),
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                AppError::Conflict("the record refers to something that does not exist, or is still referred to".into())
            }
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for AppError {
    fn from(e: diesel_async::pooled_connection::deadpool::PoolError) -> AppError {
        AppError::Unavailable(e.into())
    }
}

pub type AppResult<T> = Result<T, AppError>;
