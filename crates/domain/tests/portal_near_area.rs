//! Property: every report `Location::near` a new one lies in the new one's `near_area`, so a
//! store that reads only that area misses no report to group with.

use gastvrij_domain::portal::{GeoPoint, Location, NearArea};
use gastvrij_domain::values::Postcode;
use proptest::prelude::*;

fn inside(area: &NearArea, other: &Location) -> bool {
    let by_postcode = area.postcode.is_some() && area.postcode == other.postcode;
    let by_point = match (area.bounds, other.point) {
        (Some(b), Some(p)) => (b.lat_min..=b.lat_max).contains(&p.lat) && (b.lon_min..=b.lon_max).contains(&p.lon),
        _ => false,
    };
    by_postcode || by_point
}

fn location() -> impl Strategy<Value = Location> {
    // Points across the Netherlands and, often, within a kilometre of one another; a few postcodes.
    let point = prop_oneof![
        (50.75f64..53.6, 3.3f64..7.3).prop_map(|(lat, lon)| GeoPoint { lat, lon }),
        (-0.01f64..0.01, -0.015f64..0.015).prop_map(|(dlat, dlon)| GeoPoint { lat: 52.0 + dlat, lon: 5.0 + dlon }),
    ];
    let postcode =
        prop::sample::select(vec!["2611 AB", "2611 AC", "9999 ZZ"]).prop_map(|p| Postcode::parse(p).unwrap());
    (prop::option::of(point), prop::option::of(postcode)).prop_map(|(point, postcode)| Location {
        postcode,
        house_number: None,
        description: None,
        point,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]
    #[test]
    fn a_near_report_is_always_in_the_area(new in location(), other in location()) {
        match new.near_area() {
            Some(area) => {
                if new.near(&other) {
                    prop_assert!(inside(&area, &other), "{other:?} is near {new:?} but outside {area:?}");
                }
            }
            None => prop_assert!(!new.near(&other), "nothing is near a location without postcode or point"),
        }
    }
}

#[test]
fn the_area_is_not_much_larger_than_the_radius() {
    let here = Location { point: Some(GeoPoint { lat: 52.0, lon: 5.0 }), ..Default::default() };
    let b = here.near_area().unwrap().bounds.unwrap();
    let north = GeoPoint { lat: b.lat_max, lon: 5.0 };
    let east = GeoPoint { lat: 52.0, lon: b.lon_max };
    let origin = here.point.unwrap();
    for edge in [north, east] {
        let d = origin.distance_m(edge);
        assert!((500.0..530.0).contains(&d), "edge at {d:.0} m");
    }
    let described = Location { description: Some("bij de stuw".into()), ..Default::default() };
    assert_eq!(described.near_area(), None);
}
