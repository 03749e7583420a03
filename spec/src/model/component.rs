//! Which reusable component a model element came from: the
//! `components/*` entry, by kind and name. The code generator names one
//! type per shared response or parameter by it, and a diff reports a
//! change to a component once, where it bites.

use serde::Serialize;

use crate::pointer;
use crate::provenance::{FileId, Origin};

/// The kinds of entry under `components`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ComponentKind {
    /// `components/schemas`.
    Schemas,
    /// `components/responses`.
    Responses,
    /// `components/parameters`.
    Parameters,
    /// `components/examples`.
    Examples,
    /// `components/requestBodies`.
    RequestBodies,
    /// `components/headers`.
    Headers,
    /// `components/securitySchemes`.
    SecuritySchemes,
    /// `components/links`.
    Links,
    /// `components/callbacks`.
    Callbacks,
    /// `components/pathItems`.
    PathItems,
}

impl ComponentKind {
    /// Every kind.
    pub const ALL: [ComponentKind; 10] = [
        Self::Schemas,
        Self::Responses,
        Self::Parameters,
        Self::Examples,
        Self::RequestBodies,
        Self::Headers,
        Self::SecuritySchemes,
        Self::Links,
        Self::Callbacks,
        Self::PathItems,
    ];

    /// The key under `components`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Schemas => "schemas",
            Self::Responses => "responses",
            Self::Parameters => "parameters",
            Self::Examples => "examples",
            Self::RequestBodies => "requestBodies",
            Self::Headers => "headers",
            Self::SecuritySchemes => "securitySchemes",
            Self::Links => "links",
            Self::Callbacks => "callbacks",
            Self::PathItems => "pathItems",
        }
    }
}

/// A component: its kind and its name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ComponentId {
    /// Which `components` map it is in.
    pub kind: ComponentKind,
    /// Its key there.
    pub name: String,
}

impl ComponentId {
    /// The component an element read from `origin` is: an entry of the
    /// root document's `components` (after a Swagger 2.0 upgrade, its
    /// `definitions`, `parameters` and `responses` are there too).
    pub fn at(origin: &Origin) -> Option<ComponentId> {
        if origin.file != FileId::ROOT {
            return None;
        }
        let rest = origin.pointer.strip_prefix("/components/")?;
        let (kind, name) = rest.split_once('/')?;
        if name.contains('/') {
            return None;
        }
        let kind = ComponentKind::ALL.into_iter().find(|k| k.key() == kind)?;
        Some(ComponentId {
            kind,
            name: pointer::unescape(name).into_owned(),
        })
    }
}

impl std::fmt::Display for ComponentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "#/components/{}/{}",
            self.kind.key(),
            pointer::escape(&self.name)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_entries_of_the_root_are_components() {
        let at = |file, pointer: &str| ComponentId::at(&Origin::new(FileId(file), pointer));
        assert_eq!(
            at(0, "/components/responses/Not~1Found"),
            Some(ComponentId {
                kind: ComponentKind::Responses,
                name: "Not/Found".into()
            })
        );
        assert_eq!(at(0, "/components/responses/x/content"), None);
        assert_eq!(at(1, "/components/responses/x"), None);
        assert_eq!(at(0, "/components/other/x"), None);
        assert_eq!(at(0, "/paths/~1a/get"), None);
    }
}
