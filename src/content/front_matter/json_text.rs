//! Free-form values as JSON text, for the build cache: its binary format cannot tell a
//! value's type by itself, as a free-form value needs.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

type Extra = BTreeMap<String, serde_json::Value>;

pub(super) fn serialize<S: Serializer>(extra: &Extra, serializer: S) -> Result<S::Ok, S::Error> {
    let text = serde_json::to_string(extra).map_err(serde::ser::Error::custom)?;
    text.serialize(serializer)
}

pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Extra, D::Error> {
    let text = String::deserialize(deserializer)?;
    serde_json::from_str(&text).map_err(serde::de::Error::custom)
}
