//! The article index: replacing, deleting, filtering, snippets, and bad queries.

use gastvrij_app::ports::{ArticleSearch, ArticleSearchQuery};
use gastvrij_domain::kennisbank::{Article, ArticleInput, ArticleStatus};
use gastvrij_search::{ArticleIndex, default_analyzer};

fn article(id: &str, title: &str, question: &str, answer: &str, keywords: &[&str]) -> (Article, String) {
    let mut a = Article::create(
        ArticleInput {
            external_id: Some(id.into()),
            title: title.into(),
            question: question.into(),
            answer: answer.into(),
            keywords: keywords.iter().map(|k| k.to_string()).collect(),
            ..Default::default()
        },
        jiff::Timestamp::UNIX_EPOCH,
    )
    .unwrap();
    a.status = ArticleStatus::Intern;
    (a, "Belastingen".into())
}

fn corpus() -> Vec<(Article, String)> {
    vec![
        article(
            "KB-1",
            "Kwijtschelding aanvragen",
            "Kan ik kwijtschelding krijgen van de waterschapsbelasting?",
            "Heeft u een laag inkomen en weinig vermogen? Dan kunt u kwijtschelding aanvragen. Vul het formulier in.",
            &["kwijtschelding", "laag inkomen"],
        ),
        article(
            "KB-2",
            "Betalen in termijnen",
            "Kan ik de aanslag in delen betalen?",
            "Met automatische incasso betaalt u de aanslag in tien termijnen.",
            &["betalingsregeling", "incasso"],
        ),
        article(
            "KB-3",
            "Wateroverlast melden",
            "Wat doe ik bij wateroverlast in mijn tuin?",
            "Meld wateroverlast via het formulier of bel ons. Bij gevaar belt u direct.",
            &["wateroverlast", "regenwaterafvoer"],
        ),
        article(
            "KB-4",
            "Steiger bouwen",
            "Heb ik een vergunning nodig voor een steiger?",
            "Voor een steiger in een watergang heeft u soms een watervergunning nodig.",
            &["vergunning", "steiger"],
        ),
    ]
}

fn query(text: &str) -> ArticleSearchQuery<'_> {
    ArticleSearchQuery { text, limit: 5, prefix: false, topic: None, statuses: &["intern", "openbaar"], audience: None }
}

fn index() -> ArticleIndex {
    let i = ArticleIndex::in_memory(default_analyzer()).unwrap();
    i.rebuild(&mut corpus().into_iter()).unwrap();
    i
}

fn ids(i: &ArticleIndex, q: &ArticleSearchQuery<'_>) -> Vec<String> {
    i.search(q).unwrap().into_iter().map(|h| h.id).collect()
}

#[test]
fn callers_words_find_the_article_and_the_external_id_comes_back() {
    let i = index();
    let cannot_pay = ids(&i, &query("ik kan de rekening niet betalen want ik heb een laag inkomen"));
    assert!(cannot_pay[..2].contains(&"KB-1".to_string()), "{cannot_pay:?}");
    assert_eq!(ids(&i, &query("blauwe envelop in termijnen betalen"))[0], "KB-2");
    assert_eq!(ids(&i, &query("mijn tuin staat onder water, overlast"))[0], "KB-3");
    assert_eq!(ids(&i, &query("kwijtscheldig"))[0], "KB-1", "a typo is tolerated");
    assert_eq!(ids(&i, &query("afvoer van regenwater"))[0], "KB-3", "compound parts match");
}

#[test]
fn search_as_you_type_matches_the_last_word_as_a_prefix() {
    let i = index();
    let mut q = query("kwijtsch");
    q.prefix = true;
    assert_eq!(ids(&i, &q).first().map(String::as_str), Some("KB-1"));
    let hit = &i.search(&q).unwrap()[0];
    assert!(hit.snippet.contains("<mark>"), "{}", hit.snippet);
}

#[test]
fn upsert_replaces_delete_removes_and_filters_apply() {
    let i = index();
    let (mut a, path) = corpus().remove(3);
    a.title = "Aanlegsteiger en vlonder".into();
    i.upsert(&[(a.clone(), path)]).unwrap();
    assert_eq!(i.len(), 4, "replaced, not added");
    assert_eq!(i.search(&query("vlonder")).unwrap()[0].title, "Aanlegsteiger en vlonder");
    i.delete(&["KB-4".into()]).unwrap();
    let left = ids(&i, &query("vlonder"));
    assert!(left.is_empty(), "{left:?}");
    let mut only_public = query("kwijtschelding");
    only_public.statuses = &["openbaar"];
    assert!(ids(&i, &only_public).is_empty(), "intern articles are filtered out");
    let mut topic = query("kwijtschelding");
    topic.topic = Some("Vergunningen");
    assert!(ids(&i, &topic).is_empty());
    topic.topic = Some("Belastingen");
    assert_eq!(ids(&i, &topic).first().map(String::as_str), Some("KB-1"));
}

#[test]
fn snippets_highlight_and_escape() {
    let i = ArticleIndex::in_memory(default_analyzer()).unwrap();
    i.upsert(&[article(
        "X",
        "Kwijtschelding",
        "<script>alert(1)</script> kwijtschelding?",
        "Zie <b>hier</b> over kwijtschelding.",
        &[],
    )])
    .unwrap();
    let hit = &i.search(&query("kwijtschelding")).unwrap()[0];
    assert!(!hit.snippet.contains("<script>") && !hit.snippet.contains("<b>"), "{}", hit.snippet);
    assert!(hit.snippet.contains("<mark>kwijtschelding</mark>"), "{}", hit.snippet);
}

#[test]
fn bad_queries_answer_without_failing() {
    let i = index();
    assert!(i.search(&query("")).unwrap().is_empty());
    assert!(i.search(&query("   \"  ")).unwrap().is_empty());
    let long = "kwijtschelding ".repeat(700);
    assert_eq!(ids(&i, &query(&long))[0], "KB-1");
    for odd in
        ["\"kwijtschelding", "kwijtschelding AND (OR", "+-:^()[]{}~*?\\/", "\u{0}\u{7}kwijt", "🌊 wateroverlast 🌊"]
    {
        assert!(i.search(&query(odd)).is_ok(), "{odd}");
    }
}

#[test]
fn editors_synonyms_take_effect_without_a_rebuild() {
    let i = index();
    assert!(ids(&i, &query("kaaiwal")).is_empty());
    i.set_synonyms(&["kaaiwal => vergunning".into()]).unwrap();
    assert_eq!(ids(&i, &query("kaaiwal"))[0], "KB-4");
}

#[test]
fn a_second_writer_on_one_directory_is_refused_clearly() {
    let dir = std::env::temp_dir().join(format!("gv_index_{}", std::process::id()));
    let first = ArticleIndex::open_in_dir(&dir, default_analyzer()).unwrap();
    let second = ArticleIndex::open_in_dir(&dir, default_analyzer());
    assert!(second.err().is_some_and(|e| e.to_string().contains("in use by another gastvrij process")));
    let reader = ArticleIndex::open_read_only(&dir, default_analyzer()).unwrap();
    assert_eq!(reader.len(), 0);
    drop(first);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_index_built_by_another_version_is_emptied_for_a_rebuild() {
    let dir = std::env::temp_dir().join(format!("gv_index_format_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let first = ArticleIndex::open_in_dir(&dir, default_analyzer()).unwrap();
    first.rebuild(&mut corpus().into_iter()).unwrap();
    std::fs::write(dir.join("gastvrij-position"), "42").unwrap();
    drop(first);
    let same = ArticleIndex::open_in_dir(&dir, default_analyzer()).unwrap();
    assert_eq!(same.len(), 4, "the same version keeps its index");
    drop(same);
    std::fs::write(dir.join("gastvrij-format"), "0").unwrap();
    let err = ArticleIndex::open_read_only(&dir, default_analyzer()).err().expect("a reader cannot rebuild");
    assert!(err.to_string().contains("another version"), "{err}");
    let owner = ArticleIndex::open_in_dir(&dir, default_analyzer()).unwrap();
    assert_eq!(owner.len(), 0, "emptied, so the owner rebuilds it from the database");
    assert!(!dir.join("gastvrij-position").exists(), "the position goes with it");
    drop(owner);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A corpus where "betalen" is a common word: a long, general article says it everywhere,
/// and short articles each about one thing.
fn common_word_corpus() -> Vec<(Article, String)> {
    let long_answer = "Kunt u de aanslag niet betalen? Dan kunt u kwijtschelding aanvragen. Wie een laag \
        inkomen heeft en weinig vermogen, hoeft soms niet te betalen. Vul het formulier in en stuur \
        bewijs van uw inkomen mee. Wij kijken of u kunt betalen. Betalen is niet nodig zolang wij uw \
        verzoek behandelen. Krijgt u kwijtschelding, dan hoeft u dat jaar niet te betalen. Wie later \
        weer genoeg inkomen heeft, gaat weer betalen. Heeft u vragen over betalen, bel ons dan. \
        Ondernemers vragen kwijtschelding op een ander formulier aan.";
    vec![
        article(
            "LONG",
            "Kwijtschelding: niet kunnen betalen",
            "Ik kan de belasting niet betalen. Moet ik toch betalen?",
            long_answer,
            &["betalen", "niet kunnen betalen", "kwijtschelding"],
        ),
        article(
            "MOVE",
            "Verhuizing en de aanslag",
            "Ik ga verhuizen. Wat gebeurt er met mijn aanslag?",
            "Na een verhuizing past de gemeente uw adres aan; u krijgt een nieuwe aanslag.",
            &["verhuizing", "nieuw adres"],
        ),
        article(
            "PAY",
            "Aanslag betalen",
            "Hoe kan ik de aanslag betalen?",
            "U kunt betalen via de bank of met een machtiging.",
            &["betalen"],
        ),
        article("DOG", "Honden op de dijk", "Mag mijn hond op de dijk?", "Honden aan de lijn op de dijk.", &["hond"]),
        article(
            "DIKE",
            "Bouwen bij een dijk",
            "Mag ik bouwen bij de dijk?",
            "Voor bouwen bij een dijk is een vergunning nodig.",
            &[],
        ),
    ]
}

fn common_word_index() -> ArticleIndex {
    let i = ArticleIndex::in_memory(default_analyzer()).unwrap();
    i.rebuild(&mut common_word_corpus().into_iter()).unwrap();
    i
}

#[test]
fn a_short_on_topic_article_beats_a_long_general_one_sharing_one_common_word() {
    let i = common_word_index();
    let found = ids(&i, &query("moet ik na mijn verhuizing twee keer betalen"));
    assert_eq!(found[0], "MOVE", "{found:?}");
}

#[test]
fn a_word_counts_once_however_many_fields_repeat_it() {
    let i = common_word_index();
    // "betalen" fills the long article's title, question, keywords and answer; the short one
    // has it once in its title and question. Saturation keeps the short one first.
    let found = ids(&i, &query("aanslag betalen"));
    assert_eq!(found[0], "PAY", "{found:?}");
}

#[test]
fn an_unknown_compound_is_found_by_its_known_part() {
    let i = common_word_index();
    // "hondenpoep" is no word of the list and no typo; its known first part finds the article.
    let found = ids(&i, &query("hondenpoep op de dijk"));
    assert_eq!(found[0], "DOG", "{found:?}");
}
