//! Serves the example through the layer, for `scripts/bench-layer.sh`:
//! `chatwoot-service ADDR none|report|enforce`.

use std::process::ExitCode;

use chatwoot_service::{chatwoot_validator, App};
use specgate_tower::{Mode, SpecgateLayer};

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let address = args.next().unwrap_or_else(|| "127.0.0.1:8080".into());
    let mode = args.next().unwrap_or_else(|| "report".into());
    let layer = match mode.as_str() {
        "none" => None,
        "report" | "enforce" => {
            let validator = match chatwoot_validator() {
                Ok(validator) => validator,
                Err(err) => {
                    eprintln!("chatwoot-service: {err}");
                    return ExitCode::from(2);
                }
            };
            let (requests, responses) = if mode == "enforce" {
                (Mode::Enforce, Mode::Enforce)
            } else {
                (Mode::Report, Mode::Report)
            };
            // Findings go to `tracing`, which has no subscriber here.
            Some(
                SpecgateLayer::new(validator)
                    .requests(requests)
                    .responses(responses),
            )
        }
        other => {
            eprintln!("chatwoot-service: the mode is none, report or enforce, not {other:?}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(&address).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("chatwoot-service: cannot listen on {address}: {err}");
            return ExitCode::from(2);
        }
    };
    let app = App::new().router(layer);
    eprintln!("chatwoot-service: listening on http://{address} ({mode})");
    match axum::serve(listener, app).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("chatwoot-service: {err}");
            ExitCode::from(1)
        }
    }
}
