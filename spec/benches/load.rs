//! Loading into the model, next to the floor: parsing the same bytes into a
//! `serde_json::Value`, which every loader has to do at least.
//!
//! Run: `cargo bench -p specgate-spec --bench load`.

use std::io::Read;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// A corpus document, decompressed once before any timing.
fn corpus(path: &str) -> Vec<u8> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/corpus")
        .join(format!("{path}.gz"));
    let mut bytes = Vec::new();
    let read = std::fs::read(&file)
        .and_then(|gz| flate2::read::GzDecoder::new(gz.as_slice()).read_to_end(&mut bytes));
    if let Err(err) = read {
        eprintln!("{}: {err}", file.display());
        std::process::exit(2);
    }
    bytes
}

fn bench_document(c: &mut Criterion, name: &str, bytes: &[u8]) {
    let mut group = c.benchmark_group(name);
    group.sample_size(20);
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("serde_json::Value (floor)", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(bytes).map(drop))
    });
    group.bench_function("specgate_spec::Loader", |b| {
        b.iter(|| {
            specgate_spec::Loader::new()
                .load_bytes(name, bytes.to_vec(), None)
                .map(drop)
        })
    });
    group.finish();
}

fn load(c: &mut Criterion) {
    bench_document(c, "github", &corpus("github/api.github.com.json"));
    bench_document(c, "chatwoot", specgate_spec::CHATWOOT_DOCUMENT.as_bytes());
    bench_document(
        c,
        "kubernetes (swagger 2.0)",
        &corpus("kubernetes/swagger-1.13.json"),
    );
}

criterion_group!(benches, load);
criterion_main!(benches);
