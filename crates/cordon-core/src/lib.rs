//! cordon core
