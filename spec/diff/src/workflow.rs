//! GitHub's escaping of workflow commands (`::error file=…::message`), for
//! the `github` report. The validator's reports escape the same way
//! (`specgate_validator::report::workflow_data`); the diff keeps its own
//! copy so that it depends on the model alone.

/// A workflow command's message: `%`, CR and LF escaped.
pub(crate) fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: also `:` and `,`.
pub(crate) fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}
