//! Step 2 of the pipeline: `openapiv3::OpenAPI` -> `model::Model`.

mod operations;
mod refs;
mod schemas;

use openapiv3::OpenAPI;

pub use schemas::type_path;

use crate::error::Result;
use crate::model::Model;

pub fn lower(api: &OpenAPI) -> Result<Model> {
    let doc = refs::Doc::new(api);
    let types = schemas::lower_types(&doc)?;
    let operations = operations::lower_operations(&doc)?;
    let services = operations::lower_services(&doc, &operations)?;
    Ok(Model {
        title: api.info.title.clone(),
        api_version: api.info.version.clone(),
        services,
        types,
        operations,
        ids: Default::default(),
    })
}
