//! Staff accounts and API tokens: creating them, and checking a password at log-in with a
//! growing wait after repeated failures. The command line and the admin pages share these.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::json;
use uuid::Uuid;

use super::{Actor, Role, secrets};
use crate::audit;
use crate::error::{AppError, AppResult, FieldError};
use crate::models::{ApiToken, User};
use crate::schema::{api_tokens, users};

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

pub const MIN_PASSWORD_CHARS: usize = 10;
/// Failed log-ins in a row before the account makes one wait.
pub const FREE_ATTEMPTS: i32 = 5;

/// Checks a new password, in the form's words.
pub fn check_password(password: &str) -> Result<(), FieldError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(FieldError::new(
            "password",
            format!("should have at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    Ok(())
}

/// Creates a staff account and audits it.
pub async fn create_user(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    email: &str,
    name: Option<&str>,
    role: Role,
    password: &str,
) -> AppResult<Uuid> {
    let mut errors = Vec::new();
    let email = email.trim();
    if !email.contains('@') || email.contains(char::is_whitespace) {
        errors.push(FieldError::new(
            "email",
            format!("\"{email}\" does not look like an e-mail address"),
        ));
    }
    if let Err(e) = check_password(password) {
        errors.push(e);
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let user = User::new(email, name, role.as_str(), secrets::hash_password(password)?);
    conn.transaction::<_, AppError, _>(async |conn| {
        diesel::insert_into(users::table)
            .values(&user)
            .execute(conn)
            .await
            .map_err(|e| match e {
                diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
                    AppError::invalid("email", format!("a user with the e-mail {email} already exists"))
                }
                other => other.into(),
            })?;
        audit::record(conn, actor, "create", "user", Some(user.id), json!({ "role": role.as_str() })).await?;
        Ok(user.id)
    })
    .await
}

/// Creates an API token; the token is returned once and only its hash is kept.
pub async fn create_token(conn: &mut AsyncPgConnection, actor: &Actor, name: &str, role: Role) -> AppResult<(Uuid, String)> {
    if name.trim().is_empty() {
        return Err(AppError::invalid("name", "give the token a name that says what it is for"));
    }
    let (token, hash) = secrets::new_token();
    let row = ApiToken {
        id: Uuid::new_v4(),
        name: name.trim().to_string(),
        role: role.as_str().to_string(),
        token_hash: hash,
        created_by: actor.id.filter(|_| actor.kind == super::ActorKind::User),
        created_at: Utc::now(),
        last_used_at: None,
        revoked_at: None,
    };
    conn.transaction::<_, AppError, _>(async |conn| {
        diesel::insert_into(api_tokens::table).values(&row).execute(conn).await?;
        audit::record(conn, actor, "create", "api_token", Some(row.id), json!({ "role": role.as_str() })).await?;
        Ok((row.id, token))
    })
    .await
}

/// Why a log-in was refused. Unknown e-mail and wrong password look the same to the user.
#[derive(Debug, PartialEq, Eq)]
pub enum LoginRefused {
    WrongCredentials,
    LockedUntil(DateTime<Utc>),
}

/// How long the account waits after `failures` failed log-ins in a row: nothing for the
/// first few, then 1, 2, 4 … minutes, at most a day.
pub fn lockout(failures: i32) -> Option<Duration> {
    if failures < FREE_ATTEMPTS {
        return None;
    }
    let minutes = 1i64 << (failures - FREE_ATTEMPTS).min(11);
    Some(Duration::minutes(minutes.min(24 * 60)))
}

/// Checks an e-mail and password; counts failures and enforces the wait.
pub async fn verify_login(conn: &mut AsyncPgConnection, email: &str, password: &str) -> AppResult<Result<User, LoginRefused>> {
    let user: Option<User> = users::table
        .filter(lower(users::email).eq(email.trim().to_lowercase()))
        .select(User::as_select())
        .first(conn)
        .await
        .optional()?;
    let now = Utc::now();
    let Some(user) = user.filter(|u| !u.disabled && u.password_hash.is_some()) else {
        // The same work as for a real account, so timing does not tell which e-mails exist.
        secrets::verify_password(password, secrets::dummy_hash());
        return Ok(Err(LoginRefused::WrongCredentials));
    };
    if let Some(until) = user.locked_until.filter(|u| *u > now) {
        return Ok(Err(LoginRefused::LockedUntil(until)));
    }
    if secrets::verify_password(password, user.password_hash.as_deref().unwrap_or_default()) {
        diesel::update(users::table.find(user.id))
            .set((
                users::failed_logins.eq(0),
                users::locked_until.eq(None::<DateTime<Utc>>),
                users::last_login_at.eq(now),
            ))
            .execute(conn)
            .await?;
        return Ok(Ok(user));
    }
    let failures = user.failed_logins + 1;
    let locked_until = lockout(failures).map(|wait| now + wait);
    diesel::update(users::table.find(user.id))
        .set((users::failed_logins.eq(failures), users::locked_until.eq(locked_until)))
        .execute(conn)
        .await?;
    Ok(Err(match locked_until {
        Some(until) => LoginRefused::LockedUntil(until),
        None => LoginRefused::WrongCredentials,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_grows_after_the_free_attempts_and_is_capped() {
        assert_eq!(lockout(FREE_ATTEMPTS - 1), None);
        assert_eq!(lockout(FREE_ATTEMPTS), Some(Duration::minutes(1)));
        assert_eq!(lockout(FREE_ATTEMPTS + 2), Some(Duration::minutes(4)));
        assert_eq!(lockout(100), Some(Duration::minutes(24 * 60)));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(check_password("short").is_err());
        assert!(check_password("long enough pass").is_ok());
    }
}
