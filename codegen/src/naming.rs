//! The one place that turns a document's names into Rust identifiers.
//!
//! Types, fields, variants (and, later, the client's methods and
//! parameters) all come through here, so a name that is a keyword, starts
//! with a digit, is not ASCII, is empty, or collides with another after case
//! conversion is handled the same way everywhere. Serde renames restore the
//! original JSON names; these identifiers only have to be valid and readable.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words Rust reserves, in every edition we support.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names a generated type must not take: they would shadow the
/// prelude in the generated module (the code itself uses full paths, but
/// users of the crate write `Option` and `String` too).
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Self",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "Send",
    "Sync",
    "Sized",
    "From",
    "Into",
    "Iterator",
    "ToString",
    "ToOwned",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
];

/// Replaces what cannot appear in an identifier: non-ASCII letters are
/// spelled out where they have a plain ASCII form, other characters become
/// word breaks.
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if let Some(plain) = transliterate(c) {
            out.push_str(plain);
        } else {
            out.push(' ');
        }
    }
    out
}

fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        'ß' => "ss",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "A",
        'Ç' => "C",
        'È' | 'É' | 'Ê' | 'Ë' => "E",
        'Ì' | 'Í' | 'Î' | 'Ï' => "I",
        'Ñ' => "N",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "O",
        'Ù' | 'Ú' | 'Û' | 'Ü' => "U",
        _ => return None,
    })
}

/// Symbols that carry meaning in enum values (`+1`, `-1`, `*`) get words,
/// so `["+1", "-1"]` become `Plus1` and `Minus1`, not two clashing `_1`s.
fn spell_symbols(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '+' => out.push_str(" plus "),
            '-' if out.trim().is_empty() => out.push_str(" minus "),
            '*' => out.push_str(" star "),
            '<' => out.push_str(" lt "),
            '>' => out.push_str(" gt "),
            '=' => out.push_str(" eq "),
            '!' => out.push_str(" not "),
            '@' => out.push_str(" at "),
            '.' if out.trim().is_empty() => out.push_str(" dot "),
            c => out.push(c),
        }
    }
    out
}

/// A type name: `UpperCamelCase`, never a keyword or a prelude name.
pub fn type_name(raw: &str) -> String {
    let mut name = ascii_words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Unnamed".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'T');
    }
    if RESERVED_TYPES.contains(&name.as_str()) || KEYWORDS.contains(&name.as_str()) {
        name.push_str("Type");
    }
    name
}

/// Type names a reader can take in: an inline type's name is its place,
/// and deep places make long ones
/// (`InvoicesGetSummaryByUuidResponseProductChargesItemsItem`). Words that
/// only say "the body of" inside a name (`Response`, `Request`) go, an
/// item of `Items` is an `Item`, and a name still over this many
/// characters keeps its last words.
pub const LONGEST_TYPE_NAME: usize = 40;

/// A place's type name made shorter (see [`LONGEST_TYPE_NAME`]); the same
/// name when nothing can go.
pub fn compact_type_name(name: &str) -> String {
    let words = camel_words(name);
    let last = words.len().saturating_sub(1);
    let mut kept: Vec<&str> = Vec::with_capacity(words.len());
    for (index, word) in words.iter().enumerate() {
        if index < last && index > 0 && matches!(*word, "Response" | "Request") {
            continue;
        }
        if *word == "Item" && kept.last() == Some(&"Items") {
            kept.pop();
        }
        kept.push(word);
    }
    let mut start = 0;
    while kept[start..].concat().len() > LONGEST_TYPE_NAME && kept.len() - start > 2 {
        start += 1;
    }
    let compact = kept[start..].concat();
    if compact.starts_with(|c: char| c.is_ascii_digit()) {
        return name.to_owned();
    }
    compact
}

/// Whether a name says a word twice in a row (`UpdateTopicTopic`).
pub fn repeats_a_word(name: &str) -> bool {
    camel_words(name).windows(2).any(|pair| pair[0] == pair[1])
}

/// A name with its first word said twice in a row said once
/// (`UpdateTopicTopic` → `UpdateTopic`).
pub fn without_repeat(name: &str) -> String {
    let words = camel_words(name);
    match words.windows(2).position(|pair| pair[0] == pair[1]) {
        Some(at) => words
            .iter()
            .enumerate()
            .filter(|(index, _)| *index != at + 1)
            .map(|(_, word)| *word)
            .collect(),
        None => name.to_owned(),
    }
}

/// A one-word name that says nothing on its own: many places would claim
/// it, so it is never a type's whole name where a place says more.
pub fn is_generic_word(name: &str) -> bool {
    const GENERIC: &[&str] = &[
        "Meta",
        "Data",
        "Item",
        "Items",
        "Value",
        "Payload",
        "Links",
        "Attributes",
        "Properties",
        "Result",
        "Results",
        "Response",
        "Request",
        "Body",
        "Status",
        "Type",
        "Kind",
        "State",
        "Error",
        "Info",
        "Details",
        "Object",
        "Config",
        "Options",
        "Settings",
    ];
    GENERIC.contains(&name)
}

/// The CamelCase words of a name (`HTTPServer2`: `HTTP`, `Server`, `2`).
pub fn camel_words(name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = name.char_indices().collect();
    for k in 1..chars.len() {
        let (at, current) = chars[k];
        let previous = chars[k - 1].1;
        let next = chars.get(k + 1).map(|&(_, c)| c);
        let boundary = (previous.is_lowercase() && current.is_uppercase())
            || previous.is_ascii_digit() != current.is_ascii_digit()
            || (previous.is_uppercase()
                && current.is_uppercase()
                && next.is_some_and(char::is_lowercase));
        if boundary {
            out.push(&name[start..at]);
            start = at;
        }
    }
    if start < name.len() {
        out.push(&name[start..]);
    }
    out
}

/// An enum variant: like a type name, with symbols spelled out so that
/// values such as `+1` and `-1` stay apart.
pub fn variant_name(raw: &str) -> String {
    let spelled = spell_symbols(raw);
    let mut name = ascii_words(&spelled).to_upper_camel_case();
    if name.is_empty() {
        name = "Empty".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        name.push_str("Value");
    }
    name
}

/// A field, method or parameter name: `snake_case`; keywords get a raw
/// identifier (`r#type`) where Rust allows one, else a trailing `_`.
pub fn field_name(raw: &str) -> String {
    // Signs carry meaning (`+1`, `-1` as keys of reaction counts); other
    // symbols only separate words (`@id` is `id`, `X-Request-Id` is
    // `x_request_id`).
    let signed = match raw.strip_prefix('-') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => format!("minus {rest}"),
        _ => raw.replace('+', " plus "),
    };
    let spelled = if signed.chars().any(|c| c.is_ascii_alphanumeric()) {
        ascii_words(&signed)
    } else {
        ascii_words(&spell_symbols(raw))
    };
    let mut name = spelled.to_snake_case();
    if name.is_empty() {
        name = "field".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if matches!(name.as_str(), "self" | "super" | "crate" | "Self" | "_") {
        name.push('_');
    }
    name
}

/// Whether an identifier needs the `r#` prefix to be used.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Hands out names unique within one scope (a module's types, a struct's
/// fields, an enum's variants): a name already taken, compared without
/// regard to case and underscores, gets `2`, `3` appended. Collisions that
/// appear only after case conversion (`foo-bar` beside `foo_bar`, `ID`
/// beside `id`) are caught too.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    /// An empty scope.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reserves `name` as it is (for names the generated code itself uses).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(fold(name));
    }

    /// Whether `name` is free (no name taken folds to the same).
    pub fn is_free(&self, name: &str) -> bool {
        !self.taken.contains(&fold(name))
    }

    /// `candidate`, or `candidate2`, `candidate3`, ... whichever is free;
    /// the answer is taken.
    pub fn unique(&mut self, candidate: &str) -> String {
        let separator = if candidate.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        let mut name = candidate.to_owned();
        let mut n = 2;
        while !self.taken.insert(fold(&name)) {
            name = format!("{candidate}{separator}{n}");
            n += 1;
        }
        name
    }
}

fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_place_names_are_compacted() {
        assert_eq!(
            compact_type_name("InvoicesGetSummaryByUuidResponseProductChargesItemsItem"),
            "GetSummaryByUuidProductChargesItem"
        );
        assert_eq!(
            compact_type_name("ConversationListDataMeta"),
            "ConversationListDataMeta"
        );
        assert_eq!(compact_type_name("ListResponse"), "ListResponse");
        assert_eq!(camel_words("HTTPServer2"), ["HTTP", "Server", "2"]);
        assert!(repeats_a_word("UpdateTopicTopic"));
        assert!(!repeats_a_word("TopicTopics"));
        assert_eq!(without_repeat("UpdateTopicTopic"), "UpdateTopic");
        assert_eq!(without_repeat("LinksLinks"), "Links");
    }

    #[test]
    fn type_names() {
        let cases = [
            ("conversation_list", "ConversationList"),
            ("bad-request.error", "BadRequestError"),
            ("String", "StringType"),
            ("Option", "OptionType"),
            ("Vec", "VecType"),
            ("Box", "BoxType"),
            ("Result", "ResultType"),
            ("Self", "SelfType"),
            ("type", "Type"),
            ("2fa_settings", "T2faSettings"),
            ("", "Unnamed"),
            ("___", "Unnamed"),
            ("Café Menü", "CafeMenu"),
            ("日本", "Unnamed"),
            ("io.k8s.api.core.v1.Pod", "IoK8sApiCoreV1Pod"),
            ("nullable-simple-user", "NullableSimpleUser"),
        ];
        for (raw, expected) in cases {
            assert_eq!(type_name(raw), expected, "{raw:?}");
        }
    }

    #[test]
    fn variant_names() {
        let cases = [
            ("open", "Open"),
            ("in_progress", "InProgress"),
            ("+1", "Plus1"),
            ("-1", "Minus1"),
            ("*", "Star"),
            ("", "Empty"),
            ("2xx", "V2xx"),
            ("application/json", "ApplicationJson"),
            ("Self", "SelfValue"),
            (".json", "DotJson"),
        ];
        for (raw, expected) in cases {
            assert_eq!(variant_name(raw), expected, "{raw:?}");
        }
    }

    #[test]
    fn field_names() {
        let cases = [
            ("mine_count", "mine_count"),
            ("assigneeType", "assignee_type"),
            ("api_access_token", "api_access_token"),
            ("type", "type"),
            ("self", "self_"),
            ("crate", "crate_"),
            ("Self", "self_"),
            ("+1", "plus_1"),
            ("-1", "minus_1"),
            ("@id", "id"),
            ("$ref", "ref"),
            ("1st", "_1st"),
            ("", "field"),
            ("X-Request-Id", "x_request_id"),
            ("configuration", "configuration"),
        ];
        for (raw, expected) in cases {
            assert_eq!(field_name(raw), expected, "{raw:?}");
        }
        assert!(is_keyword("type"));
        assert!(is_keyword("ref"));
        assert!(!is_keyword("configuration"));
    }

    #[test]
    fn scopes_catch_collisions_after_case_conversion() {
        let mut scope = Scope::new();
        assert_eq!(scope.unique(&field_name("foo-bar")), "foo_bar");
        assert_eq!(scope.unique(&field_name("foo_bar")), "foo_bar2");
        assert_eq!(scope.unique(&field_name("fooBar")), "foo_bar3");
        let mut types = Scope::new();
        assert_eq!(types.unique("Id"), "Id");
        assert_eq!(types.unique("ID"), "ID2");
        assert_eq!(types.unique("V1"), "V1");
        assert_eq!(types.unique("V1"), "V1_2");
        types.reserve("Client");
        assert_eq!(types.unique("Client"), "Client2");
    }
}
