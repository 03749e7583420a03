//! `specgate validate`: recorded exchanges checked against a document.

use std::io::{BufReader, IsTerminal};

use specgate_validator::input::{self, Item, Lines, Record};
use specgate_validator::report;
use specgate_validator::stored::Job;
use specgate_validator::Validator;

use crate::cli::{Format, ValidateArgs};
use crate::commands::results::PartialFile;
use crate::commands::{input_error, FINDINGS, INPUT_ERROR, SUCCESS};
use crate::progress::Progress;

pub fn run(args: &ValidateArgs) -> i32 {
    let document = match crate::document_arg::load_for_recordings(&args.spec, &args.inputs) {
        Ok(document) => document,
        Err(message) => return input_error(&message),
    };
    let validator = match Validator::with_formats(&document, args.formats.mode()) {
        Ok(validator) => validator
            .redacting(&args.redact.names)
            .strict(args.strict)
            .scope(args.scope.base_urls.clone()),
        Err(error) => return input_error(&error.to_string()),
    };
    if let Some(from) = &args.from {
        let worker = crate::commands::pool::Worker {
            until_empty: args.until_empty,
            metrics: args.metrics,
        };
        return crate::commands::pool::work(from, Job::Validate, &worker, &validator);
    }
    let mut partial = match PartialFile::create(args.partial.as_deref(), &validator, Job::Validate)
    {
        Ok(partial) => partial,
        Err(message) => return input_error(&message),
    };
    let (items, progress) = match recordings(&args.inputs) {
        Ok(read) => read,
        Err(message) => return input_error(&message),
    };
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let mut report = report::Report::default();
    specgate_validator::check_each(
        &validator,
        items,
        threads,
        |done| progress.records(done),
        |checked| {
            if let Some(partial) = partial.as_mut() {
                partial.write(&validator, &checked);
            }
            report.add(checked)
        },
    );
    progress.finish();
    for problem in validator.schema_problems() {
        eprintln!("warning: {problem}");
    }
    if let Some(Err(message)) = partial.map(PartialFile::finish) {
        return input_error(&message);
    }
    finish(&report, args.format, args.output.output.as_deref())
}

/// Writes a findings report and returns the exit code.
pub(crate) fn finish(
    report: &report::Report,
    format: Format,
    output: Option<&std::path::Path>,
) -> i32 {
    let text = render(report, format, output.is_none());
    if let Err(message) = write_report(output, &text) {
        return input_error(&message);
    }
    if report.has_malformed() {
        INPUT_ERROR
    } else if report.summary.errors > 0 {
        FINDINGS
    } else {
        SUCCESS
    }
}

/// A report in the format asked for; colours only on a terminal.
/// Markdown is not offered for findings (the command line refuses it), so
/// it never reaches here; it would read as the human report.
pub(crate) fn render(report: &report::Report, format: Format, to_stdout: bool) -> String {
    match format {
        Format::Human | Format::Markdown => {
            let color = to_stdout && std::io::stdout().is_terminal();
            report::human(report, color)
        }
        Format::Json => report.json() + "\n",
        Format::Junit => report::junit(report),
        Format::Sarif => report::sarif(report),
        Format::Github => report::github(report),
    }
}

/// Writes a report to a file, or to standard output.
pub(crate) fn write_report(path: Option<&std::path::Path>, text: &str) -> Result<(), String> {
    let written = match path {
        Some(path) => std::fs::write(path, text),
        None => crate::commands::print(text),
    };
    written.map_err(|err| format!("cannot write the report: {err}"))
}

/// One input to read.
enum Input {
    /// The Chatwoot recordings shipped with specgate (no input named).
    Embedded,
    Stdin,
    /// A file that could be opened, and its size.
    File(std::path::PathBuf, u64),
}

/// The records of every input named (the embedded Chatwoot recordings
/// when none is), read as they are needed, and the progress display that
/// follows them. Every input is tried first: a path that cannot be read is
/// a usage error before any work is done.
pub(crate) fn recordings(
    paths: &[std::path::PathBuf],
) -> Result<(impl Iterator<Item = Item> + Send, Progress), String> {
    let inputs = open_inputs(paths)?;
    let total = inputs
        .iter()
        .map(|input| match input {
            Input::Embedded => Some(specgate_validator::CHATWOOT_RECORDINGS.len() as u64),
            Input::Stdin => None,
            Input::File(_, size) => Some(*size),
        })
        .sum::<Option<u64>>();
    let progress = Progress::new(total);
    let mut sources: Vec<Box<dyn Iterator<Item = Item> + Send>> = Vec::new();
    for input in inputs {
        match input {
            Input::Embedded => {
                let text = specgate_validator::CHATWOOT_RECORDINGS.as_bytes();
                sources.push(Box::new(Lines::new(
                    specgate_validator::CHATWOOT_RECORDINGS_NAME,
                    BufReader::new(progress.wrap(text)),
                )));
            }
            Input::Stdin => {
                let stdin = BufReader::new(progress.wrap(std::io::stdin()));
                sources.push(Box::new(Lines::new("<stdin>", stdin)));
            }
            Input::File(path, _) => {
                // Opened when reached, so a directory of thousands of
                // recordings does not hold thousands of files open.
                let progress = progress.clone();
                sources.push(Box::new(std::iter::once(path).flat_map(move |path| {
                    let items = input::open(&path)
                        .and_then(|file| input::items_from(&path, progress.wrap(file)));
                    items.unwrap_or_else(|err| {
                        Box::new(std::iter::once(Err(Record::Malformed {
                            source: path.display().to_string(),
                            entry: 0,
                            reason: err.to_string(),
                        })))
                    })
                })));
            }
        }
    }
    Ok((sources.into_iter().flatten(), progress))
}

/// Opens every input named (the files below a directory, in order), or
/// says which cannot be read.
fn open_inputs(paths: &[std::path::PathBuf]) -> Result<Vec<Input>, String> {
    if paths.is_empty() {
        return Ok(vec![Input::Embedded]);
    }
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        for file in input::files(path).map_err(|e| e.to_string())? {
            let opened = input::open(&file).map_err(|e| e.to_string())?;
            let size = opened.metadata().map_or(0, |m| m.len());
            inputs.push(Input::File(file, size));
        }
    }
    Ok(inputs)
}
