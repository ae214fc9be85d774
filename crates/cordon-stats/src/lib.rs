//! Surveillance statistics for cordon (work in progress).
