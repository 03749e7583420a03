//! The Chatwoot API client, generated into `OUT_DIR` by `build.rs` from
//! Chatwoot's OpenAPI document: `types` (one type per schema), `Client`
//! (one method per operation), `builder`, `errors`.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use chatwoot_example::{types::ConversationListStatus, Client};
//!
//! let client = Client::new("https://app.chatwoot.com").with_user_api_key("token");
//! let page = client
//!     .conversation_list(1)
//!     .status(ConversationListStatus::Open)
//!     .labels(["vip"])
//!     .page(2)
//!     .send()
//!     .await?;
//! println!("{:?}", page.data);
//! # Ok(())
//! # }
//! ```

include!(concat!(env!("OUT_DIR"), "/chatwoot.rs"));
