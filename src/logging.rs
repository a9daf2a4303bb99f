//! Logs: JSON lines, one per request with its id, and never personal data. Requests are
//! logged by route, not path, and without query strings or bodies; error texts that come
//! from outside (mail servers, the database) pass through `redact` first.

/// Logs as JSON lines, filtered by `RUST_LOG` (default `info`).
pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// The text with e-mail addresses and phone numbers masked.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.contains('@') && word.chars().filter(|c| c.is_alphanumeric()).count() > 2 {
            out.push_str("[e-mail]");
        } else {
            out.push_str(word);
        }
    }
    mask_numbers(&out)
}

/// Masks runs of seven or more digits, spaces, dashes, dots and brackets allowed between
/// them, as phone numbers are written.
fn mask_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() || (chars[i] == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let mut end = i;
            let mut digits = 0;
            let mut last_digit = i;
            while end < chars.len() && (chars[end].is_ascii_digit() || " -.()+".contains(chars[end])) {
                if chars[end].is_ascii_digit() {
                    digits += 1;
                    last_digit = end;
                }
                end += 1;
            }
            if digits >= 7 {
                out.push_str("[number]");
                i = last_digit + 1;
                continue;
            }
            out.extend(&chars[i..=last_digit]);
            i = last_digit + 1;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn addresses_and_phone_numbers_are_masked_and_the_rest_kept() {
        assert_eq!(
            redact("550 5.1.1 <wong.kaming@example.org>: Recipient address rejected"),
            "550 5.1.1 [e-mail] Recipient address rejected"
        );
        assert_eq!(redact("call +1 (415) 555-0123 now"), "call [number] now");
        assert_eq!(redact("timed out after 30 s, attempt 12"), "timed out after 30 s, attempt 12");
        assert_eq!(redact("port 5432 refused"), "port 5432 refused");
    }
}
