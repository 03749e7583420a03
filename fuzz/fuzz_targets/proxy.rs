//! Arbitrary bytes from a client through a running proxy to an upstream
//! that counts the request heads it receives. The proxy may refuse what it
//! cannot read, never turn one request into two: the upstream never
//! receives more request heads than the client's bytes hold (each head
//! ends in an empty line), and every success the client gets comes from
//! the one upstream configured (its answers carry a mark). Nothing may
//! panic or hang.
#![no_main]

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, OnceLock};
use std::time::Duration;

use libfuzzer_sys::fuzz_target;

/// Request heads the upstream has received, over the whole run.
static HEADS: AtomicUsize = AtomicUsize::new(0);

/// The upstream's answer to every request head: marked as its own.
const ANSWER: &[u8] = b"HTTP/1.1 200 OK\r\nx-fuzz-upstream: 1\r\ncontent-length: 2\r\n\r\nok";

/// Starts the counting upstream; its address.
fn upstream() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream));
        }
    });
    address
}

/// Counts each request head on a connection and answers it, reading its
/// body as the proxy framed it (a length, or chunks).
fn serve(mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut input = Input {
        stream: &mut stream,
        buffer: Vec::new(),
    };
    while let Some((head, length, chunked)) = input.head() {
        input.buffer.drain(..head);
        HEADS.fetch_add(1, Ordering::SeqCst);
        let whole = if chunked {
            input.chunks()
        } else {
            input.take(length)
        };
        if !whole || input.stream.write_all(ANSWER).is_err() {
            return;
        }
    }
}

/// A connection's bytes, read as needed.
struct Input<'a> {
    stream: &'a mut TcpStream,
    buffer: Vec<u8>,
}

impl Input<'_> {
    /// Reads more; false at the end.
    fn more(&mut self) -> bool {
        let mut chunk = [0u8; 4096];
        match self.stream.read(&mut chunk) {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                self.buffer.extend_from_slice(&chunk[..n]);
                true
            }
        }
    }

    /// The next request head: its length, the body's length, whether the
    /// body is chunked.
    fn head(&mut self) -> Option<(usize, usize, bool)> {
        loop {
            let mut headers = [httparse::EMPTY_HEADER; 64];
            let mut request = httparse::Request::new(&mut headers);
            match request.parse(&self.buffer) {
                Ok(httparse::Status::Complete(head)) => {
                    let value = |name: &str| {
                        request
                            .headers
                            .iter()
                            .find(|h| h.name.eq_ignore_ascii_case(name))
                            .and_then(|h| std::str::from_utf8(h.value).ok())
                            .map(str::trim)
                    };
                    let length = value("content-length").and_then(|v| v.parse().ok());
                    let chunked = value("transfer-encoding").is_some();
                    return Some((head, length.unwrap_or(0), chunked));
                }
                Ok(httparse::Status::Partial) if self.more() => {}
                _ => return None,
            }
        }
    }

    /// Consumes `length` bytes; false when the connection ends first.
    fn take(&mut self, length: usize) -> bool {
        while self.buffer.len() < length {
            if !self.more() {
                return false;
            }
        }
        self.buffer.drain(..length);
        true
    }

    /// Consumes a line; false when the connection ends first.
    fn line(&mut self) -> Option<Vec<u8>> {
        loop {
            if let Some(end) = self.buffer.windows(2).position(|w| w == b"\r\n") {
                let line = self.buffer[..end].to_vec();
                self.buffer.drain(..end + 2);
                return Some(line);
            }
            if !self.more() {
                return None;
            }
        }
    }

    /// Consumes a chunked body; false when it is cut short or malformed.
    fn chunks(&mut self) -> bool {
        loop {
            let Some(line) = self.line() else {
                return false;
            };
            let size = String::from_utf8_lossy(&line);
            let size = size.split(';').next().unwrap_or_default().trim();
            let Ok(size) = usize::from_str_radix(size, 16) else {
                return false;
            };
            if size == 0 {
                // Trailers, up to the empty line.
                loop {
                    match self.line() {
                        Some(line) if line.is_empty() => return true,
                        Some(_) => {}
                        None => return false,
                    }
                }
            }
            if !self.take(size) || self.line().is_none_or(|end| !end.is_empty()) {
                return false;
            }
        }
    }
}

/// The proxy, started once, in front of the counting upstream.
fn proxy() -> SocketAddr {
    static PROXY: OnceLock<SocketAddr> = OnceLock::new();
    *PROXY.get_or_init(|| {
        let upstream = upstream();
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let document: &'static specgate_spec::Document = Box::leak(Box::new(
                specgate_spec::chatwoot().expect("the embedded document"),
            ));
            let validator = specgate_validator::Validator::new(document).expect("its validator");
            let url = url::Url::parse(&format!("http://{upstream}/api")).expect("a URL");
            let mut options = specgate_live::proxy::Options::new(url);
            options.listen = SocketAddr::from(([127, 0, 0, 1], 0));
            options.print_findings = false;
            options.timeout = Duration::from_secs(5);
            let sender = Arc::new(sender);
            let _ = specgate_live::proxy::run(
                &validator,
                &options,
                move |listening| {
                    let _ = sender.send(listening.proxy);
                },
                std::future::pending::<()>(),
            );
        });
        receiver
            .recv_timeout(Duration::from_secs(60))
            .expect("the proxy listens")
    })
}

/// The upstream's count once it has stopped moving: a request an earlier
/// input left in flight is counted before this one starts.
fn settled() -> usize {
    let mut last = HEADS.load(Ordering::SeqCst);
    for _ in 0..100 {
        std::thread::sleep(Duration::from_millis(15));
        let now = HEADS.load(Ordering::SeqCst);
        if now == last {
            return now;
        }
        last = now;
    }
    last
}

fuzz_target!(|data: &[u8]| {
    let address = proxy();
    let before = settled();
    let Ok(mut stream) = TcpStream::connect(address) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.write_all(data);
    let _ = stream.shutdown(Shutdown::Write);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let forwarded = settled() - before;
    // A head ends in an empty line, after `\r\n` or a bare `\n`.
    let sent = data.windows(3).filter(|w| *w == b"\n\r\n").count()
        + data.windows(2).filter(|w| *w == b"\n\n").count();
    assert!(
        forwarded <= sent,
        "the upstream received {forwarded} request heads from bytes holding at most {sent}: {:?}",
        String::from_utf8_lossy(data)
    );
    // Every success the client got is the upstream's own.
    let text = format!(
        "\r\n{}",
        String::from_utf8_lossy(&answer).to_ascii_lowercase()
    );
    for response in text.split("\r\nhttp/1.1 ").skip(1) {
        if response.starts_with('2') {
            let head = response.split("\r\n\r\n").next().unwrap_or_default();
            assert!(
                head.contains("x-fuzz-upstream: 1"),
                "a success from elsewhere: {response:?}"
            );
        }
    }
});
