//! What the pool's tests (`pool.rs`, `pool_tls.rs`, `pool_cluster.rs`)
//! share: finding `nats-server`, running specgate without the caller's
//! NATS variables, and bounded waits.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// `NATS_SERVER`, or Debian's (in /usr/sbin, which a user's PATH may
/// lack), or whatever `nats-server` the PATH finds.
pub fn server_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("NATS_SERVER") {
        return path.into();
    }
    let debian = Path::new("/usr/sbin/nats-server");
    if debian.exists() {
        return debian.to_path_buf();
    }
    "nats-server".into()
}

/// Ports free now, all different; taken by the servers a moment later.
pub fn free_ports(count: usize) -> Vec<u16> {
    let listeners: Vec<TcpListener> = (0..count)
        .map(|_| TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    listeners
        .iter()
        .map(|l| l.local_addr().unwrap().port())
        .collect()
}

/// A port free now.
pub fn free_port() -> u16 {
    free_ports(1)[0]
}

/// Waits, at most 10 s, until something listens on `port`.
pub fn wait_for(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nothing listens on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// specgate, with none of the caller's NATS variables; a worker that dies
/// holds its exchanges 1 s.
pub fn specgate() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_specgate"));
    command.env("SPECGATE_NATS_ACK_WAIT", "1");
    for name in [
        "NATS_USER",
        "NATS_PASSWORD",
        "NATS_TOKEN",
        "NATS_CA",
        "NATS_CERT",
        "NATS_KEY",
    ] {
        command.env_remove(name);
    }
    command
}

/// Runs a command to its end, within a minute (its output read as it
/// comes, so a long report never fills the pipe).
pub fn run(command: &mut Command) -> Output {
    let child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait(child, command)
}

/// Waits for a child, within a minute, killing it past that.
pub fn wait(child: Child, what: &dyn std::fmt::Debug) -> Output {
    let pid = child.id();
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || done.send(child.wait_with_output()));
    match finished.recv_timeout(Duration::from_secs(60)) {
        Ok(output) => output.unwrap(),
        Err(_) => {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("{what:?} took over a minute");
        }
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Standard output as JSON, or a panic that shows both outputs.
pub fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", text(&output.stdout), text(&output.stderr)))
}
