//! Breaking changes between two versions of an OpenAPI document.
//!
//! [`diff`] compares the two models (never the texts): operations are
//! paired by path shape and method, then by trailing slash, then by
//! operationId; schemas are compared as what they accept, through
//! references and `allOf`. Every difference is a [`Change`] rated by one
//! check of the registry ([`checks::ALL`]): a stable id, a level and the
//! direction of the traffic it concerns. [`ignore`] accepts known changes,
//! [`render`] writes reports, and [`traffic`] holds what recorded exchanges
//! replayed against both documents say of each change (the `specgate`
//! binary replays them, with the validator: this crate reads the model
//! alone).
//!
//! ```
//! let old = specgate_spec::load_str("old.yaml", r#"
//! openapi: 3.1.0
//! info: {title: Pets, version: "1"}
//! paths:
//!   /pets:
//!     get:
//!       responses:
//!         "200": {description: ok}
//!   /pets/{id}:
//!     delete:
//!       parameters: [{name: id, in: path, required: true, schema: {type: string}}]
//!       responses:
//!         "204": {description: gone}
//! "#).expect("loads");
//! let new = specgate_spec::load_str("new.yaml", r#"
//! openapi: 3.1.0
//! info: {title: Pets, version: "2"}
//! paths:
//!   /pets:
//!     get:
//!       responses:
//!         "200": {description: ok}
//! "#).expect("loads");
//! let changes = specgate_diff::diff(&old, &new);
//! assert_eq!(changes.len(), 1);
//! assert_eq!(changes[0].check.id, "path-removed");
//! assert_eq!(changes[0].level, specgate_diff::Level::Breaking);
//! ```

pub mod checks;
pub mod ignore;
pub mod render;
pub mod traffic;

mod bodies;
mod operations;
mod parameters;
mod paths;
mod schema;
mod security;
mod servers;
mod workflow;

pub use checks::{Check, Direction, Level};
pub use schema::keywords::markdown_table as keyword_table;

use serde::Serialize;
use specgate_spec::{Document, Method, Origin, ParameterLocation, ResponseKey, SchemaPart};

/// One change between the two documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The check that found it.
    pub check: &'static Check,
    /// Its level: the check's, unless an ignore file overrides it.
    pub level: Level,
    /// The operation's method; `None` for a change to a whole path.
    pub method: Option<Method>,
    /// The path as spelled in the document that has the thing (the old
    /// one for a removal); for a webhook, its name.
    pub path: String,
    /// Whether the path is a webhook's name.
    pub webhook: bool,
    /// The operationId in the old document, when the old document has the
    /// operation: how recorded traffic is matched to the change.
    pub old_operation_id: Option<String>,
    /// The path as the old document spells it, when it has the thing: how
    /// recorded traffic is matched to a change of a whole path.
    pub old_path: Option<String>,
    /// Where the changed thing was written in the old document.
    pub old: Option<Origin>,
    /// Where it is written in the new document.
    pub new: Option<Origin>,
    /// What changed, in a sentence.
    pub message: String,
    /// Which part of an exchange the change concerns.
    pub target: Target,
    /// For a change to what a schema accepts: where to search its
    /// witness (see [`witness_candidates`]).
    pub probe: Option<Probe>,
    /// An instance that shows the change breaks clients: the old document
    /// accepts it and the new refuses it (what clients send), or the new
    /// one admits it and the old refused it (what they receive). Set by a
    /// layer that can validate (`specgate diff` does), never by [`diff`].
    pub witness: Option<serde_json::Value>,
}

/// Where a witness of a schema change is searched: one schema of the
/// operation in each document, and the instance path of the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// The operation in the new document (the old one is
    /// [`Change::old_operation_id`]).
    pub new_operation_id: String,
    /// The part of the old operation whose schema changed.
    pub old_part: SchemaPart,
    /// The same part in the new operation.
    pub new_part: SchemaPart,
    /// The instance path of the change (`[]` for array items).
    pub at: Vec<String>,
    /// Whether the client sends the instance: its witness is accepted by
    /// the old schema and refused by the new; otherwise (what the client
    /// receives) the reverse.
    pub sent: bool,
}

/// Candidate witnesses of a change, from each document: a minimal
/// instance of the schema the change concerns (the control) and instances
/// that differ from it only at the change's place or its parent (the
/// documents' examples, values at and around each constraint). At most
/// `limit` variants each. A validator decides which, if any, the two
/// documents judge apart: this crate reads documents and validates nothing.
pub fn witness_candidates(
    old: &Document,
    new: &Document,
    change: &Change,
    limit: usize,
) -> Vec<specgate_spec::instances::Around> {
    let Some(probe) = &change.probe else {
        return Vec::new();
    };
    fn find<'d>(document: &'d Document, id: &str) -> Option<&'d specgate_spec::Operation> {
        document.operations.iter().find(|op| op.operation_id == id)
    }
    let old_schema = change
        .old_operation_id
        .as_deref()
        .and_then(|id| find(old, id))
        .and_then(|op| op.schema_of(&probe.old_part));
    let new_schema =
        find(new, &probe.new_operation_id).and_then(|op| op.schema_of(&probe.new_part));
    let mut arounds: Vec<specgate_spec::instances::Around> = [(old, old_schema), (new, new_schema)]
        .into_iter()
        .filter_map(|(document, schema)| {
            let schema = schema?;
            Some(specgate_spec::instances::around(
                document,
                &schema.value,
                &probe.at,
                limit,
            ))
        })
        .collect();
    // Each document's values in the other's instance too: an enum value or
    // a subtype only the old document has, where the new one is otherwise
    // satisfied.
    if let [first, second] = arounds.as_mut_slice() {
        let (from_first, from_second) = (first.values.clone(), second.values.clone());
        // Both minimal instances merged: what each version requires, so a
        // control both accept where a change elsewhere in the body makes
        // each alone fail the other.
        let mut both = specgate_spec::instances::Around::new(
            specgate_spec::instances::merged(&first.base, &second.base),
            &probe.at,
        );
        both.add(
            from_first.iter().chain(&from_second).cloned().collect(),
            limit * 2,
        );
        first.add(from_second, limit * 2);
        second.add(from_first, limit * 2);
        arounds.push(both);
    }
    arounds
}

/// The part of an exchange a change concerns: how replayed traffic is
/// found to touch it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Every exchange of the operation (or of every operation on the path).
    Operation,
    /// Exchanges that send this parameter (path parameters: all).
    Parameter {
        location: ParameterLocation,
        name: String,
    },
    /// Exchanges whose request body has something at `at` (a property
    /// path, `[]` for array items).
    RequestBody { at: Vec<String> },
    /// Exchanges answered under `status` whose body has something at `at`.
    ResponseBody {
        status: ResponseKey,
        at: Vec<String>,
    },
    /// Exchanges answered under `status`.
    Status(ResponseKey),
    /// Exchanges answered under `status` that carry this header.
    ResponseHeader { status: ResponseKey, name: String },
}

/// Every change from `old` to `new`, operations in the old document's
/// order, then what only the new one has.
pub fn diff(old: &Document, new: &Document) -> Vec<Change> {
    let mut changes = Vec::new();
    servers::compare(old, new, &mut changes);
    let mut context = operations::Context::new(old, new);
    paths::compare(
        &mut context,
        &old.operations,
        &new.operations,
        false,
        &mut changes,
    );
    paths::compare(
        &mut context,
        &old.webhooks,
        &new.webhooks,
        true,
        &mut changes,
    );
    changes
}

/// Where a change's element is written, located for a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Site {
    /// The file as the user named it.
    pub file: String,
    /// The JSON pointer, as the user wrote the document.
    pub pointer: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
}

/// A change with its sites located: what reports print.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<'c> {
    /// The change.
    pub change: &'c Change,
    /// Its site in the old document.
    pub old: Option<Site>,
    /// Its site in the new document.
    pub new: Option<Site>,
}

/// Locates every change's sites in one pass over each file.
pub fn locate<'c>(old: &Document, new: &Document, changes: &'c [Change]) -> Vec<Located<'c>> {
    let sites = |document: &Document, origins: Vec<Option<&Origin>>| -> Vec<Option<Site>> {
        let present: Vec<&Origin> = origins.iter().flatten().copied().collect();
        let mut located = document.locations(present).into_iter();
        origins
            .into_iter()
            .map(|origin| {
                origin?;
                let location = located.next()?;
                Some(Site {
                    file: location.file,
                    pointer: location.pointer.unwrap_or_default(),
                    line: location.line,
                })
            })
            .collect()
    };
    let old_sites = sites(old, changes.iter().map(|c| c.old.as_ref()).collect());
    let new_sites = sites(new, changes.iter().map(|c| c.new.as_ref()).collect());
    changes
        .iter()
        .zip(old_sites.into_iter().zip(new_sites))
        .map(|(change, (old, new))| Located { change, old, new })
        .collect()
}
