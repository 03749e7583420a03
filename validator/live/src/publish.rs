//! Where a proxy publishes each completed exchange (`--publish`), as the
//! same line `--record` writes. The proxy only offers lines; the
//! publisher (the binary's, over NATS JetStream) buffers them, bounded,
//! and never makes traffic wait.

use std::sync::Arc;

/// A publisher of exchanges.
pub trait Publish: Send + Sync {
    /// Takes the line of the exchange numbered `entry` without waiting;
    /// false when it was dropped (the buffer is full).
    fn offer(&self, entry: usize, line: String) -> bool;

    /// Exchanges dropped so far, at the offer or later (the server
    /// unreachable): what /metrics shows as `publish_dropped`.
    fn dropped(&self) -> u64;
}

/// A publisher shared by the proxy's connections.
#[derive(Clone)]
pub struct Publisher(pub Arc<dyn Publish>);

impl std::fmt::Debug for Publisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Publisher")
    }
}
