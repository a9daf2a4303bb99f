//! Web sessions: a random token in a cookie, its SHA-256 and the user in the `sessions`
//! table, with idle and absolute time-outs and the session's CSRF token.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;
use chrono::{Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rand::RngExt;
use uuid::Uuid;

use crate::app::App;
use crate::auth::secrets;
use crate::config::SessionConfig;
use crate::error::AppResult;
use crate::models::User;
use crate::schema::{sessions, users};

pub const SESSION_COOKIE: &str = "qiaolink_session";
/// The language chosen before signing in.
pub const LANG_COOKIE: &str = "qiaolink_lang";

/// A signed-in browser.
pub struct Session {
    pub user: User,
    pub csrf: String,
}

/// The session a cookie names, if it is still alive; an expired one is ended on the way.
pub async fn find(app: &App, token: &str) -> AppResult<Option<Session>> {
    let hash = secrets::token_hash(token);
    let mut conn = app.conn().await?;
    let row: Option<(chrono::DateTime<Utc>, chrono::DateTime<Utc>, String, User)> = sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(&hash))
        .select((
            sessions::created_at,
            sessions::last_seen_at,
            sessions::csrf_token,
            User::as_select(),
        ))
        .first(&mut conn)
        .await
        .optional()?;
    let Some((created, last_seen, csrf, user)) = row else {
        return Ok(None);
    };
    let now = Utc::now();
    let limits = &app.config.sessions;
    if user.disabled || now - created > limits.absolute || now - last_seen > limits.idle {
        diesel::delete(sessions::table.find(&hash)).execute(&mut conn).await?;
        return Ok(None);
    }
    // Touching the row on every click would be a write per page; once a minute is enough
    // for an idle time-out counted in minutes.
    if now - last_seen > Duration::seconds(60) {
        diesel::update(sessions::table.find(&hash))
            .set(sessions::last_seen_at.eq(now))
            .execute(&mut conn)
            .await?;
    }
    Ok(Some(Session { user, csrf }))
}

/// Starts a session for a user who just proved who they are; returns the cookie's token.
/// Sessions that ran out and were never visited again are swept away on the way.
pub async fn start(conn: &mut AsyncPgConnection, limits: &SessionConfig, user_id: Uuid, ip: Option<String>) -> AppResult<String> {
    let now = Utc::now();
    diesel::delete(
        sessions::table.filter(
            sessions::created_at
                .lt(now - limits.absolute)
                .or(sessions::last_seen_at.lt(now - limits.idle)),
        ),
    )
    .execute(conn)
    .await?;
    let (token, hash) = secrets::new_token();
    let csrf: [u8; 32] = rand::rng().random();
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(hash),
            sessions::user_id.eq(user_id),
            sessions::csrf_token.eq(hex::encode(csrf)),
            sessions::ip.eq(ip),
        ))
        .execute(conn)
        .await?;
    Ok(token)
}

pub async fn end(conn: &mut AsyncPgConnection, token: &str) -> AppResult<()> {
    diesel::delete(sessions::table.find(secrets::token_hash(token)))
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends every session of a user, when they are disabled or their password changes.
pub async fn end_all(conn: &mut AsyncPgConnection, user_id: Uuid) -> AppResult<()> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id)))
        .execute(conn)
        .await?;
    Ok(())
}

/// A cookie's value from the request.
pub fn read_cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value. `max_age` None makes a cookie that ends with the browser;
/// Some(0) removes it.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> String {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    cookie
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_from_any_cookie_header() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, "a=1; qiaolink_session=abc".parse().unwrap());
        headers.append(COOKIE, "qiaolink_lang=en".parse().unwrap());
        assert_eq!(read_cookie(&headers, SESSION_COOKIE), Some("abc"));
        assert_eq!(read_cookie(&headers, LANG_COOKIE), Some("en"));
        assert_eq!(read_cookie(&headers, "missing"), None);
    }
}
