//! `specgate inspect`: what a document holds, and what looked wrong in it.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;
use specgate_spec::{Document, Location, Operation, SecuritySchemeKind, WarningKind};

use crate::cli::{Format, InspectArgs};
use crate::commands::{input_error, SUCCESS};

/// Human output shows this many warnings of each kind; JSON shows all.
const WARNINGS_SHOWN_PER_KIND: usize = 10;

/// The stable JSON form of `inspect`.
#[derive(Serialize)]
struct Report<'a> {
    source: &'a str,
    openapi: &'a str,
    spec_version: specgate_spec::SpecVersion,
    title: &'a str,
    version: &'a str,
    servers: Vec<ServerRow<'a>>,
    operations: Vec<OperationRow<'a>>,
    webhooks: Vec<OperationRow<'a>>,
    schemas: Vec<&'a str>,
    security_schemes: Vec<SchemeRow<'a>>,
    warnings: Vec<WarningRow<'a>>,
}

#[derive(Serialize)]
struct ServerRow<'a> {
    url: &'a str,
    base_path: &'a str,
}

#[derive(Serialize)]
struct OperationRow<'a> {
    method: &'a str,
    path: &'a str,
    operation_id: &'a str,
    tags: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    deprecated: bool,
}

#[derive(Serialize)]
struct SchemeRow<'a> {
    name: &'a str,
    description: String,
}

#[derive(Serialize)]
struct WarningRow<'a> {
    kind: WarningKind,
    message: &'a str,
    #[serde(flatten)]
    location: Option<Location>,
}

pub fn run(args: &InspectArgs) -> i32 {
    let document = match crate::document_arg::load(&args.spec) {
        Ok(document) => document,
        Err(message) => return input_error(&message),
    };
    let report = report(&document);
    let written = match &args.output.output {
        Some(path) => std::fs::File::create(path)
            .map(std::io::BufWriter::new)
            .and_then(|mut file| {
                write(&mut file, &report, args)?;
                file.flush()
            })
            .map_err(|err| std::io::Error::new(err.kind(), format!("{}: {err}", path.display()))),
        None => write(&mut std::io::stdout().lock(), &report, args),
    };
    match written {
        Ok(()) => SUCCESS,
        // A closed pipe (`specgate inspect | head`) is not an error.
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => SUCCESS,
        Err(err) => input_error(&format!("cannot write the report: {err}")),
    }
}

/// The report in the format asked for (human unless JSON: the command line
/// offers no other).
fn write(out: &mut impl Write, report: &Report<'_>, args: &InspectArgs) -> std::io::Result<()> {
    match args.format {
        Format::Json => serde_json::to_writer_pretty(&mut *out, report)
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out)),
        _ => write_human(out, report, args.operations),
    }
}

fn report(document: &Document) -> Report<'_> {
    Report {
        source: document.files().first().map_or("", |f| f.name.as_str()),
        openapi: &document.openapi,
        spec_version: document.spec_version,
        title: &document.info.title,
        version: &document.info.version,
        servers: document
            .servers
            .iter()
            .map(|s| ServerRow {
                url: &s.url,
                base_path: &s.base_path,
            })
            .collect(),
        operations: document.operations.iter().map(operation_row).collect(),
        webhooks: document.webhooks.iter().map(operation_row).collect(),
        schemas: document.schemas.keys().map(String::as_str).collect(),
        security_schemes: document
            .security_schemes
            .values()
            .map(|s| SchemeRow {
                name: &s.name,
                description: describe_scheme(&s.kind),
            })
            .collect(),
        warnings: warning_rows(document),
    }
}

/// Warnings with their locations, computed in one pass over each file.
fn warning_rows(document: &Document) -> Vec<WarningRow<'_>> {
    let mut locations = document
        .locations(document.warnings.iter().filter_map(|w| w.origin.as_ref()))
        .into_iter();
    document
        .warnings
        .iter()
        .map(|w| WarningRow {
            kind: w.kind,
            message: &w.message,
            location: w.origin.as_ref().and_then(|_| locations.next()),
        })
        .collect()
}

fn operation_row(op: &Operation) -> OperationRow<'_> {
    OperationRow {
        method: op.method.as_str(),
        path: &op.path,
        operation_id: &op.operation_id,
        tags: &op.tags,
        summary: op.summary.as_deref(),
        deprecated: op.deprecated,
    }
}

fn describe_scheme(kind: &SecuritySchemeKind) -> String {
    match kind {
        SecuritySchemeKind::ApiKey { name, location } => {
            format!("API key in {} `{name}`", location.as_str())
        }
        SecuritySchemeKind::Http { scheme, .. } => format!("HTTP {scheme}"),
        SecuritySchemeKind::OAuth2 { flows } => format!(
            "OAuth 2.0 ({})",
            flows.keys().cloned().collect::<Vec<_>>().join(", ")
        ),
        SecuritySchemeKind::OpenIdConnect { url } => format!("OpenID Connect ({url})"),
        SecuritySchemeKind::MutualTls => "mutual TLS".into(),
        _ => "other".into(),
    }
}

fn write_human(
    out: &mut impl Write,
    report: &Report<'_>,
    list_operations: bool,
) -> std::io::Result<()> {
    writeln!(out, "{} {}", report.title, report.version)?;
    writeln!(out, "  source:     {}", report.source)?;
    writeln!(out, "  openapi:    {}", report.openapi)?;
    let mut methods: BTreeMap<&str, usize> = BTreeMap::new();
    for op in &report.operations {
        *methods.entry(op.method).or_default() += 1;
    }
    let by_method: Vec<_> = methods.iter().map(|(m, n)| format!("{m} {n}")).collect();
    writeln!(
        out,
        "  operations: {} ({})",
        report.operations.len(),
        by_method.join(", ")
    )?;
    writeln!(out, "  webhooks:   {}", report.webhooks.len())?;
    writeln!(out, "  schemas:    {}", report.schemas.len())?;
    for server in &report.servers {
        let base = if server.base_path.is_empty() {
            "/"
        } else {
            server.base_path
        };
        writeln!(out, "  server:     {} (base path {base})", server.url)?;
    }
    for scheme in &report.security_schemes {
        writeln!(out, "  security:   {}: {}", scheme.name, scheme.description)?;
    }
    if list_operations {
        writeln!(out, "\nOperations:")?;
        for op in &report.operations {
            let deprecated = if op.deprecated { " (deprecated)" } else { "" };
            writeln!(
                out,
                "  {:<7} {}  {}{deprecated}",
                op.method, op.path, op.operation_id
            )?;
        }
    }
    if report.warnings.is_empty() {
        writeln!(out, "\nNo warnings.")?;
        return Ok(());
    }
    let mut by_kind: BTreeMap<&str, Vec<&WarningRow<'_>>> = BTreeMap::new();
    for warning in &report.warnings {
        by_kind.entry(warning.kind.id()).or_default().push(warning);
    }
    writeln!(out, "\nWarnings: {}", report.warnings.len())?;
    for (kind, warnings) in &by_kind {
        writeln!(out, "  {kind} ({})", warnings.len())?;
        for warning in warnings.iter().take(WARNINGS_SHOWN_PER_KIND) {
            match &warning.location {
                Some(location) => writeln!(out, "    {location}: {}", warning.message)?,
                None => writeln!(out, "    {}", warning.message)?,
            }
        }
        if warnings.len() > WARNINGS_SHOWN_PER_KIND {
            writeln!(
                out,
                "    ... and {} more (--format json lists all)",
                warnings.len() - WARNINGS_SHOWN_PER_KIND
            )?;
        }
    }
    Ok(())
}
