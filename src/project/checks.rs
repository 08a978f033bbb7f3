//! The `checks:` section of `folio.yaml`: settings for `folio check`, with documented defaults.

use serde::Deserialize;

/// Check settings from `folio.yaml` (`checks:`), with documented defaults.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Settings {
    /// The reading age the writing aims at (NHS: 9 to 11). Default 11.
    pub target_reading_age: f64,
    /// A section above this estimated reading age gets a warning. Default 14.
    pub warn_reading_age: f64,
    /// A next-review date this many days away or fewer gets a warning. Default 90.
    pub review_warning_days: i64,
    /// Terms that must be explained where they are first used.
    pub explain_terms: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            target_reading_age: 11.0,
            warn_reading_age: 14.0,
            review_warning_days: 90,
            explain_terms: Vec::new(),
        }
    }
}
