//! Generates the Chatwoot client from the document specgate embeds, the way
//! a user's build script would.

fn main() {
    specgate_codegen::build::Build::new("../../spec/openapi/chatwoot.json")
        .out_file("chatwoot.rs")
        .run();
}
