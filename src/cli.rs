//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// specgate reads an OpenAPI document, generates Rust clients from it and
/// checks HTTP traffic against it.
///
/// Every command reads the document given by --spec (JSON or YAML; Swagger
/// 2.0, OpenAPI 3.0, 3.1 or 3.2; `-` for standard input) and, when none is
/// given, the Chatwoot API document embedded in specgate.
///
/// Exit codes: 0 success, 1 findings, 2 usage or input errors.
#[derive(Debug, Parser)]
#[command(
    name = "specgate",
    version,
    propagate_version = true,
    after_help = "\
Examples:
  specgate inspect                          summarize the embedded Chatwoot document
  specgate inspect --spec openapi.yaml      summarize your own document"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Summarize a document: title, versions, operations, schemas, servers
    /// and the warnings found while loading it.
    #[command(after_help = "\
Examples:
  specgate inspect                          the embedded Chatwoot document
  specgate inspect --spec api.yaml --format json
  curl -s https://example.com/openapi.json | specgate inspect --spec -")]
    Inspect(InspectArgs),

    /// Generate a Rust crate with a type for every schema of a document and
    /// a typed async client (reqwest) with a method for every operation.
    #[command(after_help = "\
Examples:
  specgate generate --out chatwoot-client   the embedded Chatwoot document
  specgate generate --spec openapi.yaml --out my-api --name my-api-client
  specgate generate --spec openapi.yaml --out my-api --check
                                            in CI: exit 1 if my-api is stale")]
    Generate(GenerateArgs),

    /// Check recorded HTTP exchanges (JSON Lines or HAR) against a document:
    /// every request and response is routed to its operation and its bodies
    /// are checked against their schemas. Exits 1 when something does not
    /// conform.
    #[command(after_help = "\
Examples:
  specgate validate                             the embedded Chatwoot recordings
  specgate validate --spec api.yaml traffic.har
  specgate validate --spec api.yaml devtools.har --base-url https://staging.example.com/api
  specgate validate --spec api.yaml recordings/ --format json --output report.json
  proxy-log | specgate validate --spec api.yaml -")]
    Validate(ValidateArgs),
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub spec: SpecArgs,

    /// Recorded exchanges: JSON Lines files (`-` for standard input), HAR
    /// files, or directories of them. Default, with the embedded Chatwoot
    /// document: the Chatwoot recordings embedded in specgate.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<std::path::PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ValidateFormat::Human)]
    pub format: ValidateFormat,

    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,

    /// Report members the document does not mention (drift) as violations,
    /// not warnings.
    #[arg(long)]
    pub strict: bool,

    /// Check only exchanges sent below this URL (scheme, host, port and
    /// path prefix; the prefix is taken off before matching, like a
    /// server's base path). Others, such as a browser HAR's fonts and
    /// analytics, are skipped and counted. Repeatable.
    #[arg(long = "base-url", value_name = "URL")]
    pub base_urls: Vec<url::Url>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    /// Grouped by operation, for people.
    Human,
    /// One JSON object: `{"summary": ..., "findings": [...]}`.
    Json,
    /// JUnit XML, for CI test reports.
    Junit,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    #[command(flatten)]
    pub spec: SpecArgs,

    /// The directory to write the crate to (created if needed).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// The crate's name. Default: from the document's title.
    #[arg(long, value_name = "CRATE")]
    pub name: Option<String>,

    /// Fail on enum values the document does not list, instead of keeping
    /// them in an `Other` variant.
    #[arg(long)]
    pub strict_enums: bool,

    /// Write nothing: exit 1 and name the files that differ when the crate
    /// in --out is stale for the document, 0 when it is current.
    #[arg(long)]
    pub check: bool,
}

/// Where the document comes from.
#[derive(Debug, Args)]
pub struct SpecArgs {
    /// The OpenAPI document: a path, or `-` for standard input. Default: the
    /// embedded Chatwoot document.
    #[arg(long, value_name = "PATH")]
    pub spec: Option<PathBuf>,

    /// Let `$ref`s reach files anywhere below this directory (by default,
    /// only the document's own directory and below).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    #[command(flatten)]
    pub spec: SpecArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = InspectFormat::Human)]
    pub format: InspectFormat,

    /// In human output, also list every operation.
    #[arg(long)]
    pub operations: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InspectFormat {
    /// A summary for people.
    Human,
    /// One JSON object, stable for scripts.
    Json,
}
