//! JSON Schema validation (draft 2020-12, and draft 7 when `$schema` says so), compiled once,
//! validated many times, with ajv-shaped errors.

pub(crate) mod compile;
mod defaults;
pub(crate) mod format;
mod idna;
pub(crate) mod json;
mod meta;
mod pychars;
#[cfg(feature = "python-re")]
mod pyidna;
#[cfg(feature = "python-re")]
#[rustfmt::skip]
mod pyidna_data;
#[cfg(feature = "python-re")]
mod pycrawl;
#[cfg(feature = "python-re")]
mod pymalformed;
#[cfg(feature = "python-re")]
pub(crate) mod pynames;
#[cfg(feature = "python-re")]
pub(crate) mod pyregex;
pub(crate) mod python;
mod pyunicode;
#[cfg(feature = "python-re")]
pub(crate) mod pyurl;
pub(crate) mod regex;
pub(crate) mod uri;
mod validate;
pub(crate) use validate::too_many_errors;

use crate::json::Value;

pub use format::Formats;

use compile::{Compiled, Compiler};

/// One validation error, shaped like ajv's: `instancePath` (`""` for the root, `/a/0`),
/// `schemaPath` (`#/properties/a/type`), `keyword`, `params`, `message`.
///
/// # Examples
/// ```
/// use airflow_trigger::ConfValidator;
/// let v = ConfValidator::new(&airflow_trigger::json!({"properties": {"n": {"minimum": 1}}}), Default::default()).unwrap();
/// let e = &v.validate(&airflow_trigger::json!({"n": 0})).errors[0];
/// assert_eq!((e.instance_path.as_str(), e.schema_path.as_str(), e.keyword.as_str()), ("/n", "#/properties/n/minimum", "minimum"));
/// assert_eq!(e.message, "must be >= 1");
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ValidationError {
    /// JSON Pointer to the value that failed.
    pub instance_path: String,
    /// Where the failing keyword is in the schema.
    pub schema_path: String,
    /// The keyword that failed.
    pub keyword: String,
    /// The keyword's parameters, e.g. `{"missingProperty": "x"}`.
    pub params: Value,
    /// What is wrong, in ajv's words.
    pub message: String,
}

impl ValidationError {
    /// Appends the `to_json` form as JSON text, without copying the fields into a `Value` first.
    #[cfg_attr(not(all(target_arch = "wasm32", feature = "js")), allow(dead_code))]
    pub(crate) fn write_json(&self, out: &mut String) {
        use crate::json::{write_string, write_value};
        out.push_str("{\"instancePath\":");
        write_string(out, &self.instance_path);
        out.push_str(",\"schemaPath\":");
        write_string(out, &self.schema_path);
        out.push_str(",\"keyword\":");
        write_string(out, &self.keyword);
        out.push_str(",\"params\":");
        write_value(out, &self.params);
        out.push_str(",\"message\":");
        write_string(out, &self.message);
        out.push('}');
    }

    /// Appends `errors` as a JSON array of their `to_json` forms.
    #[cfg_attr(not(all(target_arch = "wasm32", feature = "js")), allow(dead_code))]
    pub(crate) fn write_list(errors: &[ValidationError], out: &mut String) {
        out.push('[');
        for (i, e) in errors.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            e.write_json(out);
        }
        out.push(']');
    }

    /// The JS shape (camelCase).
    #[cfg(any(test, feature = "js-swb"))]
    pub(crate) fn to_json(&self) -> Value {
        let mut m = crate::json::Map::new();
        m.insert("instancePath".into(), Value::String(self.instance_path.clone()));
        m.insert("schemaPath".into(), Value::String(self.schema_path.clone()));
        m.insert("keyword".into(), Value::String(self.keyword.clone()));
        m.insert("params".into(), self.params.clone());
        m.insert("message".into(), Value::String(self.message.clone()));
        Value::Object(m)
    }
}

/// The outcome of a validation.
///
/// With the `serde` feature, it and [`ValidationError`] (de)serialize with their Rust field
/// names (`instance_path`, `schema_path`, ...; the JS shape is camelCase).
///
/// # Examples
/// ```
/// use airflow_trigger::{json, ConfValidator};
/// let v = ConfValidator::new(&json!({"items": {"type": "integer"}}), Default::default()).unwrap();
/// let r = v.validate(&json!([1, "2", 3.5]));
/// assert!(!r.valid);
/// let paths: Vec<&str> = r.errors.iter().map(|e| e.instance_path.as_str()).collect();
/// assert_eq!(paths, ["/1", "/2"]);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ValidationResult {
    /// Whether the instance is valid.
    pub valid: bool,
    /// Every error (or the first, with `all_errors: false`).
    pub errors: Vec<ValidationError>,
}

impl ValidationError {
    /// Whether this is the error of a budget (`maxSteps`, `maxDepth`) that stopped a validation.
    pub(crate) fn is_stop(&self) -> bool {
        self.schema_path == "#" && matches!(self.keyword.as_str(), "maxSteps" | "maxDepth")
    }
}

impl ValidationResult {
    /// Whether a budget (`maxSteps`, `maxDepth`) stopped the validation: the verdict is then
    /// invalid, and the last error names the budget.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{json, ConfValidator, ValidatorOptions};
    /// let opts = ValidatorOptions { max_depth: 2, ..Default::default() };
    /// let v = ConfValidator::new(&json!({"$ref": "#"}), opts).unwrap();
    /// let r = v.validate(&json!(1));
    /// assert!(!r.valid && r.stopped());
    /// ```
    pub fn stopped(&self) -> bool {
        self.errors.last().is_some_and(ValidationError::is_stop)
    }
}

/// A format's check (see [`ValidatorOptions::added_formats`]): true when the string is valid.
///
/// # Examples
/// ```
/// let even: airflow_trigger::FormatCheck = |s| s.len() % 2 == 0;
/// assert!(even("ab") && !even("abc"));
/// ```
pub type FormatCheck = fn(&str) -> bool;

/// The host's checks of the caller's own formats: (name, string) -> valid.
pub(crate) type HostFormats<'a> = &'a dyn Fn(&str, &str) -> bool;

/// Options of [`ConfValidator`].
///
/// # Examples
/// ```
/// use airflow_trigger::{Formats, ValidatorOptions};
/// let opts = ValidatorOptions { formats: Formats::All, all_errors: false, ..Default::default() };
/// assert_eq!(opts.max_depth, 128);
/// ```
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct ValidatorOptions {
    /// Which formats are asserted. Default: [`Formats::Airflow3`] (what Airflow 3 checks).
    pub formats: Formats,
    /// Report every error (default) or stop at the first.
    pub all_errors: bool,
    /// Other schema documents that `$ref` may point to, by URI. Nothing is ever fetched.
    pub resources: Vec<(String, Value)>,
    /// Deepest nesting of schema applications (instance depth plus `$ref` chains). Default 128,
    /// at most [`MAX_DEPTH_LIMIT`].
    pub max_depth: usize,
    /// Most subschema evaluations for one validation (stops pathological schemas). Default 10,000,000.
    pub max_steps: u64,
    /// Largest JSON text accepted as an instance by the JS API, in bytes. Default
    /// [`crate::MAX_CONF_BYTES`] (4 MiB), the conf limit of triggers.
    pub max_input_bytes: usize,
    /// Most errors reported (default 100); past it, one `maxErrors` error says more were found.
    pub max_errors: usize,
    /// About the most bytes of JSON the errors take (default 256 KiB: paths, messages and params
    /// repeat keys and pattern sources); past it, the same `maxErrors` error ends the list.
    pub max_error_bytes: usize,
    /// Refuse, when compiling, what the spec would silently ignore: a keyword the schema's
    /// draft does not define (`"tpye"`), a `format` no mode knows (`"cron"`), and a `$schema`
    /// of a draft this validator does not implement (draft-04, draft-06, 2019-09). Each error
    /// names the place. Default false in Rust; the JS `ConfValidator` turns it on, as ajv 8 does.
    ///
    /// ```
    /// use airflow_trigger::{json, ConfValidator, ValidatorOptions};
    /// let strict = || ValidatorOptions { strict: true, ..Default::default() };
    /// let Err(err) = ConfValidator::new(&json!({"properties": {"n": {"tpye": "integer"}}}), strict()) else { panic!() };
    /// assert_eq!(err.message(), "schema: tpye at urn:airflow-trigger:schema#/properties/n: is not a keyword of this draft (a typo?); strict mode refuses it, strict: false ignores it");
    /// assert!(ConfValidator::new(&json!({"properties": {"n": {"tpye": "integer"}}}), Default::default()).is_ok());
    /// ```
    pub strict: bool,
    /// Keep the schemas' `default`s for [`ConfValidator::fill_defaults`] (ajv's `useDefaults`).
    /// Default false.
    pub use_defaults: bool,
    /// Formats of your own (ajv's `addFormat`): a name and a check of strings, asserted in every
    /// mode. A name of the spec's formats replaces its check. Strict mode knows these names.
    ///
    /// ```
    /// use airflow_trigger::{json, ConfValidator, ValidatorOptions};
    /// fn cron(s: &str) -> bool { s.split(' ').count() == 5 }
    /// let opts = ValidatorOptions { added_formats: vec![("cron".into(), cron)], strict: true, ..Default::default() };
    /// let v = ConfValidator::new(&json!({"format": "cron"}), opts).unwrap();
    /// assert!(v.validate(&json!("0 * * * *")).valid);
    /// assert_eq!(v.validate(&json!("hourly")).errors[0].message, "must match format \"cron\"");
    /// ```
    #[cfg_attr(feature = "serde", serde(skip))]
    pub added_formats: Vec<(String, FormatCheck)>,
}

impl Default for ValidatorOptions {
    fn default() -> ValidatorOptions {
        ValidatorOptions {
            formats: Formats::Airflow3,
            all_errors: true,
            resources: Vec::new(),
            max_depth: 128,
            max_steps: 10_000_000,
            max_input_bytes: crate::MAX_CONF_BYTES,
            max_errors: DEFAULT_MAX_ERRORS,
            max_error_bytes: 256 << 10,
            strict: false,
            use_defaults: false,
            added_formats: Vec::new(),
        }
    }
}

/// The default of [`ValidatorOptions::max_errors`] (and of the Params validator's).
pub(crate) const DEFAULT_MAX_ERRORS: usize = 100;

/// The largest `max_depth` accepted. Measured: every recursive path of the validator fits at 400
/// in a debug build on a 2 MB thread (a test thread's stack) and at 1,000 in the release wasm
/// module (1 MB stack); this cap keeps a margin of more than 1.5x over the smaller.
/// `tests/adversarial.rs` and `tests/e2e/adversarial.test.mjs` validate at the cap.
///
/// # Examples
/// ```
/// use airflow_trigger::{json, ConfValidator, ValidatorOptions, MAX_DEPTH_LIMIT};
/// let at_most = |max_depth| ConfValidator::new(&json!({}), ValidatorOptions { max_depth, ..Default::default() });
/// assert!(at_most(MAX_DEPTH_LIMIT).is_ok());
/// assert!(at_most(MAX_DEPTH_LIMIT + 1).is_err());
/// ```
pub const MAX_DEPTH_LIMIT: usize = 256;

/// A compiled regular expression.
pub(crate) struct Pattern {
    pub(crate) source: String,
    pub(crate) regex: Engine,
}

/// ECMA-262 (`formats` "all" and "none") or Python's `re` (the Airflow modes).
pub(crate) enum Engine {
    Ecma(regex::Regex),
    #[cfg(feature = "python-re")]
    Python(pyregex::PyRegex),
}

impl Engine {
    /// Whether the pattern matches anywhere in `text`, spending `budget`.
    pub(crate) fn is_match_within(&self, text: &str, budget: &mut u64) -> Result<bool, regex::Exhausted> {
        match self {
            Engine::Ecma(r) => r.is_match_within(text, budget),
            #[cfg(feature = "python-re")]
            Engine::Python(r) => r.is_match_within(text, budget),
        }
    }
}

/// Without the `python-re` feature the Airflow modes refuse what they cannot judge as Airflow
/// does (a pattern, `format` "regex" or "idn-hostname"), rather than answer otherwise.
#[cfg(not(feature = "python-re"))]
pub(crate) const NO_PYTHON: &str = "needs Python's re: load airflow-trigger/full, or use formats \"all\"";

/// Patterns run on the crate's engines everywhere, never on a host's `RegExp`: the engines'
/// cost is charged to the validation's budget.
pub(crate) fn compile_regex(formats: Formats, p: &str) -> Result<Pattern, String> {
    #[cfg(feature = "python-re")]
    let regex =
        if formats.python() { Engine::Python(pyregex::PyRegex::new(p)?) } else { Engine::Ecma(regex::Regex::new(p)?) };
    #[cfg(not(feature = "python-re"))]
    let regex = match formats.python() {
        true => return Err(NO_PYTHON.into()),
        false => Engine::Ecma(regex::Regex::new(p)?),
    };
    Ok(Pattern { source: p.to_string(), regex })
}

/// python-jsonschema's `check_schema`, which `jsonschema.validate` runs before it validates (so
/// Airflow does, for every Param): the whole schema, subschemas that nothing reaches included,
/// must be valid under its draft's metaschema, with the format checks Airflow's venvs have there
/// (`regex`: neither has a `uri` checker installed). Only with Python's `re`, which the
/// metaschemas' patterns and `format: "regex"` need.
#[cfg(feature = "python-re")]
fn check_schema(schema: &Value) -> Result<(), String> {
    use std::cell::OnceCell;
    thread_local! {
        static META: [OnceCell<Result<ConfValidator, String>>; 6] = const {
            [OnceCell::new(), OnceCell::new(), OnceCell::new(), OnceCell::new(), OnceCell::new(), OnceCell::new()]
        };
    }
    use compile::Draft;
    let draft = compile::python_draft(schema, Draft::Draft2020)?;
    let (uri, name) = match draft {
        Draft::Draft3 => ("http://json-schema.org/draft-03/schema", "draft-03"),
        Draft::Draft4 => ("http://json-schema.org/draft-04/schema", "draft-04"),
        Draft::Draft6 => ("http://json-schema.org/draft-06/schema", "draft-06"),
        Draft::Draft7 => ("http://json-schema.org/draft-07/schema", "draft-07"),
        Draft::Draft2019 => ("https://json-schema.org/draft/2019-09/schema", "draft 2019-09"),
        Draft::Draft2020 => ("https://json-schema.org/draft/2020-12/schema", "draft 2020-12"),
    };
    META.with(|meta| {
        let meta = meta[draft as usize].get_or_init(|| {
            let options = ValidatorOptions {
                formats: Formats::Airflow3,
                max_depth: MAX_DEPTH_LIMIT,
                max_steps: u64::MAX,
                max_errors: 1,
                ..Default::default()
            };
            // The metaschema itself, read with its own draft (python-jsonschema's check_schema).
            // The venvs' draft-07 metaschema (jsonschema-specifications) has no `writeOnly`.
            let mut root = meta::builtin(uri, true).cloned().unwrap_or(Value::Bool(true));
            if draft == Draft::Draft7 {
                if let Some(properties) = root.as_object_mut().and_then(|m| m.get_mut("properties")) {
                    properties.as_object_mut().map(|p| p.remove("writeOnly"));
                }
            }
            let compiled = Compiler::compile(&root, &[], (options.formats, &[]), (false, false), &|p: &str| {
                compile_regex(Formats::Airflow3, p)
            })?;
            Ok(ConfValidator { compiled, options })
        });
        let meta = meta.as_ref().map_err(Clone::clone)?;
        let result = meta.validate(schema);
        // A schema too deep for this validator's budgets is not refused for it (Python checks
        // it to the JSON nesting limit): only a real metaschema error is.
        match result
            .errors
            .first()
            .filter(|_| !result.errors.iter().any(|e| matches!(e.keyword.as_str(), "maxDepth" | "maxSteps")))
        {
            None => Ok(()),
            Some(e) => Err(format!(
                "is not valid under the {name} metaschema, which Airflow (python-jsonschema) checks first: {}: {}",
                if e.instance_path.is_empty() { "the schema" } else { &e.instance_path },
                e.message
            )),
        }
    })
}

/// A JSON Schema compiled once, to validate many instances.
///
/// # Examples
/// ```
/// use airflow_trigger::ConfValidator;
/// use airflow_trigger::json;
/// let v = ConfValidator::new(&json!({"type": "object", "required": ["day"]}), Default::default()).unwrap();
/// assert!(v.validate(&json!({"day": "2024-01-01"})).valid);
/// assert_eq!(v.validate(&json!({})).errors[0].message, "must have required property 'day'");
/// ```
pub struct ConfValidator {
    compiled: Compiled,
    options: ValidatorOptions,
}

impl ConfValidator {
    /// [`ConfValidator::new`] with the error as text (for callers that name the schema otherwise).
    pub(crate) fn compile(schema: &Value, options: ValidatorOptions) -> Result<ConfValidator, String> {
        let deep = |v: &Value| crate::json::deeper_than(v, crate::json::MAX_NESTING);
        if deep(schema) || options.resources.iter().any(|(_, r)| deep(r)) {
            return Err(format!("the schema is nested more than {} levels deep", crate::json::MAX_NESTING));
        }
        if options.max_errors == 0 {
            return Err("maxErrors must be at least 1".into());
        }
        if !(1..=MAX_DEPTH_LIMIT).contains(&options.max_depth) {
            return Err(format!("maxDepth must be from 1 to {MAX_DEPTH_LIMIT}"));
        }
        let formats = options.formats;
        let added: Vec<&str> = options.added_formats.iter().map(|(name, _)| name.as_str()).collect();
        let compiled = Compiler::compile(
            schema,
            &options.resources,
            (formats, &added),
            (options.strict, options.use_defaults),
            &|p: &str| compile_regex(formats, p),
        )?;
        #[cfg(feature = "python-re")]
        if formats.python() {
            check_schema(schema)?;
        }
        Ok(ConfValidator { compiled, options })
    }

    /// Validates one instance.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{json, ConfValidator};
    /// let schema = json!({"type": "object", "properties": {"retries": {"type": "integer", "maximum": 5}}});
    /// let v = ConfValidator::new(&schema, Default::default()).unwrap();
    /// assert!(v.validate(&json!({"retries": 3})).valid);
    /// let r = v.validate(&json!({"retries": 9}));
    /// assert_eq!((r.errors[0].instance_path.as_str(), r.errors[0].message.as_str()), ("/retries", "must be <= 5"));
    /// ```
    pub fn validate(&self, instance: &Value) -> ValidationResult {
        self.validate_at(instance, None)
    }

    /// ajv's `useDefaults`: gives each missing property, and each missing item at the end of a
    /// tuple (`prefixItems`, draft-07's `items` array), the `default` of its schema, as ajv does
    /// before validating; returns where (instance paths, in order). Only with
    /// [`ValidatorOptions::use_defaults`]. Defaults are applied where a schema applies
    /// unconditionally: through `properties`, `prefixItems`, `items`, `allOf`, `$ref` and
    /// `$dynamicRef` (its static target); not under `anyOf`, `oneOf`, `not`, `if`/`then`/`else`,
    /// `dependentSchemas`, `additionalProperties`, `patternProperties` or `unevaluated*` (ajv
    /// fills under some of these: `then`, `else`, `dependentSchemas` and the property ones).
    /// The walk is bounded by `maxDepth` and `maxSteps`, and the value with its defaults by
    /// `maxInputBytes`.
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for the field `instance` when the defaults would make the value larger
    /// than `maxInputBytes` of JSON (a recursive schema can grow it without end); `instance` is
    /// then left as it was.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{json, ConfValidator, ValidatorOptions};
    /// let schema = json!({"required": ["retries"], "properties": {"retries": {"type": "integer", "default": 3}}});
    /// let v = ConfValidator::new(&schema, ValidatorOptions { use_defaults: true, ..Default::default() }).unwrap();
    /// let mut conf = json!({});
    /// assert_eq!(v.fill_defaults(&mut conf).unwrap(), vec!["/retries".to_string()]);
    /// assert_eq!(conf, json!({"retries": 3}));
    /// assert!(v.validate(&conf).valid);
    /// ```
    pub fn fill_defaults(&self, instance: &mut Value) -> crate::Result<Vec<String>> {
        let mut text = String::new();
        crate::json::write_value(&mut text, instance);
        let mut filled = instance.clone();
        let out = self.fill(&mut filled, text.len()).ok_or_else(|| self.too_large_with_defaults())?;
        *instance = filled;
        Ok(out.into_iter().map(|(path, _)| path).collect())
    }

    /// The error when the defaults would pass `maxInputBytes`.
    pub(crate) fn too_large_with_defaults(&self) -> crate::Error {
        crate::Error::invalid_argument(
            "instance",
            format!(
                "with its defaults (useDefaults) it would pass maxInputBytes ({}); nothing was filled in",
                self.options.max_input_bytes
            ),
        )
    }

    /// Fills the defaults into `instance` (`bytes` of JSON now): what was filled, or `None`
    /// past `maxInputBytes` (some may have been filled then).
    pub(crate) fn fill(&self, instance: &mut Value, bytes: usize) -> Option<Vec<(String, Value)>> {
        let mut out = Vec::new();
        if self.options.use_defaults {
            let mut walk = defaults::Walk {
                c: &self.compiled,
                steps: self.options.max_steps,
                bytes: self.options.max_input_bytes.saturating_sub(bytes),
                over: false,
                out: &mut out,
            };
            walk.node(self.compiled.root, instance, &mut String::new(), self.options.max_depth);
            if walk.over {
                return None;
            }
        }
        Some(out)
    }

    /// The options it was compiled with.
    #[cfg_attr(any(not(all(target_arch = "wasm32", feature = "js")), feature = "js-swb"), allow(dead_code))]
    pub(crate) fn options(&self) -> &ValidatorOptions {
        &self.options
    }

    /// Validates with instance paths starting at `/{prefix}`.
    pub(crate) fn validate_at(&self, instance: &Value, prefix: Option<&str>) -> ValidationResult {
        let (valid, errors) = validate::Ctx::new(&self.compiled, &self.options, prefix).run(instance);
        ValidationResult { valid, errors }
    }

    /// [`ConfValidator::validate`] with the caller's own formats checked by `host` (name,
    /// string) instead of `options.added_formats`' functions: the JS boundary's hook.
    #[cfg_attr(not(all(target_arch = "wasm32", feature = "js")), allow(dead_code))]
    pub(crate) fn validate_hosted(&self, instance: &Value, host: &dyn Fn(&str, &str) -> bool) -> ValidationResult {
        let mut ctx = validate::Ctx::new(&self.compiled, &self.options, None);
        ctx.host_formats = Some(host);
        let (valid, errors) = ctx.run(instance);
        ValidationResult { valid, errors }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    /// Python compiles ~490 nested groups; this crate's limit is 200: as a value of
    /// `format: "regex"` such a pattern is valid, as in Python (a schema's pattern is declined).
    #[cfg(feature = "python-re")]
    #[test]
    fn format_regex_past_this_crates_nesting_is_valid_as_in_python() {
        let airflow = || ValidatorOptions { formats: Formats::Airflow3, ..Default::default() };
        let v = ConfValidator::new(&crate::json!({"format": "regex"}), airflow()).unwrap();
        let deep = format!("{}a{}", "(".repeat(250), ")".repeat(250));
        assert!(v.validate(&Value::String(deep.clone())).valid);
        assert!(!v.validate(&crate::json!("(")).valid);
        assert!(ConfValidator::new(&crate::json!({ "pattern": deep }), airflow()).is_err());
    }

    /// Drafts 3, 4, 6 and 2019-09 and a nested `$schema`, as python-jsonschema reads them
    /// (each case's verdict is the venvs' own, checked by tests/agreement.rs on many more).
    #[cfg(feature = "python-re")]
    #[test]
    fn the_airflow_modes_read_the_other_drafts_as_python_does() {
        let airflow = || ValidatorOptions { formats: Formats::Airflow3, strict: false, ..Default::default() };
        let verdict =
            |schema: Value, value: Value| ConfValidator::new(&schema, airflow()).unwrap().validate(&value).valid;
        let (d3, d4, d6) = (
            "http://json-schema.org/draft-03/schema#",
            "http://json-schema.org/draft-04/schema#",
            "http://json-schema.org/draft-06/schema#",
        );
        let d2019 = "https://json-schema.org/draft/2019-09/schema";
        // Draft 3: schemas in `type`, "any", `disallow`, `extends`, `required` in a property.
        let t = crate::json!({"$schema": d3, "type": ["string", {"type": "integer", "minimum": 3}]});
        assert!(
            verdict(t.clone(), crate::json!("a"))
                && verdict(t.clone(), crate::json!(4))
                && !verdict(t, crate::json!(2))
        );
        assert!(verdict(crate::json!({"$schema": d3, "type": "any"}), crate::json!(null)));
        assert!(!verdict(crate::json!({"$schema": d3, "disallow": ["integer"]}), crate::json!(1)));
        assert!(
            verdict(crate::json!({"$schema": d3, "disallow": ["integer"]}), crate::json!(1.0)),
            "1.0 is no integer in draft 3"
        );
        assert!(!verdict(crate::json!({"$schema": d3, "extends": [{"minimum": 2}]}), crate::json!(1)));
        let req = crate::json!({"$schema": d3, "properties": {"a": {"required": true}}});
        assert!(!verdict(req.clone(), crate::json!({"b": 1})) && verdict(req, crate::json!({"a": 1})));
        // An unknown type name raises in Python where it is reached: the validation stops there.
        let unknown = crate::json!({"$schema": d3, "type": ["string", "integr"]});
        assert!(verdict(unknown.clone(), crate::json!("a")) && !verdict(unknown, crate::json!(1)));
        // Draft 4: a boolean exclusiveMaximum; 1.0 is no integer; const and if are not keywords.
        assert!(!verdict(crate::json!({"$schema": d4, "maximum": 3, "exclusiveMaximum": true}), crate::json!(3)));
        assert!(!verdict(crate::json!({"$schema": d4, "type": "integer"}), crate::json!(1.0)));
        assert!(verdict(
            crate::json!({"$schema": d4, "type": "integer"}),
            Value::parse("100000000000000000000").unwrap()
        ));
        assert!(verdict(crate::json!({"$schema": d4, "const": 1, "if": true, "then": false}), crate::json!(2)));
        // Draft 6: `if` is not a keyword; a `$ref` hides its siblings.
        assert!(verdict(crate::json!({"$schema": d6, "if": true, "then": false}), crate::json!(2)));
        let sib = crate::json!({"$schema": d6, "definitions": {"i": {"type": "integer"}}, "$ref": "#/definitions/i", "minimum": 5});
        assert!(verdict(sib, crate::json!(1)));
        // 2019-09: $recursiveRef to the outermost $recursiveAnchor.
        let tree = crate::json!({"$schema": d2019, "$recursiveAnchor": true, "type": ["object", "integer"], "additionalProperties": {"$recursiveRef": "#"}});
        assert!(
            verdict(tree.clone(), crate::json!({"a": {"b": 1}})) && !verdict(tree, crate::json!({"a": {"b": "x"}}))
        );
        // A nested $schema switches there; a $ref reached by descend keeps the reaching draft's
        // rule for its siblings, one reached by `not` (is_valid) follows its own.
        let nested = |how: Value| crate::json!({"$schema": d4, "definitions": {"i": {"type": "integer"}}, "properties": {"x": how}});
        let sibling = crate::json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": "#/definitions/i", "minimum": 5});
        assert!(
            verdict(nested(sibling.clone()), crate::json!({"x": 1})),
            "draft 4 reached it: the siblings are hidden"
        );
        assert!(
            verdict(nested(crate::json!({"if": sibling, "then": false})), crate::json!({"x": 1})),
            "is_valid: its own rule"
        );
        // 2019-09's unevaluatedProperties is python-jsonschema's legacy walk: an object
        // additionalProperties marks only the keys named like its keywords.
        let walk = crate::json!({"$schema": d2019, "additionalProperties": {"type": "string"}, "unevaluatedProperties": false});
        assert!(!verdict(walk.clone(), crate::json!({"a": "x"})) && verdict(walk, crate::json!({"type": "x"})));
        // Python's registry finds no id under $defs before 2019-09; an $id under `not` does not
        // move the base URI for its own $ref.
        let defs = crate::json!({"$schema": d4, "$defs": {"a": {"id": "http://x/a.json"}}, "properties": {"p": {"$ref": "http://x/a.json"}}});
        assert!(verdict(defs.clone(), crate::json!({})) && !verdict(defs, crate::json!({"p": 1})));
        let not = crate::json!({"definitions": {"c": {"$id": "http://y/c.json", "type": "string"}}, "not": {"$id": "http://y/", "$ref": "c.json"}});
        assert!(!verdict(not, crate::json!(1)), "c.json does not resolve against the root's base");
        // What Python raises only once it gets there.
        let unreached = crate::json!({"properties": {"x": {"$ref": "#/$defs/missing"}}});
        assert!(verdict(unreached.clone(), crate::json!({})) && !verdict(unreached, crate::json!({"x": 1})));
        // urlsplit's rewriting: leading spaces, tabs, an empty query; brackets refused.
        for spelled in [
            " http://json-schema.org/draft-04/schema#",
            "http://json-schema.org/dr\taft-04/schema",
            "http://json-schema.org/draft-04/schema?",
        ] {
            assert!(
                !verdict(crate::json!({"$schema": spelled, "maximum": 3, "exclusiveMaximum": true}), crate::json!(3)),
                "{spelled:?}"
            );
        }
        assert!(ConfValidator::new(&crate::json!({"$schema": "http://[x/schema"}), airflow()).is_err());
    }

    /// check_schema: unreached subschemas count; a budget stop does not.
    #[cfg(feature = "python-re")]
    #[test]
    fn the_airflow_modes_check_the_schema_first() {
        let airflow = || ValidatorOptions { formats: Formats::Airflow3, ..Default::default() };
        let bad = crate::json!({"type": "string", "$defs": {"d": {"pattern": "["}}});
        let e = ConfValidator::new(&bad, airflow()).err().unwrap();
        assert!(e.message().contains("/$defs/d/pattern: must match format \"regex\""), "{e}");
        assert!(ConfValidator::new(&bad, ValidatorOptions { formats: Formats::All, ..Default::default() }).is_ok());
        let draft7 = crate::json!({"$schema": "http://json-schema.org/draft-07/schema#", "writeOnly": "yes"});
        assert!(ConfValidator::new(&draft7, airflow()).is_ok(), "the venvs' draft-07 metaschema has no writeOnly");
        let mut deep = crate::json!({"type": "string"});
        for _ in 0..60 {
            deep = crate::json!({ "allOf": [deep] });
        }
        assert!(ConfValidator::new(&deep, airflow()).is_ok());
        // Each draft's own metaschema: draft 4's exclusiveMaximum is a boolean, 2019-09's a number.
        let d4 = "http://json-schema.org/draft-04/schema#";
        let d2019 = "https://json-schema.org/draft/2019-09/schema";
        assert!(ConfValidator::new(&crate::json!({"$schema": d4, "maximum": 3, "exclusiveMaximum": true}), airflow())
            .is_ok());
        assert!(ConfValidator::new(&crate::json!({"$schema": d2019, "exclusiveMaximum": true}), airflow()).is_err());
        let e = ConfValidator::new(&crate::json!({"$schema": d4, "exclusiveMaximum": 3}), airflow()).err().unwrap();
        assert!(e.message().contains("draft-04 metaschema"), "{e}");
        // A nested $schema switches the draft there; the root's metaschema checks it all.
        let nested = crate::json!({"properties": {"x": {"$schema": "http://json-schema.org/draft-07/schema#"}}});
        assert!(ConfValidator::new(&nested, airflow()).is_ok());
        assert!(ConfValidator::new(
            &crate::json!({"$schema": "HTTP://json-schema.org/draft-07/schema#", "items": [{}]}),
            airflow()
        )
        .is_ok());
    }

    #[test]
    fn errors_write_the_same_json_as_to_json() {
        let v = ConfValidator::new(
            &json!({"properties": {"a/~\"b": {"pattern": "^x\"$", "minimum": 1.5}}}),
            ValidatorOptions::default(),
        )
        .unwrap();
        let r = v.validate(&json!({"a/~\"b": "é\n"}));
        assert!(!r.errors.is_empty());
        for e in &r.errors {
            let mut text = String::new();
            e.write_json(&mut text);
            assert_eq!(text, e.to_json().to_json_string());
        }
        let mut list = String::new();
        ValidationError::write_list(&r.errors, &mut list);
        assert_eq!(list, Value::Array(r.errors.iter().map(ValidationError::to_json).collect()).to_json_string());
    }

    #[test]
    fn defaults_that_grow_without_end_are_refused_and_fill_nothing() {
        let opts = || ValidatorOptions { use_defaults: true, ..Default::default() };
        let grow = json!({"properties": {"a": {"$ref": "#", "default": {}}, "b": {"$ref": "#", "default": {}}}});
        let v = ConfValidator::new(&grow, opts()).unwrap();
        let mut conf = json!({"keep": 1});
        let err = v.fill_defaults(&mut conf).unwrap_err();
        assert_eq!((err.field(), conf), (Some("instance"), json!({"keep": 1})));
        assert!(err.message().contains("would pass maxInputBytes (4194304)"), "{err}");
        // Within the budget (a smaller maxInputBytes is the same check), the same schema fills.
        let wide = json!({"items": {"properties": {"a": {"default": "xxxxxxxxxx"}}}});
        let v = ConfValidator::new(&wide, ValidatorOptions { max_input_bytes: 100, ..opts() }).unwrap();
        let mut ok = json!([{}, {}]);
        assert_eq!(v.fill_defaults(&mut ok).unwrap(), vec!["/0/a".to_string(), "/1/a".to_string()]);
        let mut over = json!([{}, {}, {}, {}, {}, {}]);
        assert!(v.fill_defaults(&mut over).is_err());
        assert_eq!(over, json!([{}, {}, {}, {}, {}, {}]));
    }
}
