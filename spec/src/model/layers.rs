//! How a schema looks through `$ref` and `allOf`: one node is made of
//! layers, the node itself, the schema its `$ref` names and every `allOf` member, however
//! deep, each with where it is written; with alternatives asked for, the
//! `oneOf`/`anyOf` branches too, marked as not always applying. Every
//! reader that gathers a schema's members or constraints (the diff's view,
//! drift's summaries, codegen's object shapes, generated instances) reads
//! them here, within one depth bound, so two readers never see two
//! different schemas.

use serde_json::{Map, Value};

use crate::model::Schema;
use crate::provenance::Origin;
use crate::Document;

/// How deep layers are followed (`$ref` and `allOf` nesting, each level
/// one): deeper than any schema a person writes, and a bound for the rest.
/// Every reader of layers shares it.
pub const MAX_SCHEMA_DEPTH: usize = 64;

/// At most this many layers are gathered for one node: a bound for
/// documents that combine hundreds of schemas into one.
const MAX_LAYERS: usize = 512;

/// One layer of a schema node: the node, a schema it refers to, an
/// `allOf` member or (when asked) an alternative.
#[derive(Debug, Clone)]
pub struct Layer<'a> {
    /// The part's keywords.
    pub object: &'a Map<String, Value>,
    /// Where it is written.
    pub origin: Origin,
    /// Whether it always applies: not under a `oneOf`/`anyOf` branch.
    pub always: bool,
    /// The named schema it is, when reached through a `$ref`.
    pub name: Option<&'a str>,
    /// The keyword and index of the branch it is under (`anyOf`, 1), for
    /// a part gathered from alternatives.
    pub branch: Option<(&'static str, usize)>,
}

/// Which alternatives of a node to gather, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alternatives {
    /// `$ref` and `allOf` only.
    Skip,
    /// Every `oneOf`/`anyOf` branch too, marked as not always applying.
    All,
}

/// What becomes of one `oneOf`/`anyOf` branch when layers are gathered
/// with a chooser ([`Document::schema_layers_choosing`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Branch {
    /// Left out.
    Skip,
    /// Gathered, as not always applying.
    Maybe,
    /// Gathered, as applying whenever the node does (the branch a
    /// discriminator or a reader's choice selected).
    Applies,
}

impl Document {
    /// The layers of a schema node: the node, its `$ref` target and its
    /// `allOf` members, depth first in document order, each once (a
    /// schema that reaches itself ends); with [`Alternatives::All`], its
    /// `oneOf`/`anyOf` branches (and theirs) too.
    ///
    /// ```
    /// let doc = specgate_spec::load_str("t.yaml", r##"
    /// openapi: 3.1.0
    /// info: {title: t, version: "1"}
    /// paths: {}
    /// components:
    ///   schemas:
    ///     Base: {type: object, properties: {id: {type: integer}}}
    ///     Pet: {allOf: [{$ref: "#/components/schemas/Base"}, {properties: {name: {type: string}}}]}
    /// "##).expect("loads");
    /// let pet = &doc.schemas["Pet"].schema;
    /// let parts = doc.schema_layers(&pet.value, pet.origin.clone(), specgate_spec::Alternatives::Skip);
    /// let declared: Vec<&str> = parts
    ///     .iter()
    ///     .filter_map(|p| p.object.get("properties")?.as_object())
    ///     .flat_map(|p| p.keys().map(String::as_str))
    ///     .collect();
    /// assert_eq!(declared, ["id", "name"]);
    /// ```
    pub fn schema_layers<'a>(
        &'a self,
        schema: &'a Value,
        origin: Origin,
        alternatives: Alternatives,
    ) -> Vec<Layer<'a>> {
        let choose = |_: bool, _: &'static str, _: usize, _: &Value| match alternatives {
            Alternatives::Skip => Branch::Skip,
            Alternatives::All => Branch::Maybe,
        };
        self.schema_layers_choosing(schema, origin, true, &choose)
    }

    /// [`Document::schema_layers`] with a chooser that decides each
    /// branch: told whether the branch is the node's own (not of a layer
    /// below it), the keyword, the index and the branch. `always` is
    /// whether the node itself always applies.
    pub fn schema_layers_choosing<'a>(
        &'a self,
        schema: &'a Value,
        origin: Origin,
        always: bool,
        choose: &dyn Fn(bool, &'static str, usize, &Value) -> Branch,
    ) -> Vec<Layer<'a>> {
        let mut parts = Vec::new();
        self.gather_layers(schema, origin, always, None, choose, &mut parts, 0);
        parts
    }

    #[allow(clippy::too_many_arguments)]
    fn gather_layers<'a>(
        &'a self,
        schema: &'a Value,
        origin: Origin,
        always: bool,
        branch: Option<(&'static str, usize)>,
        choose: &dyn Fn(bool, &'static str, usize, &Value) -> Branch,
        parts: &mut Vec<Layer<'a>>,
        depth: usize,
    ) {
        if depth > MAX_SCHEMA_DEPTH || parts.len() >= MAX_LAYERS {
            return;
        }
        let (schema, origin, name) = self.resolve_schema_at(schema, origin);
        let Some(object) = schema.as_object() else {
            return;
        };
        if parts.iter().any(|p| std::ptr::eq(p.object, object)) {
            return;
        }
        parts.push(Layer {
            object,
            origin: origin.clone(),
            always,
            name,
            branch,
        });
        // A `$ref` beside other keywords: its target is a part too. So is
        // the schema a `$dynamicRef` first resolves to (its default; where
        // the dynamic scope supplies another, only a JSON Schema engine
        // following that scope knows).
        let referenced = Schema::reference_name_of(schema).and_then(|name| self.schema(&name));
        let dynamic = object
            .get("$dynamicRef")
            .and_then(Value::as_str)
            .and_then(|reference| self.dynamic_refs.get(reference))
            .and_then(|name| self.schema(name));
        for target in referenced.into_iter().chain(dynamic) {
            self.gather_layers(
                &target.schema.value,
                target.schema.origin.clone(),
                always,
                branch,
                choose,
                parts,
                depth + 1,
            );
        }
        if let Some(Value::Array(members)) = object.get("allOf") {
            let at = origin.child("allOf");
            for (index, member) in members.iter().enumerate() {
                let origin = at.child(&index.to_string());
                self.gather_layers(member, origin, always, branch, choose, parts, depth + 1);
            }
        }
        for keyword in ["oneOf", "anyOf"] {
            let Some(Value::Array(branches)) = object.get(keyword) else {
                continue;
            };
            let at = origin.child(keyword);
            for (index, member) in branches.iter().enumerate() {
                let applies = match choose(depth == 0, keyword, index, member) {
                    Branch::Skip => continue,
                    Branch::Maybe => false,
                    Branch::Applies => always,
                };
                let origin = at.child(&index.to_string());
                let under = branch.or(Some((keyword, index)));
                self.gather_layers(member, origin, applies, under, choose, parts, depth + 1);
            }
        }
    }

    /// Follows pure `$ref`s (a reference and nothing else), keeping where
    /// the schema reached is written and its name when it is a named
    /// schema: [`Document::resolve_schema`] with provenance.
    pub fn resolve_schema_at<'a>(
        &'a self,
        mut schema: &'a Value,
        mut origin: Origin,
    ) -> (&'a Value, Origin, Option<&'a str>) {
        let mut named_as = None;
        // A chain is at most as long as there are schemas: cycles of pure
        // references are refused on load.
        for _ in 0..=self.schemas.len() {
            let Some(name) = Schema::reference_name_of(schema) else {
                break;
            };
            if schema.as_object().is_some_and(|o| o.len() > 1) {
                break;
            }
            let Some(named) = self.schema(&name) else {
                break;
            };
            schema = &named.schema.value;
            origin = named.schema.origin.clone();
            named_as = Some(named.name.as_str());
        }
        (schema, origin, named_as)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(schemas: &str) -> Document {
        let text = format!(
            r#"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}}, "paths": {{}},
                "components": {{"schemas": {schemas}}}}}"#
        );
        crate::load_str("t.json", &text).expect("test document loads")
    }

    #[test]
    fn parts_follow_references_and_all_of_and_mark_alternatives() {
        let doc = document(
            r##"{"S": {"allOf": [{"$ref": "#/components/schemas/T"}], "anyOf": [{"required": ["a"]}, {"required": ["b"]}]},
                 "T": {"type": "object", "properties": {"a": {}, "b": {}}}}"##,
        );
        let s = &doc.schemas["S"].schema;
        let skip = doc.schema_layers(&s.value, s.origin.clone(), Alternatives::Skip);
        assert_eq!(skip.len(), 2);
        assert_eq!(skip[1].name, Some("T"));
        let all = doc.schema_layers(&s.value, s.origin.clone(), Alternatives::All);
        assert_eq!(all.len(), 4);
        assert!(all[..2].iter().all(|p| p.always));
        assert_eq!(all[3].branch, Some(("anyOf", 1)));
        assert!(!all[3].always);
    }

    #[test]
    fn a_schema_that_reaches_itself_ends() {
        let doc = document(
            r##"{"S": {"allOf": [{"$ref": "#/components/schemas/S"}, {"properties": {"a": {}}}]}}"##,
        );
        let s = &doc.schemas["S"].schema;
        let parts = doc.schema_layers(&s.value, s.origin.clone(), Alternatives::All);
        assert_eq!(parts.len(), 2);
    }
}
