//! The command line, as clap reads it.

mod shared;
mod values;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use shared::{
    Format, FormatsArgs, OutputArgs, RedactArgs, RootArgs, ScopeArgs, SpecArgs, FINDINGS,
    FINDINGS_AND_MARKDOWN, POOL_HELP, SUMMARY,
};

/// specgate reads an OpenAPI document, generates Rust clients from it and
/// checks HTTP traffic against it.
///
/// Every command but `diff` reads the document given by --spec (JSON or
/// YAML; Swagger 2.0, OpenAPI 3.0, 3.1 or 3.2; `-` for standard input)
/// and, when none is given, the Chatwoot API document embedded in
/// specgate; `diff` compares the two documents named OLD and NEW.
///
/// One flag means one thing on every command: --output FILE is where the
/// report goes, --format one of human, json, sarif, junit, github (and
/// markdown for diff and drift), --base-url which exchanges are checked.
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
  proxy-log | specgate validate --spec api.yaml -
  specgate validate --spec api.yaml --from nats://127.0.0.1:4222/shop --until-empty
                                                a worker of a pool (see publish, report)")]
    Validate(ValidateArgs),

    /// Publish recorded exchanges (JSON Lines or HAR) to a pool of
    /// validators on NATS JetStream, secrets redacted, each with an id that
    /// lets the stream drop it when published again. Workers
    /// (`validate --from`) check them; `report --from` merges the results.
    #[command(after_help = "\
Examples:
  specgate publish --to nats://127.0.0.1:4222/shop recordings/
  specgate validate --spec api.yaml --from nats://127.0.0.1:4222/shop --until-empty
  specgate report --from nats://127.0.0.1:4222/shop --format json")]
    Publish(PublishArgs),

    /// Merge stored results into one report: those a pool of validators
    /// stored (`validate --from`, `drift --from`), or result files
    /// written by `validate --partial` or `drift --partial` on shards of
    /// recordings. The report is the one `validate` (or `drift`) gives
    /// over the same records. Exits 1 when something does not conform.
    #[command(after_help = "\
Examples:
  specgate report --from nats://127.0.0.1:4222/shop
  NATS_TOKEN=... specgate report --from nats://nats.internal:4222/shop --format sarif --output pool.sarif
  specgate report --drift --spec api.yaml --from nats://127.0.0.1:4222/shop --suggest fix.json
  specgate validate --spec api.yaml day-1/ --partial day-1.results   (on each machine)
  specgate report day-*.results --format json")]
    Report(ReportArgs),

    /// Compare two versions of a document and report what changed for the
    /// clients of the old one: breaking changes, warnings and the rest,
    /// each under a stable check id. Exits 1 when a change at or above
    /// --fail-on is found.
    ///
    /// OLD and NEW are paths, or `REV:PATH` to read a document (and the
    /// files it refers to) as git revision REV has it, with your own git.
    #[command(
        override_usage = "specgate diff [OPTIONS] <OLD> <NEW>\n       specgate diff --list-checks",
        after_help = "\
Examples:
  specgate diff old.yaml new.yaml
  specgate diff origin/main:api/openapi.yaml api/openapi.yaml --format markdown
  specgate diff v1.json v2.json --traffic recordings/ --fail-on warning
  specgate diff old.yaml new.yaml --ignore .specgate-ignore --format github
  specgate diff old.yaml new.yaml --format sarif --output diff.sarif
  specgate diff --list-checks                   every check, with its level"
    )]
    Diff(DiffArgs),

    /// Sum up what recorded traffic shows that the document does not say:
    /// undocumented operations, statuses, media types, query parameters
    /// and members; documented members never seen; values whose type, enum
    /// value or requiredness disagree. With --suggest, write the changes
    /// that make the document say it, as an RFC 6902 JSON Patch. Exits 1
    /// when traffic and document disagree.
    #[command(after_help = "\
Examples:
  specgate drift                                the embedded Chatwoot recordings
  specgate drift --spec api.yaml traffic.jsonl --format markdown
  specgate drift --spec api.yaml traffic.har --suggest fix.json --apply api.fixed.yaml
  specgate drift --spec api.yaml recordings/ --suggest fix.json --min-share 0.01
  specgate drift --spec api.yaml --from nats://127.0.0.1:4222/shop --until-empty
                                                a worker of a pool (see publish, report)")]
    Drift(DriftArgs),

    /// Sit between a client and an API: forward every exchange to
    /// --upstream unchanged and check each one as it happens, printing
    /// findings as they come. On Ctrl-C or SIGTERM, print the report of
    /// every exchange seen. Exits 1 when something did not conform.
    #[command(
        mut_arg("output", |arg| arg.alias("report")),
        after_help = "\
Examples:
  specgate proxy --upstream http://127.0.0.1:3000
                                    the embedded Chatwoot document, clients
                                    pointed at http://127.0.0.1:8787
  specgate proxy --spec api.yaml --upstream https://staging.example.com/api \\
      --record traffic.jsonl --output report.json --format json
  specgate proxy --spec api.yaml --upstream http://127.0.0.1:3000 --metrics 127.0.0.1:9464

Bodies stream through as they arrive and are checked from a copy, beside
the traffic: when checks fall behind, exchanges are counted as not checked
(`validation-behind`) instead of slowing traffic. With --record, each
exchange is appended as soon as it completes; if the disk falls behind, the
end of each response waits for it, so the recording loses nothing.
The report is written on shutdown (--report, the old name of --output,
still works)."
    )]
    Proxy(ProxyArgs),

    /// Call a running API's safe operations (GET and HEAD, or those named
    /// with --operation) with parameters from --param and the document's
    /// examples and defaults, and check every response. Names the
    /// operations it could not call for want of a value. Exits 1 when a
    /// response does not conform, 2 when a request got no response or
    /// nothing could be checked (every operation not callable).
    #[command(after_help = "\
Examples:
  specgate probe --server http://127.0.0.1:3000 --param account_id=1 \\
      -H 'api_access_token: ${CHATWOOT_TOKEN}'
  specgate probe --spec api.yaml --server https://staging.example.com/v2 --dry-run
  specgate probe --spec api.yaml --server http://127.0.0.1:8080 --operation createPet \\
      --body createPet=pet.json --exclude listAuditLogs --format junit --output probe.xml

${NAME} in a header value is read from the environment, so credentials stay
out of shell history; secret headers and query values never appear in output.")]
    Probe(ProbeArgs),
}

#[derive(Debug, Args)]
pub struct ProxyArgs {
    #[command(flatten)]
    pub spec: SpecArgs,

    #[command(flatten)]
    pub formats: FormatsArgs,

    #[command(flatten)]
    pub redact: RedactArgs,

    /// Where requests are forwarded: scheme, host, port and a path prefix
    /// put before each request's path. Exchanges are checked below it
    /// (its prefix taken off before matching) unless --base-url says
    /// otherwise.
    #[arg(long, value_name = "URL")]
    pub upstream: url::Url,

    /// Where clients connect.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8787")]
    pub listen: std::net::SocketAddr,

    /// Append each exchange to this JSON Lines file as it completes
    /// (secrets redacted); `specgate validate FILE` replays it.
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,

    /// Also publish each exchange, as --record writes it, to a pool of
    /// validators (see `specgate publish`), never holding traffic back: a
    /// buffer of 10,000 exchanges or 64 MiB waits for a slow or absent
    /// server, and what it cannot keep is counted as publish-dropped (in
    /// the summary and /metrics). A pool: nats://HOST:PORT/NAME (or
    /// tls://), with credentials and TLS as `specgate publish --to` takes
    /// them.
    #[arg(long, value_name = "NATS_URL")]
    pub publish: Option<String>,

    /// The report's format.
    #[arg(long, value_parser = shared::format(FINDINGS), default_value = "human")]
    pub format: Format,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Report members the document does not mention (drift) as violations,
    /// not warnings.
    #[arg(long)]
    pub strict: bool,

    #[command(flatten)]
    pub scope: ScopeArgs,

    /// Bodies larger than this (bytes; K, M and G suffixes) are passed on
    /// whole and counted as not checked.
    #[arg(long, value_name = "SIZE", default_value = "16M", value_parser = values::size)]
    pub max_body: usize,

    /// Seconds the upstream may take to start answering before the client
    /// gets a 504.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0, value_parser = values::seconds)]
    pub timeout: f64,

    /// Serve metrics in the Prometheus text format at http://ADDR/metrics.
    #[arg(long, value_name = "ADDR")]
    pub metrics: Option<std::net::SocketAddr>,

    /// Exchanges that may wait for validation; past that they are counted
    /// as not checked.
    #[arg(long, value_name = "N", default_value_t = 64)]
    pub queue: usize,

    /// Do not print findings as they are found (the report still has them).
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ProbeArgs {
    #[command(flatten)]
    pub spec: SpecArgs,

    #[command(flatten)]
    pub formats: FormatsArgs,

    #[command(flatten)]
    pub redact: RedactArgs,

    /// Where the API is: operation paths are appended to it (include the
    /// server's base path). Exchanges are checked below it unless
    /// --base-url says otherwise. (--base-url used to name the server
    /// here; it now filters, as on every command.)
    #[arg(long, value_name = "URL")]
    pub server: url::Url,

    /// A header for every request, `Name: value`; `${NAME}` is read from
    /// the environment. Repeatable.
    #[arg(short = 'H', long = "header", value_name = "HEADER")]
    pub headers: Vec<String>,

    /// A parameter's value, `name=value`, before the document's examples
    /// and defaults; given twice, an array. Repeatable.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,

    /// The request body of an operation, read from FILE (sent with the
    /// operation's first documented media type), before the document's
    /// examples. Repeatable.
    #[arg(long = "body", value_name = "OPERATION=FILE")]
    pub bodies: Vec<String>,

    /// Call only this operation (any method). Repeatable.
    #[arg(long = "operation", value_name = "ID")]
    pub operations: Vec<String>,

    /// Never call this operation. Repeatable.
    #[arg(long = "exclude", value_name = "ID")]
    pub exclude: Vec<String>,

    /// Print the requests, bodies included, without sending them (secrets
    /// redacted).
    #[arg(long)]
    pub dry_run: bool,

    /// The report's format.
    #[arg(long, value_parser = shared::format(FINDINGS), default_value = "human")]
    pub format: Format,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Report members the document does not mention (drift) as violations,
    /// not warnings.
    #[arg(long)]
    pub strict: bool,

    #[command(flatten)]
    pub scope: ScopeArgs,

    /// Requests sent, at most.
    #[arg(long, value_name = "N", default_value_t = 500)]
    pub max_requests: usize,

    /// Requests per second, at most.
    #[arg(long, value_name = "N", default_value_t = 10.0, value_parser = values::rate)]
    pub rate: f64,

    /// Seconds one request may take, its body included.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, value_parser = values::seconds)]
    pub timeout: f64,
}

#[derive(Debug, Args)]
pub struct DriftArgs {
    #[command(flatten)]
    pub spec: SpecArgs,

    #[command(flatten)]
    pub formats: FormatsArgs,

    #[command(flatten)]
    pub redact: RedactArgs,

    /// Recorded exchanges: JSON Lines files (`-` for standard input), HAR
    /// files, or directories of them. Default, with the embedded Chatwoot
    /// document: the Chatwoot recordings embedded in specgate.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// The report's format.
    #[arg(long, value_parser = shared::format(FINDINGS_AND_MARKDOWN), default_value = "human")]
    pub format: Format,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Write the changes that make the document match the traffic to this
    /// file: an RFC 6902 JSON Patch against the document as written, each
    /// operation with the observations that support it.
    #[arg(long, value_name = "FILE")]
    pub suggest: Option<PathBuf>,

    /// Write the document with the suggested changes applied to this file
    /// (in the document's format; YAML comments are not kept).
    #[arg(long, value_name = "FILE")]
    pub apply: Option<PathBuf>,

    /// Suggest only changes supported by at least this share (0 to 1) of
    /// their observations (a value seen once among thousands); the others
    /// are reported as outliers. Default: everything observed.
    #[arg(long, value_name = "SHARE", default_value_t = 0.0, value_parser = values::share)]
    pub min_share: f64,

    #[command(flatten)]
    pub scope: ScopeArgs,

    #[arg(
        long,
        value_name = "NATS_URL",
        help = POOL_HELP,
        conflicts_with_all = ["inputs", "output", "suggest", "apply", "partial"]
    )]
    pub from: Option<String>,

    /// With --from (a worker of the pool's drift job: what each exchange
    /// it is given shows is stored in the pool for `report --drift
    /// --from`): stop when no exchange is left for any worker.
    #[arg(long, requires = "from")]
    pub until_empty: bool,

    /// Serve metrics in the Prometheus text format at http://ADDR/metrics.
    #[arg(long, value_name = "ADDR", requires = "from")]
    pub metrics: Option<std::net::SocketAddr>,

    /// Also write each record's result (its findings and what it showed)
    /// to FILE (gzipped JSON Lines), for `specgate report FILE...` to merge with
    /// the results of other shards of the same recordings.
    #[arg(long, value_name = "FILE")]
    pub partial: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old document: a path, or `REV:PATH` for a git revision of one.
    #[arg(value_name = "OLD", required = true)]
    pub old: Option<String>,

    /// The new document: a path, or `REV:PATH`.
    #[arg(value_name = "NEW", required = true)]
    pub new: Option<String>,

    #[command(flatten)]
    pub root: RootArgs,

    /// Exit 1 when a change at or above this level is found.
    #[arg(long, value_enum, default_value_t = FailOn::Breaking)]
    pub fail_on: FailOn,

    /// Accepted changes and level overrides, one per line:
    /// `CHECK [METHOD [PATH]]` with `*` wildcards, `level CHECK LEVEL`,
    /// `#` comments.
    #[arg(long, value_name = "FILE")]
    pub ignore: Option<PathBuf>,

    /// The report's format.
    #[arg(long, value_parser = shared::format(FINDINGS_AND_MARKDOWN), default_value = "human")]
    pub format: Format,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Recorded exchanges (JSON Lines or HAR files, or directories of
    /// them) to replay against both documents: how many touch each change,
    /// and which conform to OLD and fail NEW.
    #[arg(long, value_name = "INPUT", num_args = 1..)]
    pub traffic: Vec<PathBuf>,

    #[command(flatten)]
    pub scope: ScopeArgs,

    /// Print every check (id, level, direction, description) and exit.
    #[arg(long, exclusive = true)]
    pub list_checks: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Breaking changes.
    Breaking,
    /// Warnings and breaking changes.
    Warning,
    /// Any change.
    Info,
    /// Never: always exit 0 when both documents load.
    Never,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub spec: SpecArgs,

    #[command(flatten)]
    pub formats: FormatsArgs,

    #[command(flatten)]
    pub redact: RedactArgs,

    /// Recorded exchanges: JSON Lines files (`-` for standard input), HAR
    /// files, or directories of them. Default, with the embedded Chatwoot
    /// document: the Chatwoot recordings embedded in specgate.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// The report's format.
    #[arg(long, value_parser = shared::format(FINDINGS), default_value = "human")]
    pub format: Format,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Report members the document does not mention (drift) as violations,
    /// not warnings.
    #[arg(long)]
    pub strict: bool,

    #[command(flatten)]
    pub scope: ScopeArgs,

    #[arg(long, value_name = "NATS_URL", help = POOL_HELP, conflicts_with_all = ["inputs", "output"])]
    pub from: Option<String>,

    /// With --from (a worker of the pool: each exchange it is given is
    /// checked and its result stored in the pool for `report --from`;
    /// only a count is printed; SIGTERM or SIGINT stop it after the
    /// exchanges in hand): stop when no exchange is left for any worker.
    #[arg(long, requires = "from")]
    pub until_empty: bool,

    /// Serve metrics in the Prometheus text format at http://ADDR/metrics.
    #[arg(long, value_name = "ADDR", requires = "from")]
    pub metrics: Option<std::net::SocketAddr>,

    /// Also write each record's result to FILE (gzipped JSON Lines), for
    /// `specgate report FILE...` to merge with the results of other
    /// shards of the same recordings.
    #[arg(long, value_name = "FILE", conflicts_with = "from")]
    pub partial: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    #[command(flatten)]
    pub spec: SpecArgs,

    #[command(flatten)]
    pub redact: RedactArgs,

    #[arg(long, value_name = "NATS_URL", help = POOL_HELP)]
    pub to: String,

    /// Recorded exchanges: JSON Lines files (`-` for standard input), HAR
    /// files, or directories of them. Default, with the embedded Chatwoot
    /// document: the Chatwoot recordings embedded in specgate.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub spec: SpecArgs,

    /// Results written by `validate --partial` or `drift --partial`, in
    /// any order; a record in two of them counts once.
    #[arg(value_name = "PARTIAL", required_unless_present = "from")]
    pub partials: Vec<PathBuf>,

    #[arg(long, value_name = "NATS_URL", help = POOL_HELP, conflicts_with = "partials")]
    pub from: Option<String>,

    /// With --from: merge the results of the pool's drift workers (`drift
    /// --from`), not its validate workers'. Result files say which they
    /// hold. A drift report needs the workers' document (--spec), and is
    /// the only one in markdown.
    #[arg(long)]
    pub drift: bool,

    /// The report's format.
    #[arg(long, value_parser = shared::format(FINDINGS_AND_MARKDOWN), default_value = "human")]
    pub format: Format,

    #[command(flatten)]
    pub output: OutputArgs,

    /// For drift results: write the changes that make the document match
    /// the traffic to this file, as `drift --suggest` does.
    #[arg(long, value_name = "FILE")]
    pub suggest: Option<PathBuf>,

    /// For drift results: write the document with the suggested changes
    /// applied to this file, as `drift --apply` does.
    #[arg(long, value_name = "FILE")]
    pub apply: Option<PathBuf>,

    /// For drift results: suggest only changes supported by at least this
    /// share of their observations, as `drift --min-share` does.
    #[arg(long, value_name = "SHARE", default_value_t = 0.0, value_parser = values::share)]
    pub min_share: f64,
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

#[derive(Debug, Args)]
pub struct InspectArgs {
    #[command(flatten)]
    pub spec: SpecArgs,

    /// The report's format.
    #[arg(long, value_parser = shared::format(SUMMARY), default_value = "human")]
    pub format: Format,

    #[command(flatten)]
    pub output: OutputArgs,

    /// In human output, also list every operation.
    #[arg(long)]
    pub operations: bool,
}
