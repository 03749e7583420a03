//! `specgate validate`: recorded exchanges checked against a document.

use std::io::{BufReader, IsTerminal, Write};

use specgate_validator::input::{self, Item, Lines};
use specgate_validator::report;
use specgate_validator::Validator;

use crate::cli::{ValidateArgs, ValidateFormat};
use crate::commands::{input_error, FINDINGS, INPUT_ERROR, SUCCESS};

pub fn run(args: &ValidateArgs) -> i32 {
    let document = match crate::document_arg::load(&args.spec) {
        Ok(document) => document,
        Err(message) => return input_error(&message),
    };
    if args.inputs.is_empty() && args.spec.spec.is_some() {
        return input_error(
            "no recordings given: name JSON Lines or HAR files, directories, or `-` for standard input",
        );
    }
    let validator = match Validator::new(&document) {
        Ok(validator) => validator.strict(args.strict),
        Err(message) => return input_error(&message),
    };
    // Every input is opened first: a path that does not exist is a usage
    // error before any work is done.
    let mut sources: Vec<Box<dyn Iterator<Item = Item> + Send>> = Vec::new();
    if args.inputs.is_empty() {
        let reader = BufReader::new(specgate_validator::CHATWOOT_RECORDINGS.as_bytes());
        sources.push(Box::new(Lines::new(
            specgate_validator::CHATWOOT_RECORDINGS_NAME,
            reader,
        )));
    }
    for path in &args.inputs {
        if path.as_os_str() == "-" {
            let stdin = BufReader::new(std::io::stdin());
            sources.push(Box::new(Lines::new("<stdin>", stdin)));
            continue;
        }
        let files = match input::files(path) {
            Ok(files) => files,
            Err(err) => return input_error(&err.to_string()),
        };
        for file in files {
            match input::read_items(&file) {
                Ok(items) => sources.push(items),
                Err(err) => return input_error(&err.to_string()),
            }
        }
    }
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let mut progress = Progress::new();
    let report =
        specgate_validator::check_all(&validator, sources.into_iter().flatten(), threads, |done| {
            progress.update(done)
        });
    progress.finish();
    let text = match args.format {
        ValidateFormat::Human => {
            let color = args.output.is_none() && std::io::stdout().is_terminal();
            report::human(&report, color)
        }
        ValidateFormat::Json => report.json() + "\n",
        ValidateFormat::Junit => report::junit(&report),
        ValidateFormat::Sarif => report::sarif(&report),
        ValidateFormat::Github => report::github(&report),
    };
    let written = match &args.output {
        Some(path) => std::fs::write(path, &text),
        None => std::io::stdout().lock().write_all(text.as_bytes()),
    };
    if let Err(err) = written {
        return input_error(&format!("cannot write the report: {err}"));
    }
    if report.has_malformed() {
        INPUT_ERROR
    } else if report.summary.errors > 0 {
        FINDINGS
    } else {
        SUCCESS
    }
}

/// A count of records checked on standard error, for long runs on a
/// terminal; nothing otherwise.
struct Progress {
    enabled: bool,
    started: std::time::Instant,
    shown: bool,
}

impl Progress {
    fn new() -> Self {
        Progress {
            enabled: std::io::stderr().is_terminal(),
            started: std::time::Instant::now(),
            shown: false,
        }
    }

    fn update(&mut self, done: usize) {
        // Only runs that last are worth a line; redraw every 1,000 records.
        if !self.enabled || done % 1000 != 0 || self.started.elapsed().as_secs() < 1 {
            return;
        }
        let rate = done as f64 / self.started.elapsed().as_secs_f64();
        eprint!("\r{done} records checked ({rate:.0}/s)");
        self.shown = true;
    }

    fn finish(&self) {
        if self.shown {
            eprintln!();
        }
    }
}
