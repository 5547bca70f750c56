//! `gastvrij telephony import FILE.csv`: calls from a call-centre export.

mod common;

use common::gastvrij;

#[test]
fn a_call_centre_export_is_imported_and_bad_lines_are_named_and_skipped() {
    let dir = std::env::temp_dir().join(format!("gastvrij_calls_{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir(&dir).unwrap();
    let data = dir.join("data").display().to_string();
    assert!(gastvrij(&["migrate", "--data", &data]).status.success());
    let file = dir.join("gesprekken.csv");
    std::fs::write(
        &file,
        "\u{feff}gesprek_id;tijdstip;uitkomst;wachttijd;medewerker\n\
         A1;2026-03-02 09:15;beantwoord;12;agent-3\n\
         A2;2026-03-02T09:20:00+01:00;opgehangen;40;\n\
         A3;gisteren;beantwoord;5;agent-3\n\
         A4;2026-03-02 09:30;beantwoord;lang;agent-3\n\
         \"A5\";2026-03-02 09:31;Beantwoord;7;\"Jansen; K.\"\n",
    )
    .unwrap();
    let out = gastvrij(&["telephony", "import", file.to_str().unwrap(), "--data", &data]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "two lines failed, so the exit code says so");
    assert!(err.contains("line 4: offered_at 'gisteren' is not a time"), "{err}");
    assert!(err.contains("line 5: waiting_seconds 'lang'"), "{err}");
    assert!(err.contains("imported 3 calls; 2 lines failed"), "{err}");

    let again = gastvrij(&["telephony", "import", file.to_str().unwrap(), "--data", &data]);
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("imported 3 calls"),
        "a repeated import updates, it does not add"
    );

    let missing = dir.join("leeg.csv");
    std::fs::write(&missing, "id,start\n1,2026-03-02 09:00\n").unwrap();
    let out = gastvrij(&["telephony", "import", missing.to_str().unwrap(), "--data", &data]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("the header has no outcome column"));
    let _ = std::fs::remove_dir_all(&dir);
}
