//! Where a request went: its path (a scope's prefix taken off), its query
//! pairs, and the request line a report shows, secrets redacted.

use super::Validator;

/// Where a request went, as the checks need it.
pub(super) struct Target {
    /// Still percent-encoded, so an encoded `/` stays inside its segment.
    pub(super) path: String,
    /// Decoded.
    pub(super) query: Vec<(String, String)>,
    /// Path and query, secret values redacted.
    pub(super) shown: String,
}

impl Validator<'_> {
    /// The target of a recorded URL (absolute, or a path with its query);
    /// `None` when the run is scoped and the request was sent elsewhere.
    pub(super) fn target(&self, raw: &str) -> Option<Target> {
        let relative = raw.starts_with('/');
        let parsed = if relative {
            url::Url::parse("http://recorded.invalid").and_then(|base| base.join(raw))
        } else {
            url::Url::parse(raw)
        };
        let Ok(url) = parsed else {
            if !self.scope.is_empty() {
                return None;
            }
            let path = raw.split('?').next().unwrap_or_default().to_owned();
            return Some(Target {
                shown: shortened(self.redactor.url(raw)),
                path,
                query: Vec::new(),
            });
        };
        let mut path = url.path();
        if !self.scope.is_empty() {
            path = self.scope.iter().find_map(|base| {
                let same_origin = relative
                    || (base.scheme() == url.scheme()
                        && base.host_str() == url.host_str()
                        && base.port_or_known_default() == url.port_or_known_default());
                let prefix = base.path().trim_end_matches('/');
                let rest = path.strip_prefix(prefix)?;
                (same_origin && (rest.is_empty() || rest.starts_with('/'))).then_some(rest)
            })?;
        }
        let shown = match url.query() {
            Some(query) => self.redactor.url(&format!("{}?{query}", url.path())),
            None => url.path().to_owned(),
        };
        Some(Target {
            path: path.to_owned(),
            query: url.query_pairs().into_owned().collect(),
            shown: shortened(shown),
        })
    }
}

/// The longest request line a finding shows: a 64 KB query says no more
/// than its start does, once per finding.
const MAX_SHOWN: usize = 1000;

fn shortened(shown: String) -> String {
    match shown.char_indices().nth(MAX_SHOWN) {
        Some((cut, _)) => format!("{}…", &shown[..cut]),
        None => shown,
    }
}
