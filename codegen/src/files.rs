//! A generated crate as files a reader can navigate: each module the
//! generated code declares inline (`types`, its groups, `builder`,
//! `errors`, ...) in a file of its own (`src/types/mod.rs`,
//! `src/types/conversations.rs`, `src/builder.rs`), declared where it was.
//! The code is the same as the one file a build script includes.

use syn::{AttrStyle, File, Item};

/// The files of a crate whose root is `root`, by path below the crate,
/// `src/lib.rs` first, then in declaration order.
pub(crate) fn split(root: File) -> Vec<(String, File)> {
    let mut files = Vec::new();
    let lib = split_module(root, "src", &mut files);
    files.insert(0, ("src/lib.rs".to_owned(), lib));
    files
}

/// Moves the inline modules of `file` (which lives in `dir`) into files
/// of their own, pushed onto `out`; returns `file` with declarations in
/// their place.
fn split_module(mut file: File, dir: &str, out: &mut Vec<(String, File)>) -> File {
    for item in &mut file.items {
        let Item::Mod(module) = item else {
            continue;
        };
        let Some((_, content)) = module.content.take() else {
            continue;
        };
        let name = module.ident.to_string();
        let (inner, outer): (Vec<_>, Vec<_>) = std::mem::take(&mut module.attrs)
            .into_iter()
            .partition(|attr| matches!(attr.style, AttrStyle::Inner(_)));
        module.attrs = outer;
        module.semi = Some(Default::default());
        let child = File {
            shebang: None,
            attrs: inner,
            items: content,
        };
        let has_modules = child
            .items
            .iter()
            .any(|item| matches!(item, Item::Mod(m) if m.content.is_some()));
        let index = out.len();
        if has_modules {
            let child_dir = format!("{dir}/{name}");
            let child = split_module(child, &child_dir, out);
            out.insert(index, (format!("{child_dir}/mod.rs"), child));
        } else {
            out.push((format!("{dir}/{name}.rs"), child));
        }
    }
    file
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_modules_become_files() {
        let root: File = syn::parse_quote! {
            //! A crate.
            /// The types.
            pub mod types {
                #![allow(deprecated)]
                pub mod a { pub struct A; }
                pub use a::*;
            }
            pub mod builder { pub struct B; }
            pub struct Client;
        };
        let files = split(root);
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "src/lib.rs",
                "src/types/mod.rs",
                "src/types/a.rs",
                "src/builder.rs"
            ]
        );
        let text = |index: usize| prettyplease::unparse(&files[index].1);
        assert!(text(0).contains("pub mod types;"), "{}", text(0));
        assert!(text(1).starts_with("#![allow(deprecated)]"), "{}", text(1));
        assert!(text(1).contains("pub mod a;"), "{}", text(1));
    }
}
