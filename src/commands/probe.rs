//! `specgate probe`: calls an API's safe operations and checks the answers.

use std::time::Duration;

use specgate_live::probe::{self, Options, Selection};
use specgate_validator::Validator;

use crate::cli::{Format, ProbeArgs};
use crate::commands::validate::{render, write_report};
use crate::commands::{input_error, FINDINGS, INPUT_ERROR, SUCCESS};

pub fn run(args: &ProbeArgs) -> i32 {
    let document = match crate::document_arg::load(&args.spec) {
        Ok(document) => document,
        Err(message) => return input_error(&message),
    };
    // Exchanges are checked below the server unless --base-url says
    // otherwise, as the proxy does below its upstream.
    let scope = if args.scope.base_urls.is_empty() {
        vec![args.server.clone()]
    } else {
        args.scope.base_urls.clone()
    };
    let validator = match Validator::with_formats(&document, args.formats.mode()) {
        Ok(validator) => validator
            .redacting(&args.redact.names)
            .strict(args.strict)
            .scope(scope),
        Err(error) => return input_error(&error.to_string()),
    };
    let selection = match selection(args, |name| std::env::var(name).ok()) {
        Ok(selection) => selection,
        Err(message) => return input_error(&message),
    };
    let plan = match probe::plan(&document, &args.server, &selection) {
        Ok(plan) => plan,
        Err(message) => return input_error(&message),
    };
    let output = args.output.output.as_deref();
    if args.dry_run {
        let mut text = probe::dry_run(&plan, validator.redactor(), &selection.secret_headers);
        text.push_str(&not_callable(&plan.not_callable));
        if let Err(message) = write_report(output, &text) {
            return input_error(&message);
        }
        return if plan.calls.is_empty() {
            input_error(&nothing_to_send(plan.not_callable.len()))
        } else {
            SUCCESS
        };
    }
    let options = Options {
        base_url: args.server.clone(),
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
            "not called: {} past --max-requests {}: {}\n",
            count(outcome.not_called.len(), "operation", "operations"),
            args.max_requests,
            outcome.not_called.join(", ")
        ));
    }
    // Conformance is claimed only for what was checked: with no response
    // at all, nothing was, and the run is no success.
    let checked = outcome.report.summary.records;
    let tally = format!(
        "probe: {} sent, {} answered, {} not callable",
        count(outcome.called.len(), "request", "requests"),
        outcome.called.len() - failed,
        count(outcome.not_callable.len(), "operation", "operations"),
    );
    let text = match args.format {
        Format::Json => match serde_json::to_string_pretty(&outcome) {
            Ok(json) => json + "\n",
            Err(err) => return input_error(&format!("cannot write the report: {err}")),
        },
        Format::Human if checked == 0 => {
            let text = format!("{tally}\n{notes}");
            notes.clear();
            text
        }
        Format::Human => {
            let mut text = render(&outcome.report, Format::Human, output.is_none());
            text.push_str(&tally);
            text.push('\n');
            text.push_str(&notes);
            notes.clear();
            text
        }
        format => render(&outcome.report, format, output.is_none()),
    };
    // Formats for machines keep the notes out of their output.
    eprint!("{notes}");
    if let Err(message) = write_report(output, &text) {
        return input_error(&message);
    }
    if checked == 0 {
        input_error(&nothing_checked(&outcome))
    } else if failed > 0 || outcome.report.has_malformed() {
        INPUT_ERROR
    } else if outcome.report.summary.errors > 0 {
        FINDINGS
    } else {
        SUCCESS
    }
}

/// Why a probe checked nothing, for the last line of its output.
fn nothing_checked(outcome: &probe::Outcome) -> String {
    if outcome.called.is_empty() {
        return nothing_to_send(outcome.not_callable.len());
    }
    format!(
        "nothing was checked: {} sent and none answered",
        count(outcome.called.len(), "request", "requests")
    )
}

/// A plan with no request in it.
fn nothing_to_send(not_callable: usize) -> String {
    match not_callable {
        0 => "nothing was checked: no operation was selected (the document has no GET or HEAD operation left; name others with --operation)".to_owned(),
        n => format!(
            "nothing was checked: {} not callable (give the values named above with --param and --body)",
            match n {
                1 => "the one operation selected is".to_owned(),
                n => format!("all {n} operations selected are"),
            }
        ),
    }
}

/// `1 request`, `2 requests`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
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
    let mut bodies = Vec::new();
    for body in &args.bodies {
        let Some((operation, file)) = body.split_once('=') else {
            return Err(format!("--body `{body}`: expected `OPERATION=FILE`"));
        };
        let bytes = std::fs::read(file)
            .map_err(|err| format!("--body {operation}: {file}: cannot read the file: {err}"))?;
        bodies.push((operation.to_owned(), bytes));
    }
    Ok(Selection {
        headers,
        secret_headers,
        params,
        operations: args.operations.clone(),
        exclude: args.exclude.clone(),
        bodies,
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
