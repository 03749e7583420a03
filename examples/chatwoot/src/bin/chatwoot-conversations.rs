//! Lists the conversations of a Chatwoot account with the generated
//! client: the meta counts, then one line per conversation (id, status,
//! sender, last message). Exits 0 on success, 1 on a documented error
//! response (printing its description), 2 when the request fails otherwise.

use std::process::ExitCode;

use chatwoot_example::types::{
    ConversationList, ConversationListAssigneeType, ConversationListStatus, ConversationShow,
};
use chatwoot_example::{Client, Error};
use clap::Parser;

/// List the conversations of a Chatwoot account.
#[derive(Debug, Parser)]
#[command(name = "chatwoot-conversations")]
struct Args {
    /// The Chatwoot installation, such as https://app.chatwoot.com.
    #[arg(long, value_name = "URL")]
    base_url: String,
    /// A user's access token (profile settings), sent as `api_access_token`.
    #[arg(long, value_name = "TOKEN")]
    token: String,
    /// The account's numeric id.
    #[arg(long, value_name = "N")]
    account_id: i64,
    /// all, open, resolved, pending or snoozed.
    #[arg(long, value_name = "S")]
    status: Option<String>,
    /// me, unassigned, all or assigned.
    #[arg(long, value_name = "T")]
    assignee_type: Option<String>,
    /// Only conversations with this label (repeatable).
    #[arg(long = "labels", value_name = "L")]
    labels: Vec<String>,
    /// Only conversations of this inbox.
    #[arg(long, value_name = "N")]
    inbox_id: Option<i64>,
    /// Only conversations of this team.
    #[arg(long, value_name = "N")]
    team_id: Option<i64>,
    /// Only conversations with messages containing this text.
    #[arg(long, value_name = "TEXT")]
    q: Option<String>,
    /// The page, from 1.
    #[arg(long, value_name = "N")]
    page: Option<i64>,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    let client = Client::new(&args.base_url).with_user_api_key(&args.token);
    let mut request = client.conversation_list(args.account_id);
    if let Some(status) = &args.status {
        request = request.status(ConversationListStatus::from(status.as_str()));
    }
    if let Some(assignee_type) = &args.assignee_type {
        request = request.assignee_type(ConversationListAssigneeType::from(assignee_type.as_str()));
    }
    if !args.labels.is_empty() {
        request = request.labels(args.labels.iter().cloned());
    }
    if let Some(inbox_id) = args.inbox_id {
        request = request.inbox_id(inbox_id);
    }
    if let Some(team_id) = args.team_id {
        request = request.team_id(team_id);
    }
    if let Some(q) = &args.q {
        request = request.q(q.as_str());
    }
    if let Some(page) = args.page {
        request = request.page(page);
    }
    match request.send().await {
        Ok(response) => {
            print!("{}", render(&response));
            ExitCode::SUCCESS
        }
        Err(Error::Api { status, body, .. }) => {
            let description = body.description.as_deref().unwrap_or("(no description)");
            eprintln!("error {}: {description}", status.as_u16());
            for error in body.errors.iter().flatten() {
                eprintln!(
                    "  {}: {}",
                    error.field.as_deref().unwrap_or("-"),
                    error.message.as_deref().unwrap_or("-")
                );
            }
            ExitCode::from(1)
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

fn render(list: &ConversationList) -> String {
    let mut out = String::new();
    let data = list.data.as_ref();
    let meta = data.and_then(|d| d.meta.as_ref());
    let count = |c: Option<f64>| c.map_or_else(|| "-".to_owned(), |n| n.to_string());
    out.push_str(&format!(
        "mine: {}  unassigned: {}  assigned: {}  all: {}\n",
        count(meta.and_then(|m| m.mine_count)),
        count(meta.and_then(|m| m.unassigned_count)),
        count(meta.and_then(|m| m.assigned_count)),
        count(meta.and_then(|m| m.all_count)),
    ));
    for item in data.and_then(|d| d.payload.as_ref()).into_iter().flatten() {
        out.push_str(&line(item));
        out.push('\n');
    }
    out
}

fn line(item: &ConversationShow) -> String {
    let conversation = &item.conversation;
    let id = conversation
        .id
        .map_or_else(|| "?".to_owned(), |id| id.to_string());
    let status = conversation
        .status
        .as_ref()
        .map_or_else(|| "-".to_owned(), ToString::to_string);
    let sender = item
        .meta
        .as_ref()
        .and_then(|m| m.sender.as_ref())
        .and_then(|s| s.name.clone())
        .unwrap_or_else(|| "-".to_owned());
    let last = conversation
        .last_non_activity_message
        .as_ref()
        .or_else(|| conversation.messages.as_ref().and_then(|m| m.last()))
        .and_then(|m| m.content.clone())
        .unwrap_or_default();
    let last: String = last.chars().take(60).collect::<String>().replace('\n', " ");
    format!("#{id}\t{status}\t{sender}\t{last}")
}
