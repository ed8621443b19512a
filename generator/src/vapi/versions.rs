//! "added in vSphere API x" and "deprecated as of vSphere API x".
//!
//! VMware writes both as fixed sentences in descriptions:
//! `This operation was added in __vSphere API 9.1.0.0__.` and
//! `This operation is deprecated as of __vSphere API 9.1.0.0__. Use *POST /x* instead.`
//! The first becomes a "Since vSphere API x" doc line, the second `#[deprecated(note)]`
//! naming the replacement. The sentences leave the prose, so nothing is said twice.
//!
//! "This constant was added in ..." speaks of one value of an enum: it sets the version of
//! that value only. In the text of anything else (a property that lists its enum's values)
//! it is prose about a value, never the item's own version.

use std::sync::LazyLock;

use regex::Regex;

use crate::error::{Error, Result};
use crate::model::Docs;
use crate::pointer::Pointer;

static ADDED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"This ([a-z ]+?) (?:was|were) added in (?:__)?vSphere API(?: ([0-9][0-9.]*[0-9]))?(?:__)?\.?")
        .expect("valid regex")
});

static DEPRECATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"This ([a-z ]+?) (?:is|was|has been) deprecated as of (?:__)?vSphere API(?: ([0-9][0-9.]*[0-9]))?(?:__)?\.?(?:\s*Use (.+?) instead\.)?",
    )
    .expect("valid regex")
});

/// What a description belongs to: a value of an enum reads "This constant ..." sentences
/// as its own; anything else leaves them in the prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Item,
    Value,
}

/// The first phrase of `re` in `text` that speaks of something at `level`.
fn phrase<'t>(re: &Regex, text: &'t str, level: Level) -> Option<regex::Captures<'t>> {
    re.captures_iter(text)
        .find(|caps| (&caps[1] == "constant") == (level == Level::Value))
}

pub fn apply(docs: &mut Docs, at: &Pointer, level: Level) -> Result<()> {
    if let Some(caps) = phrase(&ADDED, &docs.text, level) {
        let Some(version) = caps.get(2) else {
            return Err(Error::invalid(
                at,
                format!("the version phrase `{}` names no version", &caps[0]),
            ));
        };
        docs.since = Some(version.as_str().to_owned());
        let range = caps.get(0).map_or(0..0, |m| m.range());
        docs.cut(&[range]);
    }
    if let Some(caps) = phrase(&DEPRECATED, &docs.text, level) {
        let Some(version) = caps.get(2) else {
            return Err(Error::invalid(
                at,
                format!("the deprecation phrase `{}` names no version", &caps[0]),
            ));
        };
        let mut note = format!("deprecated as of vSphere API {}", version.as_str());
        if let Some(replacement) = caps.get(3) {
            note.push_str(&format!(
                "; use {} instead",
                replacement.as_str().replace('*', "")
            ));
        }
        docs.deprecated = Some(note);
        let range = caps.get(0).map_or(0..0, |m| m.range());
        docs.cut(&[range]);
    }
    Ok(())
}

/// Forgets an item's version when it is the version of what encloses it (a field's
/// struct, a value's enum, a parameter's operation, an operation's service): the reader
/// has just read it there, and 183 repeated "Since" lines hid the ones that differ.
pub fn drop_if_enclosing(docs: &mut Docs, enclosing: &Docs) {
    if docs.since.is_some() && docs.since == enclosing.since {
        docs.since = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(text: &str) -> Docs {
        Docs::new(Some(text))
    }

    #[test]
    fn added_in_becomes_since() {
        let mut d =
            docs("Creates a job.\n\nThis operation was added in __vSphere API 9.1.0.0__.\n\nMore.");
        apply(&mut d, &Pointer::root(), Level::Item).expect("applies");
        assert_eq!(d.since.as_deref(), Some("9.1.0.0"));
        assert_eq!(d.text, "Creates a job.\n\nMore.");
    }

    #[test]
    fn a_version_said_by_the_enclosing_item_is_not_said_again() {
        let mut schema = docs("This structure was added in vSphere API 8.0.0.0.");
        let mut same = docs("This property was added in vSphere API 8.0.0.0.");
        let mut newer = docs("This property was added in vSphere API 9.1.0.0.");
        for d in [&mut schema, &mut same, &mut newer] {
            apply(d, &Pointer::root(), Level::Item).expect("applies");
        }
        drop_if_enclosing(&mut same, &schema);
        drop_if_enclosing(&mut newer, &schema);
        assert_eq!(same.since, None);
        assert_eq!(newer.since.as_deref(), Some("9.1.0.0"));
    }

    #[test]
    fn seed_spelling_without_underscores() {
        let mut d = docs("This property was added in vSphere API 7.0.2.00100.");
        apply(&mut d, &Pointer::root(), Level::Item).expect("applies");
        assert_eq!(d.since.as_deref(), Some("7.0.2.00100"));
        assert_eq!(d.text, "");
    }

    #[test]
    fn deprecated_names_the_replacement() {
        let mut d = docs(
            "Returns the location.\n\nThis operation is deprecated as of __vSphere API 9.1.0.0__. Use *POST /vcenter/x/{supervisor}/support-bundle* instead.",
        );
        apply(&mut d, &Pointer::root(), Level::Item).expect("applies");
        assert_eq!(
            d.deprecated.as_deref(),
            Some("deprecated as of vSphere API 9.1.0.0; use POST /vcenter/x/{supervisor}/support-bundle instead")
        );
        assert_eq!(d.text, "Returns the location.");
    }

    #[test]
    fn phrase_without_version_is_an_error() {
        let at = Pointer::schema("A").join("properties").join("b");
        let mut d = docs("This property was added in __vSphere API__.");
        let err = apply(&mut d, &at, Level::Item).expect_err("no version");
        assert_eq!(
            err.to_string(),
            "#/components/schemas/A/properties/b: the version phrase `This property was added in __vSphere API__.` names no version"
        );
    }

    #[test]
    fn a_constant_sentence_is_a_value_version_only() {
        let text = "Current status.\n\nPossible values:\n  - `DORMANT`: Dormant.\n\nThis constant was added in __vSphere API 9.0.0.0__.\n\n\nThis property was added in __vSphere API 8.0.3.0__.";
        let mut item = docs(text);
        apply(&mut item, &Pointer::root(), Level::Item).expect("applies");
        assert_eq!(item.since.as_deref(), Some("8.0.3.0"));
        assert!(item
            .text
            .contains("This constant was added in __vSphere API 9.0.0.0__."));
        let mut value = docs("Dormant.\n\nThis constant was added in __vSphere API 9.0.0.0__.");
        apply(&mut value, &Pointer::root(), Level::Value).expect("applies");
        assert_eq!(value.since.as_deref(), Some("9.0.0.0"));
        assert_eq!(value.text, "Dormant.");
    }

    #[test]
    fn prose_without_phrases_is_untouched() {
        let mut d = docs("Nothing about versions here.");
        apply(&mut d, &Pointer::root(), Level::Item).expect("applies");
        assert_eq!(d, docs("Nothing about versions here."));
    }
}
