//! `specgate validate`: recorded exchanges checked against a document.

use std::io::{BufReader, IsTerminal, Write};

use specgate_validator::input::{self, JsonLines, Record};
use specgate_validator::report::{self, Report};
use specgate_validator::{Finding, Kind, Validator};

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
    let mut report = Report::default();
    let mut check = |record: Record| {
        let findings = match record {
            Record::Exchange(exchange) => validator.check(&exchange),
            Record::Malformed {
                source,
                entry,
                reason,
            } => vec![malformed(source, entry, reason)],
        };
        report.add(findings);
    };
    if args.inputs.is_empty() {
        let reader = BufReader::new(specgate_validator::CHATWOOT_RECORDINGS.as_bytes());
        JsonLines::new(specgate_validator::CHATWOOT_RECORDINGS_NAME.into(), reader)
            .for_each(&mut check);
    }
    for path in &args.inputs {
        if path.as_os_str() == "-" {
            let stdin = std::io::stdin().lock();
            JsonLines::new("<stdin>".into(), stdin).for_each(&mut check);
            continue;
        }
        let files = match input::files(path) {
            Ok(files) => files,
            Err(err) => return input_error(&err.to_string()),
        };
        for file in files {
            match input::read_file(&file) {
                Ok(records) => records.for_each(&mut check),
                Err(err) => return input_error(&err.to_string()),
            }
        }
    }
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

fn malformed(source: String, entry: usize, reason: String) -> Finding {
    Finding {
        source,
        entry,
        kind: Kind::Malformed,
        error: true,
        operation: None,
        request: None,
        place: None,
        pointer: None,
        schema: None,
        expected: None,
        found: None,
        message: reason,
    }
}
