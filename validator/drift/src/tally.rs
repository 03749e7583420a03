//! Each checked record folded into counts as it comes: the findings the
//! observations do not already say (query parameters, parameter enums,
//! formats, other violations, malformed records) and the observations.

use indexmap::IndexMap;
use specgate_spec::{Document, JsonTypes, Origin};
use specgate_validator::observe::{Gap, Observations, Observed};
use specgate_validator::{Checked, Finding, Kind, Matched, Place, SchemaLocation, Validator};

use crate::report::*;
use crate::{suggest, Options};

/// Malformed records named one by one; past this, only counted.
const MAX_MALFORMED_LISTED: usize = 20;
/// Groups of other violations kept; past this, only counted.
const MAX_GROUPS: usize = 1000;

/// A drift run's counts, as records come.
#[derive(Debug, Default)]
pub struct Tally {
    summary: Summary,
    malformed: Vec<Malformed>,
    /// Exchanges per operationId.
    per_operation: IndexMap<String, u64>,
    observed: Observed,
    /// Observations of records checked by other processes (a pool's
    /// workers, `--partial` shards), already naming the document's places.
    described: Observations,
    parameters: IndexMap<(String, String), (u64, Example)>,
    parameter_enums: IndexMap<(String, String), EnumGap>,
    formats: IndexMap<String, FormatGap>,
    /// The operations a parameter's enum or format gap was seen in (a
    /// shared parameter component is sent to many): its `of` sums theirs.
    gap_operations: IndexMap<String, Vec<String>>,
    violations: IndexMap<String, ViolationGroup>,
    /// Body violations of `type`, `enum`, `required` and `format`: the
    /// observations count these exactly, so a group is reported only when
    /// no observed gap is at its keyword (a map's values, `not`, `then`
    /// are not observed).
    observable: IndexMap<String, ViolationGroup>,
    past_bound: u64,
}

impl Tally {
    /// Folds one record in: its counts and observations are kept, the
    /// record is not.
    pub fn add(&mut self, checked: Checked) {
        self.summary.records += 1;
        match &checked.operation {
            Matched::Operation(id) => {
                self.summary.matched += 1;
                *self.per_operation.entry(id.clone()).or_default() += 1;
            }
            Matched::Undocumented => self.summary.undocumented += 1,
            Matched::Malformed => self.summary.malformed += 1,
            Matched::Skipped | Matched::Unanswered | Matched::Preflight => {
                self.summary.not_checked += 1
            }
        }
        for finding in checked.findings {
            self.finding(finding);
        }
        self.observed.merge(checked.observed);
    }

    /// Folds in a record checked by another process, with what it showed
    /// as that process described it.
    pub fn add_described(&mut self, checked: Checked, observations: Observations) {
        self.add(checked);
        self.described.merge(observations);
    }

    fn finding(&mut self, finding: Finding) {
        let keyword = finding.keyword.clone().unwrap_or_default();
        let in_body = matches!(
            finding.place,
            Some(Place::RequestBody | Place::ResponseBody)
        );
        match (finding.kind, &finding.place) {
            (Kind::Malformed, _) => {
                if self.malformed.len() < MAX_MALFORMED_LISTED {
                    self.malformed.push(Malformed {
                        source: finding.source,
                        entry: finding.entry,
                        reason: finding.message,
                    });
                }
            }
            // Observed with their bodies.
            (Kind::UndocumentedOperation | Kind::UndocumentedStatus, _) => {}
            (Kind::UndocumentedMediaType, Some(Place::ResponseBody)) => {}
            (Kind::Drift, Some(Place::Parameter { name, .. })) => {
                let key = (finding.operation.clone().unwrap_or_default(), name.clone());
                if let Some((count, _)) = self.parameters.get_mut(&key) {
                    *count += 1;
                } else if self.parameters.len() < MAX_GROUPS {
                    let example = example_of(&finding);
                    self.parameters.insert(key, (1, example));
                } else {
                    self.past_bound += 1;
                }
            }
            // Body members: observed, every one of them (findings stop at 50 a body).
            (Kind::Drift, _) => {}
            (Kind::Violation, _)
                if in_body
                    && ["type", "enum", "required", "format"].contains(&keyword.as_str()) =>
            {
                group(&mut self.observable, finding, &mut self.past_bound);
            }
            (Kind::Violation, Some(Place::Parameter { .. })) if keyword == "enum" => {
                let (Some(schema), Some(found)) = (&finding.schema, &finding.found) else {
                    return;
                };
                let key = (schema.pointer.clone(), found.to_string());
                if let Some(gap) = self.parameter_enums.get_mut(&key) {
                    gap.count += 1;
                } else if self.parameter_enums.len() < MAX_GROUPS {
                    let gap = EnumGap {
                        schema: schema.clone(),
                        value: shown(found),
                        json: found.clone(),
                        operation: finding.operation.clone(),
                        count: 1,
                        of: 0,
                        example: example_of(&finding),
                    };
                    self.parameter_enums.insert(key.clone(), gap);
                } else {
                    self.past_bound += 1;
                    return;
                }
                self.note_operation(format!("{}#{}", key.0, key.1), &finding);
            }
            (Kind::Violation, Some(Place::Parameter { .. })) if keyword == "format" => {
                let Some(schema) = &finding.schema else {
                    return;
                };
                let format = finding
                    .expected
                    .as_ref()
                    .and_then(|e| e.as_str())
                    .unwrap_or_default()
                    .to_owned();
                let example = example_of(&finding);
                self.note_operation(schema.pointer.clone(), &finding);
                self.formats
                    .entry(schema.pointer.clone())
                    .or_insert_with(|| FormatGap {
                        schema: schema.clone(),
                        format,
                        count: 0,
                        of: 0,
                        operation: finding.operation.clone(),
                        example,
                    })
                    .count += 1;
            }
            _ => group(&mut self.violations, finding, &mut self.past_bound),
        }
    }

    fn note_operation(&mut self, gap: String, finding: &Finding) {
        let Some(operation) = &finding.operation else {
            return;
        };
        let operations = self.gap_operations.entry(gap).or_default();
        if !operations.contains(operation) {
            operations.push(operation.clone());
        }
    }

    /// The report: what was observed, named in the document, and the
    /// changes that would make the document say it.
    pub fn finish(
        self,
        document: &Document,
        validator: &Validator<'_>,
        options: &Options,
    ) -> DriftReport {
        let mut observations = validator.observations(&self.observed);
        if self.described != Observations::default() {
            observations.merge(self.described);
            observations.keep_disagreeing();
        }
        let mut origins: Vec<&Origin> = Vec::new();
        for value in &observations.values {
            origins.push(&value.site);
            origins.extend(&value.refers_to);
            origins.extend(&value.enumeration);
            origins.extend(value.format.as_ref().map(|(_, at)| at));
        }
        for object in &observations.objects {
            origins.push(&object.schema);
            origins.extend(object.members.iter().map(|m| &m.schema));
            origins.extend(object.required.iter().map(|r| &r.list));
        }
        let found = document.locations(origins.iter().copied());
        let located: std::collections::HashMap<&Origin, SchemaLocation> = origins
            .iter()
            .zip(found)
            .map(|(origin, location)| {
                let at = SchemaLocation {
                    file: location.file,
                    pointer: location.pointer.unwrap_or_else(|| origin.pointer.clone()),
                    line: location.line,
                    column: location.column,
                };
                (*origin, at)
            })
            .collect();
        let locate = |origin: &Origin| {
            located.get(origin).cloned().unwrap_or(SchemaLocation {
                file: String::new(),
                pointer: origin.pointer.clone(),
                line: None,
                column: None,
            })
        };

        let mut report = DriftReport {
            summary: Summary {
                operations_seen: self.per_operation.len(),
                operations_documented: document.operations.len(),
                ..self.summary
            },
            malformed: self.malformed,
            ..DriftReport::default()
        };
        let of_operation = |id: &str| self.per_operation.get(id).copied().unwrap_or(0);
        let of_gap = |gap: &str| -> u64 {
            self.gap_operations.get(gap).map_or(0, |operations| {
                operations.iter().map(|op| of_operation(op)).sum()
            })
        };

        // Bodies: undocumented operations, statuses, media types.
        let mut operations: IndexMap<(String, String), OperationGap> = IndexMap::new();
        let mut statuses: IndexMap<(String, u16), StatusGap> = IndexMap::new();
        for body in &observations.bodies {
            let key = &body.key;
            let example = Example {
                request: body.counts.request.clone(),
                at: None,
                source: body.counts.first.source.clone(),
                entry: body.counts.first.entry,
            };
            match key.gap {
                Gap::Operation => {
                    let gap = operations
                        .entry((key.method.clone(), key.path.clone()))
                        .or_insert_with(|| OperationGap {
                            method: key.method.clone(),
                            path: key.path.clone(),
                            path_documented: key.path_documented,
                            count: 0,
                            statuses: Vec::new(),
                            example,
                        });
                    gap.count += body.counts.seen;
                    match gap.statuses.iter_mut().find(|(s, _)| *s == key.status) {
                        Some((_, count)) => *count += body.counts.seen,
                        None => gap.statuses.push((key.status, body.counts.seen)),
                    }
                }
                Gap::Status => {
                    let operation = key.operation.clone().unwrap_or_default();
                    statuses
                        .entry((operation.clone(), key.status))
                        .or_insert_with(|| StatusGap {
                            of: of_operation(&operation),
                            operation,
                            status: key.status,
                            count: 0,
                            example,
                        })
                        .count += body.counts.seen;
                }
                Gap::MediaType => {
                    let operation = key.operation.clone().unwrap_or_default();
                    report.media_types.push(MediaGap {
                        of: of_operation(&operation),
                        operation,
                        status: key.status,
                        media: key.media.clone(),
                        count: body.counts.seen,
                        example,
                    })
                }
            }
        }
        report.operations = operations.into_values().collect();
        report.statuses = statuses.into_values().collect();
        report.parameters = self
            .parameters
            .into_iter()
            .map(|((operation, name), (count, example))| ParameterGap {
                of: of_operation(&operation),
                operation,
                name,
                count,
                example,
            })
            .collect();

        // Objects: members undocumented, unseen, required yet absent.
        for object in &observations.objects {
            let schema = locate(&object.schema);
            for member in &object.undocumented {
                report.members.push(MemberGap {
                    schema: schema.clone(),
                    name: member.name.clone(),
                    count: member.shape.seen,
                    of: object.seen,
                    types: member.shape.types(),
                    example: Example::of(&member.first),
                });
            }
        }
        report.unseen = unseen(&observations.objects, &locate);
        report.required = required(&observations.objects, &locate);

        // Values: types and enums.
        for value in &observations.values {
            if !value.outside.is_empty() {
                report.types.push(TypeGap {
                    schema: locate(&value.site),
                    refers_to: value.refers_to.as_ref().map(&locate),
                    documented: value.admitted,
                    observed: (0..7)
                        .filter(|i| value.by_type[*i] > 0)
                        .map(|i| (JsonTypes::at(i), value.by_type[i]))
                        .collect(),
                    of: value.seen,
                    examples: value
                        .outside
                        .iter()
                        .map(|(types, sighting)| (*types, Example::of(sighting)))
                        .collect(),
                });
            }
            if let Some(enumeration) = &value.enumeration {
                for (json, count, sighting) in &value.enum_misses {
                    report.enums.push(EnumGap {
                        schema: locate(enumeration),
                        value: shown(json),
                        json: json.clone(),
                        operation: None,
                        count: *count,
                        of: value.seen,
                        example: Example::of(sighting),
                    });
                }
            }
            if let (Some((format, at)), Some(first)) = (&value.format, &value.format_first) {
                report.formats.push(FormatGap {
                    schema: locate(at),
                    format: format.clone(),
                    count: value.format_misses,
                    of: value.seen,
                    operation: None,
                    example: Example::of(first),
                });
            }
        }
        report
            .enums
            .extend(self.parameter_enums.into_values().map(|gap| EnumGap {
                of: of_gap(&format!("{}#{}", gap.schema.pointer, gap.value)),
                ..gap
            }));
        report
            .formats
            .extend(self.formats.into_values().map(|gap| FormatGap {
                of: of_gap(&gap.schema.pointer),
                ..gap
            }));
        report.enums = merged_enums(std::mem::take(&mut report.enums));
        report.formats = merged_formats(std::mem::take(&mut report.formats));
        report.violations = self.violations.into_values().collect();
        let unobserved: Vec<ViolationGroup> = self
            .observable
            .into_values()
            .filter(|group| {
                !group
                    .schema
                    .as_ref()
                    .is_some_and(|at| observed_at(&report, at))
            })
            .collect();
        report.violations.extend(unobserved);

        suggest::suggest(document, &observations, &mut report, options);
        report
            .not_patched
            .extend(past_bounds(&observations, self.past_bound, &locate));
        report
    }
}

/// Counts a finding in its group (by the keyword's place), or past the
/// bound of groups kept.
fn group(groups: &mut IndexMap<String, ViolationGroup>, finding: Finding, past_bound: &mut u64) {
    let key = match &finding.schema {
        Some(schema) => format!("{}#{}", schema.file, schema.pointer),
        None => format!("{}: {}", finding.kind.id(), finding.message),
    };
    if let Some(group) = groups.get_mut(&key) {
        group.count += 1;
    } else if groups.len() < MAX_GROUPS {
        let example = example_of(&finding);
        let group = ViolationGroup {
            schema: finding.schema,
            message: finding.message,
            count: 1,
            example,
        };
        groups.insert(key, group);
    } else {
        *past_bound += 1;
    }
}

/// Whether an observed gap is at the keyword a body violation names:
/// then the report already says it, counted exactly.
fn observed_at(report: &DriftReport, at: &SchemaLocation) -> bool {
    let same = |gap: &SchemaLocation| gap.file == at.file && gap.pointer == at.pointer;
    let under = |gap: &SchemaLocation, keyword: &str| {
        gap.file == at.file && at.pointer == format!("{}/{keyword}", gap.pointer)
    };
    report.enums.iter().any(|gap| same(&gap.schema))
        || report.formats.iter().any(|gap| same(&gap.schema))
        || report.required.iter().any(|gap| same(&gap.schema))
        || report.types.iter().any(|gap| {
            let places = std::iter::once(&gap.schema).chain(&gap.refers_to);
            places
                .clone()
                .any(|place| ["type", "anyOf", "oneOf"].iter().any(|k| under(place, k)))
        })
}

/// Gaps at one `enum` seen through several places (each property that
/// refers to a shared enum) as one, per value.
fn merged_enums(gaps: Vec<EnumGap>) -> Vec<EnumGap> {
    let key = |gap: &EnumGap| {
        let at = &gap.schema;
        (at.file.clone(), at.pointer.clone(), gap.json.to_string())
    };
    merged_by(gaps, key, |mine, gap| {
        mine.count += gap.count;
        mine.of += gap.of;
    })
}

/// Gaps at one `format` seen through several places as one.
fn merged_formats(gaps: Vec<FormatGap>) -> Vec<FormatGap> {
    let key = |gap: &FormatGap| (gap.schema.file.clone(), gap.schema.pointer.clone());
    merged_by(gaps, key, |mine, gap| {
        mine.count += gap.count;
        mine.of += gap.of;
    })
}

/// Gaps with one key as one, in the order first seen, `add` summing a
/// later one into the first.
fn merged_by<T, K: std::hash::Hash + Eq>(
    gaps: Vec<T>,
    key: impl Fn(&T) -> K,
    add: impl Fn(&mut T, T),
) -> Vec<T> {
    let mut merged: IndexMap<K, T> = IndexMap::new();
    for gap in gaps {
        let key = key(&gap);
        match merged.get_mut(&key) {
            Some(mine) => add(mine, gap),
            None => {
                merged.insert(key, gap);
            }
        }
    }
    merged.into_values().collect()
}

/// What went past a bound: counted, but neither listed nor patched.
fn past_bounds(
    observations: &specgate_validator::observe::Observations,
    violations: u64,
    locate: &impl Fn(&Origin) -> SchemaLocation,
) -> Vec<String> {
    let mut notes = Vec::new();
    for object in &observations.objects {
        if object.undocumented_past_bound > 0 {
            notes.push(format!(
                "{} more undocumented members of {} (past the distinct ones kept per schema)",
                object.undocumented_past_bound,
                locate(&object.schema).pointer
            ));
        }
    }
    for value in &observations.values {
        if value.enum_misses_past_bound > 0 {
            notes.push(format!(
                "{} more values outside the enum of {} (past the distinct ones kept per schema)",
                value.enum_misses_past_bound,
                locate(&value.site).pointer
            ));
        }
    }
    if observations.bodies_past_bound > 0 {
        notes.push(format!(
            "{} more exchanges of undocumented operations, statuses or media types (past the distinct ones kept)",
            observations.bodies_past_bound
        ));
    }
    if violations > 0 {
        notes.push(format!(
            "{violations} more violations of keywords past the distinct ones kept"
        ));
    }
    notes
}

/// Declared members that no observed object had, once per member: a
/// member declared in a schema other schemas extend counts every object
/// that had the declaration.
fn unseen(
    objects: &[specgate_validator::observe::ObjectDrift],
    locate: &impl Fn(&Origin) -> SchemaLocation,
) -> Vec<UnseenMember> {
    let mut members: IndexMap<&Origin, (&str, u64, u64)> = IndexMap::new();
    for object in objects {
        for member in &object.members {
            let entry = members
                .entry(&member.schema)
                .or_insert((&member.name, 0, 0));
            entry.1 += member.present;
            entry.2 += object.seen;
        }
    }
    members
        .into_iter()
        .filter(|(_, (_, present, objects))| *present == 0 && *objects > 0)
        .map(|(origin, (name, _, objects))| UnseenMember {
            schema: locate(origin),
            name: name.to_owned(),
            objects,
        })
        .collect()
}

/// Required members some objects lacked, once per `required` entry.
fn required(
    objects: &[specgate_validator::observe::ObjectDrift],
    locate: &impl Fn(&Origin) -> SchemaLocation,
) -> Vec<RequiredGap> {
    let mut entries: IndexMap<(&Origin, &str), (u64, u64)> = IndexMap::new();
    for object in objects {
        for required in &object.required {
            let entry = entries.entry((&required.list, &required.name)).or_default();
            entry.0 += required.objects.saturating_sub(required.present);
            entry.1 += required.objects;
        }
    }
    entries
        .into_iter()
        .filter(|(_, (absent, _))| *absent > 0)
        .map(|((list, name), (absent, of))| RequiredGap {
            schema: locate(list),
            name: name.to_owned(),
            absent,
            of,
        })
        .collect()
}

fn example_of(finding: &Finding) -> Example {
    Example {
        source: finding.source.clone(),
        entry: finding.entry,
        request: finding.request.clone(),
        at: finding.place.as_ref().map(|place| match &finding.pointer {
            Some(pointer) if !pointer.is_empty() => format!("{place} {pointer}"),
            _ => place.to_string(),
        }),
    }
}

/// A value as a report shows it: strings bare, the rest as JSON.
pub(crate) fn shown(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
