//! Answers that hold a secret: withheld from decode errors.
//!
//! A field is a secret when the spec says `format: password` (`lower`) or a convention
//! says so (the token of a support-bundle location, `vapi::bundles`). An answer is secret
//! when it is one (the session id of a login) or holds one at any depth.

use std::collections::BTreeSet;

use crate::model::{Model, Ty, TypeKind};

pub fn apply(model: &mut Model) {
    let holding = types_holding_secrets(model);
    for op in model.operations.values_mut() {
        if let Some(success) = &mut op.success {
            if success.body.as_ref().is_some_and(|ty| holds(ty, &holding)) {
                success.secret = true;
            }
        }
    }
}

/// The named types that hold a secret field, directly or in a type they hold.
fn types_holding_secrets(model: &Model) -> BTreeSet<String> {
    let own = model
        .types
        .iter()
        .filter(|(_, def)| matches!(&def.kind, TypeKind::Struct(s) if s.fields.iter().any(|f| f.secret)))
        .map(|(name, _)| name.clone())
        .collect();
    model.holders(own)
}

fn holds(ty: &Ty, holding: &BTreeSet<String>) -> bool {
    ty.named().is_some_and(|name| holding.contains(name))
}
