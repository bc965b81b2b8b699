//! Agreement with human coding (work in progress).
