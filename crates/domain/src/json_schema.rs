//! A small JSON Schema (draft 2020-12) validator for the subset of keywords that
//! `docs/open-data.schema.json` uses. A full validator crate would bring some 30 new crates
//! into the build for one file; this one is a page of code and refuses, when it is built, any
//! schema with a keyword it does not know, so the shipped schema can never silently use more
//! than is checked.
//!
//! Checked: `type` (one or a list; `integer` is a number without a fraction), `const`, `enum`,
//! `required`, `properties`, `additionalProperties` (a schema or `false`), `items`,
//! `minItems`/`maxItems`, `minLength`/`maxLength` (characters), `pattern`, `minimum`/`maximum`,
//! `format: date` (`YYYY-MM-DD`, a real day), `$ref` to `#/$defs/…`, `allOf` and
//! `if`/`then`/`else`. Annotations (`$schema`, `$id`, `title`, `description`, `$comment`) are
//! ignored. The first failure found is reported with its path (`periods[1].indicators[3].value`)
//! and the reason in words.

use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// A keyword the validator does not know, or a keyword with a value it cannot use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadSchema(pub String);

impl fmt::Display for BadSchema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadSchema {}

/// A value that does not match: where (`file` for the whole document) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub path: String,
    pub reason: String,
}

const ANNOTATIONS: &[&str] = &["$schema", "$id", "title", "description", "$comment", "$defs", "examples"];
const KEYWORDS: &[&str] = &[
    "type",
    "const",
    "enum",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "format",
    "$ref",
    "allOf",
    "if",
    "then",
    "else",
];

/// A checked schema, ready to validate documents.
#[derive(Debug)]
pub struct Schema {
    root: Value,
    patterns: BTreeMap<String, regex::Regex>,
}

impl Schema {
    /// Read `schema`; refused when it uses a keyword (or a `format`, or a `$ref`) this validator
    /// does not check.
    pub fn new(schema: Value) -> Result<Schema, BadSchema> {
        let mut patterns = BTreeMap::new();
        check_schema(&schema, &schema, "#", &mut patterns)?;
        Ok(Schema { root: schema, patterns })
    }

    /// The first place where `doc` does not match.
    pub fn validate(&self, doc: &Value) -> Result<(), Mismatch> {
        self.at(&self.root, doc, &mut vec![])
    }

    fn at(&self, schema: &Value, doc: &Value, path: &mut Vec<Step>) -> Result<(), Mismatch> {
        let Some(s) = schema.as_object() else {
            return match schema {
                Value::Bool(false) => Err(mismatch(path, "is not allowed here".into())),
                _ => Ok(()),
            };
        };
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            let target = resolve(&self.root, r).expect("checked in Schema::new");
            self.at(target, doc, path)?;
        }
        if let Some(t) = s.get("type") {
            let types: Vec<&str> = match t {
                Value::String(one) => vec![one.as_str()],
                Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            if !types.iter().any(|t| has_type(doc, t)) {
                return Err(mismatch(path, format!("must be {} (is {})", types.join(" or "), kind(doc))));
            }
        }
        if let Some(c) = s.get("const")
            && !same(c, doc)
        {
            return Err(mismatch(path, format!("must be {c} (is {})", short(doc))));
        }
        if let Some(Value::Array(allowed)) = s.get("enum")
            && !allowed.iter().any(|a| same(a, doc))
        {
            let names: Vec<String> =
                allowed.iter().map(|a| a.as_str().map_or_else(|| a.to_string(), str::to_string)).collect();
            return Err(mismatch(path, format!("must be one of {} (is {})", names.join(", "), short(doc))));
        }
        if let Some(text) = doc.as_str() {
            let chars = text.chars().count() as u64;
            if let Some(min) = s.get("minLength").and_then(Value::as_u64)
                && chars < min
            {
                return Err(mismatch(path, format!("must be at least {min} characters")));
            }
            if let Some(max) = s.get("maxLength").and_then(Value::as_u64)
                && chars > max
            {
                return Err(mismatch(path, format!("must be at most {max} characters")));
            }
            if let Some(p) = s.get("pattern").and_then(Value::as_str)
                && !self.patterns[p].is_match(text)
            {
                return Err(mismatch(path, format!("does not match the pattern {p} (is {})", short(doc))));
            }
            if s.get("format").and_then(Value::as_str) == Some("date") && !is_date(text) {
                return Err(mismatch(path, format!("must be a date as YYYY-MM-DD (is {})", short(doc))));
            }
        }
        if let Some(x) = doc.as_f64() {
            if let Some(min) = s.get("minimum").and_then(Value::as_f64)
                && x < min
            {
                return Err(mismatch(path, format!("must be at least {min} (is {x})")));
            }
            if let Some(max) = s.get("maximum").and_then(Value::as_f64)
                && x > max
            {
                return Err(mismatch(path, format!("must be at most {max} (is {x})")));
            }
        }
        if let Some(items) = doc.as_array() {
            let n = items.len() as u64;
            if let Some(min) = s.get("minItems").and_then(Value::as_u64)
                && n < min
            {
                return Err(mismatch(path, format!("must have at least {min} entries (has {n})")));
            }
            if let Some(max) = s.get("maxItems").and_then(Value::as_u64)
                && n > max
            {
                return Err(mismatch(path, format!("must have at most {max} entries (has {n})")));
            }
            if let Some(each) = s.get("items") {
                for (i, item) in items.iter().enumerate() {
                    path.push(Step::Index(i));
                    self.at(each, item, path)?;
                    path.pop();
                }
            }
        }
        if let Some(fields) = doc.as_object() {
            if let Some(Value::Array(required)) = s.get("required") {
                for name in required.iter().filter_map(Value::as_str) {
                    if !fields.contains_key(name) {
                        path.push(Step::Field(name.to_string()));
                        let missing = mismatch(path, "is missing".into());
                        path.pop();
                        return Err(missing);
                    }
                }
            }
            let properties = s.get("properties").and_then(Value::as_object);
            for (name, value) in fields {
                let known = properties.and_then(|p| p.get(name));
                path.push(Step::Field(name.clone()));
                match (known, s.get("additionalProperties")) {
                    (Some(sub), _) | (None, Some(sub)) => self.at(sub, value, path)?,
                    (None, None) => {}
                }
                path.pop();
            }
        }
        if let Some(Value::Array(all)) = s.get("allOf") {
            for sub in all {
                self.at(sub, doc, path)?;
            }
        }
        if let Some(condition) = s.get("if") {
            let branch = if self.at(condition, doc, &mut path.clone()).is_ok() { s.get("then") } else { s.get("else") };
            if let Some(branch) = branch {
                self.at(branch, doc, path)?;
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone)]
enum Step {
    Field(String),
    Index(usize),
}

fn mismatch(path: &[Step], reason: String) -> Mismatch {
    let mut text = String::new();
    for step in path {
        match step {
            Step::Field(name) if text.is_empty() => text.push_str(name),
            Step::Field(name) => {
                text.push('.');
                text.push_str(name);
            }
            Step::Index(i) => text.push_str(&format!("[{i}]")),
        }
    }
    Mismatch { path: if text.is_empty() { "file".into() } else { text }, reason }
}

fn check_schema(
    root: &Value,
    schema: &Value,
    at: &str,
    patterns: &mut BTreeMap<String, regex::Regex>,
) -> Result<(), BadSchema> {
    let s = match schema {
        Value::Object(s) => s,
        Value::Bool(_) => return Ok(()),
        _ => return Err(BadSchema(format!("{at}: a schema is an object or a boolean"))),
    };
    for (keyword, value) in s {
        let here = format!("{at}/{keyword}");
        match keyword.as_str() {
            k if ANNOTATIONS.contains(&k) => {}
            "properties" => {
                let Some(props) = value.as_object() else { return Err(BadSchema(format!("{here}: not an object"))) };
                for (name, sub) in props {
                    check_schema(root, sub, &format!("{here}/{name}"), patterns)?;
                }
            }
            "additionalProperties" | "items" | "if" | "then" | "else" => check_schema(root, value, &here, patterns)?,
            "allOf" => {
                let Some(all) = value.as_array() else { return Err(BadSchema(format!("{here}: not a list"))) };
                for (i, sub) in all.iter().enumerate() {
                    check_schema(root, sub, &format!("{here}/{i}"), patterns)?;
                }
            }
            "$ref" => {
                let target = value.as_str().and_then(|r| resolve(root, r));
                if target.is_none() {
                    return Err(BadSchema(format!("{here}: only #/$defs/… references within the file")));
                }
            }
            "pattern" => {
                let p = value.as_str().unwrap_or_default();
                let re = regex::Regex::new(p).map_err(|e| BadSchema(format!("{here}: {e}")))?;
                patterns.insert(p.to_string(), re);
            }
            "format" if value.as_str() != Some("date") => {
                return Err(BadSchema(format!("{here}: only the format date is checked")));
            }
            k if KEYWORDS.contains(&k) => {}
            other => return Err(BadSchema(format!("{here}: the keyword {other} is not checked by this validator"))),
        }
    }
    if let Some(defs) = s.get("$defs").and_then(Value::as_object) {
        for (name, sub) in defs {
            check_schema(root, sub, &format!("{at}/$defs/{name}"), patterns)?;
        }
    }
    Ok(())
}

fn resolve<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let name = reference.strip_prefix("#/$defs/")?;
    root.get("$defs")?.get(name)
}

fn has_type(v: &Value, t: &str) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "string" => v.is_string(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|x| x.fract() == 0.0),
        _ => false,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() && n.as_f64().is_some_and(|x| x.fract() != 0.0) => "a number with a fraction",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Numbers compare by value (`1` equals `1.0`); everything else as JSON.
fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// The value as shown in a reason: texts and numbers as they are, others by their kind.
fn short(v: &Value) -> String {
    match v {
        Value::String(t) if t.chars().count() <= 60 => format!("{t:?}"),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        other => kind(other).into(),
    }
}

fn is_date(text: &str) -> bool {
    text.len() == 10 && text.as_bytes()[4] == b'-' && text.parse::<jiff::civil::Date>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn refused(schema: Value, doc: Value) -> (String, String) {
        let m = Schema::new(schema).unwrap().validate(&doc).unwrap_err();
        (m.path, m.reason)
    }

    #[test]
    fn each_keyword_refuses_what_it_forbids_and_names_the_path() {
        let object = json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["a"],
            "properties": {
                "a": {"type": "integer", "minimum": 1, "maximum": 9},
                "b": {"type": ["string", "null"], "minLength": 2, "maxLength": 3, "pattern": "^[a-z]+$"},
                "c": {"type": "array", "minItems": 1, "maxItems": 2, "items": {"$ref": "#/$defs/d"}},
                "e": {"const": "1.0"},
                "f": {"enum": ["x", "y"]},
                "g": {"type": "string", "format": "date"}
            },
            "$defs": {"d": {"type": "number"}}
        });
        let fails = |doc: Value| refused(object.clone(), doc);
        assert!(Schema::new(object.clone()).unwrap().validate(&json!({"a": 3, "b": null, "c": [1.5]})).is_ok());
        assert_eq!(fails(json!({})), ("a".into(), "is missing".into()));
        assert_eq!(fails(json!({"a": 3, "z": 1})), ("z".into(), "is not allowed here".into()));
        assert_eq!(fails(json!({"a": 2.5})).1, "must be integer (is a number with a fraction)");
        assert!(Schema::new(object.clone()).unwrap().validate(&json!({"a": 2.0})).is_ok(), "2.0 is an integer");
        assert_eq!(fails(json!({"a": 0})).1, "must be at least 1 (is 0)");
        assert_eq!(fails(json!({"a": 10})).1, "must be at most 9 (is 10)");
        assert_eq!(fails(json!({"a": 1, "b": 5})).1, "must be string or null (is a number)");
        assert_eq!(fails(json!({"a": 1, "b": "x"})).1, "must be at least 2 characters");
        assert_eq!(fails(json!({"a": 1, "b": "wxyz"})).1, "must be at most 3 characters");
        assert_eq!(fails(json!({"a": 1, "b": "AB"})).1, "does not match the pattern ^[a-z]+$ (is \"AB\")");
        assert_eq!(fails(json!({"a": 1, "c": []})).1, "must have at least 1 entries (has 0)");
        assert_eq!(fails(json!({"a": 1, "c": [1, 2, 3]})).1, "must have at most 2 entries (has 3)");
        assert_eq!(fails(json!({"a": 1, "c": [1, "2"]})), ("c[1]".into(), "must be number (is a text)".into()));
        assert_eq!(fails(json!({"a": 1, "e": "0.9"})).1, "must be \"1.0\" (is \"0.9\")");
        assert_eq!(fails(json!({"a": 1, "f": "z"})).1, "must be one of x, y (is \"z\")");
        assert_eq!(fails(json!({"a": 1, "g": "2026-02-30"})).1, "must be a date as YYYY-MM-DD (is \"2026-02-30\")");
        assert_eq!(fails(json!([1])), ("file".into(), "must be object (is a list)".into()));
    }

    #[test]
    fn if_then_else_and_all_of_apply_the_branch_that_fits() {
        let schema = json!({
            "allOf": [{
                "if": {"properties": {"status": {"const": "reported"}}},
                "then": {"properties": {"value": {"type": "number"}}},
                "else": {"properties": {"value": {"type": "null"}}}
            }]
        });
        let ok = |doc: Value| Schema::new(schema.clone()).unwrap().validate(&doc).is_ok();
        assert!(ok(json!({"status": "reported", "value": 3})));
        assert!(ok(json!({"status": "suppressed", "value": null})));
        assert_eq!(refused(schema.clone(), json!({"status": "reported", "value": null})).0, "value");
        assert_eq!(refused(schema, json!({"status": "suppressed", "value": 3})).1, "must be null (is a number)");
    }

    #[test]
    fn a_schema_with_a_keyword_it_does_not_check_is_refused() {
        for bad in [
            json!({"oneOf": [{"type": "string"}]}),
            json!({"properties": {"a": {"uniqueItems": true}}}),
            json!({"format": "email"}),
            json!({"$ref": "https://elsewhere.example/schema.json"}),
            json!({"pattern": "("}),
        ] {
            assert!(Schema::new(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_shipped_open_data_schema_uses_only_checked_keywords() {
        let schema: Value = serde_json::from_str(include_str!("../../../docs/open-data.schema.json")).unwrap();
        Schema::new(schema).expect("every keyword of docs/open-data.schema.json is checked");
    }
}
