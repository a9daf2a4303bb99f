//! The guest's RSVP page, reached by the link in the invitation: no sign-in, the guest's
//! language, accept or decline with party size, dietary needs and arrival date, and the QR
//! code to show at the door. A wrong token gets a polite page that reveals nothing.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Deserialize;

use super::render_status;
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::events::letters::{WORDS, Words, words};
use crate::events::mail::door_code;
use crate::events::{self, Answer};
use crate::models::{Event, Invitation, Person};
use crate::schema::{events as events_table, invitations, people};

#[derive(Template)]
#[template(path = "rsvp.html")]
struct RsvpView {
    w: &'static Words,
    languages: &'static [Words],
    token: String,
    event_name: String,
    guest: String,
    date: String,
    venue: String,
    state: String,
    open: bool,
    max_party: i32,
    party_size: i32,
    dietary: String,
    arrival: String,
    code: String,
    qr: String,
    message: Option<String>,
    problem: Option<String>,
}

#[derive(Template)]
#[template(path = "rsvp_unknown.html")]
struct UnknownView {
    w: &'static Words,
    english: &'static Words,
}

#[derive(Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

async fn find(app: &AppState, token: &str) -> AppResult<Option<(Invitation, Person, Event)>> {
    let mut conn = app.conn().await?;
    Ok(invitations::table
        .inner_join(people::table)
        .inner_join(events_table::table)
        .filter(invitations::token.eq(token))
        .select((Invitation::as_select(), Person::as_select(), Event::as_select()))
        .first(&mut conn)
        .await
        .optional()?)
}

fn unknown() -> Response {
    render_status(
        StatusCode::NOT_FOUND,
        &UnknownView {
            w: words("zh-Hans"),
            english: words("en"),
        },
    )
}

fn qr_svg(token: &str) -> String {
    match qrcode::QrCode::new(token.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(180, 180)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

fn view(lang: Option<&str>, invitation: Invitation, person: Person, event: Event) -> RsvpView {
    let w = words(lang.unwrap_or(&invitation.language));
    let chinese = w.lang.starts_with("zh");
    let pick = |zh: &Option<String>, other: &Option<String>| {
        if chinese {
            zh.clone().or(other.clone())
        } else {
            other.clone().or(zh.clone())
        }
        .unwrap_or_default()
    };
    RsvpView {
        w,
        languages: WORDS,
        event_name: pick(&event.name_zh, &event.name_en),
        guest: pick(&person.name_zh, &person.name_latin),
        date: match event.ends_on {
            Some(end) if end != event.starts_on => format!("{} – {end}", event.starts_on),
            _ => event.starts_on.to_string(),
        },
        venue: event.venue.clone().unwrap_or_default(),
        state: invitation.state.clone(),
        open: event.open_for_answers() && invitation.state != "cancelled",
        max_party: 1 + invitation.plus_ones,
        party_size: invitation.party_size.unwrap_or(1),
        dietary: invitation.dietary.clone().unwrap_or_default(),
        arrival: invitation.arrival_date.map(|d| d.to_string()).unwrap_or_default(),
        code: door_code(&invitation.token),
        qr: qr_svg(&invitation.token),
        token: invitation.token,
        message: None,
        problem: None,
    }
}

/// One invitation letter, on screen or printed.
pub struct LetterText {
    pub html_lang: &'static str,
    pub subject: String,
    pub paragraphs: Vec<String>,
    pub qr: String,
    pub code: String,
    pub code_label: &'static str,
}

impl LetterText {
    pub fn new(config: &crate::config::Config, invitation: &Invitation, person: &Person, event: &Event) -> LetterText {
        let (subject, body) = crate::events::mail::letter_text(config, invitation, person, event);
        let w = words(&invitation.language);
        LetterText {
            html_lang: w.html_lang,
            subject,
            paragraphs: body.trim_end().split("\n\n").map(str::to_string).collect(),
            qr: qr_svg(&invitation.token),
            code: door_code(&invitation.token),
            code_label: w.code,
        }
    }
}

#[derive(Template)]
#[template(path = "letter.html")]
struct LetterView {
    l: LetterText,
}

/// The invitation as a printable letter, for guests reached by post or WeChat: the same
/// text as the mail, with the QR code for the door.
pub async fn letter(State(app): State<AppState>, who: super::context::SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    who.require(crate::auth::Permission::ManageEvents)?;
    let id = crate::api::parse_id(&id, "invitation")?;
    let mut conn = app.conn().await?;
    let (invitation, person, event): (Invitation, Person, Event) = invitations::table
        .inner_join(people::table)
        .inner_join(events_table::table)
        .filter(invitations::id.eq(id))
        .select((Invitation::as_select(), Person::as_select(), Event::as_select()))
        .first(&mut conn)
        .await
        .optional()?
        .ok_or(AppError::NotFound("invitation"))?;
    let l = LetterText::new(&app.config, &invitation, &person, &event);
    Ok(render_status(StatusCode::OK, &LetterView { l }))
}

pub async fn page(State(app): State<AppState>, Path(token): Path<String>, Query(q): Query<LangQuery>) -> AppResult<Response> {
    let Some((invitation, person, event)) = find(&app, &token).await? else {
        return Ok(unknown());
    };
    Ok(render_status(StatusCode::OK, &view(q.lang.as_deref(), invitation, person, event)))
}

#[derive(Deserialize)]
pub struct AnswerForm {
    answer: String,
    party_size: Option<String>,
    #[serde(default)]
    dietary: String,
    #[serde(default)]
    arrival_date: String,
    lang: Option<String>,
}

pub async fn answer(State(app): State<AppState>, Path(token): Path<String>, Form(form): Form<AnswerForm>) -> AppResult<Response> {
    if find(&app, &token).await?.is_none() {
        return Ok(unknown());
    }
    let accept = form.answer == "accept";
    let answer = Answer {
        accept,
        party_size: form.party_size.as_deref().and_then(|p| p.trim().parse().ok()).unwrap_or(1),
        dietary: Some(form.dietary.trim().to_string()).filter(|d| !d.is_empty()),
        arrival_date: NaiveDate::parse_from_str(form.arrival_date.trim(), "%Y-%m-%d").ok(),
    };
    let mut conn = app.conn().await?;
    let result = events::answer(&mut conn, &token, &answer).await;
    let (invitation, person, event) = find(&app, &token).await?.ok_or(AppError::NotFound("invitation"))?;
    let mut page = view(form.lang.as_deref(), invitation, person, event);
    let status = match result {
        Ok(_) => {
            page.message = Some(if accept { page.w.thanks_yes } else { page.w.thanks_no }.to_string());
            StatusCode::OK
        }
        Err(AppError::Invalid(_)) => {
            page.problem = Some(page.w.too_many.replace("{n}", &page.max_party.to_string()));
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(AppError::Conflict(_)) => {
            page.problem = Some(page.w.closed.to_string());
            StatusCode::CONFLICT
        }
        Err(e) => return Err(e),
    };
    Ok(render_status(status, &page))
}
