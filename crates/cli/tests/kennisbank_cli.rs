//! `gastvrij kennisbank import|export|search` and `gastvrij reindex`.

mod common;

use common::gastvrij;

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn import_reports_bad_lines_search_returns_the_external_id_and_export_round_trips() {
    let dir = std::env::temp_dir().join(format!("gastvrij_kb_{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir(&dir).unwrap();
    let data = dir.join("data").display().to_string();
    assert!(gastvrij(&["migrate", "--data", &data]).status.success());

    let file = dir.join("artikelen.jsonl");
    let mut content = Vec::new();
    content.extend_from_slice(br#"{"id": "VAC-17", "title": "Kwijtschelding aanvragen", "question": "Kan ik kwijtschelding krijgen?", "answer": "Bij een laag inkomen kunt u kwijtschelding aanvragen.", "topic": "Belastingen/Kwijtschelding", "keywords": ["kwijtschelding"]}"#);
    content.extend_from_slice(b"\n{not json}\n");
    content
        .extend_from_slice(b"{\"id\": \"VAC-18\", \"title\": \"\xff\xfe\", \"question\": \"q\", \"answer\": \"a\"}\n");
    content.extend_from_slice(br#"{"id": "VAC-19", "title": "Zonder antwoord", "question": "Wat?", "answer": ""}"#);
    content.extend_from_slice(b"\n");
    content.extend_from_slice(br#"{"id": "VAC-20", "title": "Steiger bouwen", "question": "Mag ik een steiger bouwen?", "answer": "Soms is een watervergunning nodig.", "topic": "Vergunningen", "keywords": ["steiger"], "extra": "ignored"}"#);
    std::fs::write(&file, content).unwrap();

    let out = gastvrij(&["kennisbank", "import", file.to_str().unwrap(), "--data", &data]);
    assert!(!out.status.success(), "some lines failed, so the exit code says so");
    let err = text(&out.stderr);
    assert!(
        err.contains("line 2:") && err.contains("line 3: is not valid UTF-8") && err.contains("line 4: answer"),
        "{err}"
    );
    assert!(err.contains("imported 2 new"), "{err}");

    let out = gastvrij(&["kennisbank", "search", "ik heb weinig inkomen", "--json", "--limit", "3", "--data", &data]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let hits: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hits[0]["id"], "VAC-17");
    for key in ["id", "title", "score", "snippet"] {
        assert!(hits[0].get(key).is_some(), "{key} missing: {hits}");
    }
    let plain = gastvrij(&["kennisbank", "search", "steiger", "--data", &data]);
    assert!(text(&plain.stdout).starts_with("1. VAC-20  Steiger bouwen"), "{}", text(&plain.stdout));
    let none = gastvrij(&["kennisbank", "search", "", "--data", &data]);
    assert!(none.status.success() && text(&none.stdout).contains("geen resultaten"));

    let export = gastvrij(&["kennisbank", "export", "--data", &data]);
    let lines: Vec<serde_json::Value> =
        text(&export.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    let kwijt = lines.iter().find(|l| l["id"] == "VAC-17").unwrap();
    assert_eq!(kwijt["topic"], "Belastingen/Kwijtschelding");
    std::fs::write(dir.join("export.jsonl"), text(&export.stdout)).unwrap();
    let again = gastvrij(&["kennisbank", "import", dir.join("export.jsonl").to_str().unwrap(), "--data", &data]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(text(&again.stderr).contains("0 new, 0 changed, 2 unchanged"), "{}", text(&again.stderr));

    let reindex = gastvrij(&["reindex", "--data", &data]);
    assert!(reindex.status.success());
    assert!(text(&reindex.stdout).starts_with("indexed 2 articles"), "{}", text(&reindex.stdout));
    let _ = std::fs::remove_dir_all(&dir);
}
