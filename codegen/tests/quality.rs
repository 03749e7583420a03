//! How a careful Rust engineer would judge a generated client (issue 23),
//! measured from the generated code alone, per document.
//!
//! A person writing a client by hand does not write two structs or enums
//! that differ only in name, does not number types (`DatabaseStatus2`), nor
//! name them in fifty letters or with a word twice (`ContactInboxInbox`),
//! nor call a type just `Status`; does not wrap an `Option` in an `Option`
//! or alias an alias, does not refuse fields a server may add tomorrow
//! (`deny_unknown_fields`), does not define types nothing uses, and marks
//! what the API deprecates. Each of these is counted here from the parsed
//! `.rs` files of the generated crate (all of them, and every inline module
//! within), so the figures follow whatever the generator writes.
//!
//! `cargo test -p specgate-codegen --test quality -- --nocapture` measures
//! four large documents, prints their figures and the largest groups of
//! twin structs, and holds the figures to [`CEILINGS`]. `cargo test -p
//! specgate-codegen --test quality -- --ignored corpus_quality_figures
//! --nocapture` prints the figures of every corpus document.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use proc_macro2::{Delimiter, Ident, TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Attribute, GenericArgument, ImplItem, Item, PathArguments, Type};

#[path = "../../tests/support/corpus_documents.rs"]
mod corpus_documents;

/// The figures of the four measured documents, which the generator must
/// not make worse: every figure here is a ceiling that may only go down
/// as the generated code improves (lower it when it does), except
/// `deprecated_ops_marked` and `deprecated_fields`, which count marks a
/// person would add and are floors that may only go up.
/// `deprecated_ops_total` is a fact of the document, shown for reference.
const CEILINGS: [(&str, Figures); 4] = [
    (
        "chatwoot/swagger.json",
        Figures {
            lines: 17794,
            types: 377,
            struct_groups: 1,
            struct_twins: 2,
            enum_groups: 0,
            enum_twins: 0,
            counter_names: 1,
            long_names: 1,
            longest: 44,
            repeating_names: 1,
            deny_unknown_fields: 0,
            option_option: 0,
            alias_chains: 0,
            deprecated_ops_marked: 0,
            deprecated_ops_total: 0,
            deprecated_fields: 0,
            unused: 0,
            generic_names: 1,
        },
    ),
    (
        "apisguru/digitalocean.com.json",
        Figures {
            lines: 35879,
            types: 810,
            struct_groups: 0,
            struct_twins: 0,
            enum_groups: 0,
            enum_twins: 0,
            counter_names: 5,
            long_names: 17,
            longest: 55,
            repeating_names: 1,
            deny_unknown_fields: 0,
            option_option: 0,
            alias_chains: 0,
            deprecated_ops_marked: 2,
            deprecated_ops_total: 2,
            deprecated_fields: 10,
            unused: 0,
            generic_names: 3,
        },
    ),
    (
        "apisguru/linode.com.json",
        Figures {
            lines: 35543,
            types: 752,
            struct_groups: 6,
            struct_twins: 13,
            enum_groups: 2,
            enum_twins: 4,
            counter_names: 4,
            long_names: 7,
            longest: 47,
            repeating_names: 1,
            deny_unknown_fields: 0,
            option_option: 0,
            alias_chains: 0,
            deprecated_ops_marked: 8,
            deprecated_ops_total: 8,
            deprecated_fields: 5,
            unused: 0,
            generic_names: 1,
        },
    ),
    (
        "apisguru/discourse.local.json",
        Figures {
            lines: 10335,
            types: 300,
            struct_groups: 0,
            struct_twins: 0,
            enum_groups: 0,
            enum_twins: 0,
            counter_names: 0,
            long_names: 0,
            longest: 40,
            repeating_names: 0,
            deny_unknown_fields: 0,
            option_option: 0,
            alias_chains: 0,
            deprecated_ops_marked: 0,
            deprecated_ops_total: 0,
            deprecated_fields: 1,
            unused: 0,
            generic_names: 1,
        },
    ),
];

/// A type name longer than this is hard to read and to write.
const LONG_NAME: usize = 40;

/// One-word type names that say nothing of what they hold, and collide
/// across a crate (`Status`, `Status2`, ...).
const GENERIC_WORDS: [&str; 11] = [
    "Status", "Type", "Kind", "State", "Data", "Item", "Items", "Result", "Results", "Value",
    "Error",
];

/// The figures of one generated crate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Figures {
    /// Lines of all generated `.rs` files.
    lines: usize,
    /// `struct` and `enum` items.
    types: usize,
    /// Groups of two or more structs that differ only in name.
    struct_groups: usize,
    /// Structs in those groups.
    struct_twins: usize,
    /// Groups of two or more enums that differ only in name.
    enum_groups: usize,
    /// Enums in those groups.
    enum_twins: usize,
    /// Names told apart by a number (`DatabaseStatus2`).
    counter_names: usize,
    /// Names longer than [`LONG_NAME`].
    long_names: usize,
    /// The length of the longest name.
    longest: usize,
    /// Names with a word twice in a row (`ContactInboxInbox`).
    repeating_names: usize,
    /// `deny_unknown_fields` in the serde attributes of types.
    deny_unknown_fields: usize,
    /// Fields that are an `Option` of an `Option`, through aliases.
    option_option: usize,
    /// Aliases of aliases.
    alias_chains: usize,
    /// Client methods marked `#[deprecated]`.
    deprecated_ops_marked: usize,
    /// Operations the document deprecates.
    deprecated_ops_total: usize,
    /// Struct fields marked `#[deprecated]`.
    deprecated_fields: usize,
    /// Types defined and never used that no component schema asked for.
    unused: usize,
    /// Names that are one of [`GENERIC_WORDS`], maybe numbered.
    generic_names: usize,
}

/// The figures of a crate, and its groups of twin structs (largest first)
/// to show what the figures count.
struct Measured {
    figures: Figures,
    struct_groups: Vec<Vec<String>>,
}

#[test]
fn generated_clients_read_as_a_person_would_write_them() {
    let documents = corpus_documents::corpus_documents();
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    for (name, ceiling) in &CEILINGS {
        let (_, bytes) = documents
            .iter()
            .find(|(found, _)| found == name)
            .unwrap_or_else(|| panic!("{name} is not in tests/corpus"));
        let measured = measure_document(name, bytes.clone());
        println!("{name}: the largest groups of twin structs");
        print!("{}", describe_groups(&measured.struct_groups, 5));
        failures.extend(
            worsened(&measured.figures, ceiling)
                .into_iter()
                .map(|failure| format!("{name}: {failure}")),
        );
        rows.push(((*name).to_owned(), measured.figures));
    }
    println!("\n{}", table(&rows));
    assert!(
        failures.is_empty(),
        "the generated code got worse than CEILINGS allows:\n{}",
        failures.join("\n")
    );
}

#[test]
#[ignore = "generates every corpus document: run with --ignored --nocapture to see the figures"]
fn corpus_quality_figures() {
    let rows: Vec<(String, Figures)> = corpus_documents::corpus_documents()
        .into_iter()
        .map(|(name, bytes)| {
            let figures = measure_document(&name, bytes).figures;
            (name, figures)
        })
        .collect();
    println!("{}", table(&rows));
}

/// Loads a document, generates its crate and measures it.
fn measure_document(name: &str, bytes: Vec<u8>) -> Measured {
    let document = specgate_spec::Loader::new()
        .load_bytes(name, bytes, None)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let generated = specgate_codegen::generate_crate(
        &document,
        "measured",
        &specgate_codegen::Options::default(),
    );
    let sources: Vec<(&str, &str)> = generated
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".rs"))
        .map(|(path, contents)| (path.as_str(), contents.as_str()))
        .collect();
    // Numbered names of a component's type (`Pet2`) are the generator's
    // way around a clash, and still the component's type.
    let components: HashSet<String> = document
        .schemas
        .keys()
        .map(|name| specgate_codegen::naming::type_name(name))
        .collect();
    let deprecated = document
        .operations
        .iter()
        .filter(|operation| operation.deprecated)
        .count();
    measure_sources(&sources, &components, deprecated)
}

/// Measures generated `.rs` files given as `(path, contents)`.
fn measure_sources(
    sources: &[(&str, &str)],
    components: &HashSet<String>,
    deprecated_ops_total: usize,
) -> Measured {
    let files: Vec<(String, syn::File)> = sources
        .iter()
        .map(|(path, contents)| {
            let file = syn::parse_file(contents).unwrap_or_else(|e| panic!("{path}: {e}"));
            (file_module(path), file)
        })
        .collect();
    let mut items = Vec::new();
    for (module, file) in &files {
        placed_items(&file.items, module, &mut items);
    }
    let names = type_names(&items);
    let aliases = aliases(&items);
    let struct_groups = twin_groups(&items, TypeKind::Struct);
    let enum_groups = twin_groups(&items, TypeKind::Enum);
    let uses = ident_counts(files.iter().map(|(_, file)| file.to_token_stream()));
    let figures = Figures {
        lines: sources.iter().map(|(_, c)| c.lines().count()).sum(),
        types: items.iter().filter(|p| is_struct_or_enum(p.item)).count(),
        struct_groups: struct_groups.len(),
        struct_twins: struct_groups.iter().map(Vec::len).sum(),
        enum_groups: enum_groups.len(),
        enum_twins: enum_groups.iter().map(Vec::len).sum(),
        counter_names: counter_names(&names),
        long_names: names.iter().filter(|n| n.len() > LONG_NAME).count(),
        longest: names.iter().map(String::len).max().unwrap_or(0),
        repeating_names: names.iter().filter(|n| repeats_a_word(n)).count(),
        deny_unknown_fields: deny_unknown_fields(&items),
        option_option: option_option_fields(&items, &aliases),
        alias_chains: alias_chains(&aliases),
        deprecated_ops_marked: deprecated_client_methods(&items),
        deprecated_ops_total,
        deprecated_fields: deprecated_fields(&items),
        unused: names
            .iter()
            .filter(|n| uses.get(n.as_str()) == Some(&1) && !is_component(n, components))
            .count(),
        generic_names: names.iter().filter(|n| is_generic(n)).count(),
    };
    Measured {
        figures,
        struct_groups,
    }
}

// ---- Items ----

/// An item and the module it is in: impls belong to the type of their
/// module (a builder `ListPets` is not the type `ListPets`).
struct Placed<'a> {
    module: String,
    item: &'a Item,
}

/// The module a generated file is: `src/lib.rs` the crate, `src/a/b.rs`
/// and `src/a/b/mod.rs` the module `a::b`.
fn file_module(path: &str) -> String {
    let module = path.trim_start_matches("src/").trim_end_matches(".rs");
    let module = module.trim_end_matches("/mod");
    match module {
        "lib" | "main" => "crate".to_owned(),
        _ => format!("crate::{}", module.replace('/', "::")),
    }
}

/// Every item, with those of inline modules, in order.
fn placed_items<'a>(items: &'a [Item], module: &str, out: &mut Vec<Placed<'a>>) {
    for item in items {
        out.push(Placed {
            module: module.to_owned(),
            item,
        });
        if let Item::Mod(inner) = item {
            if let Some((_, content)) = &inner.content {
                placed_items(content, &format!("{module}::{}", inner.ident), out);
            }
        }
    }
}

fn is_struct_or_enum(item: &Item) -> bool {
    matches!(item, Item::Struct(_) | Item::Enum(_))
}

/// The names of structs, enums and type aliases, in order.
fn type_names(items: &[Placed]) -> Vec<String> {
    items
        .iter()
        .filter_map(|placed| match placed.item {
            Item::Struct(s) => Some(s.ident.to_string()),
            Item::Enum(e) => Some(e.ident.to_string()),
            Item::Type(t) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// The last segment of a path type, if it is one.
fn path_last(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(path) if path.qself.is_none() => path.path.segments.last(),
        _ => None,
    }
}

fn has_attribute(attrs: &[Attribute], name: &str) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident(name))
}

// ---- Twins ----

#[derive(Clone, Copy, PartialEq, Eq)]
enum TypeKind {
    Struct,
    Enum,
}

/// Groups of two or more types of `kind` whose definitions and impls
/// differ in nothing but their names and docs, largest group first: a
/// person would have written one type.
fn twin_groups(items: &[Placed], kind: TypeKind) -> Vec<Vec<String>> {
    let impls = impls_by_type(items);
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut groups: Vec<Vec<String>> = Vec::new();
    for placed in items {
        let (name, definition) = match (placed.item, kind) {
            (Item::Struct(s), TypeKind::Struct) => (s.ident.to_string(), s.to_token_stream()),
            (Item::Enum(e), TypeKind::Enum) => (e.ident.to_string(), e.to_token_stream()),
            _ => continue,
        };
        let mut key = String::new();
        write_shape(definition, &name, &mut key);
        let own = impls.get(&(placed.module.as_str(), name.clone()));
        for block in own.into_iter().flatten() {
            write_shape(block.to_token_stream(), &name, &mut key);
        }
        let next = groups.len();
        let at = *index.entry(key).or_insert(next);
        if at == next {
            groups.push(Vec::new());
        }
        groups[at].push(name);
    }
    groups.retain(|group| group.len() >= 2);
    // Stable: equal sizes keep the order of their first definition.
    groups.sort_by_key(|group| std::cmp::Reverse(group.len()));
    groups
}

/// Impl blocks by module and the last segment of their self type.
fn impls_by_type<'a>(items: &'a [Placed]) -> HashMap<(&'a str, String), Vec<&'a syn::ItemImpl>> {
    let mut impls: HashMap<(&str, String), Vec<&syn::ItemImpl>> = HashMap::new();
    for placed in items {
        if let Item::Impl(block) = placed.item {
            if let Some(segment) = path_last(&block.self_ty) {
                impls
                    .entry((placed.module.as_str(), segment.ident.to_string()))
                    .or_default()
                    .push(block);
            }
        }
    }
    impls
}

/// Writes `tokens` as text without doc attributes (`///` lines are
/// `#[doc = ".."]` tokens), with `name` and `Self` both written as one
/// placeholder: two types that differ only in name and docs write the
/// same text.
fn write_shape(tokens: TokenStream, name: &str, out: &mut String) {
    let mut trees = tokens.into_iter().peekable();
    while let Some(tree) = trees.next() {
        match tree {
            TokenTree::Punct(punct) if punct.as_char() == '#' => {
                // `#[doc ..]`, or `#![doc ..]` inside a module.
                let bang = trees
                    .next_if(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == '!'))
                    .is_some();
                match trees.next_if(is_doc_attribute) {
                    Some(_) => continue,
                    None => out.push_str(if bang { "#!" } else { "#" }),
                }
            }
            TokenTree::Ident(ident) if ident == name || ident == "Self" => out.push('\u{25c7}'),
            TokenTree::Ident(ident) => write!(out, "{ident}").unwrap(),
            TokenTree::Punct(punct) => out.push(punct.as_char()),
            TokenTree::Literal(literal) => write!(out, "{literal}").unwrap(),
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                write_shape(group.stream(), name, out);
                out.push_str(close);
            }
        }
        out.push(' ');
    }
}

/// Whether `tree` is the `[doc ..]` of an attribute.
fn is_doc_attribute(tree: &TokenTree) -> bool {
    let TokenTree::Group(group) = tree else {
        return false;
    };
    group.delimiter() == Delimiter::Bracket
        && matches!(group.stream().into_iter().next(), Some(TokenTree::Ident(i)) if i == "doc")
}

/// The first `count` groups, one a line, each with its first six names.
fn describe_groups(groups: &[Vec<String>], count: usize) -> String {
    let mut out = String::new();
    for group in groups.iter().take(count) {
        let shown: Vec<&str> = group.iter().take(6).map(String::as_str).collect();
        let more = group.len().saturating_sub(shown.len());
        let rest = if more > 0 {
            format!(", and {more} more")
        } else {
            String::new()
        };
        writeln!(out, "  {:>4}: {}{rest}", group.len(), shown.join(", ")).unwrap();
    }
    out
}

// ---- Names ----

/// `("Status", "2")` for `Status2`; nothing for a name without a trailing
/// number or with nothing before it.
fn split_counter(name: &str) -> Option<(&str, &str)> {
    let base = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let number = &name[base.len()..];
    // `ListResponse404` names a status, not a clash.
    let status = base.ends_with("Response")
        && number.len() == 3
        && number.parse::<u16>().is_ok_and(|n| (100..600).contains(&n));
    (!base.is_empty() && !number.is_empty() && !status).then_some((base, number))
}

/// Names that are another name with a number, or that share their base
/// with another number: the generator's way around a clash, which tells a
/// reader nothing. A lone `Ipv4` is not counted; `Ipv4` beside `Ipv6` is.
fn counter_names(names: &[String]) -> usize {
    let defined: HashSet<&str> = names.iter().map(String::as_str).collect();
    let mut numbers: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (base, number) in names.iter().filter_map(|n| split_counter(n)) {
        numbers.entry(base).or_default().insert(number);
    }
    names
        .iter()
        .filter_map(|n| split_counter(n))
        .filter(|(base, _)| defined.contains(base) || numbers[base].len() >= 2)
        .count()
}

/// The words of a CamelCase name: `HTTPServer2` is `HTTP`, `Server`, `2`.
fn camel_words(name: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = name.char_indices().collect();
    let mut words = Vec::new();
    let mut start = 0;
    for (k, window) in chars.windows(2).enumerate() {
        let [(_, previous), (at, current)] = [window[0], window[1]];
        let next = chars.get(k + 2).map(|&(_, c)| c);
        let boundary = (previous.is_lowercase() && current.is_uppercase())
            || previous.is_ascii_digit() != current.is_ascii_digit()
            // The last capital of an acronym starts the next word.
            || (previous.is_uppercase()
                && current.is_uppercase()
                && next.is_some_and(char::is_lowercase));
        if boundary {
            words.push(&name[start..at]);
            start = at;
        }
    }
    words.push(&name[start..]);
    words
}

/// Whether a word comes twice in a row, as when a property's name is
/// appended to a type name that already ends with it.
fn repeats_a_word(name: &str) -> bool {
    camel_words(name).windows(2).any(|pair| pair[0] == pair[1])
}

fn is_generic(name: &str) -> bool {
    let base = name.trim_end_matches(|c: char| c.is_ascii_digit());
    GENERIC_WORDS.contains(&base)
}

/// Whether `name` is a component schema's type name, maybe numbered.
fn is_component(name: &str, components: &HashSet<String>) -> bool {
    let digits = name.len() - name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    (0..=digits).any(|cut| components.contains(&name[..name.len() - cut]))
}

/// How often each identifier occurs in the tokens, groups included.
fn ident_counts(streams: impl IntoIterator<Item = TokenStream>) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for stream in streams {
        for_each_ident(stream, &mut |ident| {
            *counts.entry(ident.to_string()).or_insert(0) += 1;
        });
    }
    counts
}

fn for_each_ident(tokens: TokenStream, f: &mut impl FnMut(&Ident)) {
    for tree in tokens {
        match tree {
            TokenTree::Ident(ident) => f(&ident),
            TokenTree::Group(group) => for_each_ident(group.stream(), f),
            TokenTree::Punct(_) | TokenTree::Literal(_) => {}
        }
    }
}

// ---- Attributes and fields ----

/// `deny_unknown_fields` in the serde attributes of structs and enums: a
/// client that refuses a field its server adds breaks on the next release.
fn deny_unknown_fields(items: &[Placed]) -> usize {
    let mut count = 0;
    for placed in items {
        let attrs = match placed.item {
            Item::Struct(s) => &s.attrs,
            Item::Enum(e) => &e.attrs,
            _ => continue,
        };
        for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
            for_each_ident(attr.meta.to_token_stream(), &mut |ident| {
                count += usize::from(ident == "deny_unknown_fields");
            });
        }
    }
    count
}

/// Type aliases by name, with the type each stands for.
fn aliases<'a>(items: &[Placed<'a>]) -> HashMap<String, &'a Type> {
    items
        .iter()
        .filter_map(|placed| match placed.item {
            Item::Type(alias) => Some((alias.ident.to_string(), &*alias.ty)),
            _ => None,
        })
        .collect()
}

/// The alias an alias stands for, if it names one plainly: a person
/// would have named the type once.
fn alias_chains(aliases: &HashMap<String, &Type>) -> usize {
    aliases
        .values()
        .filter(|target| alias_named(target, aliases).is_some())
        .count()
}

/// The alias `ty` names, if it is a path without generic arguments whose
/// last segment is one.
fn alias_named<'a>(ty: &Type, aliases: &HashMap<String, &'a Type>) -> Option<&'a Type> {
    let segment = path_last(ty)?;
    if !segment.arguments.is_none() {
        return None;
    }
    aliases.get(&segment.ident.to_string()).copied()
}

/// `ty` with aliases followed until it is no alias; a cycle of aliases
/// (which would not compile) stops after as many steps as there are.
fn expand<'a>(mut ty: &'a Type, aliases: &HashMap<String, &'a Type>) -> &'a Type {
    for _ in 0..=aliases.len() {
        match alias_named(ty, aliases) {
            Some(target) => ty = target,
            None => break,
        }
    }
    ty
}

/// The `T` of `Option<T>`, by the last segment of its path.
fn option_inner(ty: &Type) -> Option<&Type> {
    let segment = path_last(ty)?;
    if segment.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(arguments) = &segment.arguments else {
        return None;
    };
    arguments.args.iter().find_map(|argument| match argument {
        GenericArgument::Type(inner) => Some(inner),
        _ => None,
    })
}

/// Whether `ty` is, through aliases, an `Option` of an `Option`: two ways
/// to say "absent" that a caller must tell apart.
fn is_option_option(ty: &Type, aliases: &HashMap<String, &Type>) -> bool {
    option_inner(expand(ty, aliases))
        .is_some_and(|inner| option_inner(expand(inner, aliases)).is_some())
}

fn option_option_fields(items: &[Placed], aliases: &HashMap<String, &Type>) -> usize {
    struct_fields(items)
        .filter(|field| is_option_option(&field.ty, aliases))
        .count()
}

fn struct_fields<'a>(items: &'a [Placed]) -> impl Iterator<Item = &'a syn::Field> {
    items.iter().flat_map(|placed| match placed.item {
        Item::Struct(s) => s.fields.iter().collect(),
        _ => Vec::new(),
    })
}

fn deprecated_fields(items: &[Placed]) -> usize {
    struct_fields(items)
        .filter(|field| has_attribute(&field.attrs, "deprecated"))
        .count()
}

/// `#[deprecated]` methods of inherent impls of a client (`Client`, or any
/// type named `...Client` should operations be split among several):
/// builder methods are left out, as they may mark deprecated parameters.
fn deprecated_client_methods(items: &[Placed]) -> usize {
    items
        .iter()
        .filter_map(|placed| match placed.item {
            Item::Impl(block) if block.trait_.is_none() => Some(block),
            _ => None,
        })
        .filter(|block| {
            path_last(&block.self_ty).is_some_and(|s| s.ident.to_string().ends_with("Client"))
        })
        .flat_map(|block| &block.items)
        .filter(|item| matches!(item, ImplItem::Fn(f) if has_attribute(&f.attrs, "deprecated")))
        .count()
}

// ---- Thresholds and the table ----

/// The figures that must not rise, by name.
fn ceiling_figures(f: &Figures) -> [(&'static str, usize); 15] {
    [
        ("lines", f.lines),
        ("types", f.types),
        ("struct_groups", f.struct_groups),
        ("struct_twins", f.struct_twins),
        ("enum_groups", f.enum_groups),
        ("enum_twins", f.enum_twins),
        ("counter_names", f.counter_names),
        ("long_names", f.long_names),
        ("longest", f.longest),
        ("repeating_names", f.repeating_names),
        ("deny_unknown_fields", f.deny_unknown_fields),
        ("option_option", f.option_option),
        ("alias_chains", f.alias_chains),
        ("unused", f.unused),
        ("generic_names", f.generic_names),
    ]
}

/// The figures that must not fall, by name: marks a person would add.
fn floor_figures(f: &Figures) -> [(&'static str, usize); 2] {
    [
        ("deprecated_ops_marked", f.deprecated_ops_marked),
        ("deprecated_fields", f.deprecated_fields),
    ]
}

/// Each figure worse than its limit, described.
fn worsened(measured: &Figures, limit: &Figures) -> Vec<String> {
    let above = ceiling_figures(measured)
        .into_iter()
        .zip(ceiling_figures(limit))
        .filter(|((_, now), (_, most))| now > most)
        .map(|((name, now), (_, most))| format!("{name} is {now}, at most {most}"));
    let below = floor_figures(measured)
        .into_iter()
        .zip(floor_figures(limit))
        .filter(|((_, now), (_, least))| now < least)
        .map(|((name, now), (_, least))| format!("{name} is {now}, at least {least}"));
    above.chain(below).collect()
}

/// A column of the table: its header, and how a row's cell reads.
type Column = (&'static str, fn(&Figures) -> String);

/// The table's columns after the document's name.
const COLUMNS: [Column; 16] = [
    ("lines", |f| f.lines.to_string()),
    ("types", |f| f.types.to_string()),
    ("struct_groups", |f| f.struct_groups.to_string()),
    ("struct_twins", |f| f.struct_twins.to_string()),
    ("enum_groups", |f| f.enum_groups.to_string()),
    ("enum_twins", |f| f.enum_twins.to_string()),
    ("counter", |f| f.counter_names.to_string()),
    ("long(longest)", |f| {
        format!("{}({})", f.long_names, f.longest)
    }),
    ("repeating", |f| f.repeating_names.to_string()),
    ("deny", |f| f.deny_unknown_fields.to_string()),
    ("option_option", |f| f.option_option.to_string()),
    ("alias_chains", |f| f.alias_chains.to_string()),
    ("deprecated_ops", |f| {
        format!("{}/{}", f.deprecated_ops_marked, f.deprecated_ops_total)
    }),
    ("deprecated_fields", |f| f.deprecated_fields.to_string()),
    ("unused", |f| f.unused.to_string()),
    ("generic", |f| f.generic_names.to_string()),
];

/// A header and a row per document, in fixed-width columns.
fn table(rows: &[(String, Figures)]) -> String {
    let name_width = rows
        .iter()
        .map(|(name, _)| name.len())
        .chain(["document".len()])
        .max()
        .unwrap_or(0);
    let mut out = format!("{:<name_width$}", "document");
    for (header, _) in COLUMNS {
        write!(out, " {header:>width$}", width = header.len().max(6)).unwrap();
    }
    out.push('\n');
    for (name, figures) in rows {
        write!(out, "{name:<name_width$}").unwrap();
        for (header, cell) in COLUMNS {
            write!(
                out,
                " {:>width$}",
                cell(figures),
                width = header.len().max(6)
            )
            .unwrap();
        }
        out.push('\n');
    }
    out
}

// ---- The helpers, on small inputs ----

mod helpers {
    use super::*;

    fn measure(source: &str, components: &[&str]) -> Measured {
        let components = components.iter().map(|c| (*c).to_owned()).collect();
        measure_sources(&[("src/lib.rs", source)], &components, 0)
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn words_split_at_capitals_digits_and_acronym_ends() {
        assert_eq!(
            camel_words("ContactInboxInbox"),
            ["Contact", "Inbox", "Inbox"]
        );
        assert_eq!(camel_words("HTTPServer2"), ["HTTP", "Server", "2"]);
        assert_eq!(camel_words("Ipv4"), ["Ipv", "4"]);
        assert_eq!(camel_words("A"), ["A"]);
        assert!(repeats_a_word("LkeNodeStatusStatus"));
        assert!(!repeats_a_word("StatusStatuses"));
    }

    #[test]
    fn counter_names_need_a_base_or_a_sibling() {
        let found = names(&[
            "DatabaseStatus",
            "DatabaseStatus2",
            "Post2",
            "Post14",
            "Ipv4",
            "Oauth2Token",
        ]);
        assert_eq!(counter_names(&found), 3);
        assert_eq!(counter_names(&names(&["Ipv4", "Ipv6"])), 2);
        assert_eq!(split_counter("2"), None);
        assert_eq!(split_counter("ListResponse404"), None);
    }

    #[test]
    fn generic_and_component_names() {
        assert!(is_generic("Status") && is_generic("Status2") && !is_generic("PetStatus"));
        let components = ["Pet".to_owned(), "Ipv4".to_owned()].into();
        assert!(is_component("Pet", &components));
        assert!(is_component("Pet12", &components));
        assert!(is_component("Ipv42", &components));
        assert!(!is_component("PetStatus", &components));
    }

    #[test]
    fn aliases_are_followed_to_find_option_of_option() {
        let measured = measure(
            "type A = ::std::option::Option<i32>;
             type B = A;
             struct S { a: Option<A>, b: Option<B>, c: B, d: Option<i32>, e: Option<Option<u8>> }
             fn f(_: S) {}",
            &[],
        );
        assert_eq!(measured.figures.option_option, 3);
        assert_eq!(measured.figures.alias_chains, 1);
    }

    #[test]
    fn twins_differ_only_in_name_and_docs() {
        let measured = measure(
            "/// One.
             #[derive(Debug)]
             pub struct One { /// The id.
                 pub id: i64 }
             impl One { fn new() -> Self { One { id: 0 } } }
             #[derive(Debug)]
             pub struct Two { pub id: i64 }
             impl Two { /// Made.
                 fn new() -> Self { Self { id: 0 } } }
             #[derive(Debug)]
             pub struct Three { pub id: i32 }
             mod builder { pub struct One { pub id: i64 } }",
            &[],
        );
        assert_eq!(measured.struct_groups, [names(&["One", "Two"])]);
        assert_eq!(measured.figures.struct_groups, 1);
        assert_eq!(measured.figures.struct_twins, 2);
        assert_eq!(measured.figures.types, 4);
    }

    #[test]
    fn unused_types_are_defined_once_and_no_component() {
        let measured = measure(
            "pub struct Pet;
             pub struct Lonely;
             pub struct Used;
             pub enum Status { A }
             pub type Holder = Used;",
            &["Pet"],
        );
        // Pet is a component's; Used is used; Lonely, Status and Holder
        // are named once each.
        assert_eq!(measured.figures.unused, 3);
        assert_eq!(measured.figures.generic_names, 1);
    }

    #[test]
    fn attributes_are_counted() {
        let measured = measure(
            "#[serde(deny_unknown_fields)]
             pub struct S { #[deprecated] pub a: i32 }
             pub struct Client;
             impl Client { #[deprecated] pub fn old(&self) {} pub fn new_one(&self) {} }
             impl S { #[deprecated] pub fn setter(self) {} }",
            &[],
        );
        assert_eq!(measured.figures.deny_unknown_fields, 1);
        assert_eq!(measured.figures.deprecated_fields, 1);
        assert_eq!(measured.figures.deprecated_ops_marked, 1);
    }

    #[test]
    fn modules_of_files() {
        assert_eq!(file_module("src/lib.rs"), "crate");
        assert_eq!(file_module("src/types.rs"), "crate::types");
        assert_eq!(file_module("src/types/mod.rs"), "crate::types");
    }

    #[test]
    fn limits_hold_both_ways() {
        let limit = Figures {
            lines: 10,
            deprecated_ops_marked: 2,
            ..Figures::default()
        };
        let measured = Figures {
            lines: 11,
            deprecated_ops_marked: 1,
            ..Figures::default()
        };
        assert_eq!(
            worsened(&measured, &limit),
            [
                "lines is 11, at most 10",
                "deprecated_ops_marked is 1, at least 2"
            ]
        );
        assert!(worsened(&limit, &limit).is_empty());
    }
}
