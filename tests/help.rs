//! The command line speaks one language: every command's help as the user
//! sees it (snapshots under `tests/snapshots/`), and the rules that keep
//! the commands agreeing: a shared flag has one help text everywhere, every
//! command that reports findings writes every finding format, every command
//! that writes a report takes --output, and no usage line shows a required
//! argument as optional.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, dead_code)]

// The binary's own argument definitions, read here as clap builds them.
#[path = "../src/cli/mod.rs"]
mod cli;

use std::collections::BTreeMap;
use std::process::Command;

use clap::CommandFactory;

const COMMANDS: [&str; 9] = [
    "inspect", "generate", "validate", "publish", "report", "diff", "drift", "proxy", "probe",
];

/// The commands whose reports are findings.
const FINDING_COMMANDS: [&str; 6] = ["validate", "report", "diff", "drift", "proxy", "probe"];

/// The commands that write a report (`generate` writes a crate to --out).
const REPORTING_COMMANDS: [&str; 7] = [
    "inspect", "validate", "report", "diff", "drift", "proxy", "probe",
];

/// Flags more than one command has, which must read the same everywhere.
const SHARED: [&str; 10] = [
    "spec", "root", "format", "output", "base-url", "redact", "formats", "strict", "timeout",
    "from",
];

fn help(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_specgate"))
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "{args:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn every_command_has_its_help_snapshot() {
    insta::assert_snapshot!("top", help(&["--help"]));
    for command in COMMANDS {
        insta::assert_snapshot!(command, help(&[command, "--help"]));
    }
}

/// What a flag's help says: its text and, for each possible value, its.
fn described(arg: &clap::Arg) -> (String, BTreeMap<String, String>) {
    let text = arg
        .get_long_help()
        .or(arg.get_help())
        .map(ToString::to_string)
        .unwrap_or_default();
    let values = arg
        .get_possible_values()
        .iter()
        .map(|value| {
            let help = value
                .get_help()
                .map(ToString::to_string)
                .unwrap_or_default();
            (value.get_name().to_owned(), help)
        })
        .collect();
    (text, values)
}

#[test]
fn a_shared_flag_reads_the_same_on_every_command() {
    let cli = cli::Cli::command();
    // Flag -> (help text -> commands that say it), value -> help.
    let mut texts: BTreeMap<&str, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    let mut values: BTreeMap<(String, String), BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for command in cli.get_subcommands() {
        for arg in command.get_arguments() {
            let Some(long) = arg.get_long() else { continue };
            let Some(shared) = SHARED.iter().find(|s| **s == long) else {
                continue;
            };
            let (text, possible) = described(arg);
            texts
                .entry(shared)
                .or_default()
                .entry(text)
                .or_default()
                .push(command.get_name().to_owned());
            for (value, help) in possible {
                values
                    .entry((long.to_owned(), value))
                    .or_default()
                    .entry(help)
                    .or_default()
                    .push(command.get_name().to_owned());
            }
        }
    }
    for (flag, by_text) in &texts {
        // --timeout means "how long the API may take" on the proxy and the
        // probe, each for its own kind of wait; the rest must agree.
        if *flag == "timeout" {
            continue;
        }
        assert_eq!(by_text.len(), 1, "--{flag} reads differently: {by_text:#?}");
    }
    for ((flag, value), by_text) in &values {
        assert_eq!(
            by_text.len(),
            1,
            "--{flag} {value} reads differently: {by_text:#?}"
        );
    }
    // Every flag above is on more than one command.
    for flag in ["spec", "root", "format", "output", "base-url", "redact"] {
        let commands: usize = texts[flag].values().map(Vec::len).sum();
        assert!(commands > 1, "--{flag} is on {commands} command");
    }
}

fn subcommand(name: &str) -> clap::Command {
    cli::Cli::command()
        .find_subcommand(name)
        .unwrap_or_else(|| panic!("no command {name}"))
        .clone()
}

#[test]
fn every_command_that_reports_findings_writes_every_finding_format() {
    for name in FINDING_COMMANDS {
        let command = subcommand(name);
        let format = command
            .get_arguments()
            .find(|arg| arg.get_long() == Some("format"))
            .unwrap_or_else(|| panic!("{name} has no --format"));
        let offered: Vec<String> = format
            .get_possible_values()
            .iter()
            .map(|v| v.get_name().to_owned())
            .collect();
        for wanted in ["human", "json", "sarif", "junit", "github"] {
            assert!(
                offered.iter().any(|v| v == wanted),
                "{name} --format has no {wanted}: {offered:?}"
            );
        }
    }
}

#[test]
fn every_command_that_writes_a_report_takes_output() {
    for name in REPORTING_COMMANDS {
        let command = subcommand(name);
        assert!(
            command
                .get_arguments()
                .any(|arg| arg.get_long() == Some("output")),
            "{name} has no --output"
        );
        // And no command names where a report goes otherwise.
        assert!(
            !command
                .get_arguments()
                .any(|arg| arg.get_long() == Some("report")),
            "{name} shows --report"
        );
    }
}

#[test]
fn no_usage_line_shows_a_required_argument_as_optional() {
    for name in COMMANDS {
        let mut command = subcommand(name);
        let usage = command.render_usage().to_string();
        for arg in command.get_arguments().filter(|arg| arg.is_required_set()) {
            let shown = match arg.get_long() {
                Some(long) => format!("--{long} <"),
                None => format!("<{}>", arg.get_id().as_str().to_ascii_uppercase()),
            };
            assert!(
                usage.contains(&shown) && !usage.contains(&format!("[{}", &shown)),
                "{name}: the usage line `{usage}` does not show {shown} as required"
            );
        }
    }
}

#[test]
fn base_url_filters_exchanges_on_every_command_and_probe_calls_server() {
    for name in ["validate", "drift", "proxy", "probe", "diff"] {
        let command = subcommand(name);
        let base_url = command
            .get_arguments()
            .find(|arg| arg.get_long() == Some("base-url"))
            .unwrap_or_else(|| panic!("{name} has no --base-url"));
        let (text, _) = described(base_url);
        assert!(text.starts_with("Check only exchanges sent below this URL"));
    }
    let probe = help(&["probe", "--help"]);
    assert!(probe.contains("--server <URL>"), "{probe}");
    assert!(probe.contains("Usage: specgate probe [OPTIONS] --server <URL>"));
}

#[test]
fn a_missing_spec_is_named_before_anything_else() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere.yaml");
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    // Each command with nothing else to go on, or everything else wrong.
    let cases: [&[&str]; 7] = [
        &["inspect"],
        &["generate", "--out", out],
        &["validate"],
        &["drift", "no-such-recording.jsonl"],
        &["proxy", "--upstream", "http://127.0.0.1:9"],
        &["probe", "--server", "http://127.0.0.1:9"],
        &["validate", "--base-url", "http://127.0.0.1:9"],
    ];
    for args in cases {
        let output = Command::new(env!("CARGO_BIN_EXE_specgate"))
            .args(args)
            .arg("--spec")
            .arg(&missing)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with(&format!(
                "error: {}: cannot read the file",
                missing.display()
            )),
            "{args:?}: {stderr}"
        );
    }
}
