//! Cargo features: one per top-level module of the spec (`vcenter`, `esx`, ...), so a user
//! of one service of a large spec compiles only that service and what it uses.
//!
//! A feature compiles its top-level module: the types there, the services there with their
//! operations, error enums, accessors and mocks. Its code names types of other top-level
//! modules (a field, a parameter, a body, an answer, a task's result); each feature enables
//! those modules' features in turn. Cargo follows the chain, cycles included. The crate's
//! default features are all of them, so a crate built with its defaults is the whole API.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Model, Ty, TypeKind};

pub fn apply(model: &mut Model) {
    model.features = features(model);
}

fn features(model: &Model) -> BTreeMap<String, BTreeSet<String>> {
    let mut features: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let feature_of_named = |ty: &Ty| {
        ty.named()
            .and_then(|name| model.types.get(name))
            .and_then(|def| Model::feature_of(&def.module))
    };
    let mut record = |feature: &str, used: &mut dyn Iterator<Item = &Ty>| {
        let requires = features.entry(feature.to_owned()).or_default();
        for other in used.filter_map(feature_of_named) {
            if other != feature {
                requires.insert(other.to_owned());
            }
        }
    };
    for def in model.types.values() {
        let Some(feature) = Model::feature_of(&def.module) else {
            continue;
        };
        match &def.kind {
            TypeKind::Struct(s) => record(feature, &mut s.fields.iter().map(|f| &f.ty)),
            TypeKind::Alias(ty) => record(feature, &mut std::iter::once(ty)),
            TypeKind::Enum(_) => record(feature, &mut std::iter::empty()),
        }
    }
    for service in model.services.values() {
        if let Some(feature) = Model::feature_of(&service.module) {
            record(feature, &mut std::iter::empty());
        }
    }
    for op in model.operations.values() {
        if let Some(feature) = model.feature_of_operation(op) {
            record(feature, &mut op.sent().chain(op.received()));
        }
    }
    features
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model_from_str;

    const SPEC: &str = r#"
openapi: 3.0.0
info: {title: T, version: "1"}
tags: [{name: Esx.Hosts}, {name: Vcenter.Vm}]
paths:
  /esx/hosts:
    post:
      tags: [Esx.Hosts]
      operationId: Esx.Hosts_create
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Esx.Hosts.CreateSpec'}
      responses:
        '204': {description: Created.}
  /vcenter/vm:
    get:
      tags: [Vcenter.Vm]
      operationId: Vcenter.Vm_list
      responses:
        '200':
          description: The VMs.
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/components/schemas/Vcenter.Vm.Summary'}
components:
  schemas:
    Esx.Hosts.CreateSpec:
      type: object
      properties:
        placement: {$ref: '#/components/schemas/Vcenter.Placement'}
    Vcenter.Placement:
      type: object
      properties:
        folder: {type: string}
    Vcenter.Vm.Summary:
      type: object
      properties:
        name: {type: string}
    Appliance.Notes:
      type: object
      properties:
        text: {type: string}
"#;

    #[test]
    fn each_top_level_module_is_a_feature_with_what_its_types_name() {
        let model = model_from_str(SPEC).expect("the spec generates");
        let expected: BTreeMap<String, BTreeSet<String>> = [
            ("appliance", vec![]),
            ("esx", vec!["vcenter"]),
            ("vcenter", vec![]),
        ]
        .into_iter()
        .map(|(f, r)| (f.to_owned(), r.into_iter().map(str::to_owned).collect()))
        .collect();
        assert_eq!(model.features, expected);
    }
}
