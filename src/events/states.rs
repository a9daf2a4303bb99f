//! The states of an invitation and the moves between them, in one table.

use crate::error::AppError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Draft,
    Sent,
    Accepted,
    Declined,
    NoAnswer,
    Cancelled,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// The invitation goes out (mail, letter or WeChat).
    Send,
    /// The guest says yes (on the RSVP page, or to an officer who records it).
    Accept,
    Decline,
    /// The event closed before the guest answered.
    Close,
    Cancel,
    /// A cancelled invitation goes back on the list as a draft.
    Restore,
}

impl State {
    pub const ALL: [State; 6] = [
        State::Draft,
        State::Sent,
        State::Accepted,
        State::Declined,
        State::NoAnswer,
        State::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Sent => "sent",
            State::Accepted => "accepted",
            State::Declined => "declined",
            State::NoAnswer => "no_answer",
            State::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Where `action` leads from here, or why it cannot.
    pub fn after(self, action: Action) -> Result<State, AppError> {
        use Action::*;
        use State::*;
        let next = match (self, action) {
            (Draft, Send) => Sent,
            (Draft | Sent | Accepted | Declined | NoAnswer, Accept) => Accepted,
            (Draft | Sent | Accepted | Declined | NoAnswer, Decline) => Declined,
            (Sent, Close) => NoAnswer,
            (Draft | Sent | Accepted | Declined | NoAnswer, Cancel) => Cancelled,
            (Cancelled, Restore) => Draft,
            (from, action) => {
                return Err(AppError::Conflict(format!(
                    "an invitation that is {} cannot be {}",
                    from.as_str().replace('_', " "),
                    action.past_tense()
                )));
            }
        };
        Ok(next)
    }
}

impl Action {
    pub fn parse(text: &str) -> Option<Action> {
        Some(match text {
            "send" => Action::Send,
            "accept" => Action::Accept,
            "decline" => Action::Decline,
            "close" => Action::Close,
            "cancel" => Action::Cancel,
            "restore" => Action::Restore,
            _ => return None,
        })
    }

    fn past_tense(self) -> &'static str {
        match self {
            Action::Send => "sent",
            Action::Accept => "accepted",
            Action::Decline => "declined",
            Action::Close => "closed",
            Action::Cancel => "cancelled",
            Action::Restore => "restored",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_goes_out_once_and_is_answered() {
        let sent = State::Draft.after(Action::Send).unwrap();
        assert_eq!(sent, State::Sent);
        assert!(sent.after(Action::Send).is_err(), "sent twice");
        let yes = sent.after(Action::Accept).unwrap();
        assert_eq!(
            yes.after(Action::Decline).unwrap(),
            State::Declined,
            "a guest may change their answer"
        );
        assert_eq!(sent.after(Action::Close).unwrap(), State::NoAnswer);
        assert!(yes.after(Action::Close).is_err(), "an answer stays an answer when the event closes");
    }

    #[test]
    fn cancelled_is_final_until_restored() {
        let cancelled = State::Accepted.after(Action::Cancel).unwrap();
        for action in [Action::Send, Action::Accept, Action::Decline, Action::Close, Action::Cancel] {
            assert!(cancelled.after(action).is_err(), "{action:?} after cancel");
        }
        assert_eq!(cancelled.after(Action::Restore).unwrap(), State::Draft);
    }

    #[test]
    fn states_read_back() {
        for s in State::ALL {
            assert_eq!(State::parse(s.as_str()), Some(s));
        }
    }
}
