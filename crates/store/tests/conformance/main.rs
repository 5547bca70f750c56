//! The conformance suite: the same stories on SQLite and PostgreSQL.

mod accounts;
mod api_tokens;
mod attachments;
mod complaints;
mod contact_figures;
mod external_identity;
mod folding;
mod harness;
mod journeys;
mod kennisbank;
mod letter_templates;
mod link_keys;
mod mail;
mod monitor_rollups;
mod nodes;
mod norm_versions;
mod norms;
mod open_data;
mod planned_works;
mod portal;
mod privacy;
mod pulse;
mod question_outcomes;
mod satisfaction;
mod search_questions;
mod stories;
mod team_board;

stories!(
    stories:
    organisation_settings_are_saved_and_updated,
    teams_are_created_read_updated_and_listed,
    duplicate_team_names_are_a_conflict_not_a_crash,
    employees_accounts_and_api_tokens,
    topics_form_a_tree_without_cycles,
    customers_are_created_found_and_updated,
    contacts_hold_questions_and_are_parked_resumed_and_closed,
    stale_contact_updates_are_refused,
    cases_get_sequential_references_history_notes_and_attachments,
    stale_case_updates_are_refused,
    every_change_leaves_an_audit_entry,
    invalid_references_are_refused_and_nothing_is_written,
    concurrent_writers_lose_nothing,
    batches_are_all_or_nothing_and_move_the_reference_counter,
    a_newer_schema_is_refused_without_writing,
    reported_calls_feed_reachability_and_the_directory_keeps_lines,
    a_forwarded_question_stays_ours_until_the_other_body_confirms,
    internal_tasks_are_asked_listed_and_answered_once,
);
