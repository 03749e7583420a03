//! What recorded traffic says of each change: for each change, how many
//! recorded exchanges of its operation touch it (send the parameter, carry
//! the property, get the status), and which exchanges conform to the old
//! document and fail the new one.
//!
//! Only the data lives here, for [`render`](crate::render) to write: the
//! replay itself needs the validator, so the `specgate` binary, which sees
//! both the changes and the traffic, runs it and fills a [`Replay`].

/// The segment of a [`Target`](crate::Target) path (`at`) that stands for
/// any item of an array.
pub const ITEMS: &str = crate::schema::ITEMS;

/// What the traffic says of each change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeTraffic {
    /// Recorded exchanges of the change's operation (of its path, for a
    /// change to a whole path).
    pub routed: usize,
    /// Of those, the ones that touch what changed.
    pub touched: usize,
    /// Of those, the ones that conform to the old document and fail the
    /// new (`source#entry`, at most a thousand named).
    pub broken: Vec<String>,
}

/// The traffic replayed: counts, and one [`ChangeTraffic`] per change, in
/// the changes' order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replay {
    /// Records read (malformed ones included).
    pub records: usize,
    /// Exchanges with a response, checked against both documents.
    pub exchanges: usize,
    /// Exchanges that conform to the old document.
    pub conform_old: usize,
    /// Exchanges that conform to the old document and fail the new.
    pub broken: Vec<String>,
    /// How many conform to the old document and fail the new, named or not.
    pub broken_total: usize,
    /// Per change.
    pub changes: Vec<ChangeTraffic>,
}

impl Replay {
    /// `1,310 exchanges replayed: 1,302 conform to the old document, 14 of
    /// them fail the new one`.
    pub fn summary_line(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "traffic: {} replayed ({}); {} to the old document, {} the new one",
            plural(self.exchanges, "exchange", "exchanges"),
            plural(self.records, "record", "records"),
            plural(self.conform_old, "conforms", "conform"),
            plural(self.broken_total, "of them fails", "of them fail")
        )
    }
}
