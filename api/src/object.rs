//! JSON objects only: serde's derived structs also take an array of their fields in
//! order (`["text", null]` would be an `AnonymizeRequest`), which no client means and the
//! OpenAPI document does not allow.

use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor, value::MapAccessDeserializer};

/// A `T` that was given as a JSON object.
#[derive(Debug, Clone, PartialEq)]
pub struct Object<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
            type Value = T;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map))
            }
        }

        deserializer
            .deserialize_map(ObjectVisitor(PhantomData))
            .map(Object)
    }
}

/// `#[serde(deserialize_with = "objects")]`: a list whose items must be objects.
pub fn objects<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let items: Vec<Object<T>> = Vec::deserialize(deserializer)?;
    Ok(items.into_iter().map(|Object(t)| t).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Pair {
        a: Option<String>,
        b: Option<u32>,
    }

    #[test]
    fn objects_are_taken_and_arrays_refused() {
        let ok: Object<Pair> = serde_json::from_str(r#"{"a":"x","b":1}"#).unwrap();
        assert_eq!(
            ok.0,
            Pair {
                a: Some("x".into()),
                b: Some(1)
            }
        );
        // What the derived impl alone would take.
        assert!(serde_json::from_str::<Pair>(r#"["x",1]"#).is_ok());
        assert!(serde_json::from_str::<Object<Pair>>(r#"["x",1]"#).is_err());
        #[derive(Debug, serde::Deserialize)]
        struct List {
            #[serde(deserialize_with = "objects")]
            items: Vec<Pair>,
        }
        let list: List = serde_json::from_str(r#"{"items":[{"a":null}]}"#).unwrap();
        assert_eq!(list.items, vec![Pair { a: None, b: None }]);
        assert!(serde_json::from_str::<List>(r#"{"items":[[null,null]]}"#).is_err());
    }
}
