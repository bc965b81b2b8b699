//! Suggestion detection (work in progress).
