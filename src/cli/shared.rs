//! The flags several commands share. Each is declared once here, so a flag
//! has one name, one meaning and one help text wherever it appears
//! (`tests/help.rs` holds them to it).

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, ValueEnum};

/// Where the document comes from.
#[derive(Debug, Args)]
pub struct SpecArgs {
    /// The OpenAPI document: a path, or `-` for standard input. Default: the
    /// embedded Chatwoot document.
    #[arg(long, value_name = "PATH")]
    pub spec: Option<PathBuf>,

    #[command(flatten)]
    pub root: RootArgs,
}

/// How far a document's `$ref`s may reach.
#[derive(Debug, Args)]
pub struct RootArgs {
    /// Let `$ref`s reach files anywhere below this directory (by default,
    /// the repository the document is in: the nearest folder above it that
    /// holds `.git`; outside a repository, the document's own directory).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

/// Which exchanges are checked.
#[derive(Debug, Args)]
pub struct ScopeArgs {
    /// Check only exchanges sent below this URL (scheme, host, port and
    /// path prefix; the prefix is taken off before matching, like a
    /// server's base path). Others, such as a browser HAR's fonts and
    /// analytics, are skipped and counted. Repeatable.
    #[arg(long = "base-url", value_name = "URL")]
    pub base_urls: Vec<url::Url>,
}

/// The help of every flag that names a pool of validators (`--from`,
/// `--to`): one text, whichever way the exchanges go.
pub const POOL_HELP: &str = "A pool of validators on NATS JetStream: nats://HOST:PORT/NAME \
(a cluster: nats://HOST:PORT,HOST:PORT,.../NAME, any of which may be down), with \
nats://USER:PASSWORD@... or nats://TOKEN@... (or NATS_USER and NATS_PASSWORD, or \
NATS_TOKEN, in the environment); NAME (letters, digits, - and _) names the stream, and \
every other name derives from it; ?create=false uses the pool's streams and never creates \
them. tls://HOST:PORT/NAME requires TLS, as do NATS_CA (the \
CA's PEM file, instead of the system's) and NATS_CERT with NATS_KEY (a client certificate \
and its key); nats:// is TLS when the server asks. Credentials never appear in output.";

/// Where the report goes.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Secrets beyond those specgate knows.
#[derive(Debug, Args)]
pub struct RedactArgs {
    /// Also redact this header, query parameter or form field (repeat
    /// for more). Already redacted: `Authorization`, cookies, the API keys
    /// of the document's security schemes, and any name that means a
    /// credential (token, secret, password, key, session, signature).
    #[arg(long = "redact", value_name = "NAME")]
    pub names: Vec<String>,
}

/// How `format` is read by the commands that check traffic.
#[derive(Debug, Args)]
pub struct FormatsArgs {
    /// `assert`: a value that breaks its `format` (`date-time`, `email`,
    /// `uuid`, `idn-hostname`, an `int32` range...) is a violation.
    /// `annotate`: formats are hints, as JSON Schema allows, for servers
    /// that treat them so; every other keyword is still checked.
    #[arg(long = "formats", value_enum, default_value_t = FormatsMode::Assert)]
    pub formats: FormatsMode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatsMode {
    Assert,
    Annotate,
}

impl FormatsArgs {
    /// The validator's reading of formats.
    pub fn mode(&self) -> specgate_validator::Formats {
        match self.formats {
            FormatsMode::Assert => specgate_validator::Formats::Assert,
            FormatsMode::Annotate => specgate_validator::Formats::Annotate,
        }
    }
}

/// Every report format; each command accepts those it can write, and a
/// value means the same on all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: grouped, counted, the first few of each problem shown.
    Human,
    /// One JSON object with every finding, for programs.
    Json,
    /// SARIF 2.1.0, for code scanning: one result per finding, its rule the
    /// check id, located on the document's line where known.
    Sarif,
    /// JUnit XML, for CI test reports.
    Junit,
    /// GitHub Actions workflow annotations on the document's lines.
    Github,
    /// Markdown, for a pull request or a CI job summary.
    Markdown,
}

/// What every command that reports findings writes.
pub const FINDINGS: &[Format] = &[
    Format::Human,
    Format::Json,
    Format::Sarif,
    Format::Junit,
    Format::Github,
];

/// The finding formats, and Markdown for the reports people read in a pull
/// request (`diff`, `drift`).
pub const FINDINGS_AND_MARKDOWN: &[Format] = &[
    Format::Human,
    Format::Json,
    Format::Sarif,
    Format::Junit,
    Format::Github,
    Format::Markdown,
];

/// What `inspect` writes.
pub const SUMMARY: &[Format] = &[Format::Human, Format::Json];

/// `--format`'s parser for a command that writes `allowed`: its help lists
/// those values alone, each with the one description above.
pub fn format(allowed: &'static [Format]) -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(allowed.iter().filter_map(ValueEnum::to_possible_value))
        // The parser above admits only names of `allowed`.
        .map(|name| Format::from_str(&name, false).unwrap_or(Format::Human))
}
