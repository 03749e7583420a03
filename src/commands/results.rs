//! Results that merge ([`specgate_validator::stored`]): the `--partial`
//! file `validate` and `drift` write beside their report, and `specgate
//! report`, which merges result files or a pool's results into the report
//! one run over every record would have made.

use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use specgate_drift::Tally;
use specgate_validator::report::Report;
use specgate_validator::stored::{Job, Merged, Stored, MAX_UNPACKED};
use specgate_validator::{Checked, Validator};

use crate::cli::{Format, ReportArgs};
use crate::commands::input_error;

/// A `--partial` file being written: one stored result per line, in the
/// order the records were read, gzipped (`zcat` reads it).
pub struct PartialFile {
    path: PathBuf,
    writer: flate2::write::GzEncoder<BufWriter<std::fs::File>>,
    fingerprint: String,
    job: Job,
    /// The first write that failed: reported once, at the end.
    failed: Option<std::io::Error>,
}

impl PartialFile {
    /// Creates the file when one is asked for.
    pub fn create(
        path: Option<&Path>,
        validator: &Validator<'_>,
        job: Job,
    ) -> Result<Option<PartialFile>, String> {
        let Some(path) = path else {
            return Ok(None);
        };
        let file = std::fs::File::create(path)
            .map_err(|err| format!("cannot write the results to {}: {err}", path.display()))?;
        Ok(Some(PartialFile {
            path: path.to_path_buf(),
            writer: flate2::write::GzEncoder::new(
                BufWriter::new(file),
                flate2::Compression::fast(),
            ),
            fingerprint: validator.fingerprint(),
            job,
            failed: None,
        }))
    }

    /// Writes one record's result.
    pub fn write(&mut self, validator: &Validator<'_>, checked: &Checked) {
        if self.failed.is_some() {
            return;
        }
        let mut line = Stored::line_of(validator, &self.fingerprint, self.job, checked);
        line.push('\n');
        if let Err(err) = self.writer.write_all(line.as_bytes()) {
            self.failed = Some(err);
        }
    }

    /// Flushes the file; an error names it.
    pub fn finish(mut self) -> Result<(), String> {
        let flushed = match self.failed.take() {
            Some(err) => Err(err),
            None => self.writer.finish().and_then(|mut file| file.flush()),
        };
        flushed.map_err(|err| format!("cannot write the results to {}: {err}", self.path.display()))
    }
}

/// Every result of the files, merged; an unreadable line is an error
/// naming its file and line, as a report without it would be wrong.
fn read_partials(paths: &[PathBuf]) -> Result<Merged, String> {
    let mut merged = Merged::default();
    for path in paths {
        let file = std::fs::File::open(path)
            .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        let mut file = BufReader::new(file);
        let gzipped = file
            .fill_buf()
            .map_err(|err| format!("cannot read {}: {err}", path.display()))?
            .starts_with(&[0x1f, 0x8b]);
        let reader: Box<dyn BufRead> = if gzipped {
            Box::new(BufReader::new(flate2::bufread::MultiGzDecoder::new(file)))
        } else {
            Box::new(file)
        };
        let mut reader = reader;
        let mut line = Vec::new();
        for index in 0.. {
            let at = || format!("{}:{}", path.display(), index + 1);
            line.clear();
            // Bounded: a file that is not a result file (one huge line)
            // cannot take the memory.
            let read = (&mut reader)
                .take(MAX_UNPACKED + 1)
                .read_until(b'\n', &mut line)
                .map_err(|err| format!("cannot read {}: {err}", at()))?;
            if read == 0 {
                break;
            }
            if line.len() as u64 > MAX_UNPACKED {
                return Err(format!(
                    "{}: a line longer than {} MiB is not a specgate result",
                    at(),
                    MAX_UNPACKED >> 20
                ));
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            merged.add(&line).map_err(|err| {
                let hint = if err.starts_with("not a specgate result") {
                    " (result files are written by `validate --partial` and `drift --partial`)"
                } else {
                    ""
                };
                format!("{}: {err}{hint}", at())
            })?;
        }
    }
    Ok(merged)
}

/// `specgate report`.
pub fn report(args: &ReportArgs) -> i32 {
    let merged = match &args.from {
        Some(from) => {
            let job = if args.drift {
                Job::Drift
            } else {
                Job::Validate
            };
            crate::commands::pool::merged(from, job)
        }
        None => read_partials(&args.partials),
    };
    let merged = match merged {
        Ok(merged) => merged,
        Err(message) => return input_error(&message),
    };
    let job = match (merged.job(), args.drift) {
        (Some(Job::Validate), true) => {
            return input_error(
                "the results are of `specgate validate`, not drift: leave out --drift",
            )
        }
        (Some(job), _) => job,
        (None, true) => Job::Drift,
        (None, false) => Job::Validate,
    };
    if merged.repeated > 0 {
        eprintln!(
            "note: {} results were stored more than once (redelivered, or in two result files): each record counts once",
            merged.repeated
        );
    }
    match job {
        Job::Validate => validate_report(args, merged),
        Job::Drift => drift_report(args, merged),
    }
}

/// The findings report `validate` gives over the same records.
fn validate_report(args: &ReportArgs, merged: Merged) -> i32 {
    if args.format == Format::Markdown {
        return input_error("--format markdown is for drift reports; these results are validate's: use human, json, sarif, junit or github");
    }
    if args.suggest.is_some() || args.apply.is_some() || args.min_share != 0.0 {
        return input_error(
            "--suggest, --apply and --min-share are for drift results; these are validate's",
        );
    }
    let mut report = Report::default();
    for stored in merged.into_results() {
        match stored {
            Ok(stored) => report.add(stored.checked),
            Err(message) => return input_error(&message),
        }
    }
    crate::commands::validate::finish(&report, args.format, args.output.output.as_deref())
}

/// The report `drift` gives over the same records, against the workers'
/// document.
fn drift_report(args: &ReportArgs, merged: Merged) -> i32 {
    let document = match crate::document_arg::load(&args.spec) {
        Ok(document) => document,
        Err(message) => return input_error(&message),
    };
    let validator = match Validator::new(&document) {
        Ok(validator) => validator.strict(true).observing(true),
        Err(error) => return input_error(&error.to_string()),
    };
    if let Some(by) = merged.checked_by() {
        if !by.starts_with(&validator.document_fingerprint()) {
            return input_error(
                "the results were checked against another document than this one: give the workers' document with --spec",
            );
        }
    }
    let mut tally = Tally::default();
    for stored in merged.into_results() {
        match stored {
            Ok(stored) => {
                tally.add_described(stored.checked, stored.observations.unwrap_or_default())
            }
            Err(message) => return input_error(&message),
        }
    }
    let output = crate::commands::drift::Output {
        format: args.format,
        report: args.output.output.clone(),
        suggest: args.suggest.clone(),
        apply: args.apply.clone(),
        min_share: args.min_share,
    };
    crate::commands::drift::finish(&document, &validator, tally, &output)
}
