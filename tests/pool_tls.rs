//! A pool of validators over TLS, end to end through the binary: a CA, the
//! server's certificate (for 127.0.0.1) and a client's are made at test
//! time (rcgen); a real `nats-server` requires TLS and verifies clients;
//! specgate takes `tls://` and the `nats` CLI's variables, `NATS_CA`,
//! `NATS_CERT` and `NATS_KEY`. The tests that need the server are ignored
//! unless `.ci/run` (which installs it) runs them.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use support::nats::{free_port, run, server_binary, specgate, wait_for};

/// The token the server requires besides the client's certificate.
const TOKEN: &str = "tls-t0ken-s3cret";

/// A CA, a server certificate for 127.0.0.1 (an IP SAN) and a client
/// certificate, as PEM files in a folder.
struct Certificates {
    ca: PathBuf,
    server_cert: PathBuf,
    server_key: PathBuf,
    client_cert: PathBuf,
    client_key: PathBuf,
}

impl Certificates {
    fn make(dir: &Path) -> Certificates {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.distinguished_name
            .push(DnType::CommonName, "specgate test CA");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_cert = ca.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca, ca_key);

        let leaf = |name: &str, sans: Vec<String>, purpose: ExtendedKeyUsagePurpose| {
            let key = KeyPair::generate().unwrap();
            let mut params = CertificateParams::new(sans).unwrap();
            params.distinguished_name.push(DnType::CommonName, name);
            params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
            params.extended_key_usages = vec![purpose];
            let cert = params.signed_by(&key, &issuer).unwrap();
            (cert.pem(), key.serialize_pem())
        };
        let (server_cert, server_key) = leaf(
            "127.0.0.1",
            vec!["127.0.0.1".into()],
            ExtendedKeyUsagePurpose::ServerAuth,
        );
        let (client_cert, client_key) = leaf(
            "specgate worker",
            Vec::new(),
            ExtendedKeyUsagePurpose::ClientAuth,
        );
        let write = |name: &str, pem: &str| {
            let path = dir.join(name);
            std::fs::write(&path, pem).unwrap();
            path
        };
        Certificates {
            ca: write("ca.pem", &ca_cert.pem()),
            server_cert: write("server.pem", &server_cert),
            server_key: write("server-key.pem", &server_key),
            client_cert: write("client.pem", &client_cert),
            client_key: write("client-key.pem", &client_key),
        }
    }
}

/// A `nats-server` with JetStream on a free loopback port that requires
/// TLS, a client certificate signed by the CA (`verify: true`) and a
/// token; stopped on drop.
struct Server {
    child: std::process::Child,
    port: u16,
    certificates: Certificates,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let certificates = Certificates::make(dir.path());
        let port = free_port();
        let config = dir.path().join("server.conf");
        let quoted = |path: &Path| format!("{:?}", path.display().to_string());
        std::fs::write(
            &config,
            format!(
                "listen: \"127.0.0.1:{port}\"\n\
                 jetstream {{ store_dir: {store} }}\n\
                 authorization {{ token: \"{TOKEN}\" }}\n\
                 tls {{\n  cert_file: {cert}\n  key_file: {key}\n  ca_file: {ca}\n  \
                 verify: true\n  timeout: 2\n}}\n",
                store = quoted(&dir.path().join("js")),
                cert = quoted(&certificates.server_cert),
                key = quoted(&certificates.server_key),
                ca = quoted(&certificates.ca),
            ),
        )
        .unwrap();
        let child = Command::new(server_binary())
            .arg("-c")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nats-server on the PATH (apt-get install nats-server)");
        let server = Server {
            child,
            port,
            certificates,
            _dir: dir,
        };
        wait_for(port);
        server
    }

    /// `tls://TOKEN@127.0.0.1:PORT/NAME`.
    fn url(&self, scheme: &str, name: &str) -> String {
        format!("{scheme}://{TOKEN}@127.0.0.1:{}/{name}", self.port)
    }

    /// The `nats` CLI's variables for this server's CA and the client.
    fn env(&self) -> [(&'static str, &Path); 3] {
        [
            ("NATS_CA", &self.certificates.ca),
            ("NATS_CERT", &self.certificates.client_cert),
            ("NATS_KEY", &self.certificates.client_key),
        ]
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn said(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr)
}

/// The key files' secret part, which nothing may repeat.
fn key_body(path: &Path) -> String {
    let pem = std::fs::read_to_string(path).unwrap();
    pem.lines().filter(|l| !l.starts_with("-----")).collect()
}

fn assert_nothing_secret(output: &Output, server: &Server) {
    let said = said(output);
    assert!(!said.contains(TOKEN), "{said}");
    for key in [
        &server.certificates.client_key,
        &server.certificates.server_key,
    ] {
        let body = key_body(key);
        for line in body.as_bytes().chunks(40) {
            assert!(!said.contains(std::str::from_utf8(line).unwrap()), "{said}");
        }
    }
}

#[test]
#[ignore = "needs nats-server: run by .ci/run"]
fn publish_workers_and_report_over_tls_with_the_nats_cli_variables() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("traffic.jsonl");
    std::fs::write(&file, specgate_validator::CHATWOOT_RECORDINGS).unwrap();
    let url = server.url("tls", "secure");

    let published = run(specgate()
        .args(["publish", "--to", &url])
        .arg(&file)
        .envs(server.env()));
    assert_eq!(published.status.code(), Some(0), "{}", said(&published));
    assert!(
        said(&published).contains(&format!("to tls://127.0.0.1:{}/secure", server.port)),
        "{}",
        said(&published)
    );
    assert_nothing_secret(&published, &server);

    let worker = run(specgate()
        .args(["validate", "--from", &url, "--until-empty"])
        .envs(server.env()));
    assert_eq!(worker.status.code(), Some(0), "{}", said(&worker));
    assert!(
        said(&worker).starts_with("checked 12 exchanges"),
        "{}",
        said(&worker)
    );
    assert_nothing_secret(&worker, &server);

    // `nats://` with a CA given is TLS too (the server demands it anyway).
    let direct = run(specgate().args(["validate", "--format", "json"]).arg(&file));
    for scheme in ["tls", "nats"] {
        let pooled = run(specgate()
            .args(["report", "--from", &server.url(scheme, "secure")])
            .args(["--format", "json"])
            .envs(server.env()));
        assert_eq!(
            pooled.status.code(),
            direct.status.code(),
            "{}",
            said(&pooled)
        );
        assert_eq!(pooled.stdout, direct.stdout, "{scheme}");
        assert_nothing_secret(&pooled, &server);
    }
}

#[test]
#[ignore = "needs nats-server: run by .ci/run"]
fn without_the_ca_the_client_certificate_or_tls_it_is_an_input_error() {
    let server = Server::start();
    let plain = PlainServer::start();
    let certificates = &server.certificates;
    let (ca, cert, key) = (
        ("NATS_CA", certificates.ca.as_path()),
        ("NATS_CERT", certificates.client_cert.as_path()),
        ("NATS_KEY", certificates.client_key.as_path()),
    );
    let shown = format!("cannot connect to tls://127.0.0.1:{}/secure: ", server.port);
    // The URL, the variables set, what the message says, and its reason.
    type Case<'a> = (String, Vec<(&'a str, &'a Path)>, String, &'a str);
    let cases: Vec<Case> = vec![
        // The system's CAs do not know the test CA.
        (
            server.url("tls", "secure"),
            vec![cert, key],
            shown.clone(),
            "set nats_ca",
        ),
        // The server verifies clients: none given.
        (
            server.url("tls", "secure"),
            vec![ca],
            shown.clone(),
            "set nats_cert and nats_key",
        ),
        // Plain nats:// to a server that demands TLS: async-nats upgrades,
        // and the system's CAs do not know the test CA.
        (
            server.url("nats", "secure"),
            Vec::new(),
            format!(
                "cannot connect to nats://127.0.0.1:{}/secure: ",
                server.port
            ),
            "set nats_ca",
        ),
        // tls:// to a server without TLS.
        (
            format!("tls://{TOKEN}@127.0.0.1:{}/secure", plain.port),
            vec![ca, cert, key],
            format!("cannot connect to tls://127.0.0.1:{}/secure: ", plain.port),
            "does not speak tls",
        ),
    ];
    for (url, env, expected, reason) in cases {
        for args in [
            vec!["report", "--from", &url],
            vec!["validate", "--from", &url, "--until-empty"],
        ] {
            let started = Instant::now();
            let output = run(specgate().args(&args).envs(env.iter().copied()));
            let said = said(&output);
            assert_eq!(output.status.code(), Some(2), "{args:?} {env:?}: {said}");
            assert!(said.contains(&expected), "{args:?} {env:?}: {said}");
            assert!(
                said.to_lowercase().contains(reason),
                "{args:?} {env:?}: {said}"
            );
            assert_nothing_secret(&output, &server);
            assert!(started.elapsed() < Duration::from_secs(10), "{args:?}");
        }
    }
}

/// A plain `nats-server -js`, for `tls://` to refuse.
struct PlainServer {
    child: std::process::Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl PlainServer {
    fn start() -> PlainServer {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let child = Command::new(server_binary())
            .args(["-js", "-a", "127.0.0.1", "-p", &port.to_string(), "-sd"])
            .arg(dir.path())
            .args(["--auth", TOKEN])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nats-server on the PATH (apt-get install nats-server)");
        let server = PlainServer {
            child,
            port,
            _dir: dir,
        };
        wait_for(port);
        server
    }
}

impl Drop for PlainServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_certificate_without_its_key_or_a_missing_file_is_a_usage_error_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("client.pem");
    std::fs::write(
        &cert,
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let missing = dir.path().join("no-such-ca.pem");
    let url = format!("tls://{TOKEN}@127.0.0.1:1/secure");
    let cases: [(Vec<(&str, &Path)>, String); 3] = [
        (
            vec![("NATS_CERT", &cert)],
            "NATS_CERT is set but NATS_KEY is not".to_owned(),
        ),
        (
            vec![("NATS_KEY", &cert)],
            "NATS_KEY is set but NATS_CERT is not".to_owned(),
        ),
        (
            vec![("NATS_CA", &missing)],
            format!(
                "NATS_CA names {}, which cannot be read: no such file",
                missing.display()
            ),
        ),
    ];
    for (env, expected) in cases {
        for args in [
            vec!["report", "--from", &url],
            vec!["validate", "--from", &url],
            vec!["publish", "--to", &url],
        ] {
            let started = Instant::now();
            let output = run(specgate().args(&args).envs(env.iter().copied()));
            let said = said(&output);
            assert_eq!(output.status.code(), Some(2), "{args:?}: {said}");
            assert!(said.contains(&expected), "{args:?}: {said}");
            assert!(!said.contains(TOKEN), "{args:?}: {said}");
            assert!(started.elapsed() < Duration::from_secs(5), "{args:?}");
        }
    }
}
