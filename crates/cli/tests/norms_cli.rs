//! `gastvrij norms import FILE` and `gastvrij norms export [--out FILE]`.

mod common;

use common::{TempDir, assert_one_line_error, gastvrij, stderr, stdout};

#[test]
fn export_and_import_round_trip_and_a_bad_file_stores_nothing() {
    let dir = TempDir::new();
    let (_, data) = dir.migrated_data();

    // A new database has the set in code: one version from the start.
    let out = gastvrij(&["norms", "export", "--data", &data]);
    assert!(out.status.success(), "{}", stderr(&out));
    let first = stdout(&out);
    assert_eq!(first.matches("[[version]]").count(), 1, "{first}");
    assert!(first.contains("valid_from = \"1583-01-01\""), "{first}");
    assert!(first.contains("answer_within_seconds = 25"), "{first}");

    // Importing the export changes nothing.
    let file = dir.path("normen.toml");
    std::fs::write(&file, &first).unwrap();
    let out = gastvrij(&["norms", "import", &file, "--data", &data]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("imported 0 versions; 1 unchanged"), "{}", stderr(&out));

    // A new version from 1 March 2026 with another phone target; twice is once.
    let march = first.replace("valid_from = \"1583-01-01\"", "valid_from = \"2026-03-01\"").replacen(
        "target_percent = 80",
        "target_percent = 85",
        1,
    );
    assert_ne!(march, first);
    let file = dir.path("maart.toml");
    std::fs::write(&file, &march).unwrap();
    let out = gastvrij(&["norms", "import", &file, "--data", &data]);
    assert!(stderr(&out).contains("imported 1 versions; 0 unchanged"), "{}", stderr(&out));
    let out = gastvrij(&["norms", "import", &file, "--data", &data]);
    assert!(stderr(&out).contains("imported 0 versions; 1 unchanged"), "{}", stderr(&out));

    // Export to a file: both versions, and importing it changes nothing.
    let all = dir.path("alle.toml");
    assert!(gastvrij(&["norms", "export", "--out", &all, "--data", &data]).status.success());
    let text = std::fs::read_to_string(&all).unwrap();
    assert_eq!(text.matches("[[version]]").count(), 2, "{text}");
    assert!(text.contains("valid_from = \"2026-03-01\"") && text.contains("target_percent = 85"), "{text}");
    let out = gastvrij(&["norms", "import", &all, "--data", &data]);
    assert!(stderr(&out).contains("imported 0 versions; 2 unchanged"), "{}", stderr(&out));

    // A bad value names the field; a bad line names the line; nothing of either is stored.
    let bad = dir.path("fout.toml");
    let mut wrong = text.replace("valid_from = \"2026-03-01\"", "valid_from = \"2026-04-01\"");
    wrong = wrong.replacen("target_percent = 85", "target_percent = 185", 1);
    std::fs::write(&bad, &wrong).unwrap();
    let out = gastvrij(&["norms", "import", &bad, "--data", &data]);
    assert_one_line_error(&out, "version[1].norms.channels[0].target_percent");
    std::fs::write(&bad, text.replace("case_target_percent = 90", "case_target_percent = negentig")).unwrap();
    let out = gastvrij(&["norms", "import", &bad, "--data", &data]);
    assert_one_line_error(&out, "line ");
    let after = stdout(&gastvrij(&["norms", "export", "--data", &data]));
    assert_eq!(after, text, "the bad files stored nothing");
}

#[test]
fn a_version_changes_the_own_service_norms_and_the_consultation_term_but_not_the_law() {
    let dir = TempDir::new();
    let (_, data) = dir.migrated_data();
    let first = stdout(&gastvrij(&["norms", "export", "--data", &data]));
    assert!(first.contains("[version.norms.consultation_answer_within]\nworking_days = 1"), "{first}");
    let june = first.replace("valid_from = \"1583-01-01\"", "valid_from = \"2026-06-01\"");
    let klacht =
        "[version.norms.case_types.service_norm]\nweeks = 6\n\n[version.norms.case_types.lead_time]\nweeks = 6\n";
    assert!(june.contains(klacht), "{june}");
    let file = dir.path("juni.toml");

    // Longer than the legal term: refused, naming the case type and both terms.
    std::fs::write(&file, june.replace(klacht, &klacht.replacen("weeks = 6", "weeks = 7", 1))).unwrap();
    let out = gastvrij(&["norms", "import", &file, "--data", &data]);
    assert_one_line_error(&out, "version[0].norms.case_types[2].service_norm");
    assert!(stderr(&out).contains("longer than the legal term (6 weken) of klacht"), "{}", stderr(&out));

    // The legal term itself: refused, naming it.
    std::fs::write(&file, june.replace(klacht, &klacht.replace("lead_time]\nweeks = 6", "lead_time]\nweeks = 8")))
        .unwrap();
    let out = gastvrij(&["norms", "import", &file, "--data", &data]);
    assert_one_line_error(&out, "case_types[2].lead_time of klacht follows the law");
    let unchanged = stdout(&gastvrij(&["norms", "export", "--data", &data]));
    assert_eq!(unchanged, first, "the refused files stored nothing");

    // A shorter own norm and a consultation term in office hours: stored.
    let own = june.replace(klacht, &klacht.replacen("weeks = 6", "weeks = 4", 1)).replace(
        "[version.norms.consultation_answer_within]\nworking_days = 1",
        "[version.norms.consultation_answer_within]\nbusiness_hours = 4",
    );
    std::fs::write(&file, &own).unwrap();
    let out = gastvrij(&["norms", "import", &file, "--data", &data]);
    assert!(stderr(&out).contains("imported 1 versions; 0 unchanged"), "{}", stderr(&out));
    let after = stdout(&gastvrij(&["norms", "export", "--data", &data]));
    assert!(after.contains("business_hours = 4") && after.matches("[[version]]").count() == 2, "{after}");

    // An older file without the consultation fields still loads, with their defaults.
    let old = first
        .replace("consultation_target_percent = 90\n", "")
        .replace("\n[version.norms.consultation_answer_within]\nworking_days = 1\n", "");
    assert_ne!(old, first);
    std::fs::write(&file, old).unwrap();
    let out = gastvrij(&["norms", "import", &file, "--data", &data]);
    assert!(stderr(&out).contains("imported 0 versions; 1 unchanged"), "{}", stderr(&out));
}
