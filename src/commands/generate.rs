//! `specgate generate`: a standalone crate with the document's types.

use specgate_codegen::Options;

use crate::cli::GenerateArgs;
use crate::commands::{input_error, SUCCESS};

pub fn run(args: &GenerateArgs) -> i32 {
    let document = match crate::document_arg::load(&args.spec) {
        Ok(document) => document,
        Err(message) => return input_error(&message),
    };
    let name = match &args.name {
        Some(name) if is_crate_name(name) => name.clone(),
        Some(name) => {
            return input_error(&format!(
                "--name {name:?} is not a crate name: use ASCII letters, digits, `-` and `_`, starting with a letter"
            ))
        }
        None => specgate_codegen::crate_name(&document.info.title),
    };
    let options = Options {
        strict_enums: args.strict_enums,
    };
    for warning in specgate_codegen::code_warnings(&document) {
        eprintln!("warning{warning}");
    }
    let generated = specgate_codegen::generate_crate(&document, &name, &options);
    if let Err(err) = generated.write(&args.out) {
        return input_error(&format!(
            "{}: cannot write the crate: {err}",
            args.out.display()
        ));
    }
    eprintln!(
        "wrote crate `{name}` to {} ({} files)",
        args.out.display(),
        generated.files.len()
    );
    SUCCESS
}

fn is_crate_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}
