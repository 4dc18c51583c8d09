//! The header's word on the background sync: synced, waiting (n), offline
//! since 10.05 (n), or not synced (n) when the server refused; nothing
//! without a server.

use ratatui::style::Style;

use super::theme::Theme;
use crate::app::App;
use crate::locale;
use crate::server::worker::Phase;

/// The word and its style, if the desk syncs.
pub fn word(app: &App) -> Option<(String, Style)> {
    let s = app.sync.as_ref()?;
    let t = app.texts();
    let th = Theme::of(app.look);
    Some(match &s.phase {
        Phase::Synced => (t.sync_synced().to_string(), th.hint),
        Phase::Waiting => (t.sync_waiting(s.pending), th.hint),
        Phase::Offline { since } => (
            t.sync_offline(&locale::time(*since, app.lang), s.pending),
            th.error,
        ),
        Phase::Refused { .. } => (t.sync_refused(s.pending), th.error),
    })
}
