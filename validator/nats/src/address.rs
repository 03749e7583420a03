//! `nats://[USER[:PASSWORD]@|TOKEN@]HOST:PORT[,HOST:PORT...]/NAME` (or
//! `tls://`, which requires TLS): where the pool is (one server, or
//! several of one cluster, as the `nats` CLI takes them comma-separated),
//! its name, and the credentials, which never appear in anything shown;
//! TLS files come from the environment variables the `nats` CLI reads
//! (`NATS_CA`, `NATS_CERT`, `NATS_KEY`).

use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

use crate::Error;

/// What stands in for a secret in every message.
pub const REDACTED: &str = "[REDACTED]";

/// How the client proves who it is.
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    None,
    UserPassword { user: String, password: String },
    Token(String),
}

impl std::fmt::Debug for Auth {
    // Never the secrets, even in a debug print.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::UserPassword { user, .. } => write!(f, "UserPassword({user}, {REDACTED})"),
            Auth::Token(_) => write!(f, "Token({REDACTED})"),
        }
    }
}

/// A parsed pool address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// `host:port` of every server given, in the address's order (one at
    /// least): the client connects to any that answers, and reconnects
    /// among them.
    pub servers: Vec<String>,
    /// The pool's name: the stream, and the root of every other name.
    pub name: String,
    pub auth: Auth,
    pub tls: Tls,
    /// Whether missing streams are created (`?create=false` refuses them:
    /// for a pool whose streams an operator made).
    pub create: bool,
}

/// What TLS the connection uses; async-nats does the TLS itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tls {
    /// The address is `tls://`.
    pub scheme: bool,
    /// `NATS_CA`: the certificates (PEM) the server's must chain to,
    /// instead of the system's.
    pub ca: Option<PathBuf>,
    /// `NATS_CERT` and `NATS_KEY`: the client's certificate and its key
    /// (PEM), for a server that verifies its clients.
    pub client: Option<(PathBuf, PathBuf)>,
}

impl Tls {
    /// Whether the connection must be TLS: `tls://`, or any TLS file
    /// given (as the `nats` CLI does). Otherwise it is TLS only when the
    /// server asks for it.
    pub fn required(&self) -> bool {
        self.scheme || self.ca.is_some() || self.client.is_some()
    }
}

/// The environment a pool address falls back on for credentials, and
/// takes its TLS files from.
pub struct Env {
    pub user: Option<String>,
    pub password: Option<String>,
    pub token: Option<String>,
    pub ca: Option<PathBuf>,
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
}

impl Env {
    /// `NATS_USER`, `NATS_PASSWORD`, `NATS_TOKEN`; `NATS_CA`, `NATS_CERT`,
    /// `NATS_KEY` (the `nats` CLI's names). Empty is unset.
    pub fn from_process() -> Env {
        let var = |name| std::env::var(name).ok().filter(|v| !v.is_empty());
        let path = |name| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        Env {
            user: var("NATS_USER"),
            password: var("NATS_PASSWORD"),
            token: var("NATS_TOKEN"),
            ca: path("NATS_CA"),
            cert: path("NATS_CERT"),
            key: path("NATS_KEY"),
        }
    }
}

/// The default client port.
const DEFAULT_PORT: u16 = 4222;

impl Address {
    /// Parses an address; credentials in the URL win over the environment.
    /// The TLS files the environment names are read, to refuse at once
    /// what async-nats could not load. Errors never repeat the URL, which
    /// may hold a secret, nor anything of the files.
    pub fn parse(text: &str, env: &Env) -> Result<Address, Error> {
        // By hand, not with `url`: its authority takes no comma-separated
        // servers.
        let (scheme, rest) = text
            .split_once("://")
            .ok_or_else(|| Error::new("not a nats:// address: nats://HOST:PORT/NAME"))?;
        let scheme = scheme.to_ascii_lowercase();
        let plain = |c: char| c.is_ascii_alphanumeric() || "+-.".contains(c);
        if !scheme.starts_with(|c: char| c.is_ascii_alphabetic()) || !scheme.chars().all(plain) {
            return Err(Error::new("not a nats:// address: nats://HOST:PORT/NAME"));
        }
        if scheme != "nats" && scheme != "tls" {
            return Err(Error::new(format!(
                "the address must start with nats:// (or tls://, to require TLS), not {scheme}://"
            )));
        }
        let (authority, path) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
        let (path, query) = match path.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (path, None),
        };
        if path.contains('#') || query.is_some_and(|q| q.contains(['#', '?'])) {
            return Err(Error::new(
                "the nats:// address takes no fragment: nats://HOST:PORT/NAME",
            ));
        }
        let create = match query {
            None | Some("create=true") => true,
            Some("create=false") => false,
            Some(_) => {
                return Err(Error::new(
                    "the nats:// address takes one query, ?create=false (use the pool's streams, never create them)",
                ))
            }
        };
        if path.starts_with("//") {
            return Err(Error::new(
                "give the scheme once, then the servers: nats://HOST:PORT,HOST:PORT/NAME",
            ));
        }
        // The last `@` ends the credentials, as for `url`.
        let (userinfo, hosts) = match authority.rsplit_once('@') {
            Some((userinfo, hosts)) => (Some(userinfo), hosts),
            None => (None, authority),
        };
        let servers = servers(hosts)?;
        let name = path.strip_prefix('/').unwrap_or(path);
        if name.contains('@') {
            // Credentials cut short by a `/`: never quoted.
            return Err(Error::new(
                "the stream name has '@': a / in a password is written %2F",
            ));
        }
        check_name(name)?;
        let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
        let (user, password) = match userinfo {
            None => (String::new(), None),
            Some(userinfo) => match userinfo.split_once(':') {
                Some((user, password)) => (decode(user), Some(decode(password))),
                None => (decode(userinfo), None),
            },
        };
        let auth = match (user.is_empty(), password) {
            (false, Some(password)) => Auth::UserPassword { user, password },
            (false, None) => Auth::Token(user),
            (true, _) => match (&env.user, &env.password, &env.token) {
                (Some(user), Some(password), _) => Auth::UserPassword {
                    user: user.clone(),
                    password: password.clone(),
                },
                (_, _, Some(token)) => Auth::Token(token.clone()),
                _ => Auth::None,
            },
        };
        let tls = tls(scheme == "tls", env)?;
        Ok(Address {
            servers,
            create,
            name: name.to_owned(),
            auth,
            tls,
        })
    }

    /// `text` with every secret of this address replaced by
    /// [`REDACTED`]: for messages that quote what a server or library said.
    pub fn redact(&self, text: &str) -> String {
        let secrets: Vec<&str> = match &self.auth {
            Auth::None => Vec::new(),
            Auth::UserPassword { password, .. } => vec![password],
            Auth::Token(token) => vec![token],
        };
        secrets
            .into_iter()
            .filter(|s| !s.is_empty())
            .fold(text.to_owned(), |text, secret| {
                text.replace(secret, REDACTED)
            })
    }
}

impl Address {
    /// What to do about a TLS failure that async-nats reported as `why`
    /// (rustls's words), if it is one: `; ...`, or empty.
    pub fn tls_hint(&self, why: &str) -> &'static str {
        let tls = &self.tls;
        if why.contains("invalid peer certificate") {
            if tls.ca.is_none() {
                "; no CA the system trusts signed the server's certificate: \
                 set NATS_CA to the CA's PEM file"
            } else {
                "; check that the CA in NATS_CA signed the server's certificate, \
                 and that it names the address's host"
            }
        } else if why.contains("BadCertificate") || why.contains("CertificateRequired") {
            if tls.client.is_none() {
                "; the server wants a client certificate: set NATS_CERT and NATS_KEY"
            } else {
                "; the server refused the certificate in NATS_CERT"
            }
        } else if tls.required() && why.contains("InvalidContentType") {
            if tls.scheme {
                "; the server does not speak TLS, which tls:// requires"
            } else {
                "; the server does not speak TLS, which NATS_CA, NATS_CERT and NATS_KEY require"
            }
        } else {
            ""
        }
    }
}

impl std::fmt::Display for Address {
    /// The address without its credentials.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scheme = if self.tls.scheme { "tls" } else { "nats" };
        write!(f, "{scheme}://{}/{}", self.servers.join(","), self.name)?;
        if !self.create {
            f.write_str("?create=false")?;
        }
        Ok(())
    }
}

/// `HOST[:PORT]`, comma-separated (spaces around each allowed), as
/// `host:port` each: an IPv6 host in brackets, the port 4222 when
/// missing. Errors name a server by its place, never by its text.
fn servers(hosts: &str) -> Result<Vec<String>, Error> {
    let items: Vec<&str> = hosts.split(',').map(str::trim).collect();
    let place = |i: usize| {
        if items.len() == 1 {
            String::new()
        } else {
            format!(" (server {} of {})", i + 1, items.len())
        }
    };
    let mut servers: Vec<String> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if item.is_empty() {
            return Err(Error::new(format!(
                "the nats:// address has no host{}: nats://HOST:PORT/NAME",
                place(i)
            )));
        }
        // `url` checks one host and port as it always has.
        let url = url::Url::parse(&format!("nats://{item}/")).map_err(|err| {
            Error::new(format!(
                "not a nats:// address{}: a server is HOST or HOST:PORT ({err})",
                place(i)
            ))
        })?;
        let host = url.host_str().filter(|h| !h.is_empty());
        let (Some(host), "", None, "/") = (host, url.username(), url.password(), url.path()) else {
            return Err(Error::new(format!(
                "not a nats:// address{}: a server is HOST or HOST:PORT",
                place(i)
            )));
        };
        let server = format!("{host}:{}", url.port().unwrap_or(DEFAULT_PORT));
        if !servers.contains(&server) {
            servers.push(server);
        }
    }
    Ok(servers)
}

/// The TLS settings of an address, its files checked.
fn tls(scheme: bool, env: &Env) -> Result<Tls, Error> {
    let client = match (&env.cert, &env.key) {
        (Some(cert), Some(key)) => Some((cert.clone(), key.clone())),
        (None, None) => None,
        (Some(_), None) => {
            return Err(Error::new(
                "NATS_CERT is set but NATS_KEY is not: a client certificate needs its key",
            ))
        }
        (None, Some(_)) => {
            return Err(Error::new(
                "NATS_KEY is set but NATS_CERT is not: a client key needs its certificate",
            ))
        }
    };
    if let Some(ca) = &env.ca {
        check_pem(
            "NATS_CA",
            ca,
            "-----BEGIN CERTIFICATE-----",
            "no PEM certificate",
        )?;
    }
    if let Some((cert, key)) = &client {
        check_pem(
            "NATS_CERT",
            cert,
            "-----BEGIN CERTIFICATE-----",
            "no PEM certificate",
        )?;
        check_pem("NATS_KEY", key, "PRIVATE KEY-----", "no PEM private key")?;
    }
    Ok(Tls {
        scheme,
        ca: env.ca.clone(),
        client,
    })
}

/// Refuses a TLS file that cannot be read or is not PEM, naming the
/// variable and the path (never the contents: a key is a secret).
fn check_pem(variable: &str, path: &Path, marker: &str, missing: &str) -> Result<(), Error> {
    let bytes = std::fs::read(path).map_err(|err| {
        Error::new(format!(
            "{variable} names {}, which cannot be read: {}",
            path.display(),
            io_reason(&err)
        ))
    })?;
    if !String::from_utf8_lossy(&bytes).contains(marker) {
        return Err(Error::new(format!(
            "{variable} names {}, which holds {missing}",
            path.display()
        )));
    }
    Ok(())
}

/// An I/O error without the "(os error N)" suffix.
fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::IsADirectory => "it is a directory".to_owned(),
        _ => err.to_string(),
    }
}

/// A pool name: letters, digits, `-` and `_`, at most 64, so that every
/// name derived from it is a valid stream, consumer and subject
/// token.
pub fn check_name(name: &str) -> Result<(), Error> {
    if name.is_empty() {
        return Err(Error::new(
            "the nats:// address names no stream: nats://HOST:PORT/NAME",
        ));
    }
    if name.len() > 64 {
        return Err(Error::new("the stream name is longer than 64 characters"));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(Error::new(format!(
            "the stream name {name:?} has {bad:?}: use letters, digits, - and _"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env() -> Env {
        Env {
            user: None,
            password: None,
            token: None,
            ca: None,
            cert: None,
            key: None,
        }
    }

    #[test]
    fn reads_host_port_name_and_credentials() {
        let a = Address::parse("nats://u:p%40ss@127.0.0.1:4333/orders", &no_env()).unwrap();
        assert_eq!(a.servers, ["127.0.0.1:4333"]);
        assert_eq!(a.name, "orders");
        assert_eq!(
            a.auth,
            Auth::UserPassword {
                user: "u".into(),
                password: "p@ss".into()
            }
        );
        assert_eq!(a.to_string(), "nats://127.0.0.1:4333/orders");
        assert!(!format!("{a:?}").contains("p@ss"));
        let t = Address::parse("nats://s3cret@localhost/x_1", &no_env()).unwrap();
        assert_eq!(t.auth, Auth::Token("s3cret".into()));
        assert_eq!(t.servers, ["localhost:4222"]);
        assert_eq!(t.redact("bad token s3cret"), "bad token [REDACTED]");
    }

    #[test]
    fn create_false_asks_for_existing_streams() {
        let a = Address::parse("nats://h:1/shop?create=false", &no_env()).unwrap();
        assert!(!a.create);
        assert_eq!(a.to_string(), "nats://h:1/shop?create=false");
        assert!(
            Address::parse("nats://h:1/shop?create=true", &no_env())
                .unwrap()
                .create
        );
        assert!(Address::parse("nats://h:1/shop", &no_env()).unwrap().create);
    }

    #[test]
    fn the_environment_fills_in_missing_credentials() {
        let env = Env {
            user: Some("u".into()),
            password: Some("p".into()),
            token: Some("t".into()),
            ..no_env()
        };
        let a = Address::parse("nats://h:1/n", &env).unwrap();
        assert!(matches!(a.auth, Auth::UserPassword { .. }));
        let env = Env {
            token: Some("t".into()),
            ..no_env()
        };
        assert_eq!(
            Address::parse("nats://h:1/n", &env).unwrap().auth,
            Auth::Token("t".into())
        );
        let url_wins = Address::parse("nats://tok@h:1/n", &env).unwrap();
        assert_eq!(url_wins.auth, Auth::Token("tok".into()));
    }

    #[test]
    fn refuses_bad_addresses_without_repeating_secrets() {
        for bad in [
            "http://h:1/n",
            "nats://h:1/",
            "nats://h:1/a.b",
            "nats://h:1/a/b",
            "nats://h:1/a*",
            "nats://h:1/n?x=1",
            "nats:///n",
        ] {
            assert!(Address::parse(bad, &no_env()).is_err(), "{bad}");
        }
        let err = Address::parse("nats://user:hunter2@h:1/a.b", &no_env()).unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }

    #[test]
    fn several_servers_share_one_scheme_credentials_and_name() {
        let a = Address::parse(
            "nats://u:p%2C%40@h1:4222,h2 , h3:4333,[::1]:4334,10.0.0.1/shop",
            &no_env(),
        )
        .unwrap();
        assert_eq!(
            a.servers,
            [
                "h1:4222",
                "h2:4222",
                "h3:4333",
                "[::1]:4334",
                "10.0.0.1:4222"
            ]
        );
        assert_eq!(a.name, "shop");
        assert_eq!(
            a.auth,
            Auth::UserPassword {
                user: "u".into(),
                password: "p,@".into()
            }
        );
        assert_eq!(
            a.to_string(),
            "nats://h1:4222,h2:4222,h3:4333,[::1]:4334,10.0.0.1:4222/shop"
        );
        // A comma or an `@` in the credentials, unencoded: the last `@`
        // ends them.
        let t = Address::parse("tls://to,k@en@h1,h2:5/n", &no_env()).unwrap();
        assert_eq!(t.auth, Auth::Token("to,k@en".into()));
        assert_eq!(t.servers, ["h1:4222", "h2:5"]);
        assert_eq!(t.to_string(), "tls://h1:4222,h2:5/n");
        assert!(t.tls.scheme);
        // The same server twice is one; the scheme's case does not matter.
        let d = Address::parse("NATS://h:1,h:1/n", &no_env()).unwrap();
        assert_eq!(d.servers, ["h:1"]);
        assert_eq!(
            Address::parse("nats://[::1]/n", &no_env()).unwrap().servers,
            ["[::1]:4222"]
        );
    }

    #[test]
    fn a_bad_server_in_the_list_is_named_by_its_place() {
        let cases = [
            ("nats://h1:4222,/n", "no host (server 2 of 2)"),
            ("nats://,h2/n", "no host (server 1 of 2)"),
            ("nats://h1,h2:99999/n", "(server 2 of 2)"),
            ("nats://h1,h2:x/n", "(server 2 of 2)"),
            ("nats://h1:4222,nats://h2:4222/n", "give the scheme once"),
            ("nats://h1,tls://h2/n", "give the scheme once"),
            ("nats://h1,h2", "names no stream"),
            ("nats://h1,h2/", "names no stream"),
            ("nats://h1,h2/n?x", "one query, ?create=false"),
            ("nats://h1/n#x", "no fragment"),
            ("nats://u:p@/n", "no host"),
            ("nats:/h/n", "not a nats:// address"),
            ("h:4222/n", "not a nats:// address"),
            ("se cret://h/n", "not a nats:// address"),
            ("ws://h1,h2/n", "not ws://"),
        ];
        for (bad, says) in cases {
            let err = Address::parse(bad, &no_env()).unwrap_err().to_string();
            assert!(err.contains(says), "{bad}: {err}");
        }
        // Never a server's text, nor credentials cut short by a `/`.
        let err = Address::parse("nats://h1,se:cret/n", &no_env()).unwrap_err();
        assert!(!err.to_string().contains("cret"), "{err}");
        let err = Address::parse("nats://u:12/34@h/n", &no_env()).unwrap_err();
        assert!(!err.to_string().contains("34"), "{err}");
        assert!(err.to_string().contains("%2F"), "{err}");
        let err = Address::parse("nats://u:hunter2@h1,h2:x/n", &no_env()).unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }

    const CERT: &str = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    const KEY: &str = "-----BEGIN PRIVATE KEY-----\nS3CRETKEY\n-----END PRIVATE KEY-----\n";

    #[test]
    fn tls_scheme_and_files_require_tls() {
        let plain = Address::parse("nats://h:1/n", &no_env()).unwrap();
        assert_eq!(plain.tls, Tls::default());
        assert!(!plain.tls.required());
        let a = Address::parse("tls://u:hunter2@h:1/n", &no_env()).unwrap();
        assert!(a.tls.scheme && a.tls.required());
        assert_eq!(a.servers, ["h:1"]);
        assert_eq!(a.to_string(), "tls://h:1/n");
        assert_eq!(
            Address::parse("tls://h/n", &no_env()).unwrap().servers,
            ["h:4222"]
        );

        let dir = tempfile::tempdir().unwrap();
        let (ca, cert, key) = (
            dir.path().join("ca.pem"),
            dir.path().join("cert.pem"),
            dir.path().join("key.pem"),
        );
        std::fs::write(&ca, CERT).unwrap();
        std::fs::write(&cert, CERT).unwrap();
        std::fs::write(&key, KEY).unwrap();
        let env = Env {
            ca: Some(ca.clone()),
            cert: Some(cert.clone()),
            key: Some(key.clone()),
            ..no_env()
        };
        // A CA or a client certificate makes TLS required on nats:// too.
        let a = Address::parse("nats://h:1/n", &env).unwrap();
        assert!(!a.tls.scheme && a.tls.required());
        assert_eq!(a.tls.ca, Some(ca.clone()));
        assert_eq!(a.tls.client, Some((cert, key)));
        assert_eq!(a.to_string(), "nats://h:1/n");
        let only_ca = Env {
            ca: Some(ca),
            ..no_env()
        };
        let a = Address::parse("nats://h:1/n", &only_ca).unwrap();
        assert!(a.tls.required() && a.tls.client.is_none());
    }

    #[test]
    fn a_certificate_without_its_key_or_a_bad_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let cert = dir.path().join("cert.pem");
        let key = dir.path().join("key.pem");
        std::fs::write(&cert, CERT).unwrap();
        std::fs::write(&key, KEY).unwrap();
        let only_cert = Env {
            cert: Some(cert.clone()),
            ..no_env()
        };
        let err = Address::parse("tls://h:1/n", &only_cert).unwrap_err();
        assert!(err.to_string().contains("NATS_KEY is not"), "{err}");
        let only_key = Env {
            key: Some(key.clone()),
            ..no_env()
        };
        let err = Address::parse("tls://h:1/n", &only_key).unwrap_err();
        assert!(err.to_string().contains("NATS_CERT is not"), "{err}");

        let missing = dir.path().join("missing.pem");
        let env = Env {
            ca: Some(missing.clone()),
            ..no_env()
        };
        let err = Address::parse("tls://h:1/n", &env).unwrap_err().to_string();
        assert!(err.starts_with("NATS_CA names "), "{err}");
        assert!(err.contains(&missing.display().to_string()), "{err}");
        assert!(err.contains("cannot be read: no such file"), "{err}");

        let env = Env {
            ca: Some(dir.path().to_path_buf()),
            ..no_env()
        };
        let err = Address::parse("tls://h:1/n", &env).unwrap_err().to_string();
        assert!(err.contains("cannot be read"), "{err}");

        // Not PEM: a key given as the certificate, and the other way round;
        // a key's contents are never repeated.
        let swapped = Env {
            cert: Some(key.clone()),
            key: Some(cert.clone()),
            ..no_env()
        };
        let err = Address::parse("tls://h:1/n", &swapped)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("NATS_CERT names "), "{err}");
        assert!(err.contains("no PEM certificate"), "{err}");
        assert!(!err.contains("S3CRETKEY"), "{err}");
        let bad_key = Env {
            cert: Some(cert.clone()),
            key: Some(cert),
            ..no_env()
        };
        let err = Address::parse("tls://h:1/n", &bad_key)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("NATS_KEY names") && err.contains("no PEM private key"),
            "{err}"
        );

        // The URL is checked first, and other schemes are named.
        let err = Address::parse("ws://h:1/n", &no_env()).unwrap_err();
        assert!(err.to_string().contains("nats:// (or tls://"), "{err}");
    }

    #[test]
    fn tls_failures_say_what_to_set() {
        let dir = tempfile::tempdir().unwrap();
        let pem = dir.path().join("ca.pem");
        std::fs::write(&pem, CERT).unwrap();
        let bare = Address::parse("tls://h:1/n", &no_env()).unwrap();
        let unknown = "IO error: invalid peer certificate: UnknownIssuer";
        assert!(bare.tls_hint(unknown).contains("set NATS_CA"));
        let refused = "IO error: received fatal alert: BadCertificate";
        assert!(bare
            .tls_hint(refused)
            .contains("set NATS_CERT and NATS_KEY"));
        let plain = "IO error: received corrupt message of type InvalidContentType";
        assert!(bare.tls_hint(plain).contains("which tls:// requires"));
        assert_eq!(bare.tls_hint("authorization violation"), "");
        let with_ca = Env {
            ca: Some(pem),
            ..no_env()
        };
        let a = Address::parse("nats://h:1/n", &with_ca).unwrap();
        assert!(a.tls_hint(unknown).contains("the CA in NATS_CA"));
        assert!(a.tls_hint(plain).contains("which NATS_CA, NATS_CERT"));
        let plain_address = Address::parse("nats://h:1/n", &no_env()).unwrap();
        assert_eq!(plain_address.tls_hint(plain), "");
    }
}
