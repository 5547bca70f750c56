//! `gastvrij demo`: the demo water board comes with its kennisbank.

mod common;

use common::gastvrij;

#[test]
fn the_demo_has_a_searchable_kennisbank() {
    let dir = std::env::temp_dir().join(format!("gastvrij_demo_{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir(&dir).unwrap();
    let data = dir.join("data").display().to_string();
    let out = gastvrij(&["demo", "--data", &data, "--scale", "0.005", "--until", "2026-11-27"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("demo kennisbank: 93 articles"), "{err}");

    let out = gastvrij(&["kennisbank", "search", "ik kan de aanslag niet betalen, laag inkomen", "--data", &data]);
    let found = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && found.contains("KB-"), "{found}");
    assert!(found.to_lowercase().contains("kwijtschelding"), "{found}");
    std::fs::remove_dir_all(&dir).ok();
}
