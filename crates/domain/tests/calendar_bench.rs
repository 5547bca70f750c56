//! Throughput of deadline computations. Run in release mode:
//! `cargo test -p gastvrij-domain --release --test calendar_bench -- --ignored --nocapture`

use std::time::Instant;

use gastvrij_domain::calendar::{Calendar, Term};
use jiff::{SignedDuration, Timestamp};

fn run(calendar: &Calendar, terms: &[Term], n: u32) -> (u32, std::time::Duration) {
    let base: Timestamp = "2026-01-05T09:00:00Z".parse().expect("valid timestamp");
    // Warm the per-year cache, as a long-running service would have.
    for term in terms {
        term.deadline_after(calendar, base).expect("deadline");
    }
    let started = Instant::now();
    let mut checksum = 0i64;
    for i in 0..n {
        // Start moments spread over about three years, at varying times of day.
        let start = base + SignedDuration::from_secs(i64::from(i % 100_000) * 997);
        let term = terms[i as usize % terms.len()];
        checksum ^= term.deadline_after(calendar, start).expect("deadline").as_second();
    }
    let elapsed = started.elapsed();
    assert_ne!(checksum, 1, "keeps the loop from being optimised away");
    (n, elapsed)
}

#[test]
#[ignore = "benchmark: run with --release -- --ignored --nocapture"]
fn deadline_throughput_per_term() {
    let calendar = Calendar::termijnenwet();
    let all =
        [Term::WorkingDays(5), Term::Weeks(6), Term::CalendarDays(10), Term::BusinessHours(16), Term::ClockHours(24)];
    for term in all {
        let (ops, elapsed) = run(&calendar, &[term], 1_000_000);
        println!("{term:>14}: {:>10.0} deadlines/s", f64::from(ops) / elapsed.as_secs_f64());
    }
    let (ops, elapsed) = run(&calendar, &all, 1_000_000);
    let rate = f64::from(ops) / elapsed.as_secs_f64();
    println!("         mixed: {rate:>10.0} deadlines/s");
}
