//! Customers (klanten): persons, organisations and anonymous callers, with segments.

use crate::ids::CustomerId;
use crate::values::{Email, KvkNumber, PhoneNumber, Postcode};
use crate::{Invalid, InvalidKind, text};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// What kind of party the customer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CustomerKind {
    Persoon,
    Organisatie,
    Anoniem,
}

impl CustomerKind {
    pub const ALL: [CustomerKind; 3] = [CustomerKind::Persoon, CustomerKind::Organisatie, CustomerKind::Anoniem];
    pub fn code(self) -> &'static str {
        match self {
            CustomerKind::Persoon => "persoon",
            CustomerKind::Organisatie => "organisatie",
            CustomerKind::Anoniem => "anoniem",
        }
    }
}
crate::codes::impl_codes!(CustomerKind, "kind");

/// Customer segments from the seed: "everyone who asks you a question is a customer".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    Inwoner,
    #[serde(rename = "agrariër", alias = "agrarier")]
    Agrarier,
    Bedrijf,
    Belastingplichtige,
    Gast,
    Collega,
    Leverancier,
    Overheid,
}

impl Segment {
    pub const ALL: [Segment; 8] = [
        Segment::Inwoner,
        Segment::Agrarier,
        Segment::Bedrijf,
        Segment::Belastingplichtige,
        Segment::Gast,
        Segment::Collega,
        Segment::Leverancier,
        Segment::Overheid,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Segment::Inwoner => "inwoner",
            Segment::Agrarier => "agrariër",
            Segment::Bedrijf => "bedrijf",
            Segment::Belastingplichtige => "belastingplichtige",
            Segment::Gast => "gast",
            Segment::Collega => "collega",
            Segment::Leverancier => "leverancier",
            Segment::Overheid => "overheid",
        }
    }
}
crate::codes::impl_codes!(Segment, "segments");

/// Contact details; every field is optional and validated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ContactDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Email>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<PhoneNumber>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<Postcode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub house_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kvk_number: Option<KvkNumber>,
}

/// A customer as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Customer {
    pub id: CustomerId,
    pub kind: CustomerKind,
    /// Name of the person or organisation; `None` for anonymous customers.
    pub name: Option<String>,
    pub segments: Vec<Segment>,
    pub details: ContactDetails,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

/// The editable part of a customer, as received from a form or the API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CustomerInput {
    pub kind: Option<CustomerKind>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub segments: Vec<Segment>,
    #[serde(default)]
    pub details: ContactDetails,
}

impl Customer {
    /// A new customer from input; anonymous customers carry no name or details.
    pub fn create(input: CustomerInput, now: Timestamp) -> Result<Self, Invalid> {
        let mut c = Customer {
            id: CustomerId::new(),
            kind: CustomerKind::Anoniem,
            name: None,
            segments: vec![],
            details: ContactDetails::default(),
            created_at: now,
            updated_at: now,
        };
        c.apply(input, now)?;
        Ok(c)
    }

    /// Replace the editable fields, keeping id and creation time.
    pub fn apply(&mut self, input: CustomerInput, now: Timestamp) -> Result<(), Invalid> {
        let kind =
            input.kind.unwrap_or(if input.name.is_some() { CustomerKind::Persoon } else { CustomerKind::Anoniem });
        let name = text::optional("name", input.name.as_deref(), text::limits::NAME)?;
        let mut details = input.details;
        details.house_number = text::optional("details.house_number", details.house_number.as_deref(), 16)?;
        details.street = text::optional("details.street", details.street.as_deref(), text::limits::NAME)?;
        details.city = text::optional("details.city", details.city.as_deref(), text::limits::NAME)?;
        match kind {
            CustomerKind::Anoniem => {
                if name.is_some() || details != ContactDetails::default() {
                    return Err(Invalid::new("kind", InvalidKind::Mismatch { with: "name", expected: None }));
                }
            }
            CustomerKind::Persoon | CustomerKind::Organisatie => {
                if name.is_none() {
                    return Err(Invalid::empty("name"));
                }
            }
        }
        if details.kvk_number.is_some() && kind == CustomerKind::Persoon {
            return Err(Invalid::new("details.kvk_number", InvalidKind::NotApplicable));
        }
        let mut segments = input.segments;
        segments.sort();
        segments.dedup();
        self.kind = kind;
        self.name = name;
        self.segments = segments;
        self.details = details;
        self.updated_at = now;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        Timestamp::from_second(1_780_000_000).unwrap()
    }

    #[test]
    fn a_person_needs_a_name() {
        let err = Customer::create(CustomerInput { kind: Some(CustomerKind::Persoon), ..Default::default() }, now())
            .unwrap_err();
        assert_eq!(err.field, "name");
    }

    #[test]
    fn anonymous_customers_carry_no_personal_data() {
        let input = CustomerInput {
            kind: Some(CustomerKind::Anoniem),
            details: ContactDetails { email: Some(Email::parse("a@b.nl").unwrap()), ..Default::default() },
            ..Default::default()
        };
        assert_eq!(Customer::create(input, now()).unwrap_err().field, "kind");
        assert_eq!(Customer::create(CustomerInput::default(), now()).unwrap().kind, CustomerKind::Anoniem);
    }

    #[test]
    fn segments_are_deduplicated_and_parsed_from_dutch_codes() {
        let s: Segment = "agrariër".parse().unwrap();
        assert_eq!(s, Segment::Agrarier);
        let c = Customer::create(
            CustomerInput {
                name: Some("Boer Bos".into()),
                segments: vec![Segment::Agrarier, Segment::Inwoner, Segment::Agrarier],
                ..Default::default()
            },
            now(),
        )
        .unwrap();
        assert_eq!(c.segments, vec![Segment::Inwoner, Segment::Agrarier]);
        let crate::InvalidKind::Unknown { given, allowed } = "boer".parse::<Segment>().unwrap_err().kind else {
            panic!("an unknown segment is Unknown")
        };
        assert!(given == "boer" && allowed.iter().any(|a| a == "agrariër"), "{allowed:?}");
    }
}
