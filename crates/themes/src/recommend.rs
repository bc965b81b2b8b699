//! Recommendation grouping and ranking (work in progress).
