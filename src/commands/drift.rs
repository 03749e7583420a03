//! `specgate drift`: what recorded traffic shows that the document does
//! not say, summed over every exchange, and optionally the JSON Patch (and
//! the patched document) that makes the document say it.

use std::path::PathBuf;

use specgate_drift::{DriftReport, Options, Tally};
use specgate_validator::stored::Job;
use specgate_validator::Validator;

use crate::cli::{DriftArgs, Format};
use crate::commands::results::PartialFile;
use crate::commands::validate::recordings;
use crate::commands::{input_error, FINDINGS, INPUT_ERROR, SUCCESS};

pub fn run(args: &DriftArgs) -> i32 {
    let document = match crate::document_arg::load_for_recordings(&args.spec, &args.inputs) {
        Ok(document) => document,
        Err(message) => return input_error(&message),
    };
    let validator = match Validator::with_formats(&document, args.formats.mode()) {
        // Strict: an undocumented member is drift to report whatever the
        // validate run would call it.
        Ok(validator) => validator
            .redacting(&args.redact.names)
            .strict(true)
            .observing(true)
            .scope(args.scope.base_urls.clone()),
        Err(error) => return input_error(&error.to_string()),
    };
    if let Some(from) = &args.from {
        let worker = crate::commands::pool::Worker {
            until_empty: args.until_empty,
            metrics: args.metrics,
        };
        return crate::commands::pool::work(from, Job::Drift, &worker, &validator);
    }
    let mut partial = match PartialFile::create(args.partial.as_deref(), &validator, Job::Drift) {
        Ok(partial) => partial,
        Err(message) => return input_error(&message),
    };
    let (items, progress) = match recordings(&args.inputs) {
        Ok(read) => read,
        Err(message) => return input_error(&message),
    };
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let mut tally = Tally::default();
    specgate_validator::check_each(
        &validator,
        items,
        threads,
        |done| progress.records(done),
        |checked| {
            if let Some(partial) = partial.as_mut() {
                partial.write(&validator, &checked);
            }
            tally.add(checked)
        },
    );
    progress.finish();
    for problem in validator.schema_problems() {
        eprintln!("warning: {problem}");
    }
    if let Some(Err(message)) = partial.map(PartialFile::finish) {
        return input_error(&message);
    }
    let output = Output {
        format: args.format,
        report: args.output.output.clone(),
        suggest: args.suggest.clone(),
        apply: args.apply.clone(),
        min_share: args.min_share,
    };
    finish(&document, &validator, tally, &output)
}

/// Where a drift report goes, and the changes it suggests.
pub(crate) struct Output {
    pub format: Format,
    pub report: Option<PathBuf>,
    pub suggest: Option<PathBuf>,
    pub apply: Option<PathBuf>,
    pub min_share: f64,
}

/// Turns the counts into the report, writes it (and the patch and
/// patched document asked for), and returns the exit code.
pub(crate) fn finish(
    document: &specgate_spec::Document,
    validator: &Validator<'_>,
    tally: Tally,
    output: &Output,
) -> i32 {
    let options = Options {
        min_share: output.min_share,
    };
    let report = tally.finish(document, validator, &options);
    if let Err(message) = write_changes(output, document, &report) {
        return input_error(&message);
    }
    let text = match output.format {
        Format::Human => specgate_drift::human(&report),
        Format::Json => serde_json::to_string_pretty(&report).unwrap_or_default() + "\n",
        Format::Markdown => specgate_drift::markdown(&report),
        Format::Sarif => specgate_drift::sarif(&report, document),
        Format::Junit => specgate_drift::junit(&report, document),
        Format::Github => specgate_drift::github(&report, document),
    };
    let written = match &output.report {
        Some(path) => std::fs::write(path, &text),
        None => crate::commands::print(&text),
    };
    if let Err(err) = written {
        return input_error(&format!("cannot write the report: {err}"));
    }
    if report.summary.malformed > 0 {
        INPUT_ERROR
    } else if report.has_drift() {
        FINDINGS
    } else {
        SUCCESS
    }
}

/// `--suggest` and `--apply`: the patch, and the document with it applied.
fn write_changes(
    output: &Output,
    document: &specgate_spec::Document,
    report: &DriftReport,
) -> Result<(), String> {
    let patch = report.patch();
    if let Some(path) = &output.suggest {
        let text = serde_json::to_string_pretty(&patch).unwrap_or_default() + "\n";
        std::fs::write(path, text)
            .map_err(|err| format!("cannot write the patch to {}: {err}", path.display()))?;
    }
    if let Some(path) = &output.apply {
        let root = document
            .files()
            .first()
            .ok_or("the document has no file to patch")?;
        let mut value = root.value().map_err(|err| err.to_string())?;
        specgate_drift::apply(&mut value, &patch)?;
        let text = specgate_drift::write_document(document, &value)?;
        std::fs::write(path, text).map_err(|err| {
            format!(
                "cannot write the patched document to {}: {err}",
                path.display()
            )
        })?;
    }
    Ok(())
}
