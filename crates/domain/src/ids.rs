//! Identifiers: UUIDv7 inside, so ids sort by creation time.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(transparent)]
        #[schema(value_type = String, format = Uuid)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh id for an entity created now.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// A deterministic id (demo data, imports): time in milliseconds and 10 random bytes.
            pub fn from_parts(unix_millis: u64, random: [u8; 10]) -> Self {
                Self(uuid::Builder::from_unix_timestamp_millis(unix_millis, &random).into_uuid())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::Invalid;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s.trim())
                    .map(Self)
                    .map_err(|_| crate::Invalid::malformed("id", s, crate::Format::Uuid))
            }
        }
    };
}

id_type!(
    /// A customer (klant, partij).
    CustomerId
);
id_type!(
    /// A team of employees.
    TeamId
);
id_type!(
    /// An employee (medewerker).
    EmployeeId
);
id_type!(
    /// A topic (onderwerp).
    TopicId
);
id_type!(
    /// A contact (klantcontact).
    ContactId
);
id_type!(
    /// One question within a contact.
    QuestionId
);
id_type!(
    /// A case (zaak).
    CaseId
);
id_type!(
    /// A note on a case.
    NoteId
);
id_type!(
    /// An attachment's metadata.
    AttachmentId
);
id_type!(
    /// An internal task: a case asks another team for something.
    CaseTaskId
);
id_type!(
    /// A knowledge article (kennisartikel, VAC).
    ArticleId
);
id_type!(
    /// A consultation of the back office (ruggespraak).
    ConsultationId
);
id_type!(
    /// Something a citizen sent in through the public portal.
    SubmissionId
);
id_type!(
    /// A group of reports about one event (a calamity).
    IncidentId
);
id_type!(
    /// A message on a submission, from the citizen or the water board.
    MessageId
);
id_type!(
    /// A photo sent with a submission or a message.
    PhotoId
);
id_type!(
    /// A planned work in the activity calendar (werkzaamheden).
    PlannedWorkId
);
id_type!(
    /// A citizen's e-mail subscription to news about works in their postcode.
    SubscriptionId
);
id_type!(
    /// An outgoing mail in the outbox.
    MailId
);
id_type!(
    /// An employee's API token (the id names it; the secret itself is never stored).
    ApiTokenId
);
id_type!(
    /// A note kept with a team board (dagstart, weekstart, terugblik).
    BoardNoteId
);
id_type!(
    /// An action point of a board note, with an owner.
    ActionPointId
);
id_type!(
    /// A customer journey (klantreis) of the workspace.
    JourneyId
);
id_type!(
    /// An improvement (verbeterpunt) the figures led to.
    ImprovementId
);
