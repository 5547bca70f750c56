//! The conformance suite: the same stories on SQLite and PostgreSQL.

mod accounts;
mod folding;
mod harness;
mod planned_works;
mod portal;
mod privacy;
mod question_outcomes;
mod stories;

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
    articles_keep_versions_and_import_lines_upsert_by_external_id,
    compliance_from_rollups_equals_a_plain_scan,
    case_timing_facts_follow_creation_status_changes_and_contacts,
    scheduled_articles_are_published_and_archived_on_time,
    reported_calls_feed_reachability_and_the_directory_keeps_lines,
    a_forwarded_question_stays_ours_until_the_other_body_confirms,
    mail_is_queued_claimed_sent_and_counted,
    failed_mail_backs_off_and_is_failed_after_the_last_attempt,
    a_claimed_mail_is_not_handed_out_twice,
);
