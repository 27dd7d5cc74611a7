//! The theme's partials (`templates/_*.html`): policyhub writes the default ones in Rust, and a
//! hub's own through Tera. Whole hubs built both ways must be the same, byte for byte.

mod common;

use common::TempHub;
use policyhub::render::default_templates;

/// Builds `hub`, then again with every partial changed in a way Tera does not show (a comment
/// in front), which makes policyhub render them through Tera: the outputs must be equal.
fn assert_rust_writes_what_tera_writes(hub: &TempHub, name: &str) {
    let (ok, _, stderr) = hub.build();
    assert!(ok, "{name}: {stderr}");
    let in_rust = hub.output_snapshot();
    let mut partials = 0;
    for (template, bytes) in default_templates() {
        if template.starts_with('_') {
            let text = String::from_utf8(bytes.to_vec()).unwrap();
            hub.write(&format!("templates/{template}"), format!("{{# through Tera #}}{text}"));
            partials += 1;
        }
    }
    assert!(partials >= 6, "{partials} partials");
    let (ok, _, stderr) = hub.build();
    assert!(ok, "{name}: {stderr}");
    let by_tera = hub.output_snapshot();
    assert_eq!(in_rust.len(), by_tera.len(), "{name}: the same files");
    for ((path, rust), (_, tera)) in in_rust.iter().zip(&by_tera) {
        assert!(
            rust == tera,
            "{name}: {path} differs:\n--- in Rust\n{}\n--- by Tera\n{}",
            String::from_utf8_lossy(rust),
            String::from_utf8_lossy(tera)
        );
    }
}

#[test]
fn the_repository_hub_is_the_same_with_its_partials_rendered_by_tera() {
    assert_rust_writes_what_tera_writes(&TempHub::repository(), "repository");
}

#[test]
fn the_fixture_hubs_are_the_same_with_their_partials_rendered_by_tera() {
    for name in [
        "basic",
        "hostile",
        "pending",
        "history",
        "fidelity",
        "real-extract",
        "export-ota",
    ] {
        assert_rust_writes_what_tera_writes(&TempHub::fixture(name), name);
    }
}
