//! Spec descriptions -> `///` doc comments that rustdoc accepts without warnings.
//!
//! VMware's descriptions are Markdown-ish prose with bare URLs, `<value>` placeholders
//! and the odd `[x]`; rustdoc would read those as HTML tags and broken links. Text
//! inside backticks is left alone.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Docs;

/// `#[doc = ...]` lines for an item, with the "Since" line, and `#[deprecated]` when due.
pub fn doc_attrs(docs: &Docs) -> TokenStream {
    let lines = doc_lines(docs);
    let deprecated = docs.deprecated.as_ref().map(|note| {
        if note.is_empty() {
            quote!(#[deprecated])
        } else {
            quote!(#[deprecated(note = #note)])
        }
    });
    quote! { #(#[doc = #lines])* #deprecated }
}

/// Inner docs (`//!`) for a module; `#[deprecated]` has no effect on modules, so a
/// deprecation is said in words.
pub fn inner_doc_attrs(docs: &Docs) -> TokenStream {
    let mut lines = doc_lines(docs);
    if let Some(note) = docs.deprecated.as_deref().filter(|n| !n.is_empty()) {
        let rest = note.strip_prefix("deprecated ").unwrap_or(note);
        lines.insert(0, format!(" **Deprecated** {rest}."));
        if lines.len() > 1 {
            lines.insert(1, String::new());
        }
    }
    quote! { #(#![doc = #lines])* }
}

fn doc_lines(docs: &Docs) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut in_fence = false;
    for line in docs.text.lines() {
        // Leading spaces would make an indented code block, which rustdoc compiles as a test.
        let trimmed = line.trim();
        // A fenced block of the spec is shown as text: spec text never becomes a doc test
        // that runs.
        if trimmed.starts_with("```") {
            let line = if in_fence { "```" } else { "```text" };
            in_fence = !in_fence;
            lines.push(format!(" {line}"));
            continue;
        }
        if in_fence {
            lines.push(format!(" {trimmed}").trim_end().to_owned());
            continue;
        }
        let line = sanitize(trimmed);
        if line.is_empty() && lines.last().is_none_or(|l| l.trim().is_empty()) {
            continue;
        }
        lines.push(format!(" {line}").trim_end().to_owned());
    }
    if in_fence {
        lines.push(" ```".to_owned());
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    if let Some(since) = &docs.since {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(format!(" Since vSphere API {since}."));
    }
    lines
}

/// One line of prose for a doc comment, made safe for rustdoc.
pub fn prose(line: &str) -> String {
    sanitize(line.trim())
}

/// Escapes what rustdoc would misread, outside code spans. A backtick without its pair
/// opens no span: it is escaped, and what follows it stays prose.
fn sanitize(line: &str) -> String {
    let parts: Vec<&str> = line.split('`').collect();
    // An even number of parts means an odd number of backticks: the last one is alone.
    let paired = if parts.len() % 2 == 0 {
        parts.len() - 1
    } else {
        parts.len()
    };
    let mut out = String::with_capacity(line.len() + 8);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(if i < paired { "`" } else { "\\`" });
        }
        if i % 2 == 1 && i < paired {
            out.push_str(part);
        } else {
            out.push_str(&escape_prose(part));
        }
    }
    out
}

fn escape_prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let next_url = ["https://", "http://"]
            .iter()
            .filter_map(|s| rest.find(s))
            .min();
        let (before, url_and_after) = match next_url {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        for c in before.chars() {
            match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '[' => out.push_str("\\["),
                ']' => out.push_str("\\]"),
                c => out.push(c),
            }
        }
        if url_and_after.is_empty() {
            break;
        }
        let end = url_and_after
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ')' | ','))
            .unwrap_or(url_and_after.len());
        let url = url_and_after[..end].trim_end_matches('.');
        out.push('<');
        out.push_str(url);
        out.push('>');
        rest = &url_and_after[url.len()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_tags_and_brackets() {
        assert_eq!(
            sanitize(r#"sts="http://vcenter/sso?vsphere.local", use <value> [x] `a<b>`."#),
            r#"sts="<http://vcenter/sso?vsphere.local>", use &lt;value&gt; \[x\] `a<b>`."#
        );
        assert_eq!(sanitize("see https://x.y/z."), "see <https://x.y/z>.");
        assert_eq!(
            sanitize("`odd` backticks` and <tags>"),
            "`odd` backticks\\` and &lt;tags&gt;"
        );
    }

    #[test]
    fn spec_code_never_becomes_a_doc_test_that_runs() {
        let docs = Docs {
            text: "Runs.\n\n```\npanic!(\"no\");\n```\n\n```rust\nstd::process::exit(1);\n```\n\n```\nleft open".into(),
            ..Docs::default()
        };
        assert_eq!(
            doc_lines(&docs),
            [
                " Runs.",
                "",
                " ```text",
                " panic!(\"no\");",
                " ```",
                "",
                " ```text",
                " std::process::exit(1);",
                " ```",
                "",
                " ```text",
                " left open",
                " ```",
            ]
        );
    }

    #[test]
    fn since_line_and_blank_lines() {
        let docs = Docs {
            text: "First.\n\n\n    Indented.\n".into(),
            since: Some("9.1.0.0".into()),
            deprecated: None,
        };
        assert_eq!(
            doc_lines(&docs),
            [
                " First.",
                "",
                " Indented.",
                "",
                " Since vSphere API 9.1.0.0."
            ]
        );
    }
}
