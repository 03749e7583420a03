//! The generated client against a server nobody here wrote: Stoplight
//! Prism mocking the Chatwoot document. Every GET operation is called; each
//! answer must be a success or a documented error whose body reads into its
//! generated type. `.ci/run` installs Prism, starts it on 127.0.0.1 twice
//! (examples from the document, and `--dynamic` data generated from the
//! schemas) and runs this with `PRISM_URL` set to both, comma-separated.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Debug;

use chatwoot_example::types::{
    GetAccountConversationMetricsType, GetAccountCustomAttributeAttributeModel,
    GetAgentConversationMetricsType, GetOutgoingMessagesCountGroupBy, ReportMetric, ReportType,
};
use chatwoot_example::{Client, Error, Response};

/// How one call ended.
enum Outcome {
    /// A documented response, read into its type.
    Read(u16),
    /// Not a documented response, or a body that does not read.
    Failed(String),
}

fn outcome<T, E: Debug>(result: Result<Response<T>, Error<E>>) -> Outcome {
    match result {
        Ok(response) => Outcome::Read(response.status().as_u16()),
        Err(Error::Api { status, .. }) => Outcome::Read(status.as_u16()),
        Err(Error::UnexpectedResponse {
            status,
            reason,
            body,
            ..
        }) => Outcome::Failed(format!(
            "{status}: {reason}: {}",
            String::from_utf8_lossy(&body)
                .chars()
                .take(300)
                .collect::<String>()
        )),
        Err(other) => Outcome::Failed(other.to_string()),
    }
}

#[tokio::test]
#[ignore = "needs Prism: run by .ci/run with PRISM_URL"]
async fn every_get_operation_reads_what_prism_serves() {
    let Ok(urls) = std::env::var("PRISM_URL") else {
        panic!("PRISM_URL is not set: start `prism mock` and point it there");
    };
    let mut failures = Vec::new();
    for base in urls.split(',') {
        println!("== {base}");
        failures.extend(call_every_get_operation(base).await);
    }
    assert!(failures.is_empty(), "{failures:?}");
}

/// Calls every GET operation; returns the names of those that failed.
async fn call_every_get_operation(base: &str) -> Vec<&'static str> {
    // Prism serves the paths as the document writes them. Platform
    // operations want the platform key, public ones none.
    let c = Client::new(base)
        .with_user_api_key("token")
        .with_platform_app_api_key("platform-token");
    let (a, s) = (1, "abc");
    let mut results: Vec<(&'static str, Outcome)> = Vec::new();
    macro_rules! call {
        ($($name:ident($($arg:expr),*);)*) => {
            $(results.push((stringify!($name), outcome(c.$name($($arg),*).send().await)));)*
        };
    }
    call! {
        get_details_of_an_account(a);
        list_all_account_users(a);
        list_all_agent_bots();
        get_details_of_a_single_agent_bot(a);
        get_details_of_a_user(a);
        get_sso_url_of_a_user(a);
        get_details_of_a_inbox(s);
        get_details_of_a_contact(s, s);
        list_all_contact_conversations(s, s);
        get_single_conversation(s, s, a);
        list_all_conversation_messages(s, s, a);
        get_csat_survey_page(a);
        get_account_details(a);
        get_account_audit_logs(a);
        list_all_account_agent_bots(a);
        get_details_of_a_single_account_agent_bot(a, a);
        get_account_agents(a);
        get_account_canned_response(a);
        get_account_custom_attribute(a, GetAccountCustomAttributeAttributeModel::from("0"));
        get_details_of_a_single_custom_attribute(a, a);
        contact_list(a);
        contact_details(a, 1.0);
        contact_conversations(a, 1.0);
        list_all_labels_of_a_contact(a, 1.0);
        contact_search(a);
        contactable_inboxes_get(a, 1.0);
        get_account_automation_rule(a);
        get_details_of_a_single_automation_rule(a, a);
        get_portal(a);
        conversation_list_meta(a);
        conversation_list(a);
        get_details_of_a_conversation(a, a);
        list_all_labels_of_a_conversation(a, a);
        get_conversation_reporting_events(a, a);
        list_all_inboxes(a);
        get_inbox(a, 1.0);
        get_inbox_agent_bot(a, 1.0);
        get_inbox_members(a, a);
        list_all_labels(a);
        get_details_of_a_single_label(a, 1.0);
        list_all_messages(a, a);
        get_details_of_all_integrations(a);
        fetch_profile();
        list_all_teams(a);
        get_details_of_a_single_team(a, a);
        get_team_members(a, a);
        list_all_filters(a);
        get_details_of_a_single_custom_filter(a, a);
        list_all_webhooks(a);
        get_account_reporting_events(a);
        list_all_conversation_statistics(
            a,
            ReportMetric::from("conversations_count"),
            ReportType::from("account")
        );
        list_all_conversation_statistics_summary(a, ReportType::from("account"));
        get_account_conversation_metrics(a, GetAccountConversationMetricsType::from("account"));
        get_agent_conversation_metrics(a, GetAgentConversationMetricsType::from("agent"));
        get_channel_summary_report(a);
        get_inbox_summary_report(a);
        get_agent_summary_report(a);
        get_team_summary_report(a);
        get_first_response_time_distribution(a);
        get_inbox_label_matrix(a);
        get_outgoing_messages_count(a, GetOutgoingMessagesCountGroupBy::from("agent"));
        get_conversation_messages(a, 1.0);
    }
    let mut failures = Vec::new();
    for (name, outcome) in &results {
        match outcome {
            Outcome::Read(status) => println!("read    {status} {name}"),
            Outcome::Failed(why) => {
                println!("FAILED      {name}: {why}");
                failures.push(*name);
            }
        }
    }
    let read = results.len() - failures.len();
    println!(
        "{read} of {} GET operations read what Prism served",
        results.len()
    );
    failures
}
