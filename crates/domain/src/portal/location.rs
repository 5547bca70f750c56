//! Where something is: an address, a description, a point on the map, and whether two reports
//! are at the same place.

use super::INCIDENT_RADIUS_M;
use crate::values::Postcode;
use crate::{Format, Invalid, InvalidKind};
use serde::{Deserialize, Serialize};

/// A point on the map (WGS 84).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

impl GeoPoint {
    /// A point inside the Netherlands and its waters (a generous box); the form field is `punt`.
    pub fn parse(lat: &str, lon: &str) -> Result<Option<GeoPoint>, Invalid> {
        let (lat, lon) = (lat.trim().replace(',', "."), lon.trim().replace(',', "."));
        if lat.is_empty() && lon.is_empty() {
            return Ok(None);
        }
        let bad = || Invalid::malformed("punt", &format!("{lat} {lon}"), Format::MapPoint);
        let (lat, lon): (f64, f64) = (lat.parse().map_err(|_| bad())?, lon.parse().map_err(|_| bad())?);
        if !(50.6..=53.7).contains(&lat) || !(3.2..=7.3).contains(&lon) {
            return Err(Invalid::new("punt", InvalidKind::OutsideNetherlands));
        }
        Ok(Some(GeoPoint { lat, lon }))
    }

    /// Great-circle distance in metres.
    pub fn distance_m(self, other: GeoPoint) -> f64 {
        const EARTH_RADIUS_M: f64 = 6_371_000.0;
        let (la1, la2) = (self.lat.to_radians(), other.lat.to_radians());
        let dla = la2 - la1;
        let dlo = (other.lon - self.lon).to_radians();
        let a = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
    }
}

/// Where something is: an address, a description, a point, or a mix.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Location {
    pub postcode: Option<Postcode>,
    pub house_number: Option<String>,
    /// In the citizen's words, e.g. "bij de stuw aan de Molenweg".
    pub description: Option<String>,
    pub point: Option<GeoPoint>,
}

impl Location {
    pub fn is_empty(&self) -> bool {
        self.postcode.is_none() && self.description.is_none() && self.point.is_none()
    }

    /// Whether two reports are at the same place for grouping: within the radius when both
    /// have a point, else the same postcode (a postcode covers one street side, ~20 addresses).
    pub fn near(&self, other: &Location) -> bool {
        match (self.point, other.point) {
            (Some(a), Some(b)) => a.distance_m(b) <= INCIDENT_RADIUS_M,
            _ => self.postcode.is_some() && self.postcode == other.postcode,
        }
    }

    /// Where the reports [`Location::near`] this one can be: the same postcode, or a point in
    /// the box around this one's point (a little wider than the radius). A store narrows its
    /// candidates with it; `near` decides. `None` when nothing can be near (no postcode, no point).
    pub fn near_area(&self) -> Option<NearArea> {
        if self.postcode.is_none() && self.point.is_none() {
            return None;
        }
        const METRES_PER_DEGREE: f64 = 111_320.0;
        let margin = INCIDENT_RADIUS_M * 1.01;
        let bounds = self.point.map(|p| {
            let dlat = margin / METRES_PER_DEGREE;
            let dlon = margin / (METRES_PER_DEGREE * p.lat.to_radians().cos().max(0.01));
            PointBounds { lat_min: p.lat - dlat, lat_max: p.lat + dlat, lon_min: p.lon - dlon, lon_max: p.lon + dlon }
        });
        Some(NearArea { postcode: self.postcode.clone(), bounds })
    }
}

/// The candidates for [`Location::near`]: reports with this postcode or a point in these bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct NearArea {
    pub postcode: Option<Postcode>,
    pub bounds: Option<PointBounds>,
}

/// A latitude/longitude box in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PointBounds {
    pub lat_min: f64,
    pub lat_max: f64,
    pub lon_min: f64,
    pub lon_max: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_must_lie_in_the_netherlands() {
        assert!(GeoPoint::parse("52,0116", "4,3571").unwrap().is_some());
        assert!(GeoPoint::parse("", "").unwrap().is_none());
        assert_eq!(
            GeoPoint::parse("48.85", "2.35").unwrap_err(),
            Invalid::new("punt", InvalidKind::OutsideNetherlands)
        );
        assert_eq!(GeoPoint::parse("abc", "4").unwrap_err().field, "punt");
    }

    #[test]
    fn distances_are_in_metres() {
        let delft = GeoPoint { lat: 52.0116, lon: 4.3571 };
        let near = GeoPoint { lat: 52.0146, lon: 4.3571 }; // 0.003° north ≈ 334 m
        let d = delft.distance_m(near);
        assert!((320.0..350.0).contains(&d), "{d}");
    }
}
