//! Invitations by mail. Sending never happens inside a request: marking an invitation sent
//! queues a row in `mail_outbox` in the same transaction, and this worker delivers it,
//! deleting the row as soon as the mail server has taken the message.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use uuid::Uuid;

use super::letters::Letter;
use crate::config::Config;
use crate::db::DbPool;
use crate::models::{Event, Invitation, Person};
use crate::schema::{events, invitations, people};

pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    /// No mail server configured: each message is written as an `.eml` file into a folder,
    /// to be looked at or sent by other means.
    Folder { dir: PathBuf, from: Mailbox },
    /// Messages kept in memory, for tests.
    Capture { from: Mailbox, sent: Mutex<Vec<Captured>> },
}

/// A message as it was handed over.
#[derive(Clone, Debug)]
pub struct Captured {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub message_id: String,
}

impl Mailer {
    pub fn from_config(config: &Config) -> anyhow::Result<Mailer> {
        let from: Mailbox = config
            .mail_from
            .parse()
            .map_err(|e| anyhow::anyhow!("MAIL_FROM is not an address like 'Office <office@example.org>': {e}"))?;
        Ok(match &config.smtp_url {
            Some(url) => Mailer::Smtp {
                transport: AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("SMTP_URL is not usable (smtp://user:password@host:587?tls=required): {e}"))?
                    .timeout(Some(Duration::from_secs(30)))
                    .build(),
                from,
            },
            None => Mailer::Folder {
                dir: config.data_dir.join("mail"),
                from,
            },
        })
    }

    pub fn capture() -> Mailer {
        Mailer::Capture {
            from: "Invitations <invitations@example.org>".parse().expect("a valid address"),
            sent: Mutex::new(Vec::new()),
        }
    }

    fn from(&self) -> &Mailbox {
        match self {
            Mailer::Smtp { from, .. } | Mailer::Folder { from, .. } | Mailer::Capture { from, .. } => from,
        }
    }

    /// What was sent, for tests.
    pub fn captured(&self) -> Vec<Captured> {
        match self {
            Mailer::Capture { sent, .. } => sent.lock().expect("not poisoned").clone(),
            _ => Vec::new(),
        }
    }

    async fn deliver(&self, message: Message, captured: Captured) -> Result<(), String> {
        match self {
            Mailer::Smtp { transport, .. } => transport.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            Mailer::Folder { dir, .. } => {
                std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
                let name = captured.message_id.trim_matches(['<', '>']).replace(['@', '/'], "_");
                std::fs::write(dir.join(format!("{name}.eml")), message.formatted()).map_err(|e| e.to_string())
            }
            Mailer::Capture { sent, .. } => {
                sent.lock().expect("not poisoned").push(captured);
                Ok(())
            }
        }
    }
}

/// The code a guest gives at the door when the QR code cannot be scanned.
pub fn door_code(token: &str) -> String {
    token.chars().take(8).collect::<String>().to_uppercase()
}

/// The invitation of one guest in their language: (subject, text).
pub fn letter_text(config: &Config, invitation: &Invitation, person: &Person, event: &Event) -> (String, String) {
    let chinese = invitation.language.starts_with("zh");
    let guest = if chinese {
        person.name_zh.as_deref().or(person.name_latin.as_deref())
    } else {
        person.name_latin.as_deref().or(person.name_zh.as_deref())
    }
    .unwrap_or_default();
    let event_name = if chinese {
        event.name_zh.as_deref().or(event.name_en.as_deref())
    } else {
        event.name_en.as_deref().or(event.name_zh.as_deref())
    }
    .unwrap_or_default();
    let link = format!("{}/rsvp/{}", config.public_url.trim_end_matches('/'), invitation.token);
    let date = match event.ends_on {
        Some(end) if end != event.starts_on => format!("{} – {end}", event.starts_on),
        _ => event.starts_on.to_string(),
    };
    let code = door_code(&invitation.token);
    let letter = Letter {
        guest,
        event: event_name,
        date: &date,
        venue: event.venue.as_deref().unwrap_or_default(),
        link: &link,
        code: &code,
        office: &config.office_name,
    };
    (letter.subject(&invitation.language), letter.body(&invitation.language))
}

/// The invitation mail of one guest.
pub fn compose(
    mailer: &Mailer,
    config: &Config,
    invitation: &Invitation,
    person: &Person,
    event: &Event,
) -> Result<(Message, Captured), String> {
    let to_address = person.email.as_deref().ok_or("the guest has no e-mail address")?;
    let (subject, body) = letter_text(config, invitation, person, event);
    let to: Mailbox = to_address
        .parse()
        .map_err(|e| format!("the guest's e-mail address cannot be used: {e}"))?;
    // The same id on every try, so a mail server or reader can tell a repeat.
    let message_id = format!("<invitation-{}@qiaolink>", invitation.id);
    let captured = Captured {
        to: to_address.to_string(),
        subject,
        body,
        message_id: message_id.clone(),
    };
    let message = Message::builder()
        .from(mailer.from().clone())
        .to(to)
        .subject(captured.subject.clone())
        .message_id(Some(message_id))
        .header(ContentType::TEXT_PLAIN)
        .body(captured.body.clone())
        .map_err(|e| e.to_string())?;
    Ok((message, captured))
}

#[derive(QueryableByName)]
struct Claimed {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = SqlUuid)]
    invitation_id: Uuid,
}

/// Delivers one queued message, if one is due. Returns whether there was one.
pub async fn deliver_one(conn: &mut AsyncPgConnection, mailer: &Mailer, config: &Config) -> anyhow::Result<bool> {
    let done = conn
        .transaction::<bool, diesel::result::Error, _>(async |conn| {
            let claimed: Option<Claimed> = diesel::sql_query(
                "SELECT id, invitation_id FROM mail_outbox WHERE next_attempt_at <= now() ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
            )
            .get_result(conn)
            .await
            .optional()?;
            let Some(row) = claimed else { return Ok(false) };
            let (invitation, person, event): (Invitation, Person, Event) = invitations::table
                .inner_join(people::table)
                .inner_join(events::table)
                .filter(invitations::id.eq(row.invitation_id))
                .select((Invitation::as_select(), Person::as_select(), Event::as_select()))
                .first(conn)
                .await?;
            // Consent withdrawn after the invitation was sent: the mail stays unsent.
            if !crate::privacy::consent::allows(&person.consent_status, &person.consent_purposes, crate::privacy::consent::EVENTS) {
                diesel::sql_query("DELETE FROM mail_outbox WHERE id = $1")
                    .bind::<BigInt, _>(row.id)
                    .execute(conn)
                    .await?;
                crate::metrics::mail("withheld");
                return Ok(true);
            }
            let outcome = match compose(mailer, config, &invitation, &person, &event) {
                Ok((message, captured)) => mailer.deliver(message, captured).await,
                Err(e) => Err(e),
            };
            match outcome {
                Ok(()) => {
                    diesel::sql_query("DELETE FROM mail_outbox WHERE id = $1")
                        .bind::<BigInt, _>(row.id)
                        .execute(conn)
                        .await?;
                    crate::metrics::mail("sent");
                }
                Err(e) => {
                    crate::metrics::mail("failed");
                    // Mail servers quote the address they refuse: it stays out of the log.
                    let error = crate::logging::redact(&e);
                    tracing::warn!(invitation = %row.invitation_id, %error, "an invitation could not be mailed; retrying later");
                    diesel::sql_query(
                        "UPDATE mail_outbox SET attempts = attempts + 1, last_error = $2, \
                         next_attempt_at = now() + least(3600, 30 * power(2, attempts)) * interval '1 second' WHERE id = $1",
                    )
                    .bind::<BigInt, _>(row.id)
                    .bind::<Text, _>(e.chars().take(500).collect::<String>())
                    .execute(conn)
                    .await?;
                }
            }
            Ok(true)
        })
        .await?;
    Ok(done)
}

/// Delivers everything due now; returns how many were tried.
pub async fn deliver_all(conn: &mut AsyncPgConnection, mailer: &Mailer, config: &Config) -> anyhow::Result<usize> {
    let mut n = 0;
    while deliver_one(conn, mailer, config).await? {
        n += 1;
    }
    Ok(n)
}

/// The mail worker: runs beside the search worker in `serve` and `worker`.
pub async fn run(pool: DbPool, mailer: std::sync::Arc<Mailer>, config: Config) {
    crate::db::repeat(pool, "the mail worker", Duration::from_secs(2), |mut conn| {
        let (mailer, config) = (mailer.clone(), config.clone());
        async move { deliver_all(&mut conn, &mailer, &config).await }
    })
    .await
}
