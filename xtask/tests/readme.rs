//! The README's snippets are the crate's doc tests: each Rust one must stand in
//! `templates/README.md` (whose snippets `cargo test` compiles) as it is there less its
//! hidden lines (`# ...`, which a forge would show as code), and each shell one as it is.

const README: &str = include_str!("../../README.md");
const CRATE_README: &str = include_str!("../../templates/README.md");

fn blocks(text: &str, language: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in text.lines() {
        match (&mut current, line.trim_start().strip_prefix("```")) {
            (None, Some(lang)) if lang.starts_with(language) => current = Some(Vec::new()),
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

/// A doc test as a reader sees it: without the lines rustdoc hides.
fn shown(block: &str) -> String {
    block
        .lines()
        .filter(|line| {
            let line = line.trim_start();
            line != "#" && !line.starts_with("# ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn readme_snippets_are_the_compiled_ones() {
    let compiled: Vec<String> = blocks(CRATE_README, "rust")
        .iter()
        .map(|b| shown(b))
        .collect();
    let shown_here = blocks(README, "rust");
    assert!(
        shown_here.len() >= 5,
        "the README shows the operations, errors, a task wait and the download"
    );
    for block in &shown_here {
        assert!(
            compiled.contains(block),
            "README.md has a snippet that templates/README.md lacks:\n{block}"
        );
    }
    let commands = blocks(CRATE_README, "sh");
    for block in blocks(README, "sh")
        .iter()
        .filter(|b| b.contains("--example"))
    {
        assert!(
            commands.contains(block),
            "README.md has commands that templates/README.md lacks:\n{block}"
        );
    }
}

#[test]
fn the_readme_shows_no_hidden_lines() {
    for block in blocks(README, "rust") {
        assert_eq!(shown(&block), block, "a hidden line shows in README.md");
    }
}

#[test]
fn the_readme_says_how_to_use_the_crate_before_how_to_maintain_it() {
    let use_it = README
        .find("\n## Use the crate")
        .expect("a Use the crate section");
    let maintain = README
        .find("\n## Maintain the generator")
        .expect("a Maintain the generator section");
    assert!(use_it < maintain);
}
