//! The build-script API: what it writes, what it tells cargo to watch, and
//! how a broken document fails the build.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use specgate_codegen::build::Build;

const ROOT: &str = "openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: A pet
          content:
            application/json:
              schema: {$ref: 'schemas/pet.yaml'}
";

const PET: &str = "type: object
required: [name]
properties:
  name: {type: string}
";

#[test]
fn writes_the_client_and_watches_every_file_of_the_document() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("schemas")).unwrap();
    std::fs::write(dir.path().join("openapi.yaml"), ROOT).unwrap();
    std::fs::write(dir.path().join("schemas/pet.yaml"), PET).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();

    let build = Build::new(dir.path().join("openapi.yaml"))
        .out_file("pets.rs")
        .out_dir(&out)
        .cargo_instructions(false);
    let generated = build.generate().unwrap();
    assert_eq!(generated.file, out.join("pets.rs"));
    let code = std::fs::read_to_string(&generated.file).unwrap();
    assert!(code.contains("pub mod types {"), "{code}");
    assert!(code.contains("pub fn get_pet(&self, id: i64)"), "{code}");
    let watched: Vec<String> = generated
        .watched
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(watched, ["openapi.yaml", "pet.yaml"]);

    // Unchanged output is not rewritten, so the including crate does not
    // recompile.
    let before = std::fs::metadata(&generated.file)
        .unwrap()
        .modified()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    build.generate().unwrap();
    let after = std::fs::metadata(&generated.file)
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);
}

#[test]
fn a_broken_document_fails_with_the_command_line_message() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("openapi.yaml"),
        ROOT.replace("schemas/pet.yaml", "schemas/missing.yaml"),
    )
    .unwrap();
    let error = Build::new(dir.path().join("openapi.yaml"))
        .out_dir(dir.path())
        .cargo_instructions(false)
        .generate()
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("error: "), "{error}");
    assert!(error.contains("openapi.yaml:14"), "{error}");
    assert!(error.contains("missing.yaml"), "{error}");
}

#[test]
fn outside_a_build_script_it_asks_for_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("openapi.yaml"), ROOT).unwrap();
    std::fs::create_dir_all(dir.path().join("schemas")).unwrap();
    std::fs::write(dir.path().join("schemas/pet.yaml"), PET).unwrap();
    if std::env::var_os("OUT_DIR").is_some() {
        return;
    }
    let error = Build::new(dir.path().join("openapi.yaml"))
        .cargo_instructions(false)
        .generate()
        .unwrap_err()
        .to_string();
    assert!(error.contains("OUT_DIR is not set"), "{error}");
}
