//! The README's Rust snippets are the crate's doc tests: each one must stand, as it is, in
//! `templates/README.md`, whose snippets `cargo test` compiles.

const README: &str = include_str!("../../README.md");
const CRATE_README: &str = include_str!("../../templates/README.md");

fn rust_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in text.lines() {
        match (&mut current, line.trim_start().strip_prefix("```")) {
            (None, Some(lang)) if lang.starts_with("rust") => current = Some(Vec::new()),
            (Some(lines), Some(_)) => {
                blocks.push(lines.join("\n"));
                current = None;
            }
            (Some(lines), None) => lines.push(line),
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn readme_snippets_are_the_compiled_ones() {
    let compiled = rust_blocks(CRATE_README);
    let shown = rust_blocks(README);
    assert!(
        shown.len() >= 5,
        "the README shows the operations, errors, a task wait and the download"
    );
    for block in &shown {
        assert!(
            compiled.contains(block),
            "README.md has a snippet that templates/README.md lacks:\n{block}"
        );
    }
}
