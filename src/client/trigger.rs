//! The options of one trigger through a client: a builder.

use crate::json::Value;

/// What one trigger sends, beside the DAG id (the client has the URL, version and credentials).
///
/// # Examples
/// ```
/// use airflow_trigger::{json, Trigger};
/// let t = Trigger::new().conf(json!({"day": "2024-01-01"})).dag_run_id("nightly-42").note("from CI");
/// assert_eq!(t.dag_run_id.as_deref(), Some("nightly-42"));
/// assert!(t.validate);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
#[non_exhaustive]
pub struct Trigger {
    /// The run's conf: a JSON object. `None` sends `{}`'s equivalent (no conf).
    pub conf: Option<Value>,
    /// The run id; generated (unique, never like a scheduled run's) when `None`, once per trigger,
    /// so every retry sends the same id.
    pub dag_run_id: Option<String>,
    /// RFC 3339 date-time with a time zone; `None` is "now".
    pub logical_date: Option<String>,
    /// A note shown on the run in Airflow's UI.
    pub note: Option<String>,
    /// Start of the data interval (RFC 3339); give both ends or neither.
    pub data_interval_start: Option<String>,
    /// End of the data interval (RFC 3339).
    pub data_interval_end: Option<String>,
    /// Airflow 3 only: run no earlier than this (RFC 3339).
    pub run_after: Option<String>,
    /// Check `conf` against the DAG's Params before the POST (default true).
    pub validate: bool,
    /// Unpause the DAG first when it is paused (as Airflow 3's trigger dialog offers); without
    /// it, a paused DAG's run stays queued and [`crate::TriggeredRun::dag_paused`] says so.
    pub unpause: bool,
}

impl Default for Trigger {
    fn default() -> Trigger {
        Trigger {
            conf: None,
            dag_run_id: None,
            logical_date: None,
            note: None,
            data_interval_start: None,
            data_interval_end: None,
            run_after: None,
            validate: true,
            unpause: false,
        }
    }
}

impl Trigger {
    /// A trigger with no conf, a generated run id, "now", and validation on.
    ///
    /// # Examples
    /// ```
    /// assert!(airflow_trigger::Trigger::new().conf.is_none());
    /// ```
    pub fn new() -> Trigger {
        Trigger::default()
    }

    /// Sets the conf (a JSON object; anything else is refused when the call is made).
    ///
    /// # Examples
    /// ```
    /// let t = airflow_trigger::Trigger::new().conf(airflow_trigger::json!({"n": 1}));
    /// assert_eq!(t.conf.unwrap()["n"], 1);
    /// ```
    pub fn conf(mut self, conf: impl Into<Value>) -> Trigger {
        self.conf = Some(conf.into());
        self
    }

    /// Sets the conf from any `T: Serialize` that serializes to a map (a struct, a map, a
    /// `serde_json::Value` object): fields in their order, integers as integers.
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for the field `conf` when `conf` cannot be JSON (a NaN, a map key that
    /// is not a string, ...) or is not an object.
    ///
    /// # Examples
    /// ```
    /// #[derive(serde::Serialize)]
    /// struct Etl { day: String, retries: u8 }
    /// let t = airflow_trigger::Trigger::new().conf_from(&Etl { day: "2024-01-01".into(), retries: 3 }).unwrap();
    /// assert_eq!(t.conf.unwrap().to_string(), r#"{"day":"2024-01-01","retries":3}"#);
    /// assert_eq!(airflow_trigger::Trigger::new().conf_from(&[1]).unwrap_err().field(), Some("conf"));
    /// ```
    #[cfg(feature = "serde")]
    pub fn conf_from<T: serde::Serialize + ?Sized>(self, conf: &T) -> crate::Result<Trigger> {
        let conf = crate::json::to_value_for("conf", conf)?;
        if !conf.is_object() {
            return Err(crate::Error::invalid_argument(
                "conf",
                format!(
                    "must be a JSON object such as {{\"key\": \"value\"}}, got {}",
                    crate::request::json_kind(&conf)
                ),
            ));
        }
        Ok(self.conf(conf))
    }

    /// Sets the run id (checked when the call is made).
    ///
    /// # Examples
    /// ```
    /// let t = airflow_trigger::Trigger::new().dag_run_id("r1");
    /// assert_eq!(t.dag_run_id.as_deref(), Some("r1"));
    /// ```
    pub fn dag_run_id(mut self, id: impl Into<String>) -> Trigger {
        self.dag_run_id = Some(id.into());
        self
    }

    /// Sets the logical date (RFC 3339 with a time zone).
    ///
    /// # Examples
    /// ```
    /// let t = airflow_trigger::Trigger::new().logical_date("2024-01-01T00:00:00Z");
    /// assert!(t.logical_date.is_some());
    /// ```
    pub fn logical_date(mut self, date: impl Into<String>) -> Trigger {
        self.logical_date = Some(date.into());
        self
    }

    /// Sets the note Airflow's UI shows on the run.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(airflow_trigger::Trigger::new().note("hi").note.as_deref(), Some("hi"));
    /// ```
    pub fn note(mut self, note: impl Into<String>) -> Trigger {
        self.note = Some(note.into());
        self
    }

    /// Sets both ends of the data interval (RFC 3339).
    ///
    /// # Examples
    /// ```
    /// let t = airflow_trigger::Trigger::new().data_interval("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z");
    /// assert!(t.data_interval_end.is_some());
    /// ```
    pub fn data_interval(mut self, start: impl Into<String>, end: impl Into<String>) -> Trigger {
        self.data_interval_start = Some(start.into());
        self.data_interval_end = Some(end.into());
        self
    }

    /// Airflow 3 only: run no earlier than `date` (RFC 3339).
    ///
    /// # Examples
    /// ```
    /// assert!(airflow_trigger::Trigger::new().run_after("2030-01-01T00:00:00Z").run_after.is_some());
    /// ```
    pub fn run_after(mut self, date: impl Into<String>) -> Trigger {
        self.run_after = Some(date.into());
        self
    }

    /// Whether to check conf against the DAG's Params first (default true).
    ///
    /// # Examples
    /// ```
    /// assert!(!airflow_trigger::Trigger::new().validate(false).validate);
    /// ```
    pub fn validate(mut self, validate: bool) -> Trigger {
        self.validate = validate;
        self
    }

    /// Whether to unpause a paused DAG before triggering it (default false).
    ///
    /// # Examples
    /// ```
    /// assert!(airflow_trigger::Trigger::new().unpause(true).unpause);
    /// ```
    pub fn unpause(mut self, unpause: bool) -> Trigger {
        self.unpause = unpause;
        self
    }
}
