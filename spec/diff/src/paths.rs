//! Which operation of the new document each old one became: the same
//! method on the same path shape (`/a/{id}` is `/a/{key}`), else on the
//! same path but for a trailing slash, else the same declared operationId
//! on another path. What pairs up is compared; what is left was removed
//! or added, reported once per path when the whole path went or came.

use std::collections::{HashMap, HashSet};

use specgate_spec::{Method, Operation};

use crate::checks::{self, Check};
use crate::operations::Context;
use crate::{Change, Target};

/// A path's shape without its trailing slash: `/a/{}` for `/a/{id}/`.
fn slashless(shape: &str) -> &str {
    if shape.len() > 1 {
        shape.strip_suffix('/').unwrap_or(shape)
    } else {
        shape
    }
}

pub(crate) fn compare<'a>(
    context: &mut Context<'a>,
    old: &'a [Operation],
    new: &'a [Operation],
    webhooks: bool,
    out: &mut Vec<Change>,
) {
    // Webhooks are named, not templated: their names are their keys.
    let shape = |op: &Operation| -> String {
        if webhooks {
            op.path.clone()
        } else {
            op.template.shape()
        }
    };
    let new_shapes: Vec<String> = new.iter().map(shape).collect();
    let old_shapes: Vec<String> = old.iter().map(shape).collect();
    let mut by_shape: HashMap<(Method, &str), usize> = HashMap::new();
    for (index, op) in new.iter().enumerate() {
        by_shape
            .entry((op.method, new_shapes[index].as_str()))
            .or_insert(index);
    }
    let mut new_of: Vec<Option<usize>> = vec![None; old.len()];
    let mut taken: HashSet<usize> = HashSet::new();
    for (index, op) in old.iter().enumerate() {
        if let Some(&found) = by_shape.get(&(op.method, old_shapes[index].as_str())) {
            if taken.insert(found) {
                new_of[index] = Some(found);
            }
        }
    }
    // The same path but for a trailing slash.
    let mut slash_moves: Vec<(usize, usize)> = Vec::new();
    if !webhooks {
        let mut by_slashless: HashMap<(Method, &str), usize> = HashMap::new();
        for (index, op) in new.iter().enumerate() {
            if !taken.contains(&index) {
                by_slashless
                    .entry((op.method, slashless(&new_shapes[index])))
                    .or_insert(index);
            }
        }
        for (index, op) in old.iter().enumerate() {
            if new_of[index].is_some() {
                continue;
            }
            let key = (op.method, slashless(&old_shapes[index]));
            if let Some(&found) = by_slashless.get(&key) {
                if taken.insert(found) {
                    new_of[index] = Some(found);
                    slash_moves.push((index, found));
                }
            }
        }
    }
    // The same declared operationId on another path.
    let mut id_moves: Vec<(usize, usize)> = Vec::new();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (index, op) in new.iter().enumerate() {
        if op.operation_id_declared && !taken.contains(&index) {
            by_id.entry(op.operation_id.as_str()).or_insert(index);
        }
    }
    for (index, op) in old.iter().enumerate() {
        if new_of[index].is_some() || !op.operation_id_declared {
            continue;
        }
        if let Some(&found) = by_id.get(op.operation_id.as_str()) {
            if new[found].method == op.method && taken.insert(found) {
                new_of[index] = Some(found);
                id_moves.push((index, found));
            }
        }
    }

    path_renames(old, new, &new_of, &slash_moves, &id_moves, webhooks, out);
    let old_paired: Vec<bool> = new_of.iter().map(Option::is_some).collect();
    unpaired(
        Unpaired::Removed,
        old,
        &old_shapes,
        &new_shapes,
        &old_paired,
        webhooks,
        out,
    );
    for (index, op) in old.iter().enumerate() {
        if let Some(found) = new_of[index] {
            context.operation(op, &new[found], webhooks, out);
        }
    }
    let new_paired: Vec<bool> = (0..new.len()).map(|i| taken.contains(&i)).collect();
    unpaired(
        Unpaired::Added,
        new,
        &new_shapes,
        &old_shapes,
        &new_paired,
        webhooks,
        out,
    );
}

/// Paths paired under another spelling: a renamed path parameter, a
/// trailing slash, an operation moved. Each is one change per pair of
/// paths (per operation for a move), whatever it holds.
fn path_renames(
    old: &[Operation],
    new: &[Operation],
    new_of: &[Option<usize>],
    slash_moves: &[(usize, usize)],
    id_moves: &[(usize, usize)],
    webhooks: bool,
    out: &mut Vec<Change>,
) {
    let mut reported: HashSet<(&str, &str)> = HashSet::new();
    for (index, op) in old.iter().enumerate() {
        let Some(found) = new_of[index] else { continue };
        let (old_op, new_op) = (op, &new[found]);
        if old_op.path == new_op.path {
            continue;
        }
        let slash = slash_moves.contains(&(index, found));
        let moved = id_moves.contains(&(index, found));
        if moved {
            out.push(path_change(
                checks::OPERATION_PATH_CHANGED,
                Some(old_op.method),
                old_op,
                new_op,
                format!(
                    "`{}` moved from `{}` to `{}`",
                    old_op.operation_id, old_op.path, new_op.path
                ),
                webhooks,
            ));
            continue;
        }
        if !reported.insert((&old_op.path, &new_op.path)) {
            continue;
        }
        let methods = methods_between(old, new, new_of, &old_op.path, &new_op.path);
        let (check, message) = if slash {
            (
                checks::PATH_TRAILING_SLASH_CHANGED,
                format!(
                    "`{}` is now `{}` ({methods}): only the trailing slash changed",
                    old_op.path, new_op.path
                ),
            )
        } else {
            (
                checks::PATH_PARAMETER_RENAMED,
                format!(
                    "`{}` is now `{}` ({methods}): {}",
                    old_op.path,
                    new_op.path,
                    renamed_parameters(old_op, new_op)
                ),
            )
        };
        out.push(path_change(check, None, old_op, new_op, message, webhooks));
    }
}

/// The methods paired between two spellings of a path: `GET, PATCH`.
fn methods_between(
    old: &[Operation],
    new: &[Operation],
    new_of: &[Option<usize>],
    old_path: &str,
    new_path: &str,
) -> String {
    let methods: Vec<&str> = old
        .iter()
        .zip(new_of)
        .filter(|(op, found)| op.path == old_path && found.is_some_and(|f| new[f].path == new_path))
        .map(|(op, _)| op.method.as_str())
        .collect();
    methods.join(", ")
}

/// `{id}` → `{account_id}`, for each path parameter whose name changed.
fn renamed_parameters(old: &Operation, new: &Operation) -> String {
    let renames: Vec<String> = old
        .template
        .parameter_names()
        .into_iter()
        .zip(new.template.parameter_names())
        .filter(|(o, n)| o != n)
        .map(|(o, n)| format!("`{{{o}}}` is `{{{n}}}`"))
        .collect();
    if renames.is_empty() {
        "the same path".to_owned()
    } else {
        renames.join(", ")
    }
}

fn path_change(
    check: &'static Check,
    method: Option<Method>,
    old: &Operation,
    new: &Operation,
    message: String,
    webhook: bool,
) -> Change {
    Change {
        check,
        level: check.level,
        method,
        path: new.path.clone(),
        webhook,
        old_operation_id: Some(old.operation_id.clone()).filter(|_| method.is_some()),
        old_path: Some(old.path.clone()),
        old: Some(path_item_origin(old, method.is_none())),
        new: Some(path_item_origin(new, method.is_none())),
        message,
        target: Target::Operation,
        probe: None,
        witness: None,
    }
}

/// An operation's origin, or its path item's for a change to the path.
fn path_item_origin(op: &Operation, whole_path: bool) -> specgate_spec::Origin {
    let mut origin = op.origin.clone();
    if whole_path {
        if let Some((parent, _)) = origin.pointer.rsplit_once('/') {
            origin.pointer = parent.to_owned();
        }
    }
    origin
}

/// Which document an unpaired operation is in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unpaired {
    /// The old one only: removed.
    Removed,
    /// The new one only: added.
    Added,
}

/// Operations left without a partner, in their document's order: one
/// change for a path that went or came whole (the other document has no
/// operation of its shape, and none of its operations was paired), one per
/// operation otherwise.
fn unpaired(
    which: Unpaired,
    ops: &[Operation],
    shapes: &[String],
    other_shapes: &[String],
    paired: &[bool],
    webhooks: bool,
    out: &mut Vec<Change>,
) {
    let other_shapes: HashSet<&str> = other_shapes.iter().map(String::as_str).collect();
    // Each path's operations, found once rather than once per operation.
    let mut on_path: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, op) in ops.iter().enumerate() {
        on_path.entry(op.path.as_str()).or_default().push(index);
    }
    let mut paths_done: HashSet<&str> = HashSet::new();
    for (index, op) in ops.iter().enumerate() {
        if paired[index] {
            continue;
        }
        let siblings = on_path.get(op.path.as_str()).map_or(&[][..], Vec::as_slice);
        let whole = !webhooks
            && !other_shapes.contains(shapes[index].as_str())
            && siblings.iter().all(|&i| !paired[i]);
        let change = if whole {
            if !paths_done.insert(&op.path) {
                continue;
            }
            let methods: Vec<&str> = siblings.iter().map(|&i| ops[i].method.as_str()).collect();
            let (check, message) = match which {
                Unpaired::Removed if siblings.iter().all(|&i| ops[i].deprecated) => (
                    checks::DEPRECATED_PATH_REMOVED,
                    format!("`{}` was removed ({})", op.path, methods.join(", ")),
                ),
                Unpaired::Removed => (
                    checks::PATH_REMOVED,
                    format!("`{}` was removed ({})", op.path, methods.join(", ")),
                ),
                Unpaired::Added => (
                    checks::PATH_ADDED,
                    format!("`{}` is new ({})", op.path, methods.join(", ")),
                ),
            };
            Change {
                check,
                level: check.level,
                method: None,
                path: op.path.clone(),
                webhook: false,
                old_operation_id: None,
                old_path: None,
                old: None,
                new: None,
                message,
                target: Target::Operation,
                probe: None,
                witness: None,
            }
            .at(which, op, path_item_origin(op, true))
        } else {
            let (check, message) = match (which, webhooks, op.deprecated) {
                (Unpaired::Removed, true, _) => (checks::WEBHOOK_REMOVED, "was removed"),
                (Unpaired::Removed, false, true) => {
                    (checks::DEPRECATED_OPERATION_REMOVED, "was removed")
                }
                (Unpaired::Removed, false, false) => (checks::OPERATION_REMOVED, "was removed"),
                (Unpaired::Added, true, _) => (checks::WEBHOOK_ADDED, "is new"),
                (Unpaired::Added, false, _) => (checks::OPERATION_ADDED, "is new"),
            };
            Change {
                check,
                level: check.level,
                method: Some(op.method),
                path: op.path.clone(),
                webhook: webhooks,
                old_operation_id: None,
                old_path: None,
                old: None,
                new: None,
                message: format!("`{} {}` {message}", op.method, op.path),
                target: Target::Operation,
                probe: None,
                witness: None,
            }
            .at(which, op, op.origin.clone())
        };
        out.push(change);
    }
}

impl Change {
    /// Places an unpaired operation's change in the document that has it;
    /// a removed one keeps its old operationId for traffic.
    fn at(mut self, which: Unpaired, op: &Operation, origin: specgate_spec::Origin) -> Change {
        match which {
            Unpaired::Removed => {
                self.old_path = Some(op.path.clone());
                self.old_operation_id = self.method.map(|_| op.operation_id.clone());
                self.old = Some(origin);
            }
            Unpaired::Added => self.new = Some(origin),
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slashless_keeps_the_root() {
        assert_eq!(slashless("/a/{}/"), "/a/{}");
        assert_eq!(slashless("/a/{}"), "/a/{}");
        assert_eq!(slashless("/"), "/");
    }
}
