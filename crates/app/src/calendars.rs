//! The calendars an installation knows: the built-in `termijnenwet` and any loaded from files.

use gastvrij_domain::calendar::Calendar;
use gastvrij_domain::{Invalid, InvalidKind};
use std::collections::BTreeMap;

/// Calendars by name.
#[derive(Debug, Clone)]
pub struct Calendars(BTreeMap<String, Calendar>);

impl Calendars {
    /// Only the built-in `termijnenwet` calendar.
    pub fn builtin() -> Self {
        let mut m = BTreeMap::new();
        m.insert("termijnenwet".to_string(), Calendar::termijnenwet());
        Self(m)
    }

    /// Add (or replace) a calendar under its own name.
    pub fn insert(&mut self, calendar: Calendar) {
        self.0.insert(calendar.name().to_string(), calendar);
    }

    pub fn get(&self, name: &str) -> Result<&Calendar, Invalid> {
        self.0.get(name).ok_or_else(|| {
            let allowed = self.names().into_iter().map(String::from).collect();
            Invalid::new("calendar", InvalidKind::Unknown { given: name.to_string(), allowed })
        })
    }

    pub fn names(&self) -> Vec<&str> {
        self.0.keys().map(String::as_str).collect()
    }
}
