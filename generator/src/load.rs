//! Step 1 of the pipeline: text -> `openapiv3::OpenAPI`.
//!
//! YAML is a superset of JSON, so one parser reads both. The text goes through a plain
//! JSON value first: that lets `serde_path_to_error` tell where in the document a shape
//! error sits, which becomes the JSON pointer of the error.

use std::panic::{catch_unwind, AssertUnwindSafe};

use openapiv3::OpenAPI;
use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Problems, Result};
use crate::pointer::Pointer;

/// The text of a spec file: UTF-8, as YAML and JSON are. Anything else is a syntax problem
/// at the line and column of the first byte that is not.
pub fn text_of(bytes: &[u8]) -> Result<&str> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&valid[line_start..])
            .chars()
            .count()
            + 1;
        // The text up to the bad byte is valid: it places the problem in the structure.
        let before = String::from_utf8_lossy(valid);
        Error::Syntax {
            pointer: pointer_at_line(&before, line),
            line,
            column,
            message: format!(
                "the document is not UTF-8 text (byte 0x{:02X} at offset {})",
                bytes[e.valid_up_to()],
                e.valid_up_to()
            ),
        }
    })
}

/// Parses a spec from YAML or JSON text.
pub fn load_str(text: &str) -> Result<OpenAPI> {
    if text.trim_start().starts_with('{') {
        if let Some(api) = json_fast(text) {
            return Ok(api);
        }
        // Something is wrong with it: the value tree says what and where.
        return decode(&json_value(text)?);
    }
    decode(&yaml_value(text)?)
}

/// A JSON document that has nothing wrong with it, decoded straight from the text: no value
/// tree beside the decoded document (for 45 MB of JSON that tree is hundreds of MiB). `None`
/// when anything is off (syntax, version, nesting, shape, a panic in the decoder): the
/// slow path finds each problem and its place.
fn json_fast(text: &str) -> Option<OpenAPI> {
    #[derive(serde::Deserialize)]
    struct Version {
        openapi: Option<Value>,
        swagger: Option<Value>,
    }
    let version: Version = serde_json::from_str(text).ok()?;
    check_version_of(version.openapi.as_ref(), version.swagger.as_ref()).ok()?;
    if bracket_depth(text) > MAX_DEPTH + 1 {
        return None;
    }
    catch_unwind(AssertUnwindSafe(|| {
        let mut de = serde_json::Deserializer::from_str(text);
        let api = OpenAPI::deserialize(&mut de).ok()?;
        de.end().ok()?;
        Some(api)
    }))
    .ok()
    .flatten()
}

/// The deepest nesting of `[` and `{` in JSON text, strings skipped.
fn bracket_depth(text: &str) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0, false, false);
    for b in text.bytes() {
        match (in_string, escaped, b) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (true, false, _) => {}
            (false, _, b'"') => in_string = true,
            (false, _, b'[' | b'{') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (false, _, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// The OpenAPI document of a value tree, or every problem it has with its place.
fn decode(json: &Value) -> Result<OpenAPI> {
    check_version(json)?;
    // openapiv3 carries an `expect` in its `ReferenceOr` decoding; a malformed document
    // must give an error, never a crash, so a panic in there is turned into one. Decoding
    // from a borrowed value keeps the one copy of the document for narrowing down a failure.
    let decoded = catch_unwind(AssertUnwindSafe(|| {
        serde_path_to_error::deserialize::<_, OpenAPI>(json)
    }));
    match decoded {
        Ok(Ok(api)) => Ok(api),
        Ok(Err(e)) => {
            let mut problems = Problems::default();
            narrow(json).into_iter().for_each(|p| problems.push(p));
            if problems.is_empty() {
                problems.push(Error::Shape {
                    pointer: path_to_pointer(&Pointer::root(), e.path()),
                    message: e.into_inner().to_string(),
                });
            }
            Err(problems.into_error())
        }
        Err(_) => Err(Error::Shape {
            pointer: Pointer::root(),
            message: "the OpenAPI decoder gave up on this document".to_owned(),
        }),
    }
}

fn check_version(json: &Value) -> Result<()> {
    check_version_of(json.get("openapi"), json.get("swagger"))
}

/// The document's `openapi` and `swagger` fields: OpenAPI 3.0.x only.
fn check_version_of(openapi: Option<&Value>, swagger: Option<&Value>) -> Result<()> {
    if let Some(version) = swagger {
        let version = version
            .as_str()
            .map_or_else(|| version.to_string(), str::to_owned);
        return Err(Error::unsupported(
            &Pointer::root().join("swagger"),
            format!("a Swagger {version} document"),
            "convert it to OpenAPI 3.0 first (for example with `npx swagger2openapi`); VMware publishes its 7.0+ specs as OpenAPI 3.0",
        ));
    }
    let pointer = Pointer::root().join("openapi");
    match openapi.and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") => Ok(()),
        Some(v) => Err(Error::unsupported(
            &pointer,
            format!("OpenAPI version {v}"),
            "write the document as OpenAPI 3.0.x, as VMware publishes it",
        )),
        None => Err(Error::invalid(
            &pointer,
            "missing the `openapi: 3.0.x` version field",
        )),
    }
}

/// How deep the document may nest. VMware's documents nest about a dozen levels (ours 9).
/// A far deeper one overflows the stack of the OpenAPI decoder, syn and prettyplease in a
/// debug build, an abort no error can report; it is refused here, where the place is known.
const MAX_DEPTH: usize = 32;

/// A JSON document, read by the JSON parser: VMware publishes its specs as JSON too, and
/// for a large one the YAML parser's event tree costs several times the memory (45 MB of
/// JSON: 690 MiB through YAML).
fn json_value(text: &str) -> Result<Value> {
    let json: Value = serde_json::from_str(text).map_err(|e| Error::Syntax {
        pointer: pointer_at_line(text, e.line()),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    check_depth(&json, Pointer::root(), 0)?;
    Ok(json)
}

/// A YAML document (or JSON read as YAML), merge keys applied, as a JSON value.
fn yaml_value(text: &str) -> Result<Value> {
    let mut yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        Error::Syntax {
            pointer: pointer_at_line(text, line),
            line,
            column,
            message: e.to_string(),
        }
    })?;
    // `<<: *base` merge keys are YAML's own way to share a block; serde_yaml leaves them as
    // keys named `<<` unless asked, which would drop what they bring silently.
    yaml.apply_merge().map_err(|e| Error::Syntax {
        pointer: Pointer::root(),
        line: 0,
        column: 0,
        message: format!("a `<<` merge key cannot be applied: {e}"),
    })?;
    to_json(yaml, &Pointer::root(), 0)
}

/// The nesting limit of [`to_json`], for a document read as JSON.
fn check_depth(value: &Value, at: Pointer, depth: usize) -> Result<()> {
    match value {
        Value::Array(_) | Value::Object(_) if depth > MAX_DEPTH => Err(Error::unsupported(
            &at,
            format!("nesting deeper than {MAX_DEPTH} levels"),
            "VMware's documents nest about a dozen; name the inner schemas under #/components/schemas",
        )),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| check_depth(v, at.join(i), depth + 1)),
        Value::Object(map) => map
            .iter()
            .try_for_each(|(k, v)| check_depth(v, at.join(k.as_str()), depth + 1)),
        _ => Ok(()),
    }
}

/// YAML allows any scalar as a map key (`200:` is an integer); JSON and OpenAPI want strings.
fn to_json(yaml: serde_yaml::Value, at: &Pointer, depth: usize) -> Result<Value> {
    use serde_yaml::Value as Y;
    if depth > MAX_DEPTH && matches!(yaml, Y::Sequence(_) | Y::Mapping(_)) {
        return Err(Error::unsupported(
            at,
            format!("nesting deeper than {MAX_DEPTH} levels"),
            "VMware's documents nest about a dozen; name the inner schemas under #/components/schemas",
        ));
    }
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| Error::invalid(at, format!("the number {n} has no JSON form")))?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| to_json(v, &at.join(i), depth + 1))
                .collect::<Result<_>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        return Err(Error::invalid(
                            at,
                            format!("a map key must be a string, found {other:?}"),
                        ))
                    }
                };
                let value = to_json(v, &at.join(&key), depth + 1)?;
                out.insert(key, value);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => to_json(tagged.value, at, depth)?,
    })
}

fn path_to_pointer(base: &Pointer, path: &serde_path_to_error::Path) -> Pointer {
    use serde_path_to_error::Segment;
    path.iter().fold(base.clone(), |p, segment| match segment {
        Segment::Seq { index } => p.join(index),
        Segment::Map { key } => p.join(key),
        Segment::Enum { variant } => p.join(variant),
        Segment::Unknown => p,
    })
}

/// Finds the innermost parts of the document that fail to decode, each of them.
///
/// openapiv3 uses `#[serde(flatten)]` and untagged enums, behind which serde loses track of
/// where it is; decoding the parts one by one (operations, schemas and their children)
/// names the places a maintainer has to fix, not just `#/paths`.
fn narrow(json: &Value) -> Vec<Error> {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let mut found = Vec::new();
    let root = Pointer::root();
    if let Some(paths) = json.get("paths").and_then(Value::as_object) {
        for (key, item) in paths {
            let at = root.join("paths").join(key);
            let before = found.len();
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    let op_at = at.join(method);
                    let bodies = op
                        .get("requestBody")
                        .map(|b| (op_at.join("requestBody"), b))
                        .into_iter();
                    let responses = op
                        .get("responses")
                        .and_then(Value::as_object)
                        .into_iter()
                        .flatten();
                    let responses =
                        responses.map(|(code, r)| (op_at.join("responses").join(code), r));
                    let inner: Vec<Error> = bodies
                        .chain(responses)
                        .filter_map(|(at, v)| narrow_schemas_in(v, &at))
                        .collect();
                    if inner.is_empty() {
                        found.extend(try_decode::<openapiv3::Operation>(op, &op_at));
                    } else {
                        found.extend(inner);
                    }
                }
            }
            if found.len() == before {
                found.extend(try_decode::<openapiv3::PathItem>(item, &at));
            }
        }
    }
    let components = json.get("components").and_then(Value::as_object);
    if let Some(schemas) = components
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_object)
    {
        let at = root.join("components").join("schemas");
        for (name, schema) in schemas {
            found.extend(narrow_schema(schema, &at.join(name)));
        }
    }
    found
}

/// Looks for schemas under `content/*/schema` and narrows into them.
fn narrow_schemas_in(value: &Value, at: &Pointer) -> Option<Error> {
    let content = value.get("content")?.as_object()?;
    content.iter().find_map(|(media, m)| {
        m.get("schema")
            .and_then(|s| narrow_schema(s, &at.join("content").join(media).join("schema")))
    })
}

fn narrow_schema(schema: &Value, at: &Pointer) -> Option<Error> {
    let children = ["properties"]
        .iter()
        .filter_map(|k| schema.get(*k).and_then(Value::as_object).map(|m| (*k, m)))
        .flat_map(|(k, m)| m.iter().map(move |(name, s)| (at.join(k).join(name), s)))
        .chain(["allOf", "oneOf", "anyOf"].iter().flat_map(|k| {
            schema
                .get(*k)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
                .map(move |(i, s)| (at.join(k).join(i), s))
        }))
        .chain(["items", "additionalProperties"].iter().filter_map(|k| {
            schema
                .get(*k)
                .filter(|v| v.is_object())
                .map(|s| (at.join(k), s))
        }))
        .collect::<Vec<_>>();
    children
        .into_iter()
        .find_map(|(child_at, child)| narrow_schema(child, &child_at))
        .or_else(|| try_decode::<openapiv3::ReferenceOr<openapiv3::Schema>>(schema, at))
}

fn try_decode<T: serde::de::DeserializeOwned>(value: &Value, at: &Pointer) -> Option<Error> {
    let decoded = catch_unwind(AssertUnwindSafe(|| {
        serde_path_to_error::deserialize::<_, T>(value)
    }));
    match decoded {
        Ok(Ok(_)) => None,
        Ok(Err(e)) => Some(Error::Shape {
            pointer: path_to_pointer(at, e.path()),
            message: e.into_inner().to_string(),
        }),
        Err(_) => Some(Error::Shape {
            pointer: at.clone(),
            message: "the OpenAPI decoder gave up on this part".to_owned(),
        }),
    }
}

/// The pointer of the mapping key enclosing `line` (1-based), found from indentation.
///
/// A syntax error has only a line and column; this names the place in the document's
/// structure too, which is what a maintainer navigates by. Best effort: block-style YAML.
fn pointer_at_line(text: &str, line: usize) -> Pointer {
    let mut stack: Vec<(usize, String)> = Vec::new();
    for raw in text.lines().take(line) {
        let trimmed = raw.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('-') {
            continue;
        }
        let indent = raw.len() - trimmed.len();
        let key = trimmed.strip_prefix("? ").unwrap_or(trimmed);
        let Some((key, _)) = key.split_once(':') else {
            continue;
        };
        let key = key.trim().trim_matches(|c| c == '\'' || c == '"');
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        stack.push((indent, key.to_owned()));
    }
    stack.iter().fold(Pointer::root(), |p, (_, k)| p.join(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_status_keys_become_strings() {
        let api = load_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n",
        )
        .expect("loads");
        let op = api.paths.paths["/a"]
            .as_item()
            .and_then(|p| p.get.as_ref())
            .expect("op");
        assert_eq!(op.responses.responses.len(), 1);
    }

    #[test]
    fn syntax_error_names_the_enclosing_key() {
        let err =
            load_str("openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses: {'200': [oops}\n")
                .expect_err("bad yaml");
        assert_eq!(
            err.pointer().map(Pointer::as_str),
            Some("#/paths/~1a/get/responses")
        );
    }

    #[test]
    fn wrong_shape_names_its_place() {
        let err = load_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: 7\n      responses: {}\n",
        )
        .expect_err("bad shape");
        let problems = err.problems();
        assert_eq!(problems.len(), 1, "{err}");
        assert!(
            problems[0]
                .to_string()
                .starts_with("#/paths/~1a/get/parameters: "),
            "{err}"
        );
    }

    #[test]
    fn deep_nesting_is_refused_with_its_place() {
        let deep = (0..40).fold("x".to_owned(), |inner, _| format!("[{inner}]"));
        let err = load_str(&format!("openapi: 3.0.3\nx: {deep}\n")).expect_err("too deep");
        let at = format!("#/x{}", "/0".repeat(MAX_DEPTH));
        assert_eq!(
            err.to_string(),
            format!("{at}: nesting deeper than {MAX_DEPTH} levels is not supported: VMware's documents nest about a dozen; name the inner schemas under #/components/schemas")
        );
    }

    #[test]
    fn json_is_read_as_json_with_the_same_checks() {
        let deep = (0..40).fold("\"x\"".to_owned(), |inner, _| format!("[{inner}]"));
        let err =
            load_str(&format!("{{\"openapi\": \"3.0.3\", \"x\": {deep}}}")).expect_err("too deep");
        let at = format!("#/x{}", "/0".repeat(MAX_DEPTH));
        assert!(
            err.to_string()
                .starts_with(&format!("{at}: nesting deeper")),
            "{err}"
        );

        let err =
            load_str("{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {,}\n}").expect_err("syntax");
        let Error::Syntax { line, column, .. } = err else {
            panic!("{err}")
        };
        assert_eq!((line, column), (3, 13));

        let yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n";
        let json = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}}"#;
        assert_eq!(load_str(json).expect("json"), load_str(yaml).expect("yaml"));
        assert_eq!(bracket_depth(r#"{"a": ["[{", {"b": "\\"}]}"#), 3);
    }

    #[test]
    fn merge_keys_bring_their_block() {
        let api = load_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A.B.Base: &base\n      type: object\n      properties: {x: {type: string}}\n    A.B.Copy:\n      <<: *base\n      description: the same object\n",
        )
        .expect("loads");
        let copy = &api.components.expect("components").schemas["A.B.Copy"];
        let openapiv3::ReferenceOr::Item(copy) = copy else {
            panic!("a schema")
        };
        assert!(matches!(
            &copy.schema_kind,
            openapiv3::SchemaKind::Type(openapiv3::Type::Object(o)) if o.properties.contains_key("x")
        ));
    }

    #[test]
    fn text_that_is_not_utf8_names_its_line_and_place() {
        let mut bytes = b"openapi: 3.0.3\npaths:\n  /a:\n    get:\n      description: caf".to_vec();
        bytes.push(0xE9);
        bytes.extend_from_slice(b"\n");
        let err = text_of(&bytes).expect_err("latin-1");
        assert_eq!(
            err.to_string(),
            "#/paths/~1a/get/description: the document is not valid YAML/JSON (line 5, column 23): the document is not UTF-8 text (byte 0xE9 at offset 59)"
        );
    }

    #[test]
    fn openapi_31_is_refused() {
        let err = load_str("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n")
            .expect_err("3.1");
        assert_eq!(
            err.to_string(),
            "#/openapi: OpenAPI version 3.1.0 is not supported: write the document as OpenAPI 3.0.x, as VMware publishes it"
        );
    }
}
