//! Stance cues (work in progress).
