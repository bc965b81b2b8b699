//! Stakeholder cross-tabs: how many respondents of each stakeholder group raise each theme.
//!
//! [`CrossTab::params`] sets the suppression threshold, the split (one table, one per
//! question or one per channel) and the confidence level; [`compute`](CrossTabParams::compute)
//! takes the responses and their themes (`None` for a response that was not clustered, e.g. an
//! empty answer) and returns a [`CrossTab`]: one [`Slice`] per split value, each a
//! theme × group table.
//!
//! # What is counted
//!
//! Every count is of **distinct respondents**, never of responses: a respondent who gives
//! three answers in the same theme counts once in it. Respondents are keyed by
//! [`Response::respondent_or_id`], so anonymous responses count as one respondent each.
//!
//! - A **cell** (theme `t`, group `g`) counts the respondents of `g` with at least one response
//!   in `t` within the slice.
//! - A **group total** (column total) counts the respondents of `g` with at least one themed
//!   response within the slice. Respondents whose responses in the slice all lack a theme are
//!   left out of every denominator and reported as `without_theme`, so a blank answer does not
//!   dilute shares.
//! - A **theme total** (row total) counts the respondents with a response in `t`, whatever their
//!   group; the **slice total** counts every respondent with a themed response.
//!
//! A respondent can raise several themes, so the cells of a column do **not** sum to the group
//! total, nor the theme totals to the slice total. The group is read from each response: a
//! respondent whose responses carry different groups (an inconsistent export) counts in each of
//! them, and then the cells of a row can sum to more than the theme total. Responses without a
//! group form the [`NO_GROUP`] bucket (`None` in the data), which is never dropped; likewise a
//! split by question or channel keeps responses without one in a `None` slice
//! ([`NO_QUESTION`], [`NO_CHANNEL`]).
//!
//! # Rates and significance
//!
//! For each cell: the **share** of the group's respondents in the theme, the **overall share**
//! of the theme (theme total / slice total), the **lift** (share / overall share: 1.5 means the
//! group raises the theme 50% more often than respondents overall), a **Wilson score
//! interval** for the share at the configured confidence, and Haberman's **adjusted
//! standardised residual** of the cell in the theme's 2 × G table (in the theme or not ×
//! group). The residual is approximately standard normal when the group does not differ from the
//! others, so `|residual| > 1.96` flags over- or under-representation at the 5% level; it tests
//! the group against the *other* groups (the interval only describes the share's precision) and
//! is not corrected for the many cells tested at once. Rates are `None` where they would divide
//! by zero: every rate of a group without themed respondents, the lift of a theme absent from a
//! slice, and the residual of a single group or of a theme raised by no one or by everyone.
//!
//! # Suppression for publication
//!
//! A count below `min_cell` (default 5, and zero counts too unless
//! [`suppress_zeros`](CrossTabParams::suppress_zeros) is off) is **primary-suppressed**: shown as
//! `"<5"` (the configured threshold). Group totals, theme totals and slice totals are checked
//! in the same way. Because a theme's cells add up to its total when every respondent belongs to
//! one group, a suppressed cell in a row with a published total could be recovered by
//! subtraction, or pinned down by its bounds (two cells below 5 summing to 8 are both 4); such a
//! row gets a **complementary** suppression of its smallest other published cell that protects
//! it (or of the total when there is none), shown as [`COMPLEMENTARY`] (`"[c]"`). The same rule
//! protects group totals against the slice total. Theme totals are not protected against the
//! slice total, and columns are not protected, because those do not add up (respondents raise
//! several themes). No protection is attempted across slices, and a respondent listed under
//! several groups makes the rows add up to more than their totals (safer, not less safe).
//!
//! Rates (share, overall share, lift, residual, interval) reveal the counts they are made of,
//! so a published row shows them only when the cell, its group total, its theme total and the
//! slice total are all published.
//!
//! **The [`CrossTab`] itself holds the unsuppressed counts and rates** (with each count's
//! [`Suppression`]) for the analyst; publish [`CrossTab::to_rows`] or the table printed by its
//! `Display`, which apply the suppression.
//!
//! ```
//! use thematic_core::Response;
//! use thematic_themes::crosstab::{CrossTab, Suppression};
//!
//! let response = |id: &str, who: &str, group: &str| {
//!     let mut r = Response::new(id, "some text");
//!     r.respondent = Some(who.into());
//!     r.group = Some(group.into());
//!     r
//! };
//! let responses = [
//!     response("1", "ann", "Clinicians"),
//!     response("2", "ann", "Clinicians"), // ann again, same theme: counted once
//!     response("3", "bob", "Clinicians"),
//!     response("4", "cat", "Patients"),
//! ];
//! let themes = [Some(0), Some(0), Some(1), Some(0)];
//! let table = CrossTab::params().min_cell(2).compute(&responses, &themes)?;
//!
//! let slice = &table.slices()[0];
//! let cell = slice.cell(0, Some("Clinicians")).unwrap();
//! assert_eq!((cell.respondents, cell.group_respondents), (1, 2));
//! assert_eq!(cell.share, Some(0.5));
//! assert_eq!(cell.suppression, Suppression::Primary); // 1 < 2
//! let rows = table.to_rows();
//! assert_eq!(rows[0].respondents, "<2");
//! assert_eq!(rows[0].share, None);
//! # Ok::<(), thematic_themes::crosstab::CrossTabError>(())
//! ```

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use thematic_core::{ParamGuard, Response};
use thiserror::Error;

/// Label of the bucket of responses without a stakeholder group.
pub const NO_GROUP: &str = "(no group)";
/// Label of the theme totals in [`CrossTabRow::group`]: all groups together.
pub const ALL_GROUPS: &str = "(all groups)";
/// Label of the only slice when the table is not split.
pub const ALL: &str = "(all)";
/// Label of the slice of responses without a question, when split by question.
pub const NO_QUESTION: &str = "(no question)";
/// Label of the slice of responses without a channel, when split by channel.
pub const NO_CHANNEL: &str = "(no channel)";
/// Label of the slice of responses without an answer, when split by an attribute.
pub const NO_ANSWER: &str = "(no answer)";
/// How a complementary suppression is shown: a publishable value (at least the threshold, or a
/// zero when zeros are published) withheld so that a primary-suppressed value in the same row
/// cannot be recovered from the row's total.
pub const COMPLEMENTARY: &str = "[c]";

/// Errors of cross-tabulation: one variant per parameter rule, then input errors.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum CrossTabError {
    /// The confidence level is not strictly between 0 and 1.
    #[error("invalid confidence {value}: expected a level strictly between 0 and 1, e.g. 0.95")]
    Confidence {
        /// The level given.
        value: f64,
    },
    /// An unknown split name (see [`CrossTabSplit`]'s `FromStr`).
    #[error(
        "invalid split {0:?}: expected \"none\", \"question\", \"channel\" or \"attribute:NAME\""
    )]
    Split(String),
    /// Responses and themes differ in length.
    #[error("length mismatch: {responses} responses but {themes} themes")]
    LengthMismatch {
        /// Responses given.
        responses: usize,
        /// Themes given.
        themes: usize,
    },
    /// No response was given.
    #[error("no responses given: a cross-tab needs at least one")]
    Empty,
    /// No response has a theme, so every count would be 0.
    #[error("none of the {responses} responses has a theme: there is nothing to tabulate")]
    NoThemes {
        /// Responses given.
        responses: usize,
    },
}

/// How responses are split into separate tables.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CrossTabSplit {
    /// One table of all responses.
    #[default]
    None,
    /// One table per question ([`Response::question`]).
    Question,
    /// One table per channel ([`Response::channel`]).
    Channel,
    /// One table per answer to a closed question kept as an attribute
    /// ([`Response::attribute`]), e.g. "Organisation type".
    Attribute(String),
}

impl std::str::FromStr for CrossTabSplit {
    type Err = CrossTabError;

    /// Parses `"none"`, `"question"` or `"channel"` (any case), or `"attribute:NAME"`.
    fn from_str(s: &str) -> Result<Self> {
        if let Some((kind, name)) = s.split_once(':')
            && kind.trim().eq_ignore_ascii_case("attribute")
            && !name.trim().is_empty()
        {
            return Ok(CrossTabSplit::Attribute(name.trim().to_owned()));
        }
        match s.trim().to_ascii_lowercase().as_str() {
            "none" => Ok(CrossTabSplit::None),
            "question" => Ok(CrossTabSplit::Question),
            "channel" => Ok(CrossTabSplit::Channel),
            _ => Err(CrossTabError::Split(s.to_owned())),
        }
    }
}

impl CrossTabSplit {
    /// The split value of a response: `None` for an unsplit table or a missing value.
    fn value_of<'r>(&self, response: &'r Response) -> Option<&'r str> {
        match self {
            CrossTabSplit::None => None,
            CrossTabSplit::Question => response.question.as_deref(),
            CrossTabSplit::Channel => response.channel.as_deref(),
            CrossTabSplit::Attribute(name) => response.attribute(name),
        }
    }

    /// How a slice value is shown.
    fn label<'a>(&self, value: Option<&'a str>) -> &'a str {
        match (self, value) {
            (_, Some(v)) => v,
            (CrossTabSplit::None, None) => ALL,
            (CrossTabSplit::Question, None) => NO_QUESTION,
            (CrossTabSplit::Channel, None) => NO_CHANNEL,
            (CrossTabSplit::Attribute(_), None) => NO_ANSWER,
        }
    }
}

/// Whether a count may be published.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Suppression {
    /// Published as is.
    #[default]
    None,
    /// Below the threshold: shown as `"<5"` (the configured threshold).
    Primary,
    /// Publishable, but withheld so that a primary-suppressed count in the same row cannot be
    /// recovered from the row's total: shown as [`COMPLEMENTARY`].
    Complementary,
}

impl Suppression {
    /// Whether the count is published.
    pub fn is_published(self) -> bool {
        self == Suppression::None
    }
}

/// Entry point of stakeholder cross-tabs, and their result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossTab {
    split: CrossTabSplit,
    min_cell: usize,
    suppress_zeros: bool,
    confidence: f64,
    themes: Vec<u32>,
    groups: Vec<Option<String>>,
    slices: Vec<Slice>,
}

/// Validated cross-tab parameters.
///
/// Only [`ParamGuard::check`] (or [`CrossTabParams::compute`]) makes one, so every value obeys
/// the rule stated on its getter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossTabValidParams {
    min_cell: usize,
    suppress_zeros: bool,
    split: CrossTabSplit,
    confidence: f64,
}

/// Unchecked cross-tab parameters: consuming setters, validated by [`ParamGuard::check`] or by
/// [`compute`](CrossTabParams::compute).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct CrossTabParams(CrossTabValidParams);

impl CrossTab {
    /// Parameters with their defaults: suppression below 5 (zeros included), no split, 95%
    /// confidence. See [`CrossTabValidParams`].
    pub fn params() -> CrossTabParams {
        CrossTabParams(CrossTabValidParams {
            min_cell: 5,
            suppress_zeros: true,
            split: CrossTabSplit::None,
            confidence: 0.95,
        })
    }
}

impl CrossTabValidParams {
    /// Counts below this are suppressed when published (shown as `"<5"` for 5). Any value;
    /// 0 and 1 suppress nothing but, with [`suppress_zeros`](Self::suppress_zeros), zeros
    /// (1) or nothing at all (0). Default 5, a common threshold for official statistics.
    pub fn min_cell(&self) -> usize {
        self.min_cell
    }

    /// Whether a zero count below `min_cell` is suppressed as well. A zero can disclose as much
    /// as a small count ("no respondent of this group raised it") in a small group, hence the
    /// default `true`; set it to `false` to publish zeros.
    pub fn suppress_zeros(&self) -> bool {
        self.suppress_zeros
    }

    /// How responses are split into tables. Default [`CrossTabSplit::None`].
    pub fn split(&self) -> &CrossTabSplit {
        &self.split
    }

    /// Confidence level of the Wilson intervals, strictly between 0 and 1. Default 0.95.
    pub fn confidence(&self) -> f64 {
        self.confidence
    }
}

impl CrossTabParams {
    /// See [`CrossTabValidParams::min_cell`].
    pub fn min_cell(mut self, min_cell: usize) -> Self {
        self.0.min_cell = min_cell;
        self
    }

    /// See [`CrossTabValidParams::suppress_zeros`].
    pub fn suppress_zeros(mut self, suppress_zeros: bool) -> Self {
        self.0.suppress_zeros = suppress_zeros;
        self
    }

    /// See [`CrossTabValidParams::split`].
    pub fn split(mut self, split: CrossTabSplit) -> Self {
        self.0.split = split;
        self
    }

    /// See [`CrossTabValidParams::confidence`].
    pub fn confidence(mut self, confidence: f64) -> Self {
        self.0.confidence = confidence;
        self
    }

    /// Validates the parameters, then cross-tabulates (see
    /// [`CrossTabValidParams::compute`]).
    ///
    /// # Errors
    /// An invalid parameter, then as [`CrossTabValidParams::compute`].
    pub fn compute(&self, responses: &[Response], themes: &[Option<u32>]) -> Result<CrossTab> {
        self.check_ref()?.compute(responses, themes)
    }
}

impl ParamGuard for CrossTabParams {
    type Checked = CrossTabValidParams;
    type Error = CrossTabError;

    fn check_ref(&self) -> Result<&CrossTabValidParams> {
        let confidence = self.0.confidence;
        if !(confidence > 0.0 && confidence < 1.0) {
            return Err(CrossTabError::Confidence { value: confidence });
        }
        Ok(&self.0)
    }

    fn check(self) -> Result<CrossTabValidParams> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// Result alias of cross-tabulation.
pub type Result<T> = std::result::Result<T, CrossTabError>;

/// Distinct respondents of a group in a slice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupTotal {
    /// The group; `None` for responses without one ([`NO_GROUP`]).
    pub group: Option<String>,
    /// Respondents of the group with at least one themed response in the slice: the
    /// denominator of the group's shares.
    pub respondents: usize,
    /// Respondents of the group whose responses in the slice all lack a theme (left out of
    /// the denominators).
    pub without_theme: usize,
    /// Whether `respondents` may be published.
    pub suppression: Suppression,
}

/// Distinct respondents of a theme in a slice, all groups together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeTotal {
    /// The theme.
    pub theme: u32,
    /// Respondents with at least one response in the theme.
    pub respondents: usize,
    /// `respondents` / the slice's respondents: the overall share; `None` for an empty slice.
    pub share: Option<f64>,
    /// Wilson interval of `share`; `None` for an empty slice.
    pub interval: Option<Interval>,
    /// Whether `respondents` may be published.
    pub suppression: Suppression,
}

/// A confidence interval of a proportion.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// Lower bound, in `[0, 1]`.
    pub low: f64,
    /// Upper bound, in `[0, 1]`.
    pub high: f64,
}

/// One cell of a cross-tab: a theme among the respondents of a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// The theme.
    pub theme: u32,
    /// The group; `None` for responses without one ([`NO_GROUP`]).
    pub group: Option<String>,
    /// Respondents of the group with at least one response in the theme.
    pub respondents: usize,
    /// The group's total ([`GroupTotal::respondents`]).
    pub group_respondents: usize,
    /// `respondents / group_respondents`; `None` for a group with no themed respondent.
    pub share: Option<f64>,
    /// The theme's overall share ([`ThemeTotal::share`]).
    pub overall_share: Option<f64>,
    /// `share / overall_share`: above 1 when the group raises the theme more often than
    /// respondents overall. `None` when either is undefined or the overall share is 0.
    pub lift: Option<f64>,
    /// Haberman's adjusted standardised residual of the cell in the theme's 2 × G table
    /// (respondents in the theme or not, by group): `(o − e) / √(e (1 − p)(1 − n_g / N))` with
    /// `e = n_g p`, `p` the theme's share of the `N` group memberships and `n_g` the group
    /// total. About standard normal under independence; positive when the group is
    /// over-represented. `None` when undefined (empty group, a single group, or a theme raised
    /// by no one or by every respondent).
    pub residual: Option<f64>,
    /// Wilson score interval of `share` at the configured confidence; `None` for an empty group.
    pub interval: Option<Interval>,
    /// Whether `respondents` may be published.
    pub suppression: Suppression,
}

/// One table of a cross-tab: all responses, or those of one question or channel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Slice {
    /// The question or channel; `None` for an unsplit table or for responses without one.
    pub value: Option<String>,
    /// Respondents with at least one themed response in the slice.
    pub respondents: usize,
    /// Respondents whose responses in the slice all lack a theme.
    pub without_theme: usize,
    /// Whether `respondents` may be published.
    pub suppression: Suppression,
    /// Column totals, in the order of [`CrossTab::groups`].
    pub groups: Vec<GroupTotal>,
    /// Row totals, in the order of [`CrossTab::themes`].
    pub themes: Vec<ThemeTotal>,
    /// The cells, theme-major: the cell of theme `i` and group `j` (indices into
    /// [`CrossTab::themes`] and [`CrossTab::groups`]) is at `i * groups.len() + j`.
    pub cells: Vec<Cell>,
}

impl Slice {
    /// The cell of a theme and a group (`None` for [`NO_GROUP`]), if both occur in the table.
    pub fn cell(&self, theme: u32, group: Option<&str>) -> Option<&Cell> {
        let i = self.themes.iter().position(|t| t.theme == theme)?;
        let j = self.groups.iter().position(|g| g.group.as_deref() == group)?;
        self.cells.get(i * self.groups.len() + j)
    }

    /// The total of a group (`None` for [`NO_GROUP`]), if it occurs in the table.
    pub fn group(&self, group: Option<&str>) -> Option<&GroupTotal> {
        self.groups.iter().find(|g| g.group.as_deref() == group)
    }

    /// The total of a theme, if it occurs in the table.
    pub fn theme(&self, theme: u32) -> Option<&ThemeTotal> {
        self.themes.iter().find(|t| t.theme == theme)
    }

    /// Whether rates built from the cell at `index` may be published: the cell and every total
    /// it is divided by or compared with are published.
    fn rates_published(&self, index: usize) -> bool {
        let n_groups = self.groups.len();
        self.suppression.is_published()
            && self.cells[index].suppression.is_published()
            && self.groups[index % n_groups].suppression.is_published()
            && self.themes[index / n_groups].suppression.is_published()
    }
}

/// One publishable line of a cross-tab, in long format (one per cell, plus one per theme
/// total with `group` = [`ALL_GROUPS`]), with suppression applied: suppressed counts are text
/// (`"<5"`, [`COMPLEMENTARY`]) and withheld rates are `None`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossTabRow {
    /// The slice: the question or channel, [`ALL`], [`NO_QUESTION`] or [`NO_CHANNEL`].
    pub split: String,
    /// The theme.
    pub theme: u32,
    /// The group, [`NO_GROUP`], or [`ALL_GROUPS`] for the theme's total.
    pub group: String,
    /// Respondents in the theme (and group), or its suppression mark.
    pub respondents: String,
    /// The group's respondents (the slice's, for a theme total), or its suppression mark.
    pub group_respondents: String,
    /// Share of the group's respondents in the theme.
    pub share: Option<f64>,
    /// The theme's share of all the slice's respondents.
    pub overall_share: Option<f64>,
    /// `share / overall_share`; `None` for a theme total.
    pub lift: Option<f64>,
    /// Adjusted standardised residual ([`Cell::residual`]); `None` for a theme total.
    pub residual: Option<f64>,
    /// Lower bound of the Wilson interval of `share`.
    pub ci_low: Option<f64>,
    /// Upper bound of the Wilson interval of `share`.
    pub ci_high: Option<f64>,
}

impl CrossTab {
    /// How the responses were split.
    pub fn split(&self) -> &CrossTabSplit {
        &self.split
    }

    /// The suppression threshold used.
    pub fn min_cell(&self) -> usize {
        self.min_cell
    }

    /// Whether zero counts were suppressed.
    pub fn suppress_zeros(&self) -> bool {
        self.suppress_zeros
    }

    /// Confidence level of the intervals.
    pub fn confidence(&self) -> f64 {
        self.confidence
    }

    /// The themes (rows of every slice), ascending: every theme given to some response.
    pub fn themes(&self) -> &[u32] {
        &self.themes
    }

    /// The groups (columns of every slice), by name, with [`NO_GROUP`] (`None`) last: every
    /// group of some response, themed or not.
    pub fn groups(&self) -> &[Option<String>] {
        &self.groups
    }

    /// The slices, by value with the `None` slice last; exactly one when not split.
    pub fn slices(&self) -> &[Slice] {
        &self.slices
    }

    /// The slice of a question or channel (`None` for the unsplit table or a missing value).
    pub fn slice(&self, value: Option<&str>) -> Option<&Slice> {
        self.slices.iter().find(|s| s.value.as_deref() == value)
    }

    /// How a count is published: the number, `"<{min_cell}"` when primary-suppressed, or
    /// [`COMPLEMENTARY`].
    pub fn render_count(&self, count: usize, suppression: Suppression) -> String {
        match suppression {
            Suppression::None => count.to_string(),
            Suppression::Primary => format!("<{}", self.min_cell),
            Suppression::Complementary => COMPLEMENTARY.to_owned(),
        }
    }

    /// The publishable long-format rows: for each slice and theme, one row per group then one
    /// for the theme total ([`ALL_GROUPS`]). Suppressed counts are shown by
    /// [`render_count`](Self::render_count), and rates are given only when every count they
    /// are built from is published.
    pub fn to_rows(&self) -> Vec<CrossTabRow> {
        let mut rows = Vec::new();
        for slice in &self.slices {
            let split = self.split.label(slice.value.as_deref()).to_owned();
            let n_groups = slice.groups.len();
            for (i, total) in slice.themes.iter().enumerate() {
                for (j, group) in slice.groups.iter().enumerate() {
                    let index = i * n_groups + j;
                    let cell = &slice.cells[index];
                    let shown = slice.rates_published(index);
                    let rate = |value: Option<f64>| value.filter(|_| shown);
                    rows.push(CrossTabRow {
                        split: split.clone(),
                        theme: total.theme,
                        group: group.group.clone().unwrap_or_else(|| NO_GROUP.to_owned()),
                        respondents: self.render_count(cell.respondents, cell.suppression),
                        group_respondents: self.render_count(group.respondents, group.suppression),
                        share: rate(cell.share),
                        overall_share: rate(cell.overall_share),
                        lift: rate(cell.lift),
                        residual: rate(cell.residual),
                        ci_low: rate(cell.interval.map(|ci| ci.low)),
                        ci_high: rate(cell.interval.map(|ci| ci.high)),
                    });
                }
                let shown = total.suppression.is_published() && slice.suppression.is_published();
                let rate = |value: Option<f64>| value.filter(|_| shown);
                rows.push(CrossTabRow {
                    split: split.clone(),
                    theme: total.theme,
                    group: ALL_GROUPS.to_owned(),
                    respondents: self.render_count(total.respondents, total.suppression),
                    group_respondents: self.render_count(slice.respondents, slice.suppression),
                    share: rate(total.share),
                    overall_share: rate(total.share),
                    lift: None,
                    residual: None,
                    ci_low: rate(total.interval.map(|ci| ci.low)),
                    ci_high: rate(total.interval.map(|ci| ci.high)),
                });
            }
        }
        rows
    }

    /// The two-sided normal quantile of the confidence level, used to flag residuals.
    fn z(&self) -> f64 {
        normal_quantile(0.5 + self.confidence / 2.0)
    }
}

/// A plain-text table per slice, with suppression applied: themes as rows, groups then all
/// groups as columns, each cell `count (share%)`, followed by `+` or `-` when the adjusted
/// residual exceeds the configured confidence's normal quantile (over- or under-represented),
/// and a last row of group totals.
impl fmt::Display for CrossTab {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let z = self.z();
        for (k, slice) in self.slices.iter().enumerate() {
            if k > 0 {
                writeln!(f)?;
            }
            let what = match &self.split {
                CrossTabSplit::None => "All responses",
                CrossTabSplit::Question => "Question",
                CrossTabSplit::Channel => "Channel",
                CrossTabSplit::Attribute(name) => name.as_str(),
            };
            write!(
                f,
                "{what}: {} ({} respondents with a theme",
                self.split.label(slice.value.as_deref()),
                self.render_count(slice.respondents, slice.suppression)
            )?;
            if slice.without_theme > 0 {
                write!(f, ", {} without", slice.without_theme)?;
            }
            writeln!(f, ")")?;

            let n_groups = slice.groups.len();
            let mut table: Vec<Vec<String>> = Vec::with_capacity(slice.themes.len() + 2);
            let mut header = vec!["theme".to_owned()];
            header
                .extend(slice.groups.iter().map(|g| g.group.as_deref().unwrap_or(NO_GROUP).into()));
            header.push(ALL_GROUPS.to_owned());
            table.push(header);
            let percent = |share: Option<f64>| share.map(|s| format!(" ({:.1}%)", 100.0 * s));
            for (i, total) in slice.themes.iter().enumerate() {
                let mut line = vec![total.theme.to_string()];
                for j in 0..n_groups {
                    let index = i * n_groups + j;
                    let cell = &slice.cells[index];
                    let mut text = self.render_count(cell.respondents, cell.suppression);
                    if slice.rates_published(index) {
                        text.push_str(&percent(cell.share).unwrap_or_default());
                        match cell.residual {
                            Some(r) if r > z => text.push('+'),
                            Some(r) if r < -z => text.push('-'),
                            _ => {}
                        }
                    }
                    line.push(text);
                }
                let mut text = self.render_count(total.respondents, total.suppression);
                if total.suppression.is_published() && slice.suppression.is_published() {
                    text.push_str(&percent(total.share).unwrap_or_default());
                }
                line.push(text);
                table.push(line);
            }
            let mut totals = vec!["respondents".to_owned()];
            totals.extend(
                slice.groups.iter().map(|g| self.render_count(g.respondents, g.suppression)),
            );
            totals.push(self.render_count(slice.respondents, slice.suppression));
            table.push(totals);

            let widths: Vec<usize> = (0..table[0].len())
                .map(|c| table.iter().map(|row| row[c].chars().count()).max().unwrap_or(0))
                .collect();
            for row in &table {
                let mut line = String::new();
                for (c, (text, width)) in row.iter().zip(&widths).enumerate() {
                    if c > 0 {
                        line.push_str("  ");
                    }
                    let pad = width - text.chars().count();
                    // Names left-aligned, numbers right-aligned.
                    if c == 0 {
                        line.push_str(text);
                        line.extend(std::iter::repeat_n(' ', pad));
                    } else {
                        line.extend(std::iter::repeat_n(' ', pad));
                        line.push_str(text);
                    }
                }
                writeln!(f, "{}", line.trim_end())?;
            }
        }
        Ok(())
    }
}

impl CrossTabValidParams {
    /// Cross-tabulates `responses`, whose themes are `themes` (`None` for a response that was
    /// not clustered, such as an empty answer: it counts in no theme and no denominator).
    ///
    /// # Errors
    /// [`CrossTabError::LengthMismatch`] if the slices differ in length,
    /// [`CrossTabError::Empty`] if there is no response, and [`CrossTabError::NoThemes`] if no
    /// response has a theme.
    pub fn compute(&self, responses: &[Response], themes: &[Option<u32>]) -> Result<CrossTab> {
        if responses.len() != themes.len() {
            return Err(CrossTabError::LengthMismatch {
                responses: responses.len(),
                themes: themes.len(),
            });
        }
        if responses.is_empty() {
            return Err(CrossTabError::Empty);
        }
        if themes.iter().all(Option::is_none) {
            return Err(CrossTabError::NoThemes { responses: responses.len() });
        }

        // Dense indices. Slices and groups are sorted by name with the missing value last and
        // themes ascending, so the table never depends on the order of the responses.
        let slice_keys = sorted_keys(responses.iter().map(|r| self.split.value_of(r)));
        let group_keys = sorted_keys(responses.iter().map(|r| r.group.as_deref()));
        let mut theme_ids: Vec<u32> = themes.iter().flatten().copied().collect();
        theme_ids.sort_unstable();
        theme_ids.dedup();
        let index_of = |keys: &[Option<&str>], key: Option<&str>| {
            keys.partition_point(|k| (k.is_none(), *k) < (key.is_none(), key))
        };
        let (n_slices, n_groups, n_themes) = (slice_keys.len(), group_keys.len(), theme_ids.len());

        // One key per response and level of the table, holding the respondent. Sorting and
        // removing repeats leaves each respondent once per key: that is what makes every count
        // one of distinct respondents rather than of responses.
        let mut respondents: HashMap<&str, usize> = HashMap::new();
        let mut seen = Vec::with_capacity(responses.len());
        let mut themed = Vec::with_capacity(responses.len());
        let mut in_cell = Vec::with_capacity(responses.len());
        let mut in_theme = Vec::with_capacity(responses.len());
        for (response, theme) in responses.iter().zip(themes) {
            let s = index_of(&slice_keys, self.split.value_of(response));
            let g = index_of(&group_keys, response.group.as_deref());
            let next = respondents.len();
            let r = *respondents.entry(response.respondent_or_id()).or_insert(next);
            seen.push((s, g, r));
            if let Some(theme) = theme {
                let t = theme_ids.partition_point(|id| id < theme);
                themed.push((s, g, r));
                in_cell.push((s, t, g, r));
                in_theme.push((s, t, r));
            }
        }
        let slice_seen =
            count_distinct(seen.iter().map(|&(s, _, r)| (s, r)).collect(), n_slices, |k| k.0);
        let slice_total =
            count_distinct(themed.iter().map(|&(s, _, r)| (s, r)).collect(), n_slices, |k| k.0);
        let group_seen = count_distinct(seen, n_slices * n_groups, |(s, g, _)| s * n_groups + g);
        let group_total = count_distinct(themed, n_slices * n_groups, |(s, g, _)| s * n_groups + g);
        let cell_count = count_distinct(in_cell, n_slices * n_themes * n_groups, |(s, t, g, _)| {
            (s * n_themes + t) * n_groups + g
        });
        let theme_total =
            count_distinct(in_theme, n_slices * n_themes, |(s, t, _)| s * n_themes + t);

        let z = normal_quantile(0.5 + self.confidence / 2.0);
        let slices = slice_keys
            .iter()
            .enumerate()
            .map(|(s, &value)| {
                let group_totals = &group_total[s * n_groups..(s + 1) * n_groups];
                let memberships: usize = group_totals.iter().sum();
                let mut groups: Vec<GroupTotal> = group_keys
                    .iter()
                    .enumerate()
                    .map(|(g, key)| GroupTotal {
                        group: key.map(str::to_owned),
                        respondents: group_totals[g],
                        without_theme: group_seen[s * n_groups + g] - group_totals[g],
                        suppression: self.primary(group_totals[g]),
                    })
                    .collect();
                let mut suppression = self.primary(slice_total[s]);
                let mut marks: Vec<_> =
                    groups.iter().map(|g| (g.respondents, g.suppression)).collect();
                self.protect(&mut marks, &mut suppression);
                for (g, (_, mark)) in groups.iter_mut().zip(marks) {
                    g.suppression = mark;
                }

                let mut theme_rows = Vec::with_capacity(n_themes);
                let mut cells = Vec::with_capacity(n_themes * n_groups);
                for (t, &theme) in theme_ids.iter().enumerate() {
                    let row = &cell_count[(s * n_themes + t) * n_groups..][..n_groups];
                    let overall = ratio(theme_total[s * n_themes + t], slice_total[s]);
                    let mut total = ThemeTotal {
                        theme,
                        respondents: theme_total[s * n_themes + t],
                        share: overall,
                        interval: wilson(theme_total[s * n_themes + t], slice_total[s], z),
                        suppression: self.primary(theme_total[s * n_themes + t]),
                    };
                    let in_theme: usize = row.iter().sum();
                    let mut row_cells: Vec<Cell> = group_keys
                        .iter()
                        .enumerate()
                        .map(|(g, key)| {
                            let share = ratio(row[g], group_totals[g]);
                            Cell {
                                theme,
                                group: key.map(str::to_owned),
                                respondents: row[g],
                                group_respondents: group_totals[g],
                                share,
                                overall_share: overall,
                                lift: share.zip(overall.filter(|&o| o > 0.0)).map(|(s, o)| s / o),
                                residual: adjusted_residual(
                                    row[g],
                                    group_totals[g],
                                    in_theme,
                                    memberships,
                                ),
                                interval: wilson(row[g], group_totals[g], z),
                                suppression: self.primary(row[g]),
                            }
                        })
                        .collect();
                    let mut marks: Vec<_> =
                        row_cells.iter().map(|c| (c.respondents, c.suppression)).collect();
                    self.protect(&mut marks, &mut total.suppression);
                    for (c, (_, mark)) in row_cells.iter_mut().zip(marks) {
                        c.suppression = mark;
                    }
                    theme_rows.push(total);
                    cells.extend(row_cells);
                }
                Slice {
                    value: value.map(str::to_owned),
                    respondents: slice_total[s],
                    without_theme: slice_seen[s] - slice_total[s],
                    suppression,
                    groups,
                    themes: theme_rows,
                    cells,
                }
            })
            .collect();

        Ok(CrossTab {
            split: self.split.clone(),
            min_cell: self.min_cell,
            suppress_zeros: self.suppress_zeros,
            confidence: self.confidence,
            themes: theme_ids,
            groups: group_keys.iter().map(|k| k.map(str::to_owned)).collect(),
            slices,
        })
    }

    /// The primary suppression of a count.
    fn primary(&self, count: usize) -> Suppression {
        if count < self.min_cell && (count > 0 || self.suppress_zeros) {
            Suppression::Primary
        } else {
            Suppression::None
        }
    }
}

/// The distinct values, sorted by name with `None` last.
fn sorted_keys<'a>(values: impl Iterator<Item = Option<&'a str>>) -> Vec<Option<&'a str>> {
    let mut keys: Vec<Option<&str>> =
        values.collect::<std::collections::HashSet<_>>().into_iter().collect();
    keys.sort_unstable_by_key(|k| (k.is_none(), *k));
    keys
}

/// Counts the distinct `keys` per bucket (`0..n_buckets`).
fn count_distinct<K: Ord + Copy>(
    mut keys: Vec<K>,
    n_buckets: usize,
    bucket: impl Fn(K) -> usize,
) -> Vec<usize> {
    keys.sort_unstable();
    keys.dedup();
    let mut counts = vec![0; n_buckets];
    for key in keys {
        counts[bucket(key)] += 1;
    }
    counts
}

/// `numerator / denominator`, `None` for a zero denominator.
fn ratio(numerator: usize, denominator: usize) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

/// How a reader can bound a withheld count, given the suppression rule.
#[derive(Debug, Clone, Copy)]
struct Bounds {
    /// Least value a primary-suppressed count can have: 0, or 1 when zeros are published.
    primary_low: usize,
    /// Greatest value a primary-suppressed count can have: `min_cell − 1`.
    primary_high: usize,
    /// Least value a complementary count can have: `min_cell`, or 0 when zeros are published
    /// (a published zero can be withheld as a complement). It has no upper bound.
    complementary_low: usize,
}

impl Bounds {
    /// Whether a reader who knows the sum of the withheld `parts` (total minus the published
    /// parts) and the bounds of each can pin down some primary-suppressed part exactly.
    fn exposed(&self, parts: &[(usize, Suppression)]) -> bool {
        let withheld: Vec<(usize, Suppression)> =
            parts.iter().copied().filter(|p| !p.1.is_published()).collect();
        let sum: usize = withheld.iter().map(|p| p.0).sum();
        let low = |s: Suppression| match s {
            Suppression::Primary => self.primary_low,
            _ => self.complementary_low,
        };
        let high = |s: Suppression| match s {
            Suppression::Primary => Some(self.primary_high),
            _ => None,
        };
        withheld.iter().enumerate().filter(|(_, p)| p.1 == Suppression::Primary).any(|(i, _)| {
            let others = withheld.iter().enumerate().filter(|&(j, _)| j != i);
            let others_low: usize = others.clone().map(|(_, p)| low(p.1)).sum();
            let others_high: Option<usize> = others.map(|(_, p)| high(p.1)).sum();
            let least = match others_high {
                Some(h) => sum.saturating_sub(h).max(self.primary_low),
                None => self.primary_low,
            };
            let most = sum.saturating_sub(others_low).min(self.primary_high);
            least >= most
        })
    }
}

impl CrossTabValidParams {
    /// Complementary suppression of a row of `parts` (count and suppression) that adds up to
    /// `total`.
    ///
    /// When the total is published, a reader knows the sum of the withheld parts; with one
    /// primary-suppressed part it is that sum, and with several their bounds can still pin one
    /// down (two parts below 5 summing to 8 are both 4). While that is so, the smallest
    /// non-zero published part is withheld as well (the least information lost; a zero only if
    /// no other remains), preferring one that protects the row at once; when no part is left,
    /// the total is withheld.
    ///
    /// Nothing is done when the mark itself tells the value (`"<1"` is 0), since withholding
    /// more cannot hide it.
    fn protect(&self, parts: &mut [(usize, Suppression)], total: &mut Suppression) {
        let bounds = Bounds {
            primary_low: usize::from(!self.suppress_zeros),
            primary_high: self.min_cell.saturating_sub(1),
            complementary_low: if self.suppress_zeros { self.min_cell } else { 0 },
        };
        if bounds.primary_high <= bounds.primary_low {
            return;
        }
        while total.is_published() && bounds.exposed(parts) {
            let mut candidates: Vec<usize> =
                (0..parts.len()).filter(|&j| parts[j].1.is_published()).collect();
            candidates.sort_by_key(|&j| (parts[j].0 == 0, parts[j].0));
            let Some(&smallest) = candidates.first() else {
                *total = Suppression::Complementary;
                break;
            };
            let sufficient = candidates.iter().copied().find(|&j| {
                let mut trial = parts.to_vec();
                trial[j].1 = Suppression::Complementary;
                !bounds.exposed(&trial)
            });
            parts[sufficient.unwrap_or(smallest)].1 = Suppression::Complementary;
        }
    }
}

/// Haberman's adjusted standardised residual of a cell with `observed` respondents in a group
/// of `group` respondents, in the 2 × G table of a theme raised by `in_theme` of the
/// `memberships` (the sum of the group totals). `None` when its variance is 0 or undefined.
fn adjusted_residual(
    observed: usize,
    group: usize,
    in_theme: usize,
    memberships: usize,
) -> Option<f64> {
    if group == 0 || memberships == 0 {
        return None;
    }
    let (o, n_g, n) = (observed as f64, group as f64, memberships as f64);
    let p = in_theme as f64 / n;
    let variance = n_g * p * (1.0 - p) * (1.0 - n_g / n);
    (variance > 0.0).then(|| (o - n_g * p) / variance.sqrt())
}

/// The Wilson score interval of `successes / trials` with normal quantile `z`; `None` for 0
/// trials. Preferred to the normal (Wald) interval because it stays within `[0, 1]` and keeps
/// its coverage for the small counts and extreme shares of small stakeholder groups.
fn wilson(successes: usize, trials: usize, z: f64) -> Option<Interval> {
    if trials == 0 {
        return None;
    }
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = z / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(Interval { low: (centre - half).max(0.0), high: (centre + half).min(1.0) })
}

/// The standard normal quantile (inverse CDF) of `p` in `(0, 1)`, by Acklam's rational
/// approximation (relative error below 1.2e-9), ample for interval bounds.
fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const P_LOW: f64 = 0.024_25;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < P_LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p <= 1.0 - P_LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A response of `who` in `group` (both optional), with no question or channel.
    fn response(id: usize, who: Option<&str>, group: Option<&str>) -> Response {
        let mut r = Response::new(format!("r{id}"), "text");
        r.respondent = who.map(Into::into);
        r.group = group.map(Into::into);
        r
    }

    /// Responses from `(respondent, group, themes)`: one response per theme of each respondent
    /// (a respondent without themes gives one unthemed response).
    fn corpus(people: &[(&str, &str, &[u32])]) -> (Vec<Response>, Vec<Option<u32>>) {
        let mut responses = Vec::new();
        let mut themes = Vec::new();
        for &(who, group, raised) in people {
            if raised.is_empty() {
                responses.push(response(responses.len(), Some(who), Some(group)));
                themes.push(None);
            }
            for &t in raised {
                responses.push(response(responses.len(), Some(who), Some(group)));
                themes.push(Some(t));
            }
        }
        (responses, themes)
    }

    /// Ten respondents: group A has a1..a4, group B has b1..b6.
    ///
    /// ```text
    ///            A (n=4)   B (n=6)   all (N=10)
    /// theme 0    3         1         4   (a1 a2 a3 | b1)
    /// theme 1    1         5         6   (a1 | b1..b5)
    /// theme 2    1         1         2   (a4 | b6)
    /// ```
    /// a1 and b1 raise two themes, so column A sums to 5 over 4 respondents.
    fn hand_table() -> (Vec<Response>, Vec<Option<u32>>) {
        corpus(&[
            ("a1", "A", &[0, 1]),
            ("a2", "A", &[0]),
            ("a3", "A", &[0]),
            ("a4", "A", &[2]),
            ("b1", "B", &[0, 1]),
            ("b2", "B", &[1]),
            ("b3", "B", &[1]),
            ("b4", "B", &[1]),
            ("b5", "B", &[1]),
            ("b6", "B", &[2]),
        ])
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn arithmetic_of_a_table_computed_by_hand() {
        let (responses, themes) = hand_table();
        let table = CrossTab::params().min_cell(0).compute(&responses, &themes).unwrap();
        assert_eq!(table.themes(), &[0, 1, 2]);
        assert_eq!(table.groups(), &[Some("A".to_owned()), Some("B".to_owned())]);
        assert_eq!(table.slices().len(), 1);
        let slice = &table.slices()[0];
        assert_eq!((slice.respondents, slice.without_theme), (10, 0));
        assert_eq!(slice.group(Some("A")).unwrap().respondents, 4);
        assert_eq!(slice.group(Some("B")).unwrap().respondents, 6);
        let totals: Vec<usize> = slice.themes.iter().map(|t| t.respondents).collect();
        assert_eq!(totals, [4, 6, 2]);
        // Column A: 3 + 1 + 1 = 5 memberships of 4 respondents.
        let column_a: usize =
            [0, 1, 2].iter().map(|&t| slice.cell(t, Some("A")).unwrap().respondents).sum();
        assert_eq!(column_a, 5);

        // Theme 0 in A: share 3/4, overall share 4/10, lift 0.75 / 0.4 = 1.875.
        let c = slice.cell(0, Some("A")).unwrap();
        assert_eq!((c.respondents, c.group_respondents), (3, 4));
        assert!(close(c.share, 0.75));
        assert!(close(c.overall_share, 0.4));
        assert!(close(c.lift, 1.875));
        // Adjusted residual: p = 4/10, e = 4 × 0.4 = 1.6, variance
        // 4 × 0.4 × 0.6 × (1 − 4/10) = 0.576, so (3 − 1.6) / √0.576 = 1.844662. In a 2 × 2
        // table it is the signed root of chi-square: 10 (3·5 − 1·1)² / (4·6·4·6) = 1960/576.
        assert!(close(c.residual, 1.4 / 0.576f64.sqrt()));
        assert!(close(c.residual, (1960.0f64 / 576.0).sqrt()));
        // Wilson 95% of 3/4: z = 1.959964, centre (0.75 + z²/8) / (1 + z²/4) = 0.627527,
        // half-width z / (1 + z²/4) × √(0.75·0.25/4 + z²/64) = 0.326886.
        let ci = c.interval.unwrap();
        assert!((ci.low - 0.300_641_842_6).abs() < 1e-6, "{ci:?}");
        assert!((ci.high - 0.954_412_739_2).abs() < 1e-6, "{ci:?}");

        // Theme 0 in B: 1/6 against 0.4, lift 0.41667; with two groups the residuals are
        // opposite.
        let c = slice.cell(0, Some("B")).unwrap();
        assert!(close(c.share, 1.0 / 6.0));
        assert!(close(c.lift, (1.0 / 6.0) / 0.4));
        assert!(close(c.residual, -(1960.0f64 / 576.0).sqrt()));

        // Theme 1: A 1/4, B 5/6 of overall 6/10; table [[1, 5], [3, 1]], (1·1 − 5·3)² = 196.
        let c = slice.cell(1, Some("A")).unwrap();
        assert!(close(c.share, 0.25));
        assert!(close(c.lift, 0.25 / 0.6));
        assert!(close(c.residual, -(1960.0f64 / 576.0).sqrt()));
        // Theme 2: 1/4 against 1/6, p = 0.2: (1 − 0.8) / √(4 × 0.2 × 0.8 × 0.6) = 0.360844.
        let c = slice.cell(2, Some("A")).unwrap();
        assert!(close(c.residual, 0.2 / 0.384f64.sqrt()));

        // Overall shares and their intervals.
        let t = slice.theme(1).unwrap();
        assert!(close(t.share, 0.6));
        let ci = t.interval.unwrap();
        assert!(
            (ci.low - 0.312_673_769_7).abs() < 1e-6 && (ci.high - 0.831_819_670_3).abs() < 1e-6
        );
        // Nothing is suppressed at min_cell 0.
        assert!(slice.cells.iter().all(|c| c.suppression == Suppression::None));
    }

    #[test]
    fn one_respondent_with_three_responses_in_a_theme_counts_once() {
        let (mut responses, mut themes) = corpus(&[("ann", "A", &[0, 0, 0]), ("bob", "A", &[0])]);
        // ann also gives an unthemed response: still one respondent, with a theme.
        responses.push(response(99, Some("ann"), Some("A")));
        themes.push(None);
        let table = CrossTab::params().min_cell(0).compute(&responses, &themes).unwrap();
        let slice = &table.slices()[0];
        assert_eq!(responses.len(), 5);
        assert_eq!(slice.cell(0, Some("A")).unwrap().respondents, 2);
        assert_eq!(slice.group(Some("A")).unwrap().respondents, 2);
        assert_eq!(slice.group(Some("A")).unwrap().without_theme, 0);
        assert_eq!((slice.respondents, slice.without_theme), (2, 0));
        assert_eq!(slice.theme(0).unwrap().respondents, 2);
        assert_eq!(slice.cell(0, Some("A")).unwrap().share, Some(1.0));
    }

    #[test]
    fn anonymous_responses_count_one_respondent_each() {
        // No respondent id: each response is its own respondent (keyed by its id), so two
        // anonymous answers are two respondents, not one "unknown" person.
        let responses = [response(0, None, Some("A")), response(1, None, Some("A"))];
        let table = CrossTab::params().compute(&responses, &[Some(3), Some(3)]).unwrap();
        assert_eq!(table.slices()[0].cell(3, Some("A")).unwrap().respondents, 2);
    }

    #[test]
    fn unthemed_respondents_leave_the_denominators() {
        // c1 only gives an empty answer: not in C's denominator but reported.
        let (responses, themes) =
            corpus(&[("a1", "A", &[0]), ("a2", "A", &[]), ("a3", "A", &[1]), ("c1", "C", &[])]);
        let table = CrossTab::params().min_cell(0).compute(&responses, &themes).unwrap();
        let slice = &table.slices()[0];
        assert_eq!((slice.respondents, slice.without_theme), (2, 2));
        let a = slice.group(Some("A")).unwrap();
        assert_eq!((a.respondents, a.without_theme), (2, 1));
        assert_eq!(slice.cell(0, Some("A")).unwrap().share, Some(0.5));
        // Group C has no respondent with a theme: zero cells, undefined rates, kept in the table.
        let c = slice.group(Some("C")).unwrap();
        assert_eq!((c.respondents, c.without_theme), (0, 1));
        let cell = slice.cell(0, Some("C")).unwrap();
        assert_eq!((cell.respondents, cell.group_respondents), (0, 0));
        assert_eq!((cell.share, cell.lift, cell.residual, cell.interval), (None, None, None, None));
        assert!(close(cell.overall_share, 0.5));
    }

    #[test]
    fn missing_groups_form_a_bucket_listed_last() {
        let responses = [
            response(0, Some("x"), None),
            response(1, Some("y"), Some("Zeta")),
            response(2, Some("z"), Some("Alpha")),
        ];
        let table = CrossTab::params()
            .min_cell(0)
            .compute(&responses, &[Some(0), Some(0), Some(1)])
            .unwrap();
        assert_eq!(table.groups(), &[Some("Alpha".to_owned()), Some("Zeta".to_owned()), None]);
        assert_eq!(table.slices()[0].cell(0, None).unwrap().respondents, 1);
        let rows = table.to_rows();
        let groups: Vec<&str> = rows.iter().map(|r| r.group.as_str()).collect();
        assert_eq!(groups[..4], ["Alpha", "Zeta", NO_GROUP, ALL_GROUPS]);
    }

    #[test]
    fn a_single_group_has_lift_one_and_no_residual() {
        let (responses, themes) =
            corpus(&[("a", "Only", &[0]), ("b", "Only", &[0, 1]), ("c", "Only", &[1])]);
        let table = CrossTab::params().min_cell(0).compute(&responses, &themes).unwrap();
        let slice = &table.slices()[0];
        let c = slice.cell(0, Some("Only")).unwrap();
        assert!(close(c.share, 2.0 / 3.0));
        assert!(close(c.lift, 1.0));
        // n_g = N: the group is compared with no other group.
        assert_eq!(c.residual, None);
    }

    #[test]
    fn a_theme_raised_by_everyone_has_no_residual() {
        let (responses, themes) =
            corpus(&[("a", "A", &[0]), ("b", "B", &[0]), ("c", "B", &[0, 1])]);
        let table = CrossTab::params().min_cell(0).compute(&responses, &themes).unwrap();
        let slice = &table.slices()[0];
        assert_eq!(slice.cell(0, Some("A")).unwrap().residual, None);
        assert!(slice.cell(1, Some("B")).unwrap().residual.is_some());
    }

    /// Groups A (10 respondents), B (8) and C (3).
    ///
    /// ```text
    ///            A    B    C    all
    /// theme 0    6    7    2    15
    /// theme 1    0    4    0     4
    /// total     10    8    3    21
    /// ```
    fn suppression_table() -> (Vec<Response>, Vec<Option<u32>>) {
        let mut people: Vec<(String, &str, &[u32])> = Vec::new();
        for i in 0..10 {
            people.push((format!("a{i}"), "A", if i < 6 { &[0] } else { &[] }));
        }
        for i in 0..8 {
            let raised: &[u32] = match i {
                0..4 => &[0, 1],
                4..7 => &[0],
                _ => &[2],
            };
            people.push((format!("b{i}"), "B", raised));
        }
        for i in 0..3 {
            people.push((format!("c{i}"), "C", if i < 2 { &[0] } else { &[2] }));
        }
        // Four of A's respondents raise theme 2 only, so all of A is themed.
        for p in people.iter_mut().filter(|p| p.1 == "A" && p.2.is_empty()) {
            p.2 = &[2];
        }
        let borrowed: Vec<(&str, &str, &[u32])> =
            people.iter().map(|(w, g, t)| (w.as_str(), *g, *t)).collect();
        corpus(&borrowed)
    }

    #[test]
    fn primary_and_complementary_suppression() {
        let (responses, themes) = suppression_table();
        let table = CrossTab::params().compute(&responses, &themes).unwrap();
        let slice = &table.slices()[0];
        let counts = |t: u32| -> Vec<(usize, Suppression)> {
            ["A", "B", "C"]
                .iter()
                .map(|g| slice.cell(t, Some(g)).unwrap())
                .map(|c| (c.respondents, c.suppression))
                .collect()
        };
        // Theme 0: C (2) is below 5; the row total 15 is published, so C = 15 − 6 − 7 would be
        // recoverable: the smallest other cell, A (6), is withheld as well.
        assert_eq!(counts(0), [(6, Comp), (7, Pub), (2, Prim)]);
        assert_eq!(slice.theme(0).unwrap().suppression, Pub);
        // Theme 1: every cell is below 5 (zeros included) and so is the total: nothing to add.
        assert_eq!(counts(1), [(0, Prim), (4, Prim), (0, Prim)]);
        assert_eq!(slice.theme(1).unwrap().suppression, Prim);
        // Group totals: C (3) is below 5 and the slice total 21 is published, so the smallest
        // other total, B (8), is withheld.
        let groups: Vec<Suppression> = slice.groups.iter().map(|g| g.suppression).collect();
        assert_eq!(groups, [Pub, Comp, Prim]);
        assert_eq!((slice.respondents, slice.suppression), (21, Pub));

        let rows = table.to_rows();
        let row = |t: u32, g: &str| rows.iter().find(|r| r.theme == t && r.group == g).unwrap();
        assert_eq!(row(0, "A").respondents, COMPLEMENTARY);
        assert_eq!(row(0, "C").respondents, "<5");
        assert_eq!(row(0, "C").group_respondents, "<5");
        assert_eq!(row(1, "A").respondents, "<5");
        // B's cell is published, but B's total is withheld, so its share (which would give the
        // total away) is too.
        assert_eq!(row(0, "B").respondents, "7");
        assert_eq!(row(0, "B").group_respondents, COMPLEMENTARY);
        assert_eq!((row(0, "B").share, row(0, "B").lift, row(0, "B").ci_low), (None, None, None));
        // The theme total and its overall share are published.
        let total = row(0, ALL_GROUPS);
        assert_eq!((total.respondents.as_str(), total.group_respondents.as_str()), ("15", "21"));
        assert!(close(total.share, 15.0 / 21.0));
        assert!(row(1, ALL_GROUPS).share.is_none());
        // Every suppressed count is hidden in the rows; every published one is shown.
        for slice in table.slices() {
            for c in &slice.cells {
                let shown = &row(c.theme, c.group.as_deref().unwrap()).respondents;
                assert_eq!(shown == &c.respondents.to_string(), c.suppression.is_published());
            }
        }
    }

    #[test]
    fn published_rates_when_nothing_is_suppressed() {
        let (responses, themes) = suppression_table();
        let table = CrossTab::params().min_cell(1).compute(&responses, &themes).unwrap();
        let rows = table.to_rows();
        let b0 = rows.iter().find(|r| r.theme == 0 && r.group == "B").unwrap();
        assert_eq!((b0.respondents.as_str(), b0.group_respondents.as_str()), ("7", "8"));
        assert!(close(b0.share, 7.0 / 8.0));
        assert!(close(b0.overall_share, 15.0 / 21.0));
        assert!(close(b0.lift, (7.0 / 8.0) / (15.0 / 21.0)));
        assert!(b0.residual.is_some() && b0.ci_low.is_some() && b0.ci_high.is_some());
        // At min_cell 1 only the zero cells of theme 1 (A and C) are suppressed; they are two,
        // so no complementary suppression is needed.
        let withheld: Vec<(u32, &str)> = rows
            .iter()
            .filter(|r| r.respondents.starts_with('<') || r.respondents == COMPLEMENTARY)
            .map(|r| (r.theme, r.group.as_str()))
            .collect();
        assert_eq!(withheld, [(1, "A"), (1, "C")]);
        assert!(rows.iter().all(|r| r.respondents != COMPLEMENTARY));
    }

    #[test]
    fn zeros_can_be_published() {
        let (responses, themes) = suppression_table();
        let table = CrossTab::params().suppress_zeros(false).compute(&responses, &themes).unwrap();
        let slice = &table.slices()[0];
        let a = slice.cell(1, Some("A")).unwrap();
        assert_eq!((a.respondents, a.suppression), (0, Suppression::None));
        // B's 4 stays suppressed; the total (4) is suppressed too, so no complement is needed.
        assert_eq!(slice.cell(1, Some("B")).unwrap().suppression, Suppression::Primary);
        let rows = table.to_rows();
        assert!(rows.iter().any(|r| r.theme == 1 && r.group == "A" && r.respondents == "0"));
    }

    #[test]
    fn threshold_is_shown_as_configured() {
        let (responses, themes) = suppression_table();
        let table = CrossTab::params().min_cell(10).compute(&responses, &themes).unwrap();
        let rows = table.to_rows();
        let b0 = rows.iter().find(|r| r.theme == 0 && r.group == "B").unwrap();
        assert_eq!(b0.respondents, "<10");
        assert_eq!(table.render_count(3, Suppression::Primary), "<10");
        assert_eq!(table.render_count(3, Suppression::None), "3");
    }

    fn protected(
        min_cell: usize,
        suppress_zeros: bool,
        parts: &[(usize, Suppression)],
        total: Suppression,
    ) -> (Vec<Suppression>, Suppression) {
        let params =
            CrossTab::params().min_cell(min_cell).suppress_zeros(suppress_zeros).check().unwrap();
        let mut parts = parts.to_vec();
        let mut total = total;
        params.protect(&mut parts, &mut total);
        (parts.iter().map(|p| p.1).collect(), total)
    }

    use Suppression::{Complementary as Comp, None as Pub, Primary as Prim};

    #[test]
    fn a_lone_suppressed_part_withholds_the_total() {
        // A single part equals its total: the total must go.
        assert_eq!(protected(5, true, &[(3, Prim)], Pub), (vec![Prim], Comp));
        // With a withheld total nothing changes.
        assert_eq!(protected(5, true, &[(3, Prim)], Prim), (vec![Prim], Prim));
    }

    #[test]
    fn complement_prefers_the_smallest_non_zero_part() {
        let parts = [(9, Pub), (0, Pub), (2, Prim), (6, Pub), (6, Pub)];
        // The first of the two 6s, not the 0 (withholding a zero protects little).
        assert_eq!(protected(5, true, &parts, Pub), (vec![Pub, Pub, Prim, Comp, Pub], Pub));
        // With zeros published a withheld zero could be anything from 0 up, so it protects a 2
        // as well as a 6 would, but non-zero parts still come first.
        assert_eq!(protected(5, false, &parts, Pub), (vec![Pub, Pub, Prim, Comp, Pub], Pub));
    }

    #[test]
    fn two_primaries_at_their_bounds_are_protected() {
        // 4 + 4 = 8 with each below 5: both are 4. A complement is added.
        let parts = [(4, Prim), (4, Prim), (7, Pub), (9, Pub)];
        assert_eq!(protected(5, true, &parts, Pub), (vec![Prim, Prim, Comp, Pub], Pub));
        // 0 + 0 with zeros suppressed: both are 0.
        let parts = [(0, Prim), (0, Prim), (7, Pub)];
        assert_eq!(protected(5, true, &parts, Pub), (vec![Prim, Prim, Comp], Pub));
        // 1 + 3 = 4 lies strictly inside [0, 8]: each is between 0 and 4, nothing to add.
        let parts = [(1, Prim), (3, Prim), (7, Pub)];
        assert_eq!(protected(5, true, &parts, Pub), (vec![Prim, Prim, Pub], Pub));
        // With zeros published, 1 + 1 means both are 1.
        let parts = [(1, Prim), (1, Prim), (7, Pub)];
        assert_eq!(protected(5, false, &parts, Pub), (vec![Prim, Prim, Comp], Pub));
    }

    #[test]
    fn a_complement_that_would_still_expose_is_skipped() {
        // Zeros suppressed: a complement of exactly 5 next to a 0 would tell the 0 (the
        // withheld sum is 5, the complement at least 5). The 6 protects it; the 5 does not.
        let parts = [(0, Prim), (5, Pub), (6, Pub)];
        assert_eq!(protected(5, true, &parts, Pub), (vec![Prim, Pub, Comp], Pub));
    }

    #[test]
    fn marks_that_tell_their_value_are_left_alone() {
        // "<1" can only be 0, "<2" with zeros published only 1: nothing to protect.
        assert_eq!(protected(1, true, &[(0, Prim), (7, Pub)], Pub), (vec![Prim, Pub], Pub));
        assert_eq!(protected(2, false, &[(1, Prim), (7, Pub)], Pub), (vec![Prim, Pub], Pub));
    }

    #[test]
    fn split_by_question() {
        let mut responses = Vec::new();
        let mut themes = Vec::new();
        // ann answers Q1 twice and Q2 once, all in theme 0; bob answers Q2 in theme 1; cat
        // answers no question (a workshop note) in theme 0.
        for (who, question, theme) in [
            ("ann", Some("Q1"), 0),
            ("ann", Some("Q1"), 0),
            ("ann", Some("Q2"), 0),
            ("bob", Some("Q2"), 1),
            ("cat", None, 0),
        ] {
            let mut r = response(responses.len(), Some(who), Some("A"));
            r.question = question.map(Into::into);
            responses.push(r);
            themes.push(Some(theme));
        }
        let table = CrossTab::params()
            .min_cell(0)
            .split(CrossTabSplit::Question)
            .compute(&responses, &themes)
            .unwrap();
        let values: Vec<Option<&str>> = table.slices().iter().map(|s| s.value.as_deref()).collect();
        assert_eq!(values, [Some("Q1"), Some("Q2"), None]);
        let q1 = table.slice(Some("Q1")).unwrap();
        assert_eq!((q1.respondents, q1.cell(0, Some("A")).unwrap().respondents), (1, 1));
        // Theme 1 does not occur in Q1 but keeps its row: 0, overall share 0, lift undefined.
        let absent = q1.cell(1, Some("A")).unwrap();
        assert_eq!((absent.respondents, absent.overall_share, absent.lift), (0, Some(0.0), None));
        let q2 = table.slice(Some("Q2")).unwrap();
        assert_eq!(q2.respondents, 2);
        assert!(close(q2.cell(0, Some("A")).unwrap().share, 0.5));
        assert_eq!(table.slice(None).unwrap().respondents, 1);
        let rows = table.to_rows();
        assert_eq!(rows.last().unwrap().split, NO_QUESTION);
        assert_eq!(rows[0].split, "Q1");
    }

    #[test]
    fn split_by_attribute() {
        let mut responses = Vec::new();
        for (who, org) in [("ann", Some("Trust")), ("bob", Some("GP")), ("cy", None)] {
            let mut r = response(responses.len(), Some(who), Some("A"));
            if let Some(org) = org {
                r.attributes.push(("Organisation type".into(), org.into()));
            }
            responses.push(r);
        }
        let split: CrossTabSplit = "attribute: Organisation type".parse().unwrap();
        assert_eq!(split, CrossTabSplit::Attribute("Organisation type".into()));
        let table = CrossTab::params()
            .min_cell(0)
            .split(split)
            .compute(&responses, &[Some(0), Some(0), Some(1)])
            .unwrap();
        assert_eq!(table.slice(Some("Trust")).unwrap().respondents, 1);
        assert_eq!(table.slice(Some("GP")).unwrap().respondents, 1);
        let rows = table.to_rows();
        assert_eq!(rows.last().unwrap().split, NO_ANSWER);
        assert!(table.to_string().starts_with("Organisation type: GP"));
        assert!("attribute:".parse::<CrossTabSplit>().is_err());
    }

    #[test]
    fn split_by_channel() {
        let mut responses = Vec::new();
        for (who, channel) in [("ann", "survey"), ("ann", "workshop"), ("bob", "survey")] {
            let mut r = response(responses.len(), Some(who), Some("A"));
            r.channel = Some(channel.into());
            r.question = Some("Q1".into());
            responses.push(r);
        }
        let themes = [Some(0), Some(0), Some(0)];
        let table = CrossTab::params()
            .min_cell(0)
            .split(CrossTabSplit::Channel)
            .compute(&responses, &themes)
            .unwrap();
        assert_eq!(table.split(), &CrossTabSplit::Channel);
        assert_eq!(table.slice(Some("survey")).unwrap().respondents, 2);
        assert_eq!(table.slice(Some("workshop")).unwrap().respondents, 1);
        assert!(table.slice(None).is_none());
        // Unsplit, ann counts once although she used two channels.
        let all = CrossTab::params().min_cell(0).compute(&responses, &themes).unwrap();
        assert_eq!(all.slices()[0].theme(0).unwrap().respondents, 2);
        assert_eq!(all.to_rows()[0].split, ALL);
    }

    #[test]
    fn order_of_responses_does_not_matter() {
        let (responses, themes) = hand_table();
        let a = CrossTab::params().compute(&responses, &themes).unwrap();
        let mut pairs: Vec<(Response, Option<u32>)> = responses.into_iter().zip(themes).collect();
        pairs.reverse();
        pairs.swap(0, 3);
        let (responses, themes): (Vec<_>, Vec<_>) = pairs.into_iter().unzip();
        let b = CrossTab::params().compute(&responses, &themes).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn display_renders_suppression() {
        let (responses, themes) = hand_table();
        let table = CrossTab::params().min_cell(2).compute(&responses, &themes).unwrap();
        // Theme 0: B's 1 is below 2 and the total 4 is published, so A's 3 is complementary.
        // Theme 1: A's 1 is below 2, so B's 5 is complementary. Theme 2: both cells are 1, and
        // each is below 2, so their published total 2 would tell both: the total is withheld.
        let expected = "\
All responses: (all) (10 respondents with a theme)
theme          A    B  (all groups)
0            [c]   <2     4 (40.0%)
1             <2  [c]     6 (60.0%)
2             <2   <2           [c]
respondents    4    6            10
";
        assert_eq!(table.to_string(), expected);
        let open = CrossTab::params().min_cell(0).compute(&responses, &themes).unwrap();
        // 3/4 in A with a residual of 1.84 < 1.96: no flag.
        assert!(open.to_string().contains("3 (75.0%) "), "{open}");
    }

    #[test]
    fn display_flags_significant_cells() {
        let mut people: Vec<(String, &str, &[u32])> = Vec::new();
        for i in 0..20 {
            people.push((format!("a{i}"), "A", if i < 18 { &[0] } else { &[1] }));
            people.push((format!("b{i}"), "B", if i < 2 { &[0] } else { &[1] }));
        }
        let borrowed: Vec<(&str, &str, &[u32])> =
            people.iter().map(|(w, g, t)| (w.as_str(), *g, *t)).collect();
        let (responses, themes) = corpus(&borrowed);
        let table = CrossTab::params().min_cell(1).compute(&responses, &themes).unwrap();
        let text = table.to_string();
        assert!(text.contains("18 (90.0%)+"), "{text}");
        assert!(text.contains("2 (10.0%)-"), "{text}");
    }

    #[test]
    fn errors() {
        let (responses, themes) = hand_table();
        assert_eq!(
            CrossTab::params().compute(&responses, &themes[1..]),
            Err(CrossTabError::LengthMismatch { responses: 12, themes: 11 })
        );
        assert_eq!(CrossTab::params().compute(&[], &[]), Err(CrossTabError::Empty));
        assert_eq!(
            CrossTab::params().compute(&responses[..2], &[None, None]),
            Err(CrossTabError::NoThemes { responses: 2 })
        );
        assert_eq!("Question".parse::<CrossTabSplit>(), Ok(CrossTabSplit::Question));
        assert_eq!(" none ".parse::<CrossTabSplit>(), Ok(CrossTabSplit::None));
        assert_eq!("channel".parse::<CrossTabSplit>(), Ok(CrossTabSplit::Channel));
        assert_eq!("group".parse::<CrossTabSplit>(), Err(CrossTabError::Split("group".into())));
    }

    #[test]
    fn confidence_rule() {
        for bad in [0.0, 1.0, -0.5, 1.5, f64::NAN, f64::INFINITY] {
            let res = CrossTab::params().confidence(bad).check();
            assert!(matches!(res, Err(CrossTabError::Confidence { .. })), "{bad}");
        }
        let valid = CrossTab::params().confidence(0.9).min_cell(3).check().unwrap();
        assert_eq!((valid.confidence(), valid.min_cell()), (0.9, 3));
        assert!(valid.suppress_zeros());
        assert_eq!(valid.split(), &CrossTabSplit::None);
    }

    #[test]
    fn wider_confidence_gives_wider_intervals() {
        let (responses, themes) = hand_table();
        let width = |level: f64| {
            let table = CrossTab::params().confidence(level).compute(&responses, &themes).unwrap();
            let ci = table.slices()[0].cell(0, Some("A")).unwrap().interval.unwrap();
            ci.high - ci.low
        };
        assert!(width(0.99) > width(0.95) && width(0.95) > width(0.8));
    }

    #[test]
    fn wilson_edges() {
        assert_eq!(wilson(0, 0, 1.96), None);
        // 0/4 at 95%: [0, z² / (4 + z²)] = [0, 0.489891].
        let ci = wilson(0, 4, normal_quantile(0.975)).unwrap();
        assert_eq!(ci.low, 0.0);
        assert!((ci.high - 0.489_890_836_5).abs() < 1e-6);
        let ci = wilson(4, 4, 1.96).unwrap();
        assert_eq!(ci.high, 1.0);
    }

    #[test]
    fn normal_quantiles() {
        for (p, z) in [
            (0.975, 1.959_963_984_540_054),
            (0.995, 2.575_829_303_548_9),
            (0.05, -1.644_853_626_951_472_6),
            (0.001, -3.090_232_306_167_813),
            (0.9999, 3.719_016_485_455_708),
            (0.5, 0.0),
        ] {
            assert!((normal_quantile(p) - z).abs() < 1e-8, "{p}");
        }
    }

    #[test]
    fn autotraits() {
        fn has<T: Send + Sync + Unpin>() {}
        has::<CrossTab>();
        has::<CrossTabParams>();
        has::<CrossTabValidParams>();
        has::<CrossTabRow>();
        has::<CrossTabError>();
    }
}
