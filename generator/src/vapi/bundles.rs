//! Support-bundle locations: what the runtime's bundle download takes.
//!
//! A support bundle is fetched in two steps: an operation `create` of a `...SupportBundle`
//! or `...SupportBundles` service answers where the bundle is (`url`) and a one-time token
//! (a struct with a `token` string), and a request to that URL with the token streams the
//! bundle. vSphere has two: the per-cluster `Vcenter.NamespaceManagement.SupportBundle`
//! (deprecated in 9.1, `Location {url, wcp_support_bundle_token}`) and 9.1's
//! `Vcenter.NamespaceManagement.Supervisors.SupportBundles`
//! (`CreateResult {url, support_bundle_token}`). Each answer type found becomes
//! `From<answer> for ::vapi_runtime::BundleLocation`. The token is a secret, whether or not
//! the spec marks it `format: password` (9.1's does not).

use crate::model::{BundleLocation, Model, Ty, TypeKind};

pub fn apply(model: &mut Model) {
    let mut found: Vec<BundleLocation> = Vec::new();
    let answers: Vec<String> = model
        .operations
        .values()
        .filter(|op| {
            let service = op.service.rsplit('.').next().unwrap_or_default();
            matches!(service, "SupportBundle" | "SupportBundles") && op.method_name == "create"
        })
        .filter_map(
            |op| match op.success.as_ref().and_then(|s| s.body.as_ref()) {
                Some(Ty::Named(name)) => Some(name.clone()),
                _ => None,
            },
        )
        .collect();
    for schema in answers {
        if found.iter().any(|b| b.schema == schema) {
            continue;
        }
        if let Some(location) = location(model, &schema) {
            found.push(location);
        }
    }
    for location in &found {
        let token_type = match model.types.get(&location.schema).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => s
                .fields
                .iter()
                .find(|f| f.rust == location.token)
                .and_then(|f| match &f.ty {
                    Ty::Named(name) => Some(name.clone()),
                    _ => None,
                }),
            _ => None,
        };
        if let Some(TypeKind::Struct(s)) = token_type
            .and_then(|name| model.types.get_mut(&name))
            .map(|d| &mut d.kind)
        {
            for field in s
                .fields
                .iter_mut()
                .filter(|f| f.rust == location.token_value)
            {
                field.secret = true;
            }
        }
    }
    model.bundle_locations = found;
}

/// `schema` as a bundle location: a required string `url` and a required struct field
/// holding a required string `token`.
fn location(model: &Model, schema: &str) -> Option<BundleLocation> {
    let TypeKind::Struct(s) = &model.types.get(schema)?.kind else {
        return None;
    };
    let url = s
        .fields
        .iter()
        .find(|f| f.wire == "url" && f.required && f.ty == Ty::String)?;
    s.fields.iter().filter(|f| f.required).find_map(|token| {
        let Ty::Named(token_type) = &token.ty else {
            return None;
        };
        let TypeKind::Struct(t) = &model.types.get(token_type)?.kind else {
            return None;
        };
        let value = t
            .fields
            .iter()
            .find(|f| f.wire == "token" && f.required && f.ty == Ty::String)?;
        Some(BundleLocation {
            schema: schema.to_owned(),
            url: url.rust.clone(),
            token: token.rust.clone(),
            token_value: value.rust.clone(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::super::fragments::{normalize, spec};
    use crate::model::TypeKind;

    #[test]
    fn a_support_bundle_location_and_its_token_are_found() {
        let answer = r#"
        '201':
          description: where.
          content: {application/json: {schema: {$ref: '#/components/schemas/V.Supervisors.SupportBundles.CreateResult'}}}
        "#;
        let schemas = r#"    V.Supervisors.SupportBundles.CreateResult:
      type: object
      required: [url, support_bundle_token]
      properties:
        url: {type: string}
        support_bundle_token: {allOf: [{$ref: '#/components/schemas/V.Supervisors.SupportBundles.Token'}]}
    V.Supervisors.SupportBundles.Token:
      type: object
      required: [token, expiry]
      properties:
        token: {type: string}
        expiry: {type: string, format: date-time}
"#;
        let model = normalize(&spec(
            "/b",
            "V.Supervisors.SupportBundles_create",
            answer,
            schemas,
        ))
        .expect("normalizes");
        let location = &model.bundle_locations[0];
        assert_eq!(
            (
                location.schema.as_str(),
                location.url.as_str(),
                location.token.as_str(),
                location.token_value.as_str()
            ),
            (
                "V.Supervisors.SupportBundles.CreateResult",
                "url",
                "support_bundle_token",
                "token"
            )
        );
        // The token is a secret, though the spec does not say `format: password`.
        let TypeKind::Struct(token) = &model.types["V.Supervisors.SupportBundles.Token"].kind
        else {
            panic!("struct")
        };
        assert!(token.fields.iter().any(|f| f.wire == "token" && f.secret));
        let success = model.operations["V.Supervisors.SupportBundles_create"]
            .success
            .as_ref();
        assert!(
            success.is_some_and(|s| s.secret),
            "the answer holds a secret"
        );
    }
}
