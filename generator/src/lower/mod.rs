//! Step 2 of the pipeline: `openapiv3::OpenAPI` -> `model::Model`.
//!
//! Each schema and operation is lowered on its own: one that cannot be taken is recorded in
//! `Problems` and the rest go on, so a run reports every problem of a spec.

mod operations;
mod refs;
mod schemas;

use openapiv3::OpenAPI;

use crate::error::Problems;
use crate::model::Model;

pub fn lower(api: &OpenAPI, problems: &mut Problems) -> Model {
    let doc = refs::Doc::new(api);
    let types = schemas::lower_types(&doc, problems);
    let operations = operations::lower_operations(&doc, problems);
    let services = operations::lower_services(&doc, &operations);
    Model {
        title: api.info.title.clone(),
        api_version: api.info.version.clone(),
        services,
        types,
        operations,
        ..Model::default()
    }
}
