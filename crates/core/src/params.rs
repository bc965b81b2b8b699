/// Validation of hyper-parameters, in the style of linfa.
///
/// An algorithm has an unchecked `XParams` (consuming setters) and a validated
/// `XValidParams`; `check_ref` holds every validation rule and `check` converts. Fitting
/// accepts both, validating first, so an invalid parameter is reported before any work.
pub trait ParamGuard {
    /// The validated parameter type.
    type Checked;
    /// The error of a failed validation: one variant per rule.
    type Error;

    /// Validates the parameters and borrows them as checked.
    fn check_ref(&self) -> Result<&Self::Checked, Self::Error>;

    /// Validates the parameters and converts them to the checked type.
    fn check(self) -> Result<Self::Checked, Self::Error>;
}
