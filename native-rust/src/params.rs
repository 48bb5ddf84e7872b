//! Typed, strict reading of a node's JSON configuration: every error names the node kind and the key,
//! and keys the node does not know are rejected rather than silently ignored.

use crate::error::NodeError;
use crate::json::{self, Json};

pub struct Params {
    kind: &'static str,
    members: Vec<(String, Json)>,
    used: Vec<bool>,
}

impl Params {
    /// Parses `text` (a JSON object; empty text means `{}`) as the configuration of node `kind`.
    pub fn parse(kind: &'static str, text: &str) -> Result<Params, NodeError> {
        let value = if text.trim().is_empty() {
            Json::Object(Vec::new())
        } else {
            json::parse(text).map_err(|e| NodeError::invalid_config(format!("{kind} config: {e}")))?
        };
        match value {
            Json::Object(members) => {
                let used = vec![false; members.len()];
                Ok(Params { kind, members, used })
            }
            other => Err(NodeError::invalid_config(format!(
                "{kind} config must be a JSON object, got {}",
                other.type_name()
            ))),
        }
    }

    fn take(&mut self, key: &str) -> Option<&Json> {
        let index = self.members.iter().position(|(k, _)| k == key)?;
        self.used[index] = true;
        match &self.members[index].1 {
            Json::Null => None,
            value => Some(value),
        }
    }

    fn wrong_type(&self, key: &str, expected: &str, got: &Json) -> NodeError {
        NodeError::invalid_config(format!(
            "{}: parameter '{key}' must be {expected}, got {}",
            self.kind,
            got.type_name()
        ))
    }

    /// A string parameter restricted to `allowed` values.
    pub fn choice(&mut self, key: &str, allowed: &[&str], default: &str) -> Result<String, NodeError> {
        let kind = self.kind;
        match self.take(key).cloned() {
            None => Ok(default.to_string()),
            Some(Json::String(s)) if allowed.contains(&s.as_str()) => Ok(s),
            Some(Json::String(s)) => Err(NodeError::invalid_config(format!(
                "{kind}: parameter '{key}' must be one of {}, got \"{s}\"",
                allowed.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ")
            ))),
            Some(other) => Err(self.wrong_type(key, "a string", &other)),
        }
    }

    /// An optional integer parameter within `[min, max]`.
    pub fn opt_int(&mut self, key: &str, min: i64, max: i64) -> Result<Option<i64>, NodeError> {
        let kind = self.kind;
        match self.take(key).cloned() {
            None => Ok(None),
            Some(Json::Number(n)) if n.fract() == 0.0 && n >= min as f64 && n <= max as f64 => Ok(Some(n as i64)),
            Some(Json::Number(n)) if n.fract() != 0.0 => Err(NodeError::invalid_config(format!(
                "{kind}: parameter '{key}' must be an integer, got {n}"
            ))),
            Some(Json::Number(n)) => Err(NodeError::invalid_config(format!(
                "{kind}: parameter '{key}' must be between {min} and {max}, got {n}"
            ))),
            Some(other) => Err(self.wrong_type(key, "an integer", &other)),
        }
    }

    pub fn int(&mut self, key: &str, min: i64, max: i64, default: i64) -> Result<i64, NodeError> {
        Ok(self.opt_int(key, min, max)?.unwrap_or(default))
    }

    /// A number within `[min, max]`.
    pub fn number(&mut self, key: &str, min: f64, max: f64, default: f64) -> Result<f64, NodeError> {
        let kind = self.kind;
        match self.take(key).cloned() {
            None => Ok(default),
            Some(Json::Number(n)) if n >= min && n <= max => Ok(n),
            Some(Json::Number(n)) => Err(NodeError::invalid_config(format!(
                "{kind}: parameter '{key}' must be between {min} and {max}, got {n}"
            ))),
            Some(other) => Err(self.wrong_type(key, "a number", &other)),
        }
    }

    pub fn boolean(&mut self, key: &str, default: bool) -> Result<bool, NodeError> {
        match self.take(key).cloned() {
            None => Ok(default),
            Some(Json::Bool(b)) => Ok(b),
            Some(other) => Err(self.wrong_type(key, "a boolean", &other)),
        }
    }

    /// Fails if the configuration holds a key that was never read.
    pub fn finish(self) -> Result<(), NodeError> {
        let unknown: Vec<&str> =
            self.members.iter().zip(&self.used).filter(|(_, used)| !**used).map(|((k, _), _)| k.as_str()).collect();
        if unknown.is_empty() {
            Ok(())
        } else {
            Err(NodeError::invalid_config(format!(
                "{}: unknown parameter(s) {}",
                self.kind,
                unknown.iter().map(|k| format!("'{k}'")).collect::<Vec<_>>().join(", ")
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn reads_typed_values_and_defaults() {
        let mut p = Params::parse("T", r#"{"a":"x","n":3,"f":0.5,"b":true,"z":null}"#).unwrap();
        assert_eq!(p.choice("a", &["x", "y"], "y").unwrap(), "x");
        assert_eq!(p.int("n", 1, 8, 1).unwrap(), 3);
        assert_eq!(p.number("f", 0.0, 1.0, 0.1).unwrap(), 0.5);
        assert!(p.boolean("b", false).unwrap());
        assert_eq!(p.opt_int("z", 0, 1).unwrap(), None);
        assert_eq!(p.int("missing", 0, 9, 7).unwrap(), 7);
        p.finish().unwrap();
    }

    #[test]
    fn errors_name_the_key() {
        let mut p = Params::parse("T", r#"{"n":"3"}"#).unwrap();
        let e = p.opt_int("n", 0, 9).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidConfig);
        assert!(e.message.contains("'n'") && e.message.contains("integer"), "{}", e.message);

        let mut p = Params::parse("T", r#"{"n":30}"#).unwrap();
        assert!(p.opt_int("n", 0, 9).unwrap_err().message.contains("between 0 and 9"));

        let p = Params::parse("T", r#"{"typo":1}"#).unwrap();
        assert!(p.finish().unwrap_err().message.contains("'typo'"));

        assert!(Params::parse("T", "[1]").is_err());
        assert!(Params::parse("T", "{").is_err());
    }
}
