//! Personal-data masking (work in progress).
