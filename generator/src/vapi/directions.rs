//! Which way each struct's values travel: sent (in a parameter or a body), received (in an
//! answer or a task's result), or both.
//!
//! A struct derives the serde trait its direction needs, and no other: `Serialize` for what
//! is sent, `Deserialize` for what is received. serde's derives are most of what compiling
//! the crate costs (`Deserialize` above all: measured on the 500-operation bench crate,
//! `cargo check` took 21.5 s with both, 10.9 s with `Serialize` alone, 7.5 s with neither;
//! 23.0 s -> 15.8 s with each struct's own, in another run), and the wire never needs the
//! other one. A received struct still derives `Serialize`
//! under the `mock` feature (mocks serialize the answers they serve), and every struct
//! derives both under `serde-all`, for users who store specs or print answers as JSON. A
//! struct that no operation names (a schema the spec keeps but no longer uses, or one of a
//! service the spec leaves out) never goes on the wire: it derives neither, but under
//! `serde-all`.

use std::collections::BTreeSet;

use crate::model::{Model, Travels, Ty, TypeKind};

/// The cargo feature under which every struct derives both serde traits.
pub const SERDE_ALL: &str = "serde-all";

pub fn apply(model: &mut Model) {
    let sent = reachable(model, model.operations.values().flat_map(|op| op.sent()));
    let received = reachable(
        model,
        model.operations.values().flat_map(|op| op.received()),
    );
    for (name, def) in model.types.iter_mut() {
        if let TypeKind::Struct(s) = &mut def.kind {
            s.travels = match (sent.contains(name), received.contains(name)) {
                (true, false) => Travels::Sent,
                (false, true) => Travels::Received,
                (true, true) => Travels::Both,
                (false, false) => Travels::Neither,
            };
        }
    }
}

/// The named types `seeds` hold, and those they hold in turn (fields, alias targets).
fn reachable<'a>(model: &'a Model, seeds: impl Iterator<Item = &'a Ty>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo: Vec<&Ty> = seeds.collect();
    while let Some(ty) = todo.pop() {
        let Some(name) = ty.named() else { continue };
        if !seen.insert(name.to_owned()) {
            continue;
        }
        match model.types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Struct(s)) => todo.extend(s.fields.iter().map(|f| &f.ty)),
            Some(TypeKind::Alias(ty)) => todo.push(ty),
            Some(TypeKind::Enum(_)) | None => {}
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model_from_str;

    const SPEC: &str = r#"
openapi: 3.0.0
info: {title: T, version: "1"}
paths:
  /vm:
    post:
      tags: [Vcenter.Vm]
      operationId: Vcenter.Vm_create
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Vcenter.Vm.CreateSpec'}
      responses:
        '200':
          description: The VM.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Vcenter.Vm.Info'}
components:
  schemas:
    Vcenter.Vm.CreateSpec:
      type: object
      properties:
        placement: {$ref: '#/components/schemas/Vcenter.Vm.Placement'}
        disks:
          type: array
          items: {$ref: '#/components/schemas/Vcenter.Vm.Disk'}
    Vcenter.Vm.Info:
      type: object
      properties:
        disks:
          type: object
          additionalProperties: {$ref: '#/components/schemas/Vcenter.Vm.Disk'}
        owner: {$ref: '#/components/schemas/Vcenter.Vm.Owner'}
        author: {$ref: '#/components/schemas/Vcenter.Vm.Author'}
    Vcenter.Vm.Placement:
      type: object
      properties:
        folder: {type: string}
    Vcenter.Vm.Disk:
      type: object
      properties:
        capacity: {type: integer}
    Vcenter.Vm.Owner:
      type: object
      properties:
        name: {type: string}
    Vcenter.Vm.Notes:
      type: object
      properties:
        text: {type: string}
        author: {$ref: '#/components/schemas/Vcenter.Vm.Author'}
    Vcenter.Vm.Author:
      type: object
      properties:
        name: {type: string}
"#;

    #[test]
    fn structs_travel_the_ways_the_operations_take_them_at_any_depth() {
        let model = model_from_str(SPEC).expect("the spec generates");
        let travels = |name: &str| match &model.types[name].kind {
            TypeKind::Struct(s) => s.travels,
            _ => panic!("{name} is a struct"),
        };
        assert_eq!(travels("Vcenter.Vm.CreateSpec"), Travels::Sent);
        assert_eq!(travels("Vcenter.Vm.Placement"), Travels::Sent);
        assert_eq!(travels("Vcenter.Vm.Info"), Travels::Received);
        assert_eq!(travels("Vcenter.Vm.Owner"), Travels::Received);
        assert_eq!(travels("Vcenter.Vm.Disk"), Travels::Both);
        assert_eq!(travels("Vcenter.Vm.Notes"), Travels::Neither);
        // Received in an answer, and held by a struct no operation names.
        assert_eq!(travels("Vcenter.Vm.Author"), Travels::Received);
    }
}
