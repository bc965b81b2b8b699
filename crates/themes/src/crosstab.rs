//! Stakeholder cross-tabs (work in progress).
