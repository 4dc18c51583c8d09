//! The duty screen's sync in the background.
