//! Outgoing mail to citizens — confirmation of receipt, status changes, messages, the double
//! opt-in of a subscription — and the rules for delivering it: what a valid mail is, the retry
//! schedule, and how recipients and errors are shown without personal data.

use crate::ids::MailId;
use crate::values::Email;
use crate::{Format, Invalid, text};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// At most this many characters in a subject.
pub const MAX_SUBJECT: usize = 200;
/// At most this many characters in a body (plain text; a mail is no place for a document).
pub const MAX_BODY: usize = 100_000;
/// At most this many characters of a delivery error are kept.
pub const MAX_ERROR: usize = 300;
/// Delivery is tried this many times; after the last failed attempt the mail is `failed`.
pub const MAX_ATTEMPTS: u32 = 6;
/// The wait after failed attempt 1, 2, …: 1 minute, 5 minutes, 30 minutes, 2 hours, 6 hours.
const RETRY_DELAYS: [SignedDuration; MAX_ATTEMPTS as usize - 1] = [
    SignedDuration::from_mins(1),
    SignedDuration::from_mins(5),
    SignedDuration::from_mins(30),
    SignedDuration::from_hours(2),
    SignedDuration::from_hours(6),
];

/// Why the mail is sent; for reporting (how many confirmations went out), not for delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MailKind {
    /// Confirmation of receipt of a question, report or complaint.
    Ontvangstbevestiging,
    /// The status of the citizen's case changed.
    Statuswijziging,
    /// A message from the water board.
    Bericht,
    /// Confirm a subscription (double opt-in).
    Aanmelding,
    /// To the on-call service: a melding with danger now. Sent before any other mail.
    Gevaarmelding,
}

impl MailKind {
    pub const ALL: [MailKind; 5] = [
        MailKind::Ontvangstbevestiging,
        MailKind::Statuswijziging,
        MailKind::Bericht,
        MailKind::Aanmelding,
        MailKind::Gevaarmelding,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MailKind::Ontvangstbevestiging => "ontvangstbevestiging",
            MailKind::Statuswijziging => "statuswijziging",
            MailKind::Bericht => "bericht",
            MailKind::Aanmelding => "aanmelding",
            MailKind::Gevaarmelding => "gevaarmelding",
        }
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            MailKind::Ontvangstbevestiging => "Ontvangstbevestiging",
            MailKind::Statuswijziging => "Statuswijziging",
            MailKind::Bericht => "Bericht",
            MailKind::Aanmelding => "Aanmelding bevestigen",
            MailKind::Gevaarmelding => "Gevaar: melding voor de storingsdienst",
        }
    }
}
crate::codes::impl_codes!(MailKind, "kind");

/// Where a mail stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MailStatus {
    /// Waiting for its (next) attempt.
    Pending,
    /// Accepted by the mail server (or written to the mail folder).
    Sent,
    /// Given up: every attempt failed, or the server refused it for good.
    Failed,
}

impl MailStatus {
    pub const ALL: [MailStatus; 3] = [MailStatus::Pending, MailStatus::Sent, MailStatus::Failed];

    pub fn code(self) -> &'static str {
        match self {
            MailStatus::Pending => "pending",
            MailStatus::Sent => "sent",
            MailStatus::Failed => "failed",
        }
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            MailStatus::Pending => "Wacht op verzending",
            MailStatus::Sent => "Verstuurd",
            MailStatus::Failed => "Mislukt",
        }
    }
}
crate::codes::impl_codes!(MailStatus, "status");

/// A mail as a use case asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MailInput {
    pub kind: MailKind,
    /// The recipient's e-mail address.
    pub to: String,
    /// One line, at most 200 characters.
    pub subject: String,
    /// Plain text (UTF-8), at most 100,000 characters.
    pub body: String,
    /// Where replies go, when not to the sender address.
    #[serde(default)]
    pub reply_to: Option<String>,
}

/// A valid outgoing mail: one recipient, a one-line subject, a plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub id: MailId,
    pub kind: MailKind,
    pub to: Email,
    pub subject: String,
    pub body: String,
    pub reply_to: Option<Email>,
    pub created_at: Timestamp,
    /// For mail to a subscriber: the one-click unsubscribe link (http or https), sent as the
    /// `List-Unsubscribe` header with `List-Unsubscribe-Post` (RFC 2369, RFC 8058) so mail
    /// programs show an unsubscribe button.
    pub list_unsubscribe: Option<String>,
}

impl OutgoingMail {
    pub fn create(input: MailInput, now: Timestamp) -> Result<Self, Invalid> {
        let to = Email::parse(&input.to).map_err(|e| Invalid::new("to", e.kind))?;
        let subject = text::required("subject", &input.subject, MAX_SUBJECT)?;
        if subject.contains(['\n', '\r', '\t']) {
            return Err(Invalid::malformed("subject", &subject, Format::OneLine));
        }
        let body = text::required("body", &input.body, MAX_BODY)?;
        let reply_to = match input.reply_to.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(r) => Some(Email::parse(r).map_err(|e| Invalid::new("reply_to", e.kind))?),
        };
        Ok(OutgoingMail {
            id: MailId::new(),
            kind: input.kind,
            to,
            subject,
            body,
            reply_to,
            created_at: now,
            list_unsubscribe: None,
        })
    }

    /// The same mail with a one-click unsubscribe link; the link must be an absolute http(s) URL
    /// without spaces or angle brackets (it goes into a header between `<` and `>`).
    pub fn with_list_unsubscribe(mut self, link: &str) -> Result<Self, Invalid> {
        let plain = !link.contains(|c: char| c.is_whitespace() || c.is_control() || c == '<' || c == '>' || c == ',');
        let absolute = link.starts_with("https://") || link.starts_with("http://");
        if !plain || !absolute || link.len() > 2000 {
            return Err(Invalid::malformed("list_unsubscribe", link, Format::HttpLink));
        }
        self.list_unsubscribe = Some(link.to_string());
        Ok(self)
    }
}

/// A mail as the outbox keeps it, without its body: for overviews.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailRecord {
    pub id: MailId,
    pub kind: MailKind,
    pub to: Email,
    pub subject: String,
    /// The text as queued (and sent): kept with the mail, shown on the case page's timeline.
    pub body: String,
    pub created_at: Timestamp,
    pub status: MailStatus,
    /// Delivery attempts made so far.
    pub attempts: u32,
    /// When a pending mail is tried next; `None` once sent or failed.
    pub next_attempt_at: Option<Timestamp>,
    pub sent_at: Option<Timestamp>,
    /// The reason of the last failed attempt: technical, without addresses or content.
    pub last_error: Option<String>,
}

/// How many mails stand in each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MailCounts {
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
}

/// What follows a failed delivery attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Try again at this moment.
    At(Timestamp),
    /// Stop trying: the mail is `failed`.
    GiveUp,
}

/// The wait after failed attempt `attempt` (1-based), or `None` when it was the last one.
pub fn retry_delay(attempt: u32) -> Option<SignedDuration> {
    attempt.checked_sub(1).and_then(|i| RETRY_DELAYS.get(i as usize)).copied()
}

/// What follows when attempt number `attempt` (1-based) failed at `now`: the next attempt after
/// 1 minute, 5 minutes, 30 minutes, 2 hours and 6 hours; after the sixth, give up.
pub fn after_failed_attempt(attempt: u32, now: Timestamp) -> Retry {
    match retry_delay(attempt) {
        Some(wait) => Retry::At(now + wait),
        None => Retry::GiveUp,
    }
}

/// An address as staff may see it: the first character of the local part and the domain,
/// `j***@example.nl`.
pub fn mask_address(address: &str) -> String {
    match address.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

/// The domain of an address (what an operator's listing may show).
pub fn address_domain(address: &str) -> &str {
    address.rsplit_once('@').map(|(_, d)| d).unwrap_or("")
}

/// A delivery error made fit to keep and show: one line, every address in it masked (servers
/// like to quote the recipient), at most [`MAX_ERROR`] characters.
pub fn scrub_error(reason: &str) -> String {
    let words: Vec<String> = reason
        .split_whitespace()
        .map(|word| {
            if !word.contains('@') {
                return word.to_string();
            }
            // By characters, never by byte: a server may quote an address with é or ü in it, and a
            // cut inside a character would panic (and used to stop the mail worker).
            let chars: Vec<char> = word.chars().collect();
            let start = chars.iter().position(|c| c.is_alphanumeric()).unwrap_or(0);
            let end = chars.iter().rposition(|c| c.is_alphanumeric()).map_or(chars.len(), |i| i + 1).max(start);
            let part = |range: std::ops::Range<usize>| chars[range].iter().collect::<String>();
            format!("{}{}{}", part(0..start), mask_address(&part(start..end)), part(end..chars.len()))
        })
        .collect();
    let line = words.join(" ");
    if line.chars().count() > MAX_ERROR {
        let cut: String = line.chars().take(MAX_ERROR - 1).collect();
        format!("{cut}…")
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> MailInput {
        MailInput {
            kind: MailKind::Ontvangstbevestiging,
            to: "Jan.Jansen@Example.NL".into(),
            subject: "Uw melding is ontvangen – dank u".into(),
            body: "Beste meneer Jansen,\n\nWe hebben uw melding ontvangen.\n".into(),
            reply_to: None,
        }
    }

    #[test]
    fn an_unsubscribe_link_must_be_an_absolute_link_that_fits_in_a_header() {
        let mail = OutgoingMail::create(input(), Timestamp::UNIX_EPOCH).unwrap();
        assert_eq!(mail.list_unsubscribe, None);
        let link = "https://www.waterschap.nl/werkzaamheden/afmelden/0a1b2c";
        assert_eq!(mail.clone().with_list_unsubscribe(link).unwrap().list_unsubscribe.as_deref(), Some(link));
        for bad in [
            "/werkzaamheden/afmelden/0a1b",
            "mailto:x@example.nl",
            "https://a.nl/x>, <https://b.nl",
            "https://a.nl/\r\nBcc: x",
        ] {
            let e = mail.clone().with_list_unsubscribe(bad).unwrap_err();
            assert_eq!(e.field, "list_unsubscribe", "{bad}");
        }
    }

    #[test]
    fn the_retry_schedule_waits_longer_each_time_and_gives_up_after_the_sixth_attempt() {
        let now: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
        let waits: Vec<Retry> = (1..=7).map(|n| after_failed_attempt(n, now)).collect();
        let at = |s: &str| Retry::At(s.parse().unwrap());
        assert_eq!(
            waits,
            vec![
                at("2026-03-02T09:01:00Z"),
                at("2026-03-02T09:05:00Z"),
                at("2026-03-02T09:30:00Z"),
                at("2026-03-02T11:00:00Z"),
                at("2026-03-02T15:00:00Z"),
                Retry::GiveUp,
                Retry::GiveUp,
            ]
        );
        assert_eq!(after_failed_attempt(0, now), Retry::GiveUp, "there is no attempt 0");
        assert_eq!(retry_delay(MAX_ATTEMPTS), None);
        assert_eq!(retry_delay(MAX_ATTEMPTS - 1), Some(SignedDuration::from_hours(6)));
    }

    #[test]
    fn a_valid_mail_keeps_its_text_and_lowercases_the_domain() {
        let now = Timestamp::UNIX_EPOCH;
        let mail = OutgoingMail::create(input(), now).unwrap();
        assert_eq!(mail.to.as_str(), "Jan.Jansen@example.nl");
        assert_eq!(mail.subject, "Uw melding is ontvangen – dank u");
        assert_eq!(mail.body, "Beste meneer Jansen,\n\nWe hebben uw melding ontvangen.");
        assert_eq!(mail.created_at, now);
        assert_eq!(mail.reply_to, None);
        let with_reply = OutgoingMail::create(MailInput { reply_to: Some("kcc@lagewaard.nl".into()), ..input() }, now);
        assert_eq!(with_reply.unwrap().reply_to.unwrap().as_str(), "kcc@lagewaard.nl");
    }

    #[test]
    fn bad_mail_is_refused_naming_the_field() {
        let now = Timestamp::UNIX_EPOCH;
        let field = |i: MailInput| OutgoingMail::create(i, now).unwrap_err().field;
        assert_eq!(field(MailInput { to: "jan".into(), ..input() }), "to");
        assert_eq!(field(MailInput { to: "jan@x.nl\r\nBcc: iedereen@x.nl".into(), ..input() }), "to");
        assert_eq!(field(MailInput { subject: " ".into(), ..input() }), "subject");
        assert_eq!(field(MailInput { subject: "Twee\nregels".into(), ..input() }), "subject");
        assert_eq!(field(MailInput { subject: "x".repeat(MAX_SUBJECT + 1), ..input() }), "subject");
        assert_eq!(field(MailInput { body: "\n".into(), ..input() }), "body");
        assert_eq!(field(MailInput { body: "x".repeat(MAX_BODY + 1), ..input() }), "body");
        assert_eq!(field(MailInput { body: "bel\u{7}".into(), ..input() }), "body");
        assert_eq!(field(MailInput { reply_to: Some("geen adres".into()), ..input() }), "reply_to");
        assert!(OutgoingMail::create(MailInput { subject: "x".repeat(MAX_SUBJECT), ..input() }, now).is_ok());
    }

    #[test]
    fn codes_round_trip() {
        for k in MailKind::ALL {
            assert_eq!(k.code().parse::<MailKind>().unwrap(), k);
        }
        for s in MailStatus::ALL {
            assert_eq!(s.code().parse::<MailStatus>().unwrap(), s);
        }
        assert_eq!("verloren".parse::<MailStatus>().unwrap_err().field, "status");
    }

    #[test]
    fn addresses_are_masked_and_errors_scrubbed() {
        assert_eq!(mask_address("jan@example.nl"), "j***@example.nl");
        assert_eq!(mask_address("Ëlla@voorbeeld.nl"), "Ë***@voorbeeld.nl");
        assert_eq!(mask_address("geen adres"), "***");
        assert_eq!(address_domain("jan@example.nl"), "example.nl");
        assert_eq!(
            scrub_error("permanent error (550): 5.1.1 <jan.jansen@example.nl>: Recipient\r\naddress rejected"),
            "permanent error (550): 5.1.1 <j***@example.nl>: Recipient address rejected"
        );
        assert_eq!(scrub_error("x ".repeat(400).as_str()).chars().count(), MAX_ERROR);
        assert_eq!(scrub_error("550 <jöë@exämple.nl>: unknown"), "550 <j***@exämple.nl>: unknown");
        assert_eq!(scrub_error("«zoë@voorbeeld.nl»"), "«z***@voorbeeld.nl»");
    }

    #[test]
    fn scrubbing_multi_byte_text_never_cuts_inside_a_character() {
        // Every cut of a reason with 2-, 3- and 4-byte characters around and inside an address,
        // and long enough to be shortened: it must never panic and stay within the limit.
        let reason = format!("5.1.1 <Ëlla.ø@straße.nl>… 🌊 «zoë@é» ü@ {} @🌊🌊 end", "é€".repeat(200));
        for (cut, _) in reason.char_indices() {
            for text in [&reason[..cut], &reason[cut..]] {
                assert!(scrub_error(text).chars().count() <= MAX_ERROR);
            }
        }
        let scrubbed = scrub_error(&reason);
        assert!(scrubbed.starts_with("5.1.1 <Ë***@straße.nl>… 🌊 «z***@é» ***@ é€é€"), "{scrubbed}");
    }
}
