//! Organisation settings: which water board this installation serves.

use crate::values::{Email, PhoneNumber};
use crate::{Format, Invalid, text};
use serde::{Deserialize, Serialize};

/// The water board running this installation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Organisation {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    /// Number of inhabitants in the board's area, used for per-capita figures.
    pub inhabitants: u32,
    /// IANA time zone for civil dates and office hours, e.g. `Europe/Amsterdam`.
    pub time_zone: String,
    /// The on-call service (storingsdienst, piket): a melding with danger now is mailed here at
    /// once, day and night. Without it nobody is alerted by mail (the case is still urgent).
    #[serde(default)]
    pub on_call_email: Option<Email>,
    /// The on-call service's phone number, shown to staff beside an urgent melding.
    #[serde(default)]
    pub on_call_phone: Option<PhoneNumber>,
}

impl Organisation {
    pub fn parse(name: &str, inhabitants: u32, time_zone: &str) -> Result<Self, Invalid> {
        let name = text::required("name", name, text::limits::NAME)?;
        let time_zone = time_zone.trim();
        jiff::tz::TimeZone::get(time_zone).map_err(|_| Invalid::malformed("time_zone", time_zone, Format::TimeZone))?;
        Ok(Self { name, inhabitants, time_zone: time_zone.to_string(), on_call_email: None, on_call_phone: None })
    }
}

impl Default for Organisation {
    fn default() -> Self {
        Self {
            name: "Waterschap".into(),
            inhabitants: 0,
            time_zone: "Europe/Amsterdam".into(),
            on_call_email: None,
            on_call_phone: None,
        }
    }
}
