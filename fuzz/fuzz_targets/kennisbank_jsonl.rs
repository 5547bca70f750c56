//! The kennisbank JSON Lines import: every line is read as an article and checked by the domain
//! as `gastvrij kennisbank import` does before it touches the database; never a panic.
#![no_main]

use gastvrij_app::kennisbank::ArticleLine;
use gastvrij_domain::kennisbank::{Article, ArticleInput};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(line) = serde_json::from_str::<ArticleLine>(line) else { continue };
        let input = ArticleInput {
            external_id: Some(line.id),
            title: line.title,
            question: line.question,
            answer: line.answer,
            public_answer: line.public_answer,
            audience: line.audience,
            keywords: line.keywords,
            review_date: line.review_date,
            ..Default::default()
        };
        let now = jiff::Timestamp::UNIX_EPOCH;
        let _ = Article::create(input, now);
    }
});
