//! `specgate probe`: calls an API's safe operations and checks the answers.

use std::time::Duration;

use specgate_live::probe::{self, Options, Selection};
use specgate_validator::Validator;

use crate::cli::{ProbeArgs, ValidateFormat};
use crate::commands::validate::{render, write_report};
use crate::commands::{input_error, FINDINGS, INPUT_ERROR, SUCCESS};

pub fn run(args: &ProbeArgs) -> i32 {
    let document = match crate::document_arg::load(&args.spec) {
        Ok(document) => document,
        Err(message) => return input_error(&message),
    };
    let validator = match Validator::with_formats(&document, args.formats.mode()) {
        Ok(validator) => validator
            .redacting(&args.redact.names)
            .strict(args.strict)
            .scope(vec![args.base_url.clone()]),
        Err(error) => return input_error(&error.to_string()),
    };
    let selection = match selection(args, |name| std::env::var(name).ok()) {
        Ok(selection) => selection,
        Err(message) => return input_error(&message),
    };
    let plan = match probe::plan(&document, &args.base_url, &selection) {
        Ok(plan) => plan,
        Err(message) => return input_error(&message),
    };
    if args.dry_run {
        let mut text = probe::dry_run(&plan, validator.redactor(), &selection.secret_headers);
        text.push_str(&not_callable(&plan.not_callable));
        return match write_report(args.output.as_deref(), &text) {
            Ok(()) => SUCCESS,
            Err(message) => input_error(&message),
        };
    }
    let options = Options {
        base_url: args.base_url.clone(),
        selection,
        max_requests: args.max_requests,
        rate: args.rate,
        timeout: Duration::from_secs_f64(args.timeout),
        max_body: 64 * 1024 * 1024,
    };
    let outcome = match probe::run(&validator, plan, &options) {
        Ok(outcome) => outcome,
        Err(message) => return input_error(&message),
    };
    let failed = outcome.failed();
    let mut notes = not_callable(&outcome.not_callable);
    for called in outcome.called.iter().filter(|c| c.error.is_some()) {
        notes.push_str(&format!(
            "no response: {} {} ({}): {}\n",
            called.method,
            called.url,
            called.operation,
            called.error.as_deref().unwrap_or_default()
        ));
    }
    if !outcome.not_called.is_empty() {
        notes.push_str(&format!(
            "not called: {} operations past --max-requests {}: {}\n",
            outcome.not_called.len(),
            args.max_requests,
            outcome.not_called.join(", ")
        ));
    }
    let text = match args.format {
        ValidateFormat::Json => match serde_json::to_string_pretty(&outcome) {
            Ok(json) => json + "\n",
            Err(err) => return input_error(&format!("cannot write the report: {err}")),
        },
        ValidateFormat::Human => {
            let mut text = render(
                &outcome.report,
                ValidateFormat::Human,
                args.output.is_none(),
            );
            text.push_str(&format!(
                "probe: {} requests sent, {} answered, {} operations not callable\n",
                outcome.called.len(),
                outcome.called.len() - failed,
                outcome.not_callable.len()
            ));
            text.push_str(&notes);
            notes.clear();
            text
        }
        format => render(&outcome.report, format, args.output.is_none()),
    };
    // Formats for machines keep the notes out of their output.
    eprint!("{notes}");
    if let Err(message) = write_report(args.output.as_deref(), &text) {
        return input_error(&message);
    }
    if failed > 0 || outcome.report.has_malformed() {
        INPUT_ERROR
    } else if outcome.report.summary.errors > 0 {
        FINDINGS
    } else {
        SUCCESS
    }
}

/// The operations left out, one line each.
fn not_callable(list: &[probe::NotCallable]) -> String {
    list.iter()
        .map(|n| {
            format!(
                "not callable: {} {} ({}): {}\n",
                n.method, n.path, n.operation, n.reason
            )
        })
        .collect()
}

/// Headers and parameters from the command line; `${NAME}` in a header
/// value is read with `env`.
fn selection(args: &ProbeArgs, env: impl Fn(&str) -> Option<String>) -> Result<Selection, String> {
    let mut headers = Vec::new();
    let mut secret_headers = Vec::new();
    for header in &args.headers {
        let Some((name, value)) = header.split_once(':') else {
            return Err(format!("-H `{header}`: expected `Name: value`"));
        };
        let name = name.trim();
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(format!("-H `{header}`: `{name}` is not a header name"));
        }
        if value.contains("${") {
            secret_headers.push(name.to_owned());
        }
        headers.push((name.to_owned(), expand(value.trim(), &env)?));
    }
    let mut params = Vec::new();
    for param in &args.params {
        let Some((name, value)) = param.split_once('=') else {
            return Err(format!("--param `{param}`: expected `name=value`"));
        };
        params.push((name.to_owned(), value.to_owned()));
    }
    Ok(Selection {
        headers,
        secret_headers,
        params,
        operations: args.operations.clone(),
        exclude: args.exclude.clone(),
    })
}

/// `${NAME}` replaced by the environment's value (never printed).
fn expand(value: &str, env: &impl Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else {
            return Err(format!("a header value has an unclosed `${{`: `{value}`"));
        };
        let name = &rest[start + 2..start + end];
        match env(name) {
            Some(found) => out.push_str(&found),
            None => return Err(format!("the environment variable `{name}` is not set")),
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_variables_fill_header_values() {
        let env = |name: &str| (name == "TOKEN").then(|| "s3cret".to_owned());
        assert_eq!(
            expand("Bearer ${TOKEN}", &env).as_deref(),
            Ok("Bearer s3cret")
        );
        assert_eq!(expand("plain", &env).as_deref(), Ok("plain"));
        let missing = expand("${NOPE}", &env).expect_err("unset");
        assert!(missing.contains("NOPE"), "{missing}");
        assert!(expand("${TOKEN", &env).is_err());
    }
}
