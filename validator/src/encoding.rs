//! Bodies recorded as they travelled: a `Content-Encoding` of `gzip` or
//! `deflate` is undone before the body is read (HAR files hold decoded
//! text, but raw captures and proxies may keep the bytes on the wire).

use std::borrow::Cow;
use std::io::Read;

use crate::exchange::header;

/// Decoded bodies larger than this are refused: a few kilobytes of gzip
/// can claim gigabytes.
const MAX_DECODED: u64 = 256 * 1024 * 1024;

/// The body with its content codings undone (last applied, first undone),
/// or why it cannot be.
pub fn decoded<'b>(headers: &[(String, String)], body: &'b [u8]) -> Result<Cow<'b, [u8]>, String> {
    let Some(codings) = header(headers, "content-encoding") else {
        return Ok(Cow::Borrowed(body));
    };
    let mut body = Cow::Borrowed(body);
    for coding in codings.rsplit(',').map(str::trim) {
        let coding = coding.to_ascii_lowercase();
        body = match coding.as_str() {
            "" | "identity" => body,
            "gzip" | "x-gzip" => {
                Cow::Owned(read_all(flate2::read::MultiGzDecoder::new(&body[..]), &coding)?)
            }
            // `deflate` is zlib-wrapped, though some servers send it raw.
            "deflate" => match read_all(flate2::read::ZlibDecoder::new(&body[..]), &coding) {
                Ok(bytes) => Cow::Owned(bytes),
                Err(_) => Cow::Owned(read_all(flate2::read::DeflateDecoder::new(&body[..]), &coding)?),
            },
            other => {
                return Err(format!(
                    "the body is `{other}`-encoded, which specgate does not decode (gzip and deflate only)"
                ))
            }
        };
    }
    Ok(body)
}

fn read_all(reader: impl Read, coding: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let read = reader
        .take(MAX_DECODED + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("the body claims `{coding}` encoding and cannot be decoded: {e}"))?;
    if read as u64 > MAX_DECODED {
        return Err(format!(
            "the body decodes to more than {} MiB",
            MAX_DECODED / 1024 / 1024
        ));
    }
    Ok(bytes)
}
