//! Bodies recorded as they travelled: a `Content-Encoding` of `gzip`,
//! `deflate`, `br` or `zstd` is undone before the body is read (HAR files hold decoded
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
            "br" => Cow::Owned(read_all(
                brotli_decompressor::Decompressor::new(&body[..], 64 * 1024),
                &coding,
            )?),
            "zstd" => {
                let decoder = ruzstd::decoding::StreamingDecoder::new(&body[..]).map_err(|e| {
                    format!("the body claims `zstd` encoding and cannot be decoded: {e}")
                })?;
                Cow::Owned(read_all(decoder, &coding)?)
            }
            other => {
                return Err(format!(
                    "the body is `{other}`-encoded, which specgate does not decode (gzip, deflate, br and zstd only)"
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

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"data":{"meta":{"mine_count":1}}}"#;

    fn encoded(coding: &str, bytes: &[u8]) -> Result<Vec<u8>, String> {
        let headers = vec![("Content-Encoding".to_owned(), coding.to_owned())];
        decoded(&headers, bytes).map(Cow::into_owned)
    }

    #[test]
    fn brotli_and_zstd_bodies_are_decoded_as_browsers_and_proxies_receive_them() {
        // Written by Python's `brotli` and the `zstd` command.
        let br = [
            139, 16, 128, 123, 34, 100, 97, 116, 97, 34, 58, 123, 34, 109, 101, 116, 97, 34, 58,
            123, 34, 109, 105, 110, 101, 95, 99, 111, 117, 110, 116, 34, 58, 49, 125, 125, 125, 3,
        ];
        let zstd = [
            40, 181, 47, 253, 36, 34, 17, 1, 0, 123, 34, 100, 97, 116, 97, 34, 58, 123, 34, 109,
            101, 116, 97, 34, 58, 123, 34, 109, 105, 110, 101, 95, 99, 111, 117, 110, 116, 34, 58,
            49, 125, 125, 125, 168, 204, 148, 172,
        ];
        assert_eq!(encoded("br", &br).as_deref(), Ok(BODY));
        assert_eq!(encoded("zstd", &zstd).as_deref(), Ok(BODY));
        assert!(encoded("br", b"not brotli at all").is_err());
        let refused = encoded("zstd", b"nope").expect_err("not zstd");
        assert!(refused.contains("`zstd`"), "{refused}");
        let unknown = encoded("compress", BODY).expect_err("not decoded");
        assert!(
            unknown.contains("gzip, deflate, br and zstd only"),
            "{unknown}"
        );
    }
}
