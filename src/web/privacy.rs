//! Consent and people's requests about their data, on the person page: the consent held and
//! how it changed, the form that records a change, the copy of everything held about the
//! person, and erasure.

use std::collections::HashMap;

use axum::Form as Posted;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::context::{Chrome, SignedIn};
use super::people::{self, Shown};
use super::{Lang, see_other};
use crate::api::{PDF, attachment, parse_id};
use crate::app::{App, AppState};
use crate::auth::Permission;
use crate::error::{AppError, AppResult, FieldError};
use crate::privacy::{consent, subject};
use crate::records::ConsentOut;
use crate::schema::{erasures, users};

const JSON: &str = "application/json; charset=utf-8";

/// The purposes offered as boxes to tick; any other is typed.
pub use crate::privacy::consent::PURPOSES;

/// Ways consent is usually given, suggested while the source is typed.
pub const SOURCES: &[&str] = &["consent form", "e-mail", "in person", "phone", "event sign-up"];

/// The consent part of the person page.
pub struct ConsentSection {
    pub status: String,
    /// The purposes held, in words.
    pub purposes: String,
    pub date: Option<NaiveDate>,
    pub history: Vec<ConsentChange>,
}

/// One change of consent, oldest first.
pub struct ConsentChange {
    pub date: NaiveDate,
    pub status: String,
    pub purposes: String,
    pub source: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// The consent held now and every change to it, naming the users who recorded them.
pub async fn consent_section(
    conn: &mut AsyncPgConnection,
    c: &Chrome,
    person: Uuid,
    held: Option<&ConsentOut>,
) -> AppResult<ConsentSection> {
    let history = consent::history(conn, person).await?;
    let names = user_names(conn, history.iter().map(|e| e.recorded_by.as_str())).await?;
    let status = held.map_or("unknown", |h| h.status.as_str());
    Ok(ConsentSection {
        status: status.to_string(),
        // Withdrawn consent holds no purpose, whatever the record still lists.
        purposes: match held {
            Some(h) if status == "granted" => purposes_in_words(c, &h.purposes),
            _ => "—".into(),
        },
        date: held.and_then(|h| h.date),
        history: history
            .into_iter()
            .map(|e| ConsentChange {
                purposes: purposes_in_words(c, &e.purposes),
                source: c.label("source", &e.source),
                by: names
                    .get(&e.recorded_by)
                    .cloned()
                    .unwrap_or_else(|| c.label("recorded_by", &e.recorded_by)),
                date: e.date,
                status: e.status,
                at: e.recorded_at,
            })
            .collect(),
    })
}

/// No purpose named means every purpose.
fn purposes_in_words(c: &Chrome, purposes: &[String]) -> String {
    if purposes.is_empty() {
        return c.t("consent.all_purposes").to_string();
    }
    purposes.iter().map(|p| c.label("purpose", p)).collect::<Vec<_>>().join(", ")
}

/// The names of the users among actor labels (`user:<id>`), by label.
async fn user_names<'a>(conn: &mut AsyncPgConnection, labels: impl Iterator<Item = &'a str>) -> AppResult<HashMap<String, String>> {
    let ids: Vec<Uuid> = labels
        .filter_map(|l| l.strip_prefix("user:"))
        .filter_map(|id| Uuid::parse_str(id).ok())
        .collect();
    let found: Vec<(Uuid, Option<String>, String)> = users::table
        .filter(users::id.eq_any(&ids))
        .select((users::id, users::display_name, users::email))
        .load(conn)
        .await?;
    Ok(found
        .into_iter()
        .map(|(id, name, email)| (format!("user:{id}"), name.unwrap_or(email)))
        .collect())
}

/// The consent form, blank or as sent with its problems.
pub struct ConsentForm {
    pub status: String,
    /// The offered purposes ticked.
    pub ticked: Vec<String>,
    /// Other purposes, as typed.
    pub other: String,
    pub date: String,
    pub source: String,
    /// Problems by field, in the page's language.
    problems: Vec<FieldError>,
}

impl ConsentForm {
    /// Today's date filled in: consent is mostly recorded as it arrives.
    pub fn blank() -> ConsentForm {
        ConsentForm {
            status: String::new(),
            ticked: Vec::new(),
            other: String::new(),
            date: Utc::now().date_naive().to_string(),
            source: String::new(),
            problems: Vec::new(),
        }
    }

    /// The form as sent: `purpose` once for each box ticked.
    fn sent(pairs: &[(String, String)]) -> ConsentForm {
        let one = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim().to_string())
                .unwrap_or_default()
        };
        ConsentForm {
            status: one("status"),
            ticked: pairs.iter().filter(|(k, _)| k == "purpose").map(|(_, v)| v.clone()).collect(),
            other: one("other"),
            date: one("date"),
            source: one("source"),
            problems: Vec::new(),
        }
    }

    /// The change the form asks for; a blank date means today.
    fn change(&self) -> AppResult<consent::Change> {
        let date = match self.date.as_str() {
            "" => None,
            typed => Some(
                NaiveDate::parse_from_str(typed, "%Y-%m-%d")
                    .map_err(|_| AppError::invalid("date", format!("\"{typed}\" is not a date written YYYY-MM-DD")))?,
            ),
        };
        let typed = self
            .other
            .split([',', ';', '，', '；'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string);
        Ok(consent::Change {
            status: self.status.clone(),
            purposes: self.ticked.iter().cloned().chain(typed).collect(),
            date,
            source: self.source.clone(),
        })
    }

    pub fn is_ticked(&self, purpose: &str) -> bool {
        self.ticked.iter().any(|t| t == purpose)
    }

    pub fn has_errors(&self) -> bool {
        !self.problems.is_empty()
    }

    pub fn error(&self, field: &str) -> Option<String> {
        self.problems.iter().find(|p| p.field == field).map(|p| p.message.clone())
    }
}

/// The erasure form, blank or as sent with its problems.
#[derive(Default)]
pub struct EraseForm {
    pub reason: String,
    pub reason_error: Option<String>,
    /// Sent without ticking "I understand this cannot be undone".
    pub not_understood: bool,
}

impl EraseForm {
    pub fn has_errors(&self) -> bool {
        self.reason_error.is_some() || self.not_understood
    }
}

/// Problems with one field each, in the page's language.
fn in_words(lang: Lang, errors: Vec<FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|e| FieldError::new(e.field, lang.field_message(&e.message)))
        .collect()
}

pub async fn record_consent(
    State(app): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Posted(pairs): Posted<Vec<(String, String)>>,
) -> AppResult<Response> {
    who.require(Permission::WriteContacts)?;
    let id = parse_id(&id, "person")?;
    let mut form = ConsentForm::sent(&pairs);
    let recorded = async {
        let change = form.change()?;
        let mut conn = app.conn().await?;
        consent::record(&mut conn, id, &change, &who.actor).await
    }
    .await;
    match recorded {
        Ok(()) => Ok(see_other(&format!("/people/{id}?consent=recorded#consent"))),
        Err(AppError::Invalid(errors)) => {
            form.problems = in_words(who.c.lang, errors);
            let shown = Shown {
                consent: Some(form),
                ..Shown::default()
            };
            people::show(&app, who, id, shown, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e),
    }
}

/// The copy of everything held about the person, to hand over as a file.
pub async fn copy_json(State(app): State<AppState>, who: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    who.require(Permission::DataRights)?;
    let id = parse_id(&id, "person")?;
    let mut conn = app.conn().await?;
    let data = subject::everything(&mut conn, id, &who.actor, "json").await?;
    let bytes = serde_json::to_vec_pretty(&data).map_err(anyhow::Error::from)?;
    Ok(attachment(bytes, JSON, &format!("personal-data-{id}.json")))
}

/// The same copy, printable.
pub async fn copy_pdf(State(app): State<AppState>, who: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    who.require(Permission::DataRights)?;
    let id = parse_id(&id, "person")?;
    let mut conn = app.conn().await?;
    let data = subject::everything(&mut conn, id, &who.actor, "pdf").await?;
    let pdf = crate::pdf::from_html(&subject::html(&data)).await?;
    Ok(attachment(pdf, PDF, &format!("personal-data-{id}.pdf")))
}

#[derive(Deserialize)]
pub struct EraseSent {
    #[serde(default)]
    reason: String,
    /// The checkbox: present only when ticked.
    understood: Option<String>,
}

/// Erases the person once the admin has given a reason and ticked that it cannot be undone;
/// the home page then says what went.
pub async fn erase(
    State(app): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Posted(sent): Posted<EraseSent>,
) -> AppResult<Response> {
    who.require(Permission::DataRights)?;
    let id = parse_id(&id, "person")?;
    if sent.understood.is_none() {
        let form = EraseForm {
            reason: sent.reason,
            reason_error: None,
            not_understood: true,
        };
        return erase_refused(&app, who, id, form).await;
    }
    let erased = {
        let mut conn = app.conn().await?;
        subject::erase(&mut conn, id, &sent.reason, &who.actor).await
    };
    match erased {
        Ok((erasure, _)) => Ok(see_other(&format!("/?erased={erasure}"))),
        Err(AppError::Invalid(errors)) => {
            let form = EraseForm {
                reason: sent.reason,
                reason_error: in_words(who.c.lang, errors).into_iter().next().map(|e| e.message),
                not_understood: false,
            };
            erase_refused(&app, who, id, form).await
        }
        Err(e) => Err(e),
    }
}

/// The person page again, with the erasure form open and what is missing.
async fn erase_refused(app: &App, who: SignedIn, id: Uuid, form: EraseForm) -> AppResult<Response> {
    let shown = Shown {
        erase: Some(form),
        ..Shown::default()
    };
    people::show(app, who, id, shown, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// What an erasure removed and what it kept, as the notice after it says.
pub async fn erased_notice(conn: &mut AsyncPgConnection, c: &Chrome, erasure: Uuid) -> AppResult<Option<String>> {
    let counts: Option<Value> = erasures::table
        .find(erasure)
        .select(erasures::counts)
        .first(conn)
        .await
        .optional()?;
    Ok(counts.map(|counts| {
        let n = |key: &str| counts[key].as_i64().unwrap_or(0).to_string();
        c.t("erase.done")
            .replace("{memberships}", &n("memberships"))
            .replace("{interactions}", &n("interactions"))
            .replace("{invitations}", &n("invitations"))
            .replace("{consent}", &n("consent_events"))
            .replace("{shared}", &n("shared_interactions_kept"))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_purpose_and_source_has_words() {
        for code in PURPOSES {
            assert_ne!(Lang::Zh.label("purpose", code), *code, "{code}");
        }
        for code in SOURCES {
            assert_ne!(Lang::Zh.label("source", code), *code, "{code}");
        }
    }

    #[test]
    fn ticked_and_typed_purposes_make_one_change() {
        let pairs: Vec<(String, String)> = [("status", "withdrawn"), ("purpose", "events"), ("other", "choir; "), ("date", "")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let change = ConsentForm::sent(&pairs).change().unwrap();
        assert_eq!(change.purposes, ["events", "choir"]);
        assert_eq!(change.date, None);
    }
}
