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

/// The first value of a header, by case-insensitive name.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}
