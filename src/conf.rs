//! The validator's public constructors: the schema module reports problems as text and knows
//! nothing of the crate's [`Error`]; here they become `INVALID_ARGUMENT` errors naming the field.

use crate::error::Error;
use crate::json::Value;
#[cfg(feature = "serde")]
use crate::schema::ValidationResult;
use crate::schema::{ConfValidator, Formats, ValidatorOptions};

impl Formats {
    /// Parses `"airflow2" | "airflow3" | "all" | "none"`; anything else is `INVALID_ARGUMENT`
    /// for the field `formats`.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::Formats;
    /// assert_eq!(Formats::parse("none").unwrap(), Formats::None);
    /// assert_eq!("airflow2".parse::<Formats>().unwrap(), Formats::Airflow2);
    /// let err = Formats::parse("airflow4").unwrap_err();
    /// assert_eq!((err.code().as_str(), err.field()), ("INVALID_ARGUMENT", Some("formats")));
    /// ```
    pub fn parse(s: &str) -> crate::Result<Formats> {
        Formats::from_name(s).map_err(|e| Error::invalid_argument("formats", e))
    }
}

impl std::str::FromStr for Formats {
    type Err = Error;

    fn from_str(s: &str) -> crate::Result<Formats> {
        Formats::parse(s)
    }
}

impl ConfValidator {
    /// Compiles `schema`; every `$ref` must resolve (to it or to `options.resources`), except in
    /// the Airflow modes with `python-re`, where one that does not stops the validation only
    /// where it is reached, as python-jsonschema raises only there. An error is
    /// `INVALID_ARGUMENT` for the field `schema`, saying what is wrong and where.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{json, ConfValidator};
    /// let schema = json!({"$defs": {"day": {"type": "string"}}, "properties": {"day": {"$ref": "#/$defs/day"}}});
    /// let v = ConfValidator::new(&schema, Default::default()).unwrap();
    /// assert!(!v.validate(&json!({"day": 1})).valid);
    /// let all = airflow_trigger::ValidatorOptions { formats: airflow_trigger::Formats::All, ..Default::default() };
    /// let Err(err) = ConfValidator::new(&json!({"$ref": "#/$defs/missing"}), all) else { panic!() };
    /// assert_eq!(err.field(), Some("schema"));
    /// ```
    pub fn new(schema: &Value, options: ValidatorOptions) -> crate::Result<ConfValidator> {
        ConfValidator::compile(schema, options).map_err(|e| Error::invalid_argument("schema", e))
    }
}

#[cfg(feature = "serde")]
impl ConfValidator {
    /// [`ConfValidator::new`] with the schema from any `T: Serialize` (a `serde_json::Value`,
    /// a schema type of another crate), through [`crate::json::to_value`].
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for the field `schema`: it cannot be JSON, or `new` refuses it.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::ConfValidator;
    /// let schema = serde_json::json!({"type": "object", "required": ["day"]});
    /// let v = ConfValidator::from_serialize(&schema, Default::default()).unwrap();
    /// assert!(!v.validate(&airflow_trigger::json!({})).valid);
    /// ```
    pub fn from_serialize<T: serde::Serialize + ?Sized>(
        schema: &T,
        options: ValidatorOptions,
    ) -> crate::Result<ConfValidator> {
        ConfValidator::new(&crate::json::to_value_for("schema", schema)?, options)
    }

    /// [`ConfValidator::validate`] of any `T: Serialize`, through [`crate::json::to_value`].
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for the field `instance` when it cannot be JSON (a NaN, a map key
    /// that is not a string, ...).
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{json, ConfValidator};
    /// #[derive(serde::Serialize)]
    /// struct Etl { retries: i32 }
    /// let v = ConfValidator::new(&json!({"properties": {"retries": {"minimum": 0}}}), Default::default()).unwrap();
    /// let r = v.validate_serialize(&Etl { retries: -1 }).unwrap();
    /// assert_eq!((r.valid, r.errors[0].instance_path.as_str()), (false, "/retries"));
    /// ```
    pub fn validate_serialize<T: serde::Serialize + ?Sized>(&self, instance: &T) -> crate::Result<ValidationResult> {
        Ok(self.validate(&crate::json::to_value_for("instance", instance)?))
    }
}
