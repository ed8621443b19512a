//! Enum-valued properties written as strings: `type: string` with "For more information see:
//! *X*." (VMware 9.x) -> typed as the enum `X`.
//!
//! VMware's generator writes a property whose values come from an enum as a plain string,
//! lists the values again under "Possible values:" and names the enum in that sentence. When
//! `X` is an enum of the spec, the property (or each item of a list or set of them) holds
//! it, and the repeated list and the sentence leave the docs: the enum's own docs say it. A
//! sentence naming anything else (an object, a schema not in the spec) stays prose.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Docs, Model, Ty, TypeKind};

static SEE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"For more information see: \*([A-Za-z0-9_.]+)\*\.?").expect("valid regex")
});

const POSSIBLE_VALUES: &str = "Possible values:";

pub fn apply(model: &mut Model) {
    let enums: BTreeSet<String> = model
        .types
        .iter()
        .filter(|(_, def)| matches!(def.kind, TypeKind::Enum(_)))
        .map(|(name, _)| name.clone())
        .collect();
    for def in model.types.values_mut() {
        if let TypeKind::Struct(s) = &mut def.kind {
            for field in &mut s.fields {
                link(&mut field.docs, &mut field.ty, &enums);
            }
        }
    }
    for op in model.operations.values_mut() {
        for param in &mut op.params {
            link(&mut param.docs, &mut param.ty, &enums);
        }
    }
}

fn link(docs: &mut Docs, ty: &mut Ty, enums: &BTreeSet<String>) {
    let Some(caps) = SEE.captures(&docs.text) else {
        return;
    };
    let name = &caps[1];
    if !enums.contains(name) {
        return;
    }
    let Some(linked) = strings_become(ty, name) else {
        return;
    };
    *ty = linked;
    let phrase = caps.get(0).map_or(0..0, |m| m.range());
    let start = docs.text[..phrase.start]
        .rfind(POSSIBLE_VALUES)
        .unwrap_or(phrase.start);
    let range = start..phrase.end;
    docs.cut(&[range]);
}

/// `ty` with its strings replaced by the enum `name`; `None` when it holds no strings.
fn strings_become(ty: &Ty, name: &str) -> Option<Ty> {
    Some(match ty {
        Ty::String => Ty::Named(name.to_owned()),
        Ty::List(item) => Ty::List(Box::new(strings_become(item, name)?)),
        Ty::Set(item) => Ty::Set(Box::new(strings_become(item, name)?)),
        Ty::Nullable(item) => Ty::Nullable(Box::new(strings_become(item, name)?)),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enums() -> BTreeSet<String> {
        ["A.Status".to_owned()].into()
    }

    #[test]
    fn a_string_naming_an_enum_holds_it() {
        let mut docs = Docs::new(Some(
            "Status of the task.\n\nPossible values:\n  - `RUNNING`: In progress.\n  - `FAILED`: Failed.\n\n\nFor more information see: *A.Status*.\n\nThis property was added in __vSphere API 8.0.3.0__.",
        ));
        let mut ty = Ty::String;
        link(&mut docs, &mut ty, &enums());
        assert_eq!(ty, Ty::Named("A.Status".into()));
        assert_eq!(
            docs.text,
            "Status of the task.\n\nThis property was added in __vSphere API 8.0.3.0__."
        );
    }

    #[test]
    fn a_set_of_strings_becomes_a_set_of_the_enum() {
        let mut docs = Docs::new(Some("Statuses.\n\nFor more information see: *A.Status*."));
        let mut ty = Ty::Set(Box::new(Ty::String));
        link(&mut docs, &mut ty, &enums());
        assert_eq!(ty, Ty::Set(Box::new(Ty::Named("A.Status".into()))));
        assert_eq!(docs.text, "Statuses.");
    }

    #[test]
    fn a_sentence_naming_no_enum_stays_prose() {
        let text = "A spec.\n\nFor more information see: *A.Spec*.";
        let mut docs = Docs::new(Some(text));
        let mut ty = Ty::String;
        link(&mut docs, &mut ty, &enums());
        assert_eq!(ty, Ty::String);
        assert_eq!(docs.text, text);
    }
}
