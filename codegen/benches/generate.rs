//! Generation time of the types and of the client (types included) of
//! GitHub's and Chatwoot's documents, the model loaded once beforehand; and
//! the whole build script on Chatwoot's document (load, generate, compare
//! with the file already in `OUT_DIR`), which runs on every build that
//! touches the document. Run: `cargo bench -p specgate-codegen`.

use std::io::Read;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};

fn corpus(path: &str) -> specgate_spec::Document {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/corpus")
        .join(format!("{path}.gz"));
    let mut bytes = Vec::new();
    let read = std::fs::read(&file)
        .and_then(|gz| flate2::read::GzDecoder::new(gz.as_slice()).read_to_end(&mut bytes));
    let loaded = read.map_err(|e| e.to_string()).and_then(|_| {
        specgate_spec::Loader::new()
            .load_bytes(path, bytes, None)
            .map_err(|e| e.to_string())
    });
    loaded.unwrap_or_else(|err| {
        eprintln!("{}: {err}", file.display());
        std::process::exit(2)
    })
}

fn generate(c: &mut Criterion) {
    let options = specgate_codegen::Options::default();
    let mut group = c.benchmark_group("generate_types");
    group.sample_size(10);
    let github = corpus("github/api.github.com.json");
    group.bench_function("github", |b| {
        b.iter(|| specgate_codegen::generate_types(&github, &options))
    });
    let chatwoot = corpus("chatwoot/swagger.json");
    group.bench_function("chatwoot", |b| {
        b.iter(|| specgate_codegen::generate_types(&chatwoot, &options))
    });
    group.finish();

    let mut group = c.benchmark_group("generate_client");
    group.sample_size(10);
    group.bench_function("github", |b| {
        b.iter(|| specgate_codegen::generate_client(&github, &options))
    });
    group.bench_function("chatwoot", |b| {
        b.iter(|| specgate_codegen::generate_client(&chatwoot, &options))
    });
    group.finish();

    let document = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi/chatwoot.json");
    let out_dir = std::env::temp_dir().join(format!("specgate-bench-{}", std::process::id()));
    if std::fs::create_dir_all(&out_dir).is_err() {
        return;
    }
    let build = specgate_codegen::build::Build::new(document)
        .out_file("chatwoot.rs")
        .out_dir(&out_dir)
        .cargo_instructions(false);
    let mut group = c.benchmark_group("build_script");
    group.sample_size(20);
    group.bench_function("chatwoot", |b| b.iter(|| build.generate().is_ok()));
    group.finish();
    let _ = std::fs::remove_dir_all(&out_dir);
}

criterion_group!(benches, generate);
criterion_main!(benches);
