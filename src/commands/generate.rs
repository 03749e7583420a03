//! `specgate generate`: a standalone crate with the document's types and
//! client, or, with `--check`, whether such a crate is current.

use specgate_codegen::Options;

use crate::cli::GenerateArgs;
use crate::commands::{input_error, FINDINGS, SUCCESS};

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
    if args.check {
        return check(&generated, &args.out);
    }
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

/// Compares the crate that would be written with the one in `dir`.
fn check(generated: &specgate_codegen::GeneratedCrate, dir: &std::path::Path) -> i32 {
    let mut stale = Vec::new();
    for (path, contents) in &generated.files {
        let file = dir.join(path);
        match std::fs::read_to_string(&file) {
            Ok(current) if current == *contents => {}
            Ok(current) => {
                let line = current
                    .lines()
                    .zip(contents.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| current.lines().count().min(contents.lines().count()))
                    + 1;
                stale.push(format!("{}: differs from line {line}", file.display()));
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                stale.push(format!("{}: missing", file.display()));
            }
            Err(err) => {
                return input_error(&format!("{}: cannot read: {err}", file.display()));
            }
        }
    }
    match generated.stale_files(dir) {
        Ok(files) => stale.extend(
            files
                .iter()
                .map(|file| format!("{}: no longer generated", file.display())),
        ),
        Err(err) => return input_error(&format!("{}: cannot read: {err}", dir.display())),
    }
    if stale.is_empty() {
        eprintln!("{}: current", dir.display());
        return SUCCESS;
    }
    let listed: String = stale.iter().map(|line| format!("{line}\n")).collect();
    if let Err(err) = crate::commands::print(&listed) {
        return crate::commands::input_error(&format!("cannot write the list: {err}"));
    }
    eprintln!(
        "{}: stale for the document ({} of {} files differ); run the same command without --check",
        dir.display(),
        stale.len(),
        generated.files.len()
    );
    FINDINGS
}

fn is_crate_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}
