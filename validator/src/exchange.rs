//! One recorded HTTP exchange, whatever format it came in.

/// A request and, when one was recorded, its response.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    /// Where it was read: the file, or `<stdin>`.
    pub source: String,
    /// Its 0-based index in the source: the line for JSON Lines (malformed
    /// lines counted), the entry for HAR.
    pub entry: usize,
    /// What was sent.
    pub request: Request,
    /// What came back.
    pub response: Response,
}

/// A recorded request.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// As recorded, upper-cased.
    pub method: String,
    /// Absolute (`https://app.chatwoot.com/api/v1/...`) or a path with its
    /// query (`/api/v1/...?page=2`).
    pub url: String,
    /// Name and value, in the order sent; names in any case.
    pub headers: Vec<(String, String)>,
    /// The body's bytes, when there was one.
    pub body: Option<Vec<u8>>,
}

/// A recorded response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Name and value, in the order sent; names in any case.
    pub headers: Vec<(String, String)>,
    /// The body's bytes as recorded (a `Content-Encoding` not yet undone),
    /// or `None` when the recording kept no body.
    pub body: Option<Vec<u8>>,
}

/// The pairs of a `Cookie` header (RFC 6265: `name=value; name2=value2`),
/// a value's optional double quotes taken off; malformed pairs skipped.
pub(crate) fn cookies(header: &str) -> Vec<(&str, &str)> {
    header
        .split(';')
        .filter_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value);
            let name = name.trim();
            (!name.is_empty()).then_some((name, value))
        })
        .collect()
}

/// The value of a cookie, from any `Cookie` header (HTTP/2 clients send
/// one per cookie).
pub fn cookie<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("cookie"))
        .flat_map(|(_, value)| cookies(value))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
}

/// The first value of a header, by case-insensitive name.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}
