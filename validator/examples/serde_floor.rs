//! The floor of `scripts/bench-speed.sh` built inside the
//! workspace: the same loop as `scripts/serde-floor`, with the serde_json
//! every specgate crate uses (`preserve_order`: maps keep the document's
//! order) and the system allocator. Usage: `serde_floor FILE`.

#[path = "../../scripts/serde-floor/src/main.rs"]
mod floor;

fn main() {
    floor::main();
}
