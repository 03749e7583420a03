//! A copy of a body as it streams past, up to a limit: what validation
//! reads. Past the limit the copy is dropped and only counted, so a huge
//! download streams through without being held in memory.

/// The bytes seen so far, or only their count once past the limit.
#[derive(Debug)]
pub(crate) struct Capture {
    bytes: Vec<u8>,
    limit: usize,
    seen: u64,
    over: bool,
    /// Whether the body broke off with an error (a malformed chunk).
    failed: bool,
}

/// A body larger than the limit: passed on, not kept.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct TooLarge;

impl Capture {
    pub(crate) fn new(limit: usize) -> Self {
        Capture {
            bytes: Vec::new(),
            limit,
            seen: 0,
            over: false,
            failed: false,
        }
    }

    /// Notes that the body broke off with an error.
    pub(crate) fn fail(&mut self) {
        self.failed = true;
    }

    /// Whether the body broke off with an error.
    pub(crate) fn failed(&self) -> bool {
        self.failed
    }

    pub(crate) fn push(&mut self, data: &[u8]) {
        self.seen += data.len() as u64;
        if self.over {
            return;
        }
        if self.bytes.len() + data.len() > self.limit {
            self.over = true;
            self.bytes = Vec::new();
        } else {
            self.bytes.extend_from_slice(data);
        }
    }

    /// The body: `None` when there was none.
    pub(crate) fn into_body(self) -> Result<Option<Vec<u8>>, TooLarge> {
        match (self.over, self.seen) {
            (true, _) => Err(TooLarge),
            (false, 0) => Ok(None),
            (false, _) => Ok(Some(self.bytes)),
        }
    }

    /// Takes what was captured, leaving an empty capture.
    pub(crate) fn take(&mut self) -> Capture {
        std::mem::replace(self, Capture::new(self.limit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_kept_up_to_the_limit_and_only_counted_past_it() {
        let mut small = Capture::new(8);
        small.push(b"abcd");
        small.push(b"efgh");
        assert_eq!(small.into_body(), Ok(Some(b"abcdefgh".to_vec())));
        let mut large = Capture::new(8);
        large.push(b"abcd");
        large.push(b"efghi");
        large.push(b"j");
        assert_eq!(large.bytes.capacity(), 0, "the copy is freed");
        assert_eq!(large.into_body(), Err(TooLarge));
        assert_eq!(Capture::new(8).into_body(), Ok(None));
    }
}
