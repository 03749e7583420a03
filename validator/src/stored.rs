//! Results that travel between processes and merge: one record's checks,
//! and for drift what it showed, as a pool worker (`specgate-nats`) or a
//! `--partial` run stores them, read back by `specgate report` into the
//! report one run over every record would have made.
//!
//! A stored result names the record it is for (its source and entry), so
//! a result stored twice (a redelivered exchange, overlapping shards)
//! counts once, and the validator that made it (its fingerprint), so
//! results of another document or other settings are never mixed in.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use serde::{Deserialize, Serialize};

use crate::check::{Checked, Validator};
use crate::observe::Observations;

/// What a result was made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Job {
    /// `specgate validate`: findings.
    Validate,
    /// `specgate drift`: findings and observations.
    Drift,
}

impl Job {
    /// The command that makes it.
    pub fn command(self) -> &'static str {
        match self {
            Job::Validate => "validate",
            Job::Drift => "drift",
        }
    }
}

/// One record's result, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stored {
    pub job: Job,
    /// The [`Validator::fingerprint`] of the validator that made it.
    pub checked_by: String,
    pub checked: Checked,
    /// For drift, what the record showed, naming the document's places
    /// (the checked record's own observations are keyed by the nodes of
    /// the process that made them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observations: Option<Observations>,
}

impl Stored {
    /// A checked record as stored; `fingerprint` is the validator's
    /// (computed once per run: it hashes the document).
    pub fn of(validator: &Validator<'_>, fingerprint: &str, job: Job, checked: Checked) -> Stored {
        let observations = match job {
            Job::Validate => None,
            Job::Drift => Some(validator.observations_to_merge(&checked.observed)),
        };
        Stored {
            job,
            checked_by: fingerprint.to_owned(),
            checked,
            observations,
        }
    }

    /// One line of JSON.
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// [`Stored::of`] as one line of JSON, the checked record only
    /// borrowed (the caller still reports it).
    pub fn line_of(
        validator: &Validator<'_>,
        fingerprint: &str,
        job: Job,
        checked: &Checked,
    ) -> String {
        #[derive(Serialize)]
        struct Borrowed<'a> {
            job: Job,
            checked_by: &'a str,
            checked: &'a Checked,
            #[serde(skip_serializing_if = "Option::is_none")]
            observations: Option<Observations>,
        }
        let observations = match job {
            Job::Validate => None,
            Job::Drift => Some(validator.observations_to_merge(&checked.observed)),
        };
        let borrowed = Borrowed {
            job,
            checked_by: fingerprint,
            checked,
            observations,
        };
        serde_json::to_string(&borrowed).unwrap_or_default()
    }

    /// A stored result read back, gzipped ([`pack`]) or not, or why it is
    /// not one.
    pub fn from_slice(bytes: &[u8]) -> Result<Stored, String> {
        let bytes = unpack(bytes)?;
        serde_json::from_slice(&bytes).map_err(|err| format!("not a specgate result: {err}"))
    }
}

/// The most one stored result may unpack to: far past any result specgate
/// writes (its collections are bounded), so a forged one cannot take the
/// reader's memory.
pub const MAX_UNPACKED: u64 = 64 << 20;

/// Lines shorter than this are stored as they are: gzip would save little
/// and cost more than the rest of storing them.
const PACK_FROM: usize = 1024;

/// A result's line as a pool stores it: gzipped at the fastest level when
/// it is long (a drift result), as it is otherwise.
pub fn pack(line: &str) -> Vec<u8> {
    pack_bytes(line.as_bytes())
}

fn pack_bytes(line: &[u8]) -> Vec<u8> {
    if line.len() < PACK_FROM {
        return line.to_vec();
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    // Writing to memory cannot fail.
    let _ = encoder.write_all(line);
    encoder.finish().unwrap_or_default()
}

/// What [`pack`] packed; bytes that are not gzip are given back as they
/// are.
pub fn unpack(bytes: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, String> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(std::borrow::Cow::Borrowed(bytes));
    }
    let mut unpacked = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .take(MAX_UNPACKED + 1)
        .read_to_end(&mut unpacked)
        .map_err(|err| format!("not a specgate result: its gzip cannot be read: {err}"))?;
    if unpacked.len() as u64 > MAX_UNPACKED {
        return Err(format!(
            "not a specgate result: it unpacks to more than {} MiB",
            MAX_UNPACKED >> 20
        ));
    }
    Ok(std::borrow::Cow::Owned(unpacked))
}

/// Results merged as they come, in any order: kept by record, the last
/// stored of each, then given in the order one run over the inputs reads
/// them (by source, then entry). Each is held packed ([`pack`]) until
/// then: a drift result takes about 4 KB, a validate result its line.
#[derive(Debug, Default)]
pub struct Merged {
    job: Option<Job>,
    checked_by: Option<String>,
    results: BTreeMap<(String, usize), Vec<u8>>,
    /// Results stored more than once (redelivered, or in two shards).
    pub repeated: u64,
}

/// What [`Merged::add`] reads of a result before it is needed whole.
#[derive(Deserialize)]
struct Head {
    job: Job,
    checked_by: String,
    checked: Place,
}

/// Which record a result is for.
#[derive(Deserialize)]
struct Place {
    source: String,
    entry: usize,
}

impl Merged {
    /// Adds one stored result (packed or not); refuses one that is not a
    /// result, or that was made for another job or by another validator
    /// than those before it (another document, other settings).
    pub fn add(&mut self, bytes: &[u8]) -> Result<(), String> {
        let line = unpack(bytes)?;
        let head: Head =
            serde_json::from_slice(&line).map_err(|err| format!("not a specgate result: {err}"))?;
        match self.job {
            Some(job) if job != head.job => {
                return Err(format!(
                    "it holds results of `specgate {}`, and the results before it are of `specgate {}`: they do not merge",
                    head.job.command(),
                    job.command()
                ))
            }
            _ => self.job = Some(head.job),
        }
        match &self.checked_by {
            Some(fingerprint) if *fingerprint != head.checked_by => {
                return Err(
                    "it was checked against another document, or with other options \
                     (--strict, --formats, --base-url, --redact), than the results before it: \
                     they do not merge"
                        .to_owned(),
                )
            }
            Some(_) => {}
            None => self.checked_by = Some(head.checked_by),
        }
        let packed = match line {
            std::borrow::Cow::Borrowed(_) => pack_bytes(bytes),
            std::borrow::Cow::Owned(_) => bytes.to_vec(),
        };
        let key = (head.checked.source, head.checked.entry);
        if self.results.insert(key, packed).is_some() {
            self.repeated += 1;
        }
        Ok(())
    }

    /// The job of the results, when there are any.
    pub fn job(&self) -> Option<Job> {
        self.job
    }

    /// The fingerprint of the validator that made them, when there are any.
    pub fn checked_by(&self) -> Option<&str> {
        self.checked_by.as_deref()
    }

    /// How many records.
    pub fn len(&self) -> usize {
        self.results.len()
    }

    pub fn is_empty(&self) -> bool {
        self.results.is_empty()
    }

    /// The results, in input order. Each was read once already, so none
    /// fails unless memory was corrupted; an error is still said, never
    /// skipped.
    pub fn into_results(self) -> impl Iterator<Item = Result<Stored, String>> {
        self.results
            .into_values()
            .map(|packed| Stored::from_slice(&packed))
    }
}

/// 128 bits of FNV-1a, in hex: stable in every process and on every
/// machine (not a defence against forgery: results are trusted as the
/// pool's own).
pub fn hash(data: &[u8]) -> String {
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    let hash = data.iter().fold(OFFSET, |hash, byte| {
        (hash ^ u128::from(*byte)).wrapping_mul(PRIME)
    });
    format!("{hash:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Matched;

    fn stored(source: &str, entry: usize, job: Job, by: &str) -> Stored {
        Stored {
            job,
            checked_by: by.into(),
            checked: Checked {
                source: source.into(),
                entry,
                operation: Matched::Undocumented,
                findings: Vec::new(),
                unrecorded_body: false,
                observed: Default::default(),
            },
            observations: None,
        }
    }

    #[test]
    fn results_come_out_in_input_order_once_each() {
        let mut merged = Merged::default();
        for (source, entry) in [("b", 1), ("a", 10), ("a", 2), ("a", 10)] {
            let line = stored(source, entry, Job::Validate, "x").to_line();
            merged.add(line.as_bytes()).unwrap();
        }
        assert_eq!(merged.repeated, 1);
        let order: Vec<(String, usize)> = merged
            .into_results()
            .map(|s| s.unwrap())
            .map(|s| (s.checked.source, s.checked.entry))
            .collect();
        assert_eq!(order, [("a".into(), 2), ("a".into(), 10), ("b".into(), 1)]);
    }

    #[test]
    fn results_of_another_job_or_validator_are_refused() {
        let mut merged = Merged::default();
        let add = |merged: &mut Merged, one: Stored| merged.add(&pack(&one.to_line()));
        add(&mut merged, stored("a", 0, Job::Validate, "x")).unwrap();
        let err = add(&mut merged, stored("a", 1, Job::Drift, "x")).unwrap_err();
        assert!(err.contains("specgate drift"), "{err}");
        let err = add(&mut merged, stored("a", 1, Job::Validate, "y")).unwrap_err();
        assert!(err.contains("another document"), "{err}");
        assert_eq!(merged.len(), 1);
    }

    #[test]
    fn a_result_reads_back_and_garbage_is_named() {
        let one = stored("f", 3, Job::Drift, "x");
        assert_eq!(Stored::from_slice(one.to_line().as_bytes()).unwrap(), one);
        assert!(Stored::from_slice(b"{}")
            .unwrap_err()
            .starts_with("not a specgate result"));
    }

    #[test]
    fn packed_results_read_back_and_bombs_are_refused() {
        let mut one = stored("f", 3, Job::Validate, "x");
        let packed = pack(&one.to_line());
        assert_eq!(packed, one.to_line().as_bytes(), "short: as it is");
        assert_eq!(Stored::from_slice(&packed).unwrap(), one);
        one.checked.source = "f".repeat(2000);
        let packed = pack(&one.to_line());
        assert!(packed.starts_with(&[0x1f, 0x8b]) && packed.len() < 500);
        assert_eq!(Stored::from_slice(&packed).unwrap(), one);
        let bomb = pack(&" ".repeat((MAX_UNPACKED + 1) as usize));
        assert!(Stored::from_slice(&bomb)
            .unwrap_err()
            .contains("more than 64 MiB"));
        assert!(Stored::from_slice(&[0x1f, 0x8b, 0])
            .unwrap_err()
            .contains("gzip"));
    }

    #[test]
    fn hashes_are_stable_and_distinct() {
        assert_eq!(hash(b"a"), hash(b"a"));
        assert_ne!(hash(b"a"), hash(b"b"));
        assert_eq!(hash(b"").len(), 32);
    }
}
