//! `nats://[USER[:PASSWORD]@|TOKEN@]HOST:PORT/NAME`: where the pool is, its
//! name, and the credentials, which never appear in anything shown.

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
    /// `host:port`, as the client connects to it.
    pub server: String,
    /// The pool's name: the stream, and the root of every other name.
    pub name: String,
    pub auth: Auth,
}

/// The environment a pool address falls back on for credentials.
pub struct Env {
    pub user: Option<String>,
    pub password: Option<String>,
    pub token: Option<String>,
}

impl Env {
    /// `NATS_USER`, `NATS_PASSWORD`, `NATS_TOKEN`.
    pub fn from_process() -> Env {
        let var = |name| std::env::var(name).ok().filter(|v| !v.is_empty());
        Env {
            user: var("NATS_USER"),
            password: var("NATS_PASSWORD"),
            token: var("NATS_TOKEN"),
        }
    }
}

/// The default client port.
const DEFAULT_PORT: u16 = 4222;

impl Address {
    /// Parses an address; credentials in the URL win over the environment.
    /// Errors never repeat the URL, which may hold a secret.
    pub fn parse(text: &str, env: &Env) -> Result<Address, Error> {
        let url = url::Url::parse(text)
            .map_err(|err| Error::new(format!("not a nats:// address ({err})")))?;
        if url.scheme() != "nats" {
            return Err(Error::new(format!(
                "the address must start with nats://, not {}://",
                url.scheme()
            )));
        }
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| Error::new("the nats:// address has no host"))?;
        let port = url.port().unwrap_or(DEFAULT_PORT);
        let name = url.path().trim_start_matches('/');
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::new(
                "the nats:// address takes no query or fragment: nats://HOST:PORT/NAME",
            ));
        }
        check_name(name)?;
        let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
        let user = decode(url.username());
        let password = url.password().map(decode);
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
        Ok(Address {
            server: format!("{host}:{port}"),
            name: name.to_owned(),
            auth,
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

impl std::fmt::Display for Address {
    /// The address without its credentials.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "nats://{}/{}", self.server, self.name)
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
        }
    }

    #[test]
    fn reads_host_port_name_and_credentials() {
        let a = Address::parse("nats://u:p%40ss@127.0.0.1:4333/orders", &no_env()).unwrap();
        assert_eq!(a.server, "127.0.0.1:4333");
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
        assert_eq!(t.server, "localhost:4222");
        assert_eq!(t.redact("bad token s3cret"), "bad token [REDACTED]");
    }

    #[test]
    fn the_environment_fills_in_missing_credentials() {
        let env = Env {
            user: Some("u".into()),
            password: Some("p".into()),
            token: Some("t".into()),
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
}
