//! The HTTP client both commands send with: HTTP/1.1 over TCP, or TLS
//! with the operating system's certificate store; connections kept alive
//! and reused.

use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

/// A client for request bodies of type `B`.
pub(crate) type Upstream<B> = Client<hyper_rustls::HttpsConnector<HttpConnector>, B>;

/// A client; fails only when the TLS configuration cannot be built.
pub(crate) fn client<B>() -> Result<Upstream<B>, String>
where
    B: http_body::Body + Send + 'static,
    B::Data: Send,
{
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|builder| builder.with_platform_verifier())
        .map_err(|err| format!("cannot set up TLS: {err}"))?
        .with_no_client_auth();
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    http.set_nodelay(true);
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .wrap_connector(http);
    Ok(Client::builder(TokioExecutor::new())
        // Requests are forwarded as they came: no header is set for them.
        .set_host(false)
        // Bodies are read in 64 KB frames: each frame is one write to the
        // client, and hyper's default of 8 KB made a 44 KB page six.
        .http1_read_buf_exact_size(64 * 1024)
        .build(connector))
}
