//! An object as query parameters, the way OpenAPI's `style: form, explode: true` writes it:
//! each set field one pair `field=value`, each item of a list field one pair of its own
//! (`?local=true&paired=false`, `?names=a&names=b`). VMware's `FilterSpec` parameters are
//! sent this way.
//!
//! The fields are read through a small `serde::Serializer`, not through a
//! `serde_json::Value`: a JSON object's key order depends on serde_json's features (sorted,
//! or insertion order with `preserve_order`), and the pairs must follow the struct's field
//! order whatever another crate of the build turns on. Each field's value goes through
//! serde_json, so it is written as the JSON body would write it (date-times in RFC 3339,
//! enums as their wire names).

use std::fmt;

use serde::ser::{self, Impossible, Serialize};
use serde_json::Value;

use crate::InvalidRequest;

/// The query pairs of `value`, in field order. A value that is not an object, or a field
/// that is an object or a list of objects or lists, is refused: form style has no way to
/// write it.
pub(crate) fn form_pairs<T: Serialize + ?Sized>(
    value: &T,
) -> Result<Vec<(String, String)>, InvalidRequest> {
    value.serialize(Form).map_err(|FormError(e)| e)
}

/// Adds the pairs of one field.
fn push_field(
    pairs: &mut Vec<(String, String)>,
    name: &str,
    value: Value,
) -> Result<(), InvalidRequest> {
    let refuse = |reason: &str| InvalidRequest {
        field: name.to_owned(),
        reason: reason.to_owned(),
    };
    match value {
        // An unset optional field is no pair at all.
        Value::Null => {}
        Value::Array(items) => {
            for item in items {
                match scalar(item) {
                    Ok(Some(text)) => pairs.push((name.to_owned(), text)),
                    Ok(None) => {}
                    Err(()) => {
                        return Err(refuse(
                            "is a list of objects or lists; a form query holds only values and lists of values",
                        ))
                    }
                }
            }
        }
        other => match scalar(other) {
            Ok(Some(text)) => pairs.push((name.to_owned(), text)),
            Ok(None) => {}
            Err(()) => {
                return Err(refuse(
                    "is an object; a form query holds only values and lists of values",
                ))
            }
        },
    }
    Ok(())
}

/// A value as one query value: booleans as `true`/`false`, numbers as written, strings as
/// they are; `None` for null; `Err` for an object or a list.
fn scalar(value: Value) -> Result<Option<String>, ()> {
    match value {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(b.to_string())),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::String(s) => Ok(Some(s)),
        Value::Array(_) | Value::Object(_) => Err(()),
    }
}

fn field_value<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Value, InvalidRequest> {
    serde_json::to_value(value).map_err(|e| InvalidRequest {
        field: name.to_owned(),
        reason: format!("does not serialize: {e}"),
    })
}

/// The serializer's error: the refusal it stands for.
#[derive(Debug)]
struct FormError(InvalidRequest);

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for FormError {}

impl ser::Error for FormError {
    fn custom<M: fmt::Display>(message: M) -> Self {
        FormError(InvalidRequest {
            field: "query".to_owned(),
            reason: message.to_string(),
        })
    }
}

impl From<InvalidRequest> for FormError {
    fn from(e: InvalidRequest) -> Self {
        FormError(e)
    }
}

fn not_an_object<T>() -> Result<T, FormError> {
    Err(FormError(InvalidRequest {
        field: "query".to_owned(),
        reason: "is not an object; only an object's fields become form query pairs".to_owned(),
    }))
}

/// The serializer of the top-level value: only a struct or a map (or an `Option` or
/// newtype of one) is accepted.
struct Form;

/// The fields of a struct or the entries of a map, as they come.
struct Fields {
    pairs: Vec<(String, String)>,
    key: Option<String>,
}

type Refused = Impossible<Vec<(String, String)>, FormError>;

impl ser::Serializer for Form {
    type Ok = Vec<(String, String)>;
    type Error = FormError;
    type SerializeSeq = Refused;
    type SerializeTuple = Refused;
    type SerializeTupleStruct = Refused;
    type SerializeTupleVariant = Refused;
    type SerializeMap = Fields;
    type SerializeStruct = Fields;
    type SerializeStructVariant = Refused;

    fn serialize_bool(self, _: bool) -> Result<Self::Ok, FormError> {
        not_an_object()
    }
    fn serialize_i8(self, _: i8) -> Result<Self::Ok, FormError> {
        not_an_object()
    }
    fn serialize_i16(self, _: i16) -> Result<Self::Ok, FormError> {
        not_an_object()
    }
    fn serialize_i32(self, _: i32) -> Result<Self::Ok, FormError> {
        not_an_object()
    }
    fn serialize_i64(self, _: i64) -> Result<Self::Ok, FormError> {
        not_an_object()
    }
    fn serialize_u8(self, _: u8) -> Result<Self::Ok, FormError> {
        not_an_object()
    }
    fn serialize_u16(self, _: u16) -> Result<Self::Ok, FormError> {
        not_an_object()
    }
    fn serialize_u32(self, _: u32) -> Result<Self::Ok, FormError> {
        not_an_object()
    }
    fn serialize_u64(self, _: u64) -> Result<Self::Ok, FormError> {
        not_an_object()
    }
    fn serialize_f32(self, _: f32) -> Result<Self::Ok, FormError> {
        not_an_object()
    }
    fn serialize_f64(self, _: f64) -> Result<Self::Ok, FormError> {
        not_an_object()
    }
    fn serialize_char(self, _: char) -> Result<Self::Ok, FormError> {
        not_an_object()
    }
    fn serialize_str(self, _: &str) -> Result<Self::Ok, FormError> {
        not_an_object()
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Self::Ok, FormError> {
        not_an_object()
    }
    /// An unset optional filter: no pairs.
    fn serialize_none(self) -> Result<Self::Ok, FormError> {
        Ok(Vec::new())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok, FormError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Self::Ok, FormError> {
        Ok(Vec::new())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Self::Ok, FormError> {
        Ok(Vec::new())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<Self::Ok, FormError> {
        not_an_object()
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Self::Ok, FormError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Self::Ok, FormError> {
        not_an_object()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, FormError> {
        not_an_object()
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, FormError> {
        not_an_object()
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, FormError> {
        not_an_object()
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, FormError> {
        not_an_object()
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, FormError> {
        Ok(Fields {
            pairs: Vec::new(),
            key: None,
        })
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, FormError> {
        Ok(Fields {
            pairs: Vec::new(),
            key: None,
        })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, FormError> {
        not_an_object()
    }
}

impl ser::SerializeStruct for Fields {
    type Ok = Vec<(String, String)>;
    type Error = FormError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), FormError> {
        let value = field_value(name, value)?;
        Ok(push_field(&mut self.pairs, name, value)?)
    }

    fn end(self) -> Result<Self::Ok, FormError> {
        Ok(self.pairs)
    }
}

/// Maps come from `#[serde(flatten)]` and from map-typed filters; their keys must be
/// strings, as in JSON.
impl ser::SerializeMap for Fields {
    type Ok = Vec<(String, String)>;
    type Error = FormError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), FormError> {
        match field_value("query", key)? {
            Value::String(key) => {
                self.key = Some(key);
                Ok(())
            }
            _ => Err(FormError(InvalidRequest {
                field: "query".to_owned(),
                reason: "has a key that is not a string".to_owned(),
            })),
        }
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FormError> {
        // serde calls `serialize_key` first; without a key the value has no name.
        let name = self.key.take().ok_or_else(|| {
            FormError(InvalidRequest {
                field: "query".to_owned(),
                reason: "has a value without a key".to_owned(),
            })
        })?;
        let value = field_value(&name, value)?;
        Ok(push_field(&mut self.pairs, &name, value)?)
    }

    fn end(self) -> Result<Self::Ok, FormError> {
        Ok(self.pairs)
    }
}

#[cfg(test)]
mod tests {
    use super::form_pairs;
    use serde::Serialize;
    use std::collections::BTreeMap;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[derive(Serialize)]
    struct Filter {
        // Not alphabetical, so the test sees field order and not key order.
        paired: Option<bool>,
        local: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        count: Option<i64>,
        names: Vec<&'static str>,
    }

    #[test]
    fn fields_in_order_unset_ones_omitted_lists_exploded() {
        let filter = Filter {
            paired: Some(false),
            local: Some(true),
            name: None,
            count: None,
            names: vec!["a", "b c"],
        };
        assert_eq!(
            form_pairs(&filter).expect("pairs"),
            pairs(&[
                ("paired", "false"),
                ("local", "true"),
                ("names", "a"),
                ("names", "b c")
            ])
        );
    }

    #[test]
    fn an_unset_filter_or_a_map_work_and_a_scalar_is_refused() {
        assert_eq!(form_pairs(&None::<Filter>).expect("none"), pairs(&[]));
        let map = BTreeMap::from([("x", 1.5), ("y", -2.0)]);
        assert_eq!(
            form_pairs(&map).expect("map"),
            pairs(&[("x", "1.5"), ("y", "-2.0")])
        );
        let err = form_pairs(&7).expect_err("scalar");
        assert_eq!(err.field, "query");
    }

    #[test]
    fn nested_objects_and_lists_are_refused_naming_the_field() {
        #[derive(Serialize)]
        struct Nested {
            ok: bool,
            inner: BTreeMap<&'static str, u8>,
        }
        let err = form_pairs(&Nested {
            ok: true,
            inner: BTreeMap::from([("a", 1)]),
        })
        .expect_err("nested");
        assert_eq!(err.field, "inner");
        assert!(err.reason.contains("is an object"), "{err}");

        #[derive(Serialize)]
        struct Lists {
            lists: Vec<Vec<u8>>,
        }
        let err = form_pairs(&Lists {
            lists: vec![vec![1]],
        })
        .expect_err("list of lists");
        assert_eq!(err.field, "lists");
    }
}
