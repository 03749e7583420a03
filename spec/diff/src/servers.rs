//! The document's servers: where every operation is reached. A base path
//! that no new server keeps moves every operation (`/v1` to `/vwip`); a
//! server gone while its base path is still served elsewhere may strand
//! clients configured with its URL.

use specgate_spec::{Document, FileId, Origin};

use crate::checks::{self, Check};
use crate::{Change, Target};

fn origin(index: usize) -> Origin {
    Origin {
        file: FileId::ROOT,
        pointer: format!("/servers/{index}"),
    }
}

fn change(
    check: &'static Check,
    url: &str,
    old: Option<Origin>,
    new: Option<Origin>,
    message: String,
) -> Change {
    Change {
        check,
        level: check.level,
        method: None,
        path: url.to_owned(),
        webhook: false,
        old_operation_id: None,
        old_path: None,
        old,
        new,
        message,
        target: Target::Operation,
        probe: None,
        witness: None,
    }
}

/// The changes between the two documents' servers.
pub(crate) fn compare(old: &Document, new: &Document, out: &mut Vec<Change>) {
    // A document that names no server serves from `/` wherever it is
    // deployed: nothing to compare against.
    if old.servers.is_empty() || new.servers.is_empty() {
        return;
    }
    let new_bases: Vec<&str> = new.servers.iter().map(|s| s.base_path.as_str()).collect();
    let mut base_reported = Vec::new();
    for (index, server) in old.servers.iter().enumerate() {
        if new.servers.iter().any(|s| s.url == server.url) {
            continue;
        }
        let base = server.base_path.as_str();
        if !new_bases.contains(&base) {
            if base_reported.contains(&base) {
                continue;
            }
            base_reported.push(base);
            let now = new_bases
                .iter()
                .map(|b| format!("`{}`", if b.is_empty() { "/" } else { b }))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(change(
                checks::SERVER_BASE_PATH_CHANGED,
                &server.url,
                Some(origin(index)),
                Some(origin(0)),
                format!(
                    "server `{}`: base path `{}` is served by no server now (now {now})",
                    server.url,
                    if base.is_empty() { "/" } else { base }
                ),
            ));
        } else {
            out.push(change(
                checks::SERVER_REMOVED,
                &server.url,
                Some(origin(index)),
                None,
                format!("server `{}` was removed", server.url),
            ));
        }
    }
    for (index, server) in new.servers.iter().enumerate() {
        if !old.servers.iter().any(|s| s.url == server.url) {
            out.push(change(
                checks::SERVER_ADDED,
                &server.url,
                None,
                Some(origin(index)),
                format!("server `{}` was added", server.url),
            ));
        }
    }
}
