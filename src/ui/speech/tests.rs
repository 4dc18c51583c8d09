//! The speech of the screen-reader mode, from the app's state.
