//! `specgate proxy`: a validating, recording reverse proxy.

use std::time::Duration;

use specgate_live::proxy::{self, Listening, Options};
use specgate_validator::Validator;

use crate::cli::{Format, ProxyArgs};
use crate::commands::validate::{render, write_report};
use crate::commands::{input_error, FINDINGS, INPUT_ERROR, SUCCESS};

pub fn run(args: &ProxyArgs) -> i32 {
    let document = match crate::document_arg::load(&args.spec) {
        Ok(document) => document,
        Err(message) => return input_error(&message),
    };
    let scope = if args.scope.base_urls.is_empty() {
        vec![args.upstream.clone()]
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
    let publisher = match &args.publish {
        Some(url) => match crate::commands::pool::background(url, args.record.as_deref()) {
            Ok(publisher) => Some(publisher),
            Err(message) => return input_error(&message),
        },
        None => None,
    };
    let options = Options {
        listen: args.listen,
        record: args.record.clone(),
        publish: publisher
            .clone()
            .map(|p| specgate_live::publish::Publisher(p)),
        max_body: args.max_body,
        timeout: Duration::from_secs_f64(args.timeout),
        metrics: args.metrics,
        queue: args.queue,
        print_findings: !args.quiet,
        ..Options::new(args.upstream.clone())
    };
    let listening = |at: Listening| {
        eprintln!(
            "specgate proxy: listening on http://{}, forwarding to {}",
            at.proxy, args.upstream
        );
        if let Some(metrics) = at.metrics {
            eprintln!("specgate proxy: metrics at http://{metrics}/metrics");
        }
        eprintln!("specgate proxy: Ctrl-C or SIGTERM stops it and prints the report");
    };
    let mut outcome = match proxy::run(&validator, &options, listening, proxy::stop_signal()) {
        Ok(outcome) => outcome,
        Err(message) => return input_error(&message),
    };
    if let Some(publisher) = &publisher {
        // The buffer empties after the proxy stops: the count is final
        // only now.
        let (published, dropped) = publisher.finish();
        outcome.publish_dropped = Some(dropped);
        eprintln!(
            "specgate proxy: {published} published to {}, {dropped} publish-dropped",
            publisher.address
        );
    }
    for problem in validator.schema_problems() {
        eprintln!("warning: {problem}");
    }
    let not_checked: Vec<String> = outcome
        .not_checked
        .iter()
        .map(|(reason, count)| format!("{count} {reason}"))
        .collect();
    let upstream_errors: u64 = outcome.upstream_errors.values().sum();
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    eprintln!(
        "specgate proxy: {}, {} checked, {} not checked{}, {}{}",
        plural(outcome.exchanges, "exchange", "exchanges"),
        outcome.checked,
        outcome.not_checked.values().sum::<u64>(),
        if not_checked.is_empty() {
            String::new()
        } else {
            format!(" ({})", not_checked.join(", "))
        },
        plural(upstream_errors, "upstream error", "upstream errors"),
        match (&outcome.recorded, &args.record) {
            (Some(lines), Some(path)) => format!("; {lines} recorded to {}", path.display()),
            _ => String::new(),
        }
    );
    let output = args.output.output.as_deref();
    let text = match args.format {
        Format::Json => match serde_json::to_string_pretty(&outcome) {
            Ok(json) => json + "\n",
            Err(err) => return input_error(&format!("cannot write the report: {err}")),
        },
        format => render(&outcome.report, format, output.is_none()),
    };
    if let Err(message) = write_report(output, &text) {
        return input_error(&message);
    }
    if outcome.report.has_malformed() {
        INPUT_ERROR
    } else if outcome.report.summary.errors > 0 {
        FINDINGS
    } else {
        SUCCESS
    }
}
