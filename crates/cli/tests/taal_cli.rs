//! The `gastvrij taal check FILE [--json]` contract, run against the built binary.

mod common;

use common::gastvrij;
use std::path::PathBuf;

/// A scratch folder removed when the test ends.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("gastvrij_taal_{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir(&dir).unwrap();
        Scratch(dir)
    }

    fn file(&self, name: &str, content: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, content).unwrap();
        path.display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const LETTER: &str = "Beste mevrouw Jansen,\n\n\
    Wij hebben uw vraag gekregen. Conform afspraak bellen wij u op 3 maart.\n\n\
    Met vriendelijke groet";

#[test]
fn the_json_form_prints_one_object_with_the_contract_fields() {
    let dir = Scratch::new();
    let file = dir.file("brief.txt", LETTER.as_bytes());
    let out = gastvrij(&["taal", "check", &file, "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "one JSON object on one line: {stdout}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["b1", "flesch_douma", "jargon", "long_sentences", "sentences", "words"]);
    // Beste mevrouw Jansen | Wij hebben uw vraag gekregen | Conform afspraak bellen wij u op 3 maart |
    // Met vriendelijke groet: 3 + 5 + 8 + 3 words in 4 sentences.
    assert_eq!(
        (v["words"].as_u64(), v["sentences"].as_u64(), v["long_sentences"].as_u64()),
        (Some(19), Some(4), Some(0))
    );
    assert_eq!(v["jargon"], serde_json::json!([{"word": "conform", "alternative": "volgens"}]));
    assert_eq!(v["b1"], false, "jargon fails the verdict, and the exit code is 0 all the same");
    let score = v["flesch_douma"].as_f64().unwrap();
    assert_eq!((score * 10.0).round() / 10.0, score, "rounded to one decimal: {score}");
}

#[test]
fn without_json_a_dutch_summary_is_printed() {
    let dir = Scratch::new();
    let file = dir.file("brief.txt", LETTER.as_bytes());
    let out = gastvrij(&["taal", "check", &file]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("Leesbaarheid (Flesch-Douma): "), "{stdout}");
    assert!(stdout.contains("Woorden: 19, zinnen: 4\n") && stdout.contains("conform → volgens"), "{stdout}");
    assert!(stdout.ends_with("Taalniveau B1: nee\n"), "{stdout}");
}

/// Unreadable input: exit code 2, nothing on stdout, one line on stderr containing `needle`.
fn assert_unreadable(args: &[&str], needle: &str) {
    let out = gastvrij(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: not one line: {stderr}");
    assert!(stderr.contains(needle), "{args:?}: `{needle}` missing in: {stderr}");
}

#[test]
fn a_missing_file_text_that_is_not_utf8_or_has_no_words_exits_with_2() {
    let dir = Scratch::new();
    let missing = dir.0.join("bestaat-niet.txt").display().to_string();
    assert_unreadable(&["taal", "check", &missing, "--json"], "no such file");
    let latin1 = dir.file("latin1.txt", b"Wij bellen u op 3 maart. Caf\xe9.");
    assert_unreadable(&["taal", "check", &latin1, "--json"], "not UTF-8");
    let empty = dir.file("leeg.txt", b"");
    assert_unreadable(&["taal", "check", &empty, "--json"], "no words");
    let blank = dir.file("blanco.txt", b"\n  \n\n - ... \n");
    assert_unreadable(&["taal", "check", &blank], "no words");
}
